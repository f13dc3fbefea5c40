/**
 * Copy a listed tree into an empty folder, hashing each file as it is copied:
 * the engine of both backup (data root -> snapshot) and restore (snapshot ->
 * the new data root). Never follows a symbolic link: links are copied as links.
 */
import * as fs from 'node:fs';
import { copyFileHashed, finishEntry, SourceChangedError } from './hash-copy.js';
import { fullPath } from './walk.js';

/** One entry to copy and the metadata its copy gets. */
export interface CopyItem {
  readonly path: string;
  readonly type: 'file' | 'dir' | 'symlink';
  readonly size: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly atime: number;
  readonly mtime: number;
  readonly target?: string;
  /** What the source must still be (from the walk): a file replaced or modified since is refused. */
  readonly sourceIno?: number;
  readonly sourceMtime?: number;
  /** What the file's bytes must hash to (restore: the manifest's SHA-256). */
  readonly sha256?: string;
}

export interface CopyTreeOptions {
  /** Called after each file with the bytes copied so far. */
  readonly onProgress?: (bytes: number) => void;
}

/**
 * Copy `items` (each directory before what it holds; the first is the root
 * ".") from `from` into `to`, which must exist and be empty. Returns the
 * SHA-256 of every file copied. Directories get their mode and times last,
 * so a read-only directory can still be filled.
 */
export function copyTree(from: string, to: string, items: readonly CopyItem[], options: CopyTreeOptions = {}): Map<string, string> {
  const hashes = new Map<string, string>();
  let bytes = 0;
  for (const item of items) {
    const src = fullPath(from, item.path);
    const dst = fullPath(to, item.path);
    if (item.type === 'dir') {
      if (item.path !== '.') fs.mkdirSync(dst, 0o700);
    } else if (item.type === 'symlink') {
      fs.symlinkSync(item.target!, dst);
      finishEntry(dst, 'symlink', item);
    } else {
      const { sha256 } = copyFileHashed(
        src,
        dst,
        { size: item.size, ...(item.sourceMtime !== undefined ? { mtime: item.sourceMtime } : {}), ...(item.sourceIno !== undefined ? { ino: item.sourceIno } : {}) },
        item,
      );
      if (item.sha256 !== undefined && sha256 !== item.sha256) throw new SourceChangedError(`${src} no longer matches the manifest (it changed after it was checked)`, src);
      hashes.set(item.path, sha256);
      bytes += item.size;
      options.onProgress?.(bytes);
    }
  }
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    if (item.type === 'dir') finishEntry(fullPath(to, item.path), 'dir', item);
  }
  return hashes;
}
