import { isSameOrInside, pathApi } from './paths.js';
import type { Target } from './types.js';

/** One line of a tree: a folder (or the manifest file) and what to say about it. */
export interface TreeRow {
  readonly path: string;
  readonly folder: boolean;
  readonly note: string;
}

interface Node {
  readonly row: TreeRow;
  readonly name: string;
  readonly children: Node[];
}

/**
 * Rows (parents first) as a tree, the way `tree` draws one: a top-level row
 * shows its whole path (through `shown`), a row below shows its path from
 * the row above it; notes line up in one column. Folders end with the
 * target's separator.
 */
export function renderTree(rows: readonly TreeRow[], target: Target, shown: (p: string) => string = (p) => p): string {
  const api = pathApi(target);
  const top: Node[] = [];
  const stack: Node[] = [];
  for (const row of rows) {
    while (stack.length > 0 && !isSameOrInside(row.path, stack[stack.length - 1]!.row.path, target)) stack.pop();
    const parent = stack[stack.length - 1];
    const base = parent ? api.relative(parent.row.path, row.path) : shown(row.path);
    const name = row.folder && !base.endsWith(api.sep) ? `${base}${api.sep}` : base;
    const node: Node = { row, name, children: [] };
    (parent ? parent.children : top).push(node);
    if (row.folder) stack.push(node);
  }
  const lines: { left: string; note: string }[] = [];
  const walk = (nodes: Node[], prefix: string, depth: number) => {
    nodes.forEach((n, i) => {
      const last = i === nodes.length - 1;
      lines.push({ left: depth === 0 ? n.name : `${prefix}${last ? '└── ' : '├── '}${n.name}`, note: n.row.note });
      walk(n.children, depth === 0 ? '' : `${prefix}${last ? '    ' : '│   '}`, depth + 1);
    });
  };
  walk(top, '', 0);
  const width = Math.max(0, ...lines.map((l) => l.left.length));
  return lines.map((l) => (l.note === '' ? l.left : `${l.left.padEnd(width)}  ${l.note}`)).join('\n') + '\n';
}
