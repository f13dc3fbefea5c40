import * as fs from 'node:fs';
import * as path from 'node:path';
import { isNoop, type Change, type Plan } from './types.js';

/** What applying one change did. */
export interface Applied {
  readonly change: Change;
  readonly status: 'written' | 'created' | 'unchanged';
  /** Where the replaced file was saved. */
  readonly backup?: string;
}

export interface ApplyOptions {
  /** Timestamp for backup names (tests pass a fixed one). */
  readonly now?: Date;
  /** How many backups of a file to keep (default 5). */
  readonly keepBackups?: number;
}

/** An apply that could not go ahead; nothing was written for that change. */
export class ApplyError extends Error {
  constructor(message: string, readonly path: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApplyError';
  }
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** `DB_CONFIG.20261122T013000Z.bak` beside the file; older ones beyond the limit (at least 1) are removed. */
function backupFile(file: string, now: Date, keepBackups: number): string {
  const keep = Math.max(1, Math.floor(keepBackups));
  const dir = path.dirname(file);
  const base = path.basename(file);
  let backup = path.join(dir, `${base}.${stamp(now)}.bak`);
  for (let n = 1; fs.existsSync(backup); n++) backup = path.join(dir, `${base}.${stamp(now)}-${n}.bak`);
  fs.copyFileSync(file, backup, fs.constants.COPYFILE_EXCL);
  const stat = fs.statSync(file);
  fs.chmodSync(backup, stat.mode & 0o7777);
  if (process.getuid?.() === 0) fs.chownSync(backup, stat.uid, stat.gid);
  const pattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.\\d{8}T\\d{6}Z(-\\d+)?\\.bak$`);
  const old = fs.readdirSync(dir).filter((f) => pattern.test(f)).sort();
  for (const f of old.slice(0, Math.max(0, old.length - keep))) fs.rmSync(path.join(dir, f));
  return backup;
}

let tmpCounter = 0;

/** Create a temp file beside `file` that no one else can have (exclusive create); returns its name and descriptor. */
function openTemp(file: string, mode: number): { tmp: string; fd: number } {
  for (;;) {
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.${tmpCounter++}.tmp`);
    try {
      return { tmp, fd: fs.openSync(tmp, 'wx', mode) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** The owner and mode a replaced file had. */
export interface FileIdentity {
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

/**
 * Write bytes to `file` atomically: a temp file in the same directory, fsync,
 * rename. The new file keeps the mode and, when we may set it, the owner of
 * the one it replaces: Berkeley DB silently ignores a DB_CONFIG its server
 * user cannot read.
 */
export function writeFileAtomic(file: string, bytes: Buffer, like?: FileIdentity): void {
  const { tmp, fd } = openTemp(file, like?.mode ?? 0o644);
  try {
    fs.writeSync(fd, bytes);
    if (like) {
      fs.fchmodSync(fd, like.mode);
      if (process.getuid?.() === 0) fs.fchownSync(fd, like.uid, like.gid);
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  try {
    const dirFd = fs.openSync(path.dirname(file), 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
  } catch {
    // Directories cannot be opened for fsync on every platform (Windows); the rename is still atomic.
  }
}

/**
 * `mkdir -p`: create `dir` and its missing parents, each with `mode` when
 * given. The parents are created one by one, not with `recursive: true`,
 * whose loop in Node 20 never ends below a folder that refuses new entries
 * the way /proc does (ENOENT for a path whose parent exists).
 */
export function makeDirectories(dir: string, mode?: number): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) {
    missing.push(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d, mode);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !fs.statSync(d).isDirectory()) throw error;
    }
  }
}

/** A file's bytes, or null when it does not exist. */
export function readIfExists(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function applyOne(change: Change, options: ApplyOptions): Applied {
  if (change.kind === 'mkdir') {
    if (fs.existsSync(change.path)) return { change, status: 'unchanged' };
    makeDirectories(change.path, change.mode);
    return { change, status: 'created' };
  }
  if (isNoop(change)) return { change, status: 'unchanged' };
  const current = readIfExists(change.path);
  const expected = change.before;
  if ((current === null) !== (expected === null) || (current && expected && !current.equals(expected))) {
    throw new ApplyError(`${change.path} changed since it was read; nothing was written. Run the command again.`, change.path);
  }
  if (current !== null && current.equals(change.after)) return { change, status: 'unchanged' };
  // A symlinked DB_CONFIG is updated where it points, not replaced by a file.
  const target = current === null ? change.path : fs.realpathSync(change.path);
  const stat = current === null ? undefined : fs.statSync(target);
  const backup = current === null ? undefined : backupFile(target, options.now ?? new Date(), options.keepBackups ?? 5);
  writeFileAtomic(target, change.after, stat && { mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid });
  return { change, status: current === null ? 'created' : 'written', ...(backup ? { backup } : {}) };
}

/**
 * The only code that writes what a plan says. Each file is replaced
 * atomically after its old bytes are backed up; a file that changed since the
 * plan was made is refused.
 */
export function applyPlan(plan: Plan, options: ApplyOptions = {}): Applied[] {
  return plan.changes.map((change) => {
    try {
      return applyOne(change, options);
    } catch (error) {
      if (error instanceof ApplyError) throw error;
      const e = error as NodeJS.ErrnoException;
      throw new ApplyError(`cannot write ${change.path}: ${e.code ?? e.message}`, change.path, { cause: error });
    }
  });
}
