import * as fs from 'node:fs';
import * as path from 'node:path';

/** One entry of a tree, as lstat saw it. */
export interface TreeEntry {
  /** Relative to the root, with `/` between names; `.` is the root. */
  readonly path: string;
  readonly type: 'file' | 'dir' | 'symlink' | 'other';
  /** Bytes, for a file; 0 otherwise. */
  readonly size: number;
  /** Permission bits (mode & 0o7777). */
  readonly mode: number;
  readonly mtime: number;
  readonly atime: number;
  readonly uid: number;
  readonly gid: number;
  readonly dev: number;
  readonly ino: number;
  /** A symbolic link's text. */
  readonly target?: string;
  /** For `other`: what it is (socket, FIFO, device). */
  readonly what?: string;
}

/** The folder name provision's quarantines live under (src/env/quarantine.ts). */
export const QUARANTINE_DIR = '.provision-quarantine';

/** A tree that cannot be read; `path` names the culprit. */
export class WalkError extends Error {
  constructor(message: string, readonly path: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WalkError';
  }
}

function typeOf(st: fs.Stats): { type: TreeEntry['type']; what?: string } {
  if (st.isFile()) return { type: 'file' };
  if (st.isDirectory()) return { type: 'dir' };
  if (st.isSymbolicLink()) return { type: 'symlink' };
  const what = st.isSocket() ? 'a socket' : st.isFIFO() ? 'a FIFO' : st.isBlockDevice() || st.isCharacterDevice() ? 'a device' : 'not a regular file';
  return { type: 'other', what };
}

/** The entry for one path, from its lstat. */
export function treeEntry(rel: string, full: string): TreeEntry {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(full);
  } catch (error) {
    throw new WalkError(`cannot read ${full} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, full, { cause: error });
  }
  const { type, what } = typeOf(st);
  let target: string | undefined;
  if (type === 'symlink') {
    try {
      target = fs.readlinkSync(full);
    } catch (error) {
      throw new WalkError(`cannot read the link ${full} (${(error as NodeJS.ErrnoException).code})`, full, { cause: error });
    }
  }
  return {
    path: rel,
    type,
    size: type === 'file' ? st.size : 0,
    mode: st.mode & 0o7777,
    mtime: st.mtimeMs,
    atime: st.atimeMs,
    uid: st.uid,
    gid: st.gid,
    dev: st.dev,
    ino: st.ino,
    ...(target !== undefined ? { target } : {}),
    ...(what !== undefined ? { what } : {}),
  };
}

/**
 * Every entry below `root`, the root first, each directory before what it
 * holds, names in code-point order. Symbolic links are reported, never
 * followed, so the walk never leaves the root.
 */
export function walkTree(root: string): TreeEntry[] {
  const first = treeEntry('.', root);
  if (first.type !== 'dir') throw new WalkError(`${root} is ${first.type === 'symlink' ? 'a symbolic link' : 'not a directory'}`, root);
  const out: TreeEntry[] = [first];
  const visit = (rel: string, full: string) => {
    let names: string[];
    try {
      names = fs.readdirSync(full);
    } catch (error) {
      throw new WalkError(`cannot list ${full} (${(error as NodeJS.ErrnoException).code})`, full, { cause: error });
    }
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of names) {
      // NOTE: provision's own undo folders (clean's and restore's quarantines) are not data: a backup
      // must not carry them, or a restore would bring back state that was deliberately removed.
      if (name === QUARANTINE_DIR) continue;
      const childRel = rel === '.' ? name : `${rel}/${name}`;
      const childFull = path.join(full, name);
      const entry = treeEntry(childRel, childFull);
      out.push(entry);
      if (entry.type === 'dir') visit(childRel, childFull);
    }
  };
  visit('.', root);
  return out;
}

/** The absolute path of a tree entry. */
export function fullPath(root: string, rel: string): string {
  return rel === '.' ? root : path.join(root, ...rel.split('/'));
}
