/**
 * Make a freshly written tree durable before it is renamed into place: after
 * a power cut, a snapshot that looks complete (or a restored data root) must
 * not hold empty or half-written files. One flush of the whole file system
 * (syncfs, through `sync -f`) costs far less than an fsync of each of
 * thousands of files; where that is not available, each file is flushed.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { syncDir } from './hash-copy.js';
import { fullPath } from './walk.js';

/** Flush the file system holding `root` (syncfs); false when this system cannot. */
export function flushFileSystem(root: string): boolean {
  if (process.platform === 'win32') return false;
  const r = spawnSync('sync', ['-f', root], { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

/** Flush every file and directory of a tree (`paths` relative to `root`, as listed by a manifest). */
export function flushEach(root: string, entries: readonly { readonly path: string; readonly type: string }[]): void {
  for (const e of entries) {
    const p = fullPath(root, e.path);
    if (e.type === 'dir') syncDir(p);
    else if (e.type === 'file') {
      const fd = fs.openSync(p, 'r');
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
  }
}

/** Make the tree at `root` durable: one flush of its file system, or each file where that is not possible. */
export function flushTree(root: string, entries: readonly { readonly path: string; readonly type: string }[]): void {
  if (!flushFileSystem(root)) flushEach(root, entries);
}
