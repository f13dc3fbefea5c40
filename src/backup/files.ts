/** Small file operations backup and restore share: durable small writes and removing a tree. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { syncDir } from './hash-copy.js';

/** Write a small file through a temp name, flushed, then renamed into place. */
export function writeFileDurable(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o644);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  syncDir(path.dirname(file));
}

/** Give the owner write and search permission on every directory below `dir` (never through a link). */
function openUp(dir: string): void {
  try {
    const st = fs.lstatSync(dir);
    if (!st.isDirectory()) return;
    if ((st.mode & 0o700) !== 0o700) fs.chmodSync(dir, (st.mode & 0o7777) | 0o700);
    for (const name of fs.readdirSync(dir)) openUp(path.join(dir, name));
  } catch {
    // what cannot be opened up makes rmSync fail below, with its own error
  }
}

/**
 * Remove a tree. A snapshot keeps read-only directories read-only, which
 * stops an unprivileged rm; those are made writable first.
 */
export function removeTree(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM') throw error;
    openUp(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
