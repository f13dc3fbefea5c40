/**
 * The snapshot manifest: what a backup copied, so that the copy can be
 * checked at any time and a restore can refuse a snapshot that changed.
 * Pure: building, rendering and validating manifests; reading them from disk
 * is in snapshots.ts.
 */

/** The manifest's file name inside a snapshot folder. */
export const MANIFEST_FILE = 'manifest.json';
/** The folder inside a snapshot that holds the copy of the data root. */
export const DATA_DIR = 'data';
export const MANIFEST_FORMAT = 'provision-backup/1';

interface Common {
  /** Relative to the data root, with `/` between names; `.` is the root itself. */
  readonly path: string;
  /** Modification time, milliseconds since 1970 (fractions kept as the file system gave them). */
  readonly mtime: number;
  readonly uid: number;
  readonly gid: number;
}

export interface FileEntry extends Common {
  readonly type: 'file';
  readonly size: number;
  readonly sha256: string;
  /** Permission bits as four octal digits, e.g. "0644". */
  readonly mode: string;
}

export interface DirEntry extends Common {
  readonly type: 'dir';
  readonly mode: string;
}

/** A symbolic link, copied as a link: `target` is its text, never followed. */
export interface LinkEntry extends Common {
  readonly type: 'symlink';
  readonly target: string;
}

export type ManifestEntry = FileEntry | DirEntry | LinkEntry;

export interface BackupManifest {
  readonly format: typeof MANIFEST_FORMAT;
  /** The snapshot's folder name. */
  readonly id: string;
  readonly host: string;
  /** When the copy started and when it was verified (ISO 8601, UTC). */
  readonly created: string;
  readonly finished: string;
  /** The data root that was copied (absolute, as given). */
  readonly source: string;
  /** `environment` when the root has a DB_CONFIG, `data root` otherwise. */
  readonly kind: SourceKind;
  readonly files: number;
  readonly bytes: number;
  /** Pre-order: every directory comes before what it holds. */
  readonly entries: readonly ManifestEntry[];
  /** Entries that were not copied (sockets, FIFOs, devices), and why. */
  readonly skipped: readonly { readonly path: string; readonly reason: string }[];
}

export type SourceKind = 'environment' | 'data root';

/** A manifest that cannot be trusted: the snapshot must not be used. */
export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

export function modeString(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

export function modeNumber(mode: string): number {
  return parseInt(mode, 8);
}

/** The manifest as written to disk: one entry a line, so a diff of two manifests reads well. */
export function renderManifest(m: BackupManifest): string {
  const { entries, skipped, ...head } = m;
  const headText = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  const list = (items: readonly object[]) => (items.length === 0 ? '[]' : `[\n${items.map((e) => `    ${JSON.stringify(e)}`).join(',\n')}\n  ]`);
  return `${headText},\n  "entries": ${list(entries)},\n  "skipped": ${list(skipped)}\n}\n`;
}

const SHA256 = /^[0-9a-f]{64}$/;
const MODE = /^[0-7]{4}$/;

/** The parent of a manifest path ('.' for a top-level name). */
export function parentPath(p: string): string {
  const i = p.lastIndexOf('/');
  return i === -1 ? '.' : p.slice(0, i);
}

function isSafePath(p: string): boolean {
  if (p === '.') return true;
  if (p === '' || p.startsWith('/') || p.includes('\\') || p.includes('\0')) return false;
  return p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/**
 * Parse and check a manifest. Beyond the shape, it checks what a restore
 * relies on: every path is relative and stays inside the root, appears once,
 * and sits in a directory listed before it (so nothing is ever written
 * through a symbolic link the snapshot itself creates).
 */
export function parseManifest(text: string): BackupManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`not valid JSON (${(error as Error).message})`);
  }
  const m = raw as Partial<BackupManifest> | null;
  if (m === null || typeof m !== 'object') throw new ManifestError('not a JSON object');
  if (m.format !== MANIFEST_FORMAT) throw new ManifestError(`format is ${JSON.stringify(m.format)}, expected "${MANIFEST_FORMAT}"`);
  for (const key of ['id', 'host', 'created', 'finished', 'source', 'kind'] as const) {
    if (typeof m[key] !== 'string') throw new ManifestError(`"${key}" is missing or not a string`);
  }
  if (!Array.isArray(m.entries)) throw new ManifestError('"entries" is missing or not a list');
  if (!Array.isArray(m.skipped)) throw new ManifestError('"skipped" is missing or not a list');
  const types = new Map<string, ManifestEntry['type']>();
  let files = 0;
  let bytes = 0;
  m.entries.forEach((e: Partial<ManifestEntry> & { size?: unknown; sha256?: unknown; mode?: unknown; target?: unknown }, i) => {
    const where = `entry ${i + 1}${typeof e?.path === 'string' ? ` (${e.path})` : ''}`;
    if (e === null || typeof e !== 'object' || typeof e.path !== 'string' || !isSafePath(e.path)) throw new ManifestError(`${where}: the path must be relative, inside the root, with / between names`);
    if (types.has(e.path)) throw new ManifestError(`${where}: listed twice`);
    if (i === 0 ? e.path !== '.' || e.type !== 'dir' : e.path === '.') throw new ManifestError(`${where}: the first entry, and only it, is the root directory "."`);
    if (e.path !== '.' && types.get(parentPath(e.path)) !== 'dir') throw new ManifestError(`${where}: its directory is not listed before it`);
    if (typeof e.mtime !== 'number' || !Number.isFinite(e.mtime) || !isCount(e.uid) || !isCount(e.gid)) throw new ManifestError(`${where}: mtime, uid or gid missing or not a number`);
    if (e.type === 'file') {
      if (!isCount(e.size) || typeof e.sha256 !== 'string' || !SHA256.test(e.sha256)) throw new ManifestError(`${where}: a file needs a size and a SHA-256`);
      files++;
      bytes += e.size;
    } else if (e.type === 'symlink') {
      if (typeof e.target !== 'string' || e.target === '') throw new ManifestError(`${where}: a symbolic link needs its target`);
    } else if (e.type !== 'dir') {
      throw new ManifestError(`${where}: unknown type ${JSON.stringify(e.type)}`);
    }
    if (e.type !== 'symlink' && (typeof e.mode !== 'string' || !MODE.test(e.mode))) throw new ManifestError(`${where}: mode must be four octal digits`);
    types.set(e.path, e.type);
  });
  if (m.files !== files || m.bytes !== bytes) throw new ManifestError(`the totals (${m.files} files, ${m.bytes} bytes) do not match the entries (${files} files, ${bytes} bytes)`);
  return m as BackupManifest;
}
