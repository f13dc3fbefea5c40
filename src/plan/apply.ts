import * as fs from 'node:fs';
import * as path from 'node:path';
import { isNoop, type Change, type Plan } from './types.js';

/** What applying one change did. */
export interface Applied {
  readonly change: Change;
  readonly status: 'written' | 'created' | 'unchanged';
  /** Where the replaced file was saved. */
  readonly backup?: string;
  /** The change was another path to a file this plan already wrote (a symlink): the file was written once, under that path. */
  readonly sameFileAs?: string;
}

export interface ApplyOptions {
  /** Timestamp for backup names (tests pass a fixed one). */
  readonly now?: Date;
  /** How many backups of a file to keep (default 5). */
  readonly keepBackups?: number;
  /** How files are written and flushed (tests pass calls that fail as a full disk does). */
  readonly writeCalls?: WriteCalls;
}

/**
 * An apply that could not go ahead. Nothing was written for the change that
 * failed; `written` lists what earlier changes of the same plan wrote (its
 * message says so too), out of `total` files the plan would write.
 */
export class ApplyError extends Error {
  readonly written: readonly Applied[];
  readonly total: number;
  constructor(message: string, readonly path: string, options?: { cause?: unknown; written?: readonly Applied[]; total?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApplyError';
    this.written = options?.written ?? [];
    this.total = options?.total ?? 0;
  }
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** The backups of `base` in `dir`, oldest first: by their time, then their `-N` number (none is 0); only regular files. */
export function listBackups(dir: string, base: string): string[] {
  const pattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d{8}T\\d{6}Z)(?:-(\\d+))?\\.bak$`);
  const found: { name: string; time: string; n: number }[] = [];
  for (const name of fs.readdirSync(dir)) {
    const m = pattern.exec(name);
    if (!m) continue;
    try {
      if (!fs.lstatSync(path.join(dir, name)).isFile()) continue;
    } catch {
      continue;
    }
    found.push({ name, time: m[1]!, n: m[2] === undefined ? 0 : Number(m[2]) });
  }
  found.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.n - b.n));
  return found.map((f) => f.name);
}

/** `DB_CONFIG.20261122T013000Z.bak` beside the file (`-1`, `-2`... when that name is taken). */
function backupFile(file: string, now: Date): string {
  const dir = path.dirname(file);
  const base = path.basename(file);
  let backup = path.join(dir, `${base}.${stamp(now)}.bak`);
  for (let n = 1; fs.existsSync(backup); n++) backup = path.join(dir, `${base}.${stamp(now)}-${n}.bak`);
  try {
    fs.copyFileSync(file, backup, fs.constants.COPYFILE_EXCL);
    const stat = fs.statSync(file);
    fs.chmodSync(backup, stat.mode & 0o7777);
    if (process.getuid?.() === 0) fs.chownSync(backup, stat.uid, stat.gid);
  } catch (error) {
    // A copy cut short (a full disk) is no backup; a name someone else took meanwhile is not ours to remove.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') fs.rmSync(backup, { force: true });
    throw error;
  }
  return backup;
}

/** Remove the backups of `file` beyond the newest `keepBackups` (at least 1). */
function pruneBackups(file: string, keepBackups: number): void {
  const keep = Math.max(1, Math.floor(keepBackups));
  const dir = path.dirname(file);
  const old = listBackups(dir, path.basename(file));
  for (const f of old.slice(0, Math.max(0, old.length - keep))) fs.rmSync(path.join(dir, f), { force: true });
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

/** The calls writeFileAtomic makes to write and flush, replaceable in tests (a disk that fills up). */
export interface WriteCalls {
  readonly writeSync: (fd: number, buffer: Buffer, offset: number, length: number) => number;
  readonly fsyncSync: (fd: number) => void;
}

const nodeWrites: WriteCalls = {
  writeSync: (fd, buffer, offset, length) => fs.writeSync(fd, buffer, offset, length),
  fsyncSync: (fd) => fs.fsyncSync(fd),
};

/**
 * Write bytes to `file` atomically: a temp file in the same directory, every
 * byte written (a write may write fewer than asked: a disk nearly full), fsync,
 * rename. On any error the temp file is removed and `file` is left as it was.
 * The new file keeps the mode and, when we may set it, the owner of the one it
 * replaces: Berkeley DB silently ignores a DB_CONFIG its server user cannot read.
 */
export function writeFileAtomic(file: string, bytes: Buffer, like?: FileIdentity, calls: WriteCalls = nodeWrites): void {
  const { tmp, fd } = openTemp(file, like?.mode ?? 0o644);
  try {
    try {
      for (let offset = 0; offset < bytes.length; ) {
        const n = calls.writeSync(fd, bytes, offset, bytes.length - offset);
        // No progress is a full disk that did not say so: never rename a short file into place.
        if (!(n > 0)) throw Object.assign(new Error(`ENOSPC: a write to ${tmp} wrote nothing`), { code: 'ENOSPC' });
        offset += n;
      }
      if (like) {
        fs.fchmodSync(fd, like.mode);
        if (process.getuid?.() === 0) fs.fchownSync(fd, like.uid, like.gid);
      }
      calls.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
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

/** What a write change found on disk: its bytes now, and the real file a write goes to (a symlink is followed). */
interface Target {
  readonly current: Buffer | null;
  readonly real: string;
}

function changedError(change: Change & { kind: 'write' }, written: readonly Applied[], total: number): ApplyError {
  return new ApplyError(`${change.path} changed since it was read; ${writtenSoFar(written, total)}. Run the command again.`, change.path, { written, total });
}

/** "nothing was written", or which files earlier changes of the plan wrote. */
function writtenSoFar(written: readonly Applied[], total: number): string {
  const files = written.filter((a) => a.change.kind === 'write' && a.status !== 'unchanged' && a.sameFileAs === undefined);
  if (files.length === 0) return 'nothing was written';
  const list = files.map((a) => `${a.change.path}${a.backup ? ` (the old file is ${a.backup})` : ''}`).join(', ');
  return `${files.length} of ${total} files ${files.length === 1 ? 'was' : 'were'} written before this: ${list}`;
}

function readTarget(change: Change & { kind: 'write' }): Target {
  const current = readIfExists(change.path);
  return { current, real: current === null ? path.resolve(change.path) : fs.realpathSync(change.path) };
}

/**
 * Whether a file could be written where it is, checked before anything is
 * written: its directory must take new entries (the temp file, the backup),
 * and the file itself must not be immutable or on a read-only file system.
 * Mode bits of the file itself do not matter: it is replaced, not written into.
 */
function checkWritable(target: Target): void {
  let dir = path.dirname(target.real);
  // A folder an earlier mkdir of the plan creates: its nearest existing parent must take it.
  while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  if (target.current === null) return;
  try {
    fs.accessSync(target.real, fs.constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EPERM' || code === 'EROFS') throw error;
  }
}

function applyWrite(change: Change & { kind: 'write' }, target: Target, options: ApplyOptions): Applied {
  const { current, real } = target;
  if (current !== null && current.equals(change.after)) return { change, status: 'unchanged' };
  // A symlinked DB_CONFIG is updated where it points, not replaced by a file.
  const stat = current === null ? undefined : fs.statSync(real);
  const backup = current === null ? undefined : backupFile(real, options.now ?? new Date());
  try {
    writeFileAtomic(real, change.after, stat && { mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid }, options.writeCalls);
  } catch (error) {
    // The file is as it was: a backup of it would only be clutter (and would push out an older one).
    if (backup) fs.rmSync(backup, { force: true });
    throw error;
  }
  if (backup) pruneBackups(real, options.keepBackups ?? 5);
  return { change, status: current === null ? 'created' : 'written', ...(backup ? { backup } : {}) };
}

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  return a === null ? b === null : b !== null && a.equals(b);
}

/**
 * The only code that writes what a plan says. Before anything is written,
 * every file of the plan is checked: still as it was read, writable, and not
 * reached twice (two paths to one file, a symlink: it is written once). Then
 * each file is replaced atomically after its old bytes are backed up. Should a
 * write still fail, the error says which files were already written.
 */
export function applyPlan(plan: Plan, options: ApplyOptions = {}): Applied[] {
  const writes = plan.changes.filter((c): c is Change & { kind: 'write' } => c.kind === 'write' && !isNoop(c));
  const total = writes.length;
  const cannot = (change: Change, error: unknown, written: readonly Applied[]) => {
    if (error instanceof ApplyError) return error;
    const e = error as NodeJS.ErrnoException;
    return new ApplyError(`cannot write ${change.path}: ${e.code ?? e.message}; ${writtenSoFar(written, total)}`, change.path, { cause: error, written, total });
  };

  // Check everything first: a plan refused here wrote nothing.
  const targets = new Map<Change, Target>();
  const firstPath = new Map<string, Change & { kind: 'write' }>();
  for (const change of writes) {
    let target: Target;
    try {
      target = readTarget(change);
    } catch (error) {
      throw cannot(change, error, []);
    }
    if (!sameBytes(target.current, change.before)) throw changedError(change, [], total);
    const first = firstPath.get(target.real);
    if (first && !sameBytes(first.after, change.after)) {
      throw new ApplyError(`${first.path} and ${change.path} are the same file, and the plan would write it twice with different contents; nothing was written`, change.path, { total });
    }
    if (!first) {
      firstPath.set(target.real, change);
      try {
        checkWritable(target);
      } catch (error) {
        throw cannot(change, error, []);
      }
    }
    targets.set(change, target);
  }

  const applied: Applied[] = [];
  for (const change of plan.changes) {
    try {
      if (change.kind === 'mkdir') {
        if (fs.existsSync(change.path)) applied.push({ change, status: 'unchanged' });
        else {
          makeDirectories(change.path, change.mode);
          applied.push({ change, status: 'created' });
        }
        continue;
      }
      const planned = targets.get(change);
      if (planned === undefined) {
        applied.push({ change, status: 'unchanged' });
        continue;
      }
      const first = firstPath.get(planned.real)!;
      if (first !== change) {
        applied.push({ change, status: 'unchanged', sameFileAs: first.path });
        continue;
      }
      // Read again: the file may have changed while the earlier ones were written.
      const target = readTarget(change);
      if (!sameBytes(target.current, change.before)) throw changedError(change, applied, total);
      applied.push(applyWrite(change, target, options));
    } catch (error) {
      throw cannot(change, error, applied);
    }
  }
  return applied;
}
