import { fromText } from '../dbconfig/text.js';
import { unifiedDiff } from './diff.js';
import { effectiveChanges, isNoop, type Plan } from './types.js';

/**
 * A file's name in a diff header, as a binary string like the diff it goes in:
 * UTF-8 bytes, and quoted with C escapes as git does when it holds a control
 * character or a quote (a newline in a name must not start a line of the
 * diff). A backslash alone (a Windows path) leaves a name unquoted.
 */
function diffName(prefix: string, path: string): string {
  const name = `${prefix}${path}`;
  if (!/[\x00-\x1f\x7f"]/.test(name)) return fromText(name);
  const escaped = name.replace(/[\x00-\x1f\x7f"\\]/g, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '"': '\\"', '\\': '\\\\' };
    return named[c] ?? `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`;
  });
  return fromText(`"${escaped}"`);
}

/** A plan as a person reads it: a unified diff per file, a line per directory. */
export function previewPlan(plan: Plan): string {
  const changes = effectiveChanges(plan);
  if (changes.length === 0) return 'Nothing to do: everything is already as planned.\n';
  let out = '';
  for (const c of changes) {
    if (c.kind === 'mkdir') {
      out += fromText(`create directory ${c.path}${c.mode !== undefined ? ` (mode ${c.mode.toString(8)})` : ''}: ${c.reason}\n`);
      continue;
    }
    const before = c.before === null ? '' : c.before.toString('latin1');
    out += fromText(`# ${c.reason}\n`);
    out += unifiedDiff(before, c.after.toString('latin1'), c.before === null ? '/dev/null' : diffName('a/', c.path), diffName('b/', c.path));
  }
  return Buffer.from(out, 'latin1').toString('utf8');
}

/** A plan as JSON-ready data (file contents as UTF-8 text). */
export function planToJson(plan: Plan): unknown {
  return {
    changes: plan.changes.map((c) =>
      c.kind === 'mkdir'
        ? { kind: c.kind, path: c.path, mode: c.mode, reason: c.reason, unchanged: false }
        : {
            kind: c.kind,
            path: c.path,
            reason: c.reason,
            unchanged: isNoop(c),
            created: c.before === null,
            diff: Buffer.from(unifiedDiff(c.before?.toString('latin1') ?? '', c.after.toString('latin1'), c.before === null ? '/dev/null' : diffName('a/', c.path), diffName('b/', c.path)), 'latin1').toString('utf8'),
            content: c.after.toString('utf8'),
          },
    ),
  };
}
