/**
 * Reading a backup root: its snapshots, the backups still running or
 * interrupted there, and one snapshot's manifest.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATA_DIR, MANIFEST_FILE, ManifestError, parseManifest, type BackupManifest, type SourceKind } from './manifest.js';
import { parseSnapshotName } from './names.js';
import { ownerAlive, parseOwner, type Owner } from './owner.js';

/** The owner record a running backup keeps in its .partial folder. */
export const OWNER_FILE = 'owner.json';
/**
 * A .partial folder without an owner record is taken for a backup that is
 * just starting until it is this old (the record is written right after the
 * folder is made).
 */
export const OWNERLESS_GRACE_MS = 10 * 60 * 1000;

export interface SnapshotInfo {
  /** Absolute path of the folder. */
  readonly folder: string;
  /** The snapshot name (the folder name without .partial / .deleting). */
  readonly id: string;
  readonly host: string;
  readonly stamp: string;
  readonly state: 'complete' | 'partial' | 'deleting';
  /** A complete snapshot: what its manifest says. */
  readonly about?: { readonly source: string; readonly host: string; readonly created: string; readonly kind: SourceKind; readonly files: number; readonly bytes: number };
  /** A complete snapshot whose manifest cannot be read or trusted. */
  readonly problem?: string;
  /** A partial one: who writes it, and whether that process still runs (undefined: another host's). */
  readonly owner?: Owner;
  readonly running?: boolean | undefined;
}

/** A snapshot that cannot be used. */
export class SnapshotError extends Error {
  constructor(message: string, readonly refused = true) {
    super(message);
    this.name = 'SnapshotError';
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Every folder provision named in `root`, in name order; [] when the root does not exist. */
export function listSnapshots(root: string, now: Date = new Date()): SnapshotInfo[] {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: SnapshotInfo[] = [];
  for (const name of names.sort()) {
    const parsed = parseSnapshotName(name);
    if (parsed === undefined) continue;
    const folder = path.join(root, name);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(folder);
    } catch {
      continue;
    }
    if (!st.isDirectory()) continue;
    const base = { folder, id: parsed.name, host: parsed.host, stamp: parsed.stamp, state: parsed.state };
    if (parsed.state === 'complete') {
      try {
        const m = readManifest(folder);
        out.push({ ...base, about: { source: m.source, host: m.host, created: m.created, kind: m.kind, files: m.files, bytes: m.bytes } });
      } catch (error) {
        out.push({ ...base, problem: (error as Error).message });
      }
    } else if (parsed.state === 'partial') {
      const text = readText(path.join(folder, OWNER_FILE));
      const owner = text === undefined ? undefined : parseOwner(text);
      const running = owner !== undefined ? ownerAlive(owner) : now.getTime() - st.mtimeMs < OWNERLESS_GRACE_MS;
      out.push({ ...base, ...(owner ? { owner } : {}), running });
    } else {
      out.push(base);
    }
  }
  return out;
}

/** The manifest of the snapshot in `folder`, checked; throws SnapshotError when there is none or it is damaged. */
export function readManifest(folder: string): BackupManifest {
  const file = path.join(folder, MANIFEST_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SnapshotError(code === 'ENOENT' ? `${folder} is not a snapshot: it has no ${MANIFEST_FILE}` : `cannot read ${file} (${code})`, code === 'ENOENT');
  }
  try {
    return parseManifest(text);
  } catch (error) {
    if (error instanceof ManifestError) throw new SnapshotError(`${file}: ${error.message}; the snapshot cannot be trusted`);
    throw error;
  }
}

/** The folder holding a snapshot's copy of the data root. */
export const snapshotData = (folder: string) => path.join(folder, DATA_DIR);
