import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EntryKind } from './classify.js';
import type { CleanMode } from './clean-plan.js';
import type { Entry } from './scan.js';
import { makeDirectories } from '../plan/apply.js';

/** One moved entry: where it was, where it is, and what it was. */
export interface ManifestEntry {
  readonly dir: string;
  readonly name: string;
  readonly kind: EntryKind;
  readonly size: number;
  /** SHA-256 of a file's bytes. */
  readonly sha256?: string;
  /** Path inside the quarantine folder. */
  readonly stored: string;
}

export interface Manifest {
  readonly id: string;
  readonly home: string;
  readonly mode: CleanMode;
  readonly created: string;
  readonly entries: readonly ManifestEntry[];
}

/** A clean or undo that could not go ahead; the environment is as it was. */
export class CleanError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CleanError';
  }
}

const MANIFEST = 'manifest.json';

/** Whether anything (a link too, dangling or not) is at `p`: never follows links. */
function present(p: string): boolean {
  return fs.lstatSync(p, { throwIfNoEntry: false }) !== undefined;
}

/**
 * Make a new folder `<root>/<name>` (or `<name>-1`, `-2`, ... when taken: two runs in the same instant each
 * get their own); returns its name and path.
 */
export function makeUniqueFolder(root: string, name: string): { id: string; folder: string } {
  makeDirectories(root);
  for (let n = 0; ; n++) {
    const id = n === 0 ? name : `${name}-${n}`;
    const folder = path.join(root, id);
    try {
      fs.mkdirSync(folder);
      return { id, folder };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Where an environment's quarantines go by default: beside it, so on the same file system. */
export function defaultQuarantineRoot(home: string): string {
  return path.join(path.dirname(home), '.provision-quarantine', path.basename(home));
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.(\d+)Z$/, '.$1Z');
}

/** One read buffer for every file hashed (a buffer per file made most of clean's garbage). */
let hashBuffer: Buffer | undefined;
const EMPTY_SHA256 = createHash('sha256').digest('hex');

function sha256(file: string, size?: number): string {
  // An empty file needs no read (region and transient files are often empty).
  if (size === 0 && fs.lstatSync(file).size === 0) return EMPTY_SHA256;
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = (hashBuffer ??= Buffer.allocUnsafe(1 << 20));
    for (let n; (n = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

function writeJson(file: string, value: unknown): void {
  const tmp = `${file}.tmp`;
  // One entry a line: readable, and far smaller than indented JSON for 100,000 files.
  const v = value as Manifest;
  const text = Array.isArray(v.entries)
    ? `${JSON.stringify({ ...v, entries: [] }).replace(/"entries":\[\]/, `"entries":[\n${v.entries.map((e) => JSON.stringify(e)).join(',\n')}\n]`)}\n`
    : `${JSON.stringify(value)}\n`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

export interface QuarantineOptions {
  readonly root?: string;
  readonly now?: Date;
  /** Delete instead of keeping: the files are still moved first, so a failure leaves nothing half-done. */
  readonly purge?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Move entries out of an environment into a new quarantine folder with a
 * manifest (names, sizes, hashes). All or nothing: if any move fails, the
 * ones already made are moved back.
 */
export function quarantineEntries(home: string, mode: CleanMode, entries: readonly Entry[], options: QuarantineOptions = {}): Manifest & { readonly folder: string } {
  const root = options.root ?? defaultQuarantineRoot(home);
  const { id, folder } = makeUniqueFolder(root, stamp(options.now ?? new Date()));
  const rootDev = fs.statSync(folder).dev;
  const dirs = [...new Set(entries.map((e) => e.dir))];
  for (const dir of dirs) {
    if (fs.statSync(dir).dev !== rootDev) {
      fs.rmSync(folder, { recursive: true, force: true });
      throw new CleanError(`the quarantine folder ${root} is on another file system than ${dir}; moving would copy. Use --quarantine DIR on the same file system, or --purge.`);
    }
  }
  let manifestEntries: ManifestEntry[];
  try {
    manifestEntries = entries.map((e) => ({
      dir: e.dir,
      name: e.name,
      kind: e.kind,
      size: e.size,
      ...(e.kind === 'file' && !options.purge ? { sha256: sha256(path.join(e.dir, e.name), e.size) } : {}),
      stored: path.join(String(dirs.indexOf(e.dir)), e.name),
    }));
  } catch (error) {
    fs.rmSync(folder, { recursive: true, force: true });
    throw new CleanError(`cannot read ${(error as NodeJS.ErrnoException).path ?? 'a file'} (${(error as NodeJS.ErrnoException).code}); nothing was removed.`, { cause: error });
  }
  const manifest: Manifest = { id, home, mode, created: (options.now ?? new Date()).toISOString(), entries: manifestEntries };
  // NOTE: the manifest is written before anything moves, so an interrupted clean can still be undone.
  writeJson(path.join(folder, MANIFEST), manifest);
  const done: ManifestEntry[] = [];
  for (let i = 0; i < dirs.length; i++) fs.mkdirSync(path.join(folder, String(i)));
  try {
    for (const e of manifestEntries) {
      const target = path.join(folder, e.stored);
      fs.renameSync(path.join(e.dir, e.name), target);
      done.push(e);
      options.onProgress?.(done.length, manifestEntries.length);
    }
  } catch (error) {
    const failed = manifestEntries[done.length]!;
    for (const e of done.reverse()) fs.renameSync(path.join(folder, e.stored), path.join(e.dir, e.name));
    fs.rmSync(folder, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    throw new CleanError(`${path.join(failed.dir, failed.name)} cannot be moved (${code}); nothing was removed. Is the environment still in use?`, { cause: error });
  }
  if (options.purge) fs.rmSync(folder, { recursive: true, force: true });
  return { ...manifest, folder };
}

/** The quarantines of an environment, oldest first. */
export function listQuarantines(home: string, root = defaultQuarantineRoot(home)): (Manifest & { folder: string })[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .sort()
    .flatMap((id) => {
      const file = path.join(root, id, MANIFEST);
      if (!fs.existsSync(file)) return [];
      return [{ ...(JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest), folder: path.join(root, id) }];
    });
}

/**
 * Put a quarantine back (the newest when no id is given): every file is
 * checked against the manifest first, nothing is overwritten, and a failure
 * part-way moves the restored ones back into the quarantine.
 */
export function undoQuarantine(home: string, id?: string, root = defaultQuarantineRoot(home)): Manifest {
  const all = listQuarantines(home, root);
  const q = id === undefined ? all[all.length - 1] : all.find((m) => m.id === id);
  if (!q) throw new CleanError(id === undefined ? `no quarantine to undo for ${home} (looked in ${root})` : `no quarantine ${id} for ${home}; there are: ${all.map((m) => m.id).join(', ') || 'none'}`);
  const stored = q.entries.filter((e) => present(path.join(q.folder, e.stored)));
  for (const e of stored) {
    const kept = path.join(q.folder, e.stored);
    const back = path.join(e.dir, e.name);
    if (present(back)) throw new CleanError(`${back} exists again; nothing was restored. Move it away first.`);
    if (e.sha256 !== undefined && sha256(kept) !== e.sha256) throw new CleanError(`${kept} no longer matches its manifest; nothing was restored.`);
  }
  const done: ManifestEntry[] = [];
  try {
    for (const e of stored) {
      makeDirectories(e.dir);
      fs.renameSync(path.join(q.folder, e.stored), path.join(e.dir, e.name));
      done.push(e);
    }
  } catch (error) {
    for (const e of done.reverse()) fs.renameSync(path.join(e.dir, e.name), path.join(q.folder, e.stored));
    throw new CleanError(`cannot restore ${path.join(stored[done.length]!.dir, stored[done.length]!.name)} (${(error as NodeJS.ErrnoException).code}); nothing was restored.`, { cause: error });
  }
  fs.rmSync(q.folder, { recursive: true, force: true });
  return q;
}
