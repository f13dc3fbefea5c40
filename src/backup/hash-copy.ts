/**
 * Copy a file and hash it in the same pass (one read of the source), and hash
 * a file on its own. The only code that reads and writes file contents for
 * backup and restore.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';

const CHUNK = 1 << 20;
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const isRoot = () => process.getuid?.() === 0;

/** What a copy expects of its source (from the walk or the manifest); anything else means the source changed. */
export interface CopyExpect {
  readonly size: number;
  /** The modification time the walk saw, when known. */
  readonly mtime?: number;
  /** The inode the walk saw, when known: a file replaced since then is refused. */
  readonly ino?: number;
}

/** What the copy gets. */
export interface CopyMeta {
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly atime: number;
  readonly mtime: number;
}

/** A source that changed while it was copied: a backup of it would not be a consistent copy. */
export class SourceChangedError extends Error {
  constructor(message: string, readonly path: string) {
    super(message);
    this.name = 'SourceChangedError';
  }
}

/** One reusable buffer per process: copies run one at a time. */
let shared: Buffer | undefined;
const buffer = () => (shared ??= Buffer.allocUnsafe(CHUNK));

function writeAll(fd: number, data: Buffer): void {
  for (let off = 0; off < data.length; ) off += fs.writeSync(fd, data, off, data.length - off);
}

/**
 * Copy `src` to a new file `dst` (which must not exist), hashing the bytes as
 * they pass. The copy gets the source's mode, times and, run as root, owner.
 * Throws SourceChangedError when the source is not the file the walk saw, or
 * changed while it was read.
 */
export function copyFileHashed(src: string, dst: string, expect: CopyExpect, meta: CopyMeta): { sha256: string; size: number } {
  // NOTE: O_NOFOLLOW: a file swapped for a link since the walk is refused, never followed out of the root.
  const input = fs.openSync(src, fs.constants.O_RDONLY | O_NOFOLLOW);
  try {
    const before = fs.fstatSync(input);
    if (!before.isFile() || (expect.ino !== undefined && before.ino !== expect.ino)) throw new SourceChangedError(`${src} was replaced while the backup ran`, src);
    const output = fs.openSync(dst, 'wx', 0o600);
    try {
      const hash = createHash('sha256');
      const buf = buffer();
      let size = 0;
      for (let n; (n = fs.readSync(input, buf, 0, buf.length, null)) > 0; ) {
        const chunk = buf.subarray(0, n);
        hash.update(chunk);
        writeAll(output, chunk);
        size += n;
      }
      const after = fs.fstatSync(input);
      if (size !== expect.size || after.size !== size || after.mtimeMs !== before.mtimeMs || (expect.mtime !== undefined && after.mtimeMs !== expect.mtime)) {
        throw new SourceChangedError(`${src} changed while the backup ran (${expect.size} bytes when listed, ${size} read)`, src);
      }
      fs.fchmodSync(output, meta.mode);
      if (isRoot()) fs.fchownSync(output, meta.uid, meta.gid);
      fs.futimesSync(output, meta.atime / 1000, meta.mtime / 1000);
      return { sha256: hash.digest('hex'), size };
    } finally {
      fs.closeSync(output);
    }
  } finally {
    fs.closeSync(input);
  }
}

/** SHA-256 and size of a file, read once, never through a symbolic link. */
export function hashFile(file: string): { sha256: string; size: number } {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | O_NOFOLLOW);
  try {
    const hash = createHash('sha256');
    const buf = buffer();
    let size = 0;
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) {
      hash.update(buf.subarray(0, n));
      size += n;
    }
    return { sha256: hash.digest('hex'), size };
  } finally {
    fs.closeSync(fd);
  }
}

/** Flush a directory's entries to the disk, where the platform allows it. */
export function syncDir(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch {
    return; // Windows cannot open a directory; its renames are still atomic
  }
  try {
    fs.fsyncSync(fd);
  } catch {
    // some file systems refuse fsync on a directory; nothing more can be done
  } finally {
    fs.closeSync(fd);
  }
}

/** Give a copied directory or link its mode, owner and times, after everything inside it is written. */
export function finishEntry(file: string, type: 'dir' | 'symlink', meta: { mode?: number; uid: number; gid: number; atime: number; mtime: number }): void {
  if (type === 'dir') {
    if (meta.mode !== undefined) fs.chmodSync(file, meta.mode);
    if (isRoot()) fs.chownSync(file, meta.uid, meta.gid);
    fs.utimesSync(file, meta.atime / 1000, meta.mtime / 1000);
  } else {
    if (isRoot()) fs.lchownSync(file, meta.uid, meta.gid);
    fs.lutimesSync(file, meta.atime / 1000, meta.mtime / 1000);
  }
}
