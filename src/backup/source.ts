/**
 * Read what a backup would copy: the tree below the data root, every
 * DB_CONFIG in it, the directories each names (with the line that names
 * them) and the replication port each listens on.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDbConfig } from '../dbconfig/document.js';
import { readStatements } from '../dbconfig/statements.js';
import { environmentLayout } from '../env/layout.js';
import type { SourceKind } from './manifest.js';
import { fullPath, walkTree, type TreeEntry } from './walk.js';

/** A directory a DB_CONFIG names, and where. */
export interface NamedDir {
  /** The DB_CONFIG file (absolute). */
  readonly config: string;
  readonly line: number;
  readonly directive: string;
  readonly value: string;
  /** The value resolved against the environment home. */
  readonly path: string;
  /** Its real path, when it exists. */
  readonly real?: string;
}

export interface BackupSource {
  /** The data root, absolute. */
  readonly root: string;
  /** Its real path (symbolic links in the parents resolved). */
  readonly real: string;
  readonly kind: SourceKind;
  readonly entries: readonly TreeEntry[];
  readonly named: readonly NamedDir[];
  /** Replication ports the environments below the root listen on. */
  readonly ports: readonly number[];
}

const DIRECTORY_DIRECTIVES = new Set(['set_data_dir', 'add_data_dir', 'set_lg_dir', 'set_metadata_dir']);
const toText = (binary: string) => Buffer.from(binary, 'latin1').toString('utf8');

/** The directories a DB_CONFIG names, with their lines. Pure. */
export function namedDirectories(config: string, bytes: Buffer, resolve: (home: string, value: string) => string = path.resolve): Omit<NamedDir, 'real'>[] {
  const home = path.dirname(config);
  const out: Omit<NamedDir, 'real'>[] = [];
  for (const st of readStatements(parseDbConfig(bytes))) {
    const name = st.spec?.aliasOf ?? st.spec?.name;
    if (name === undefined || !DIRECTORY_DIRECTIVES.has(name) || !st.value || st.value.text === '') continue;
    const value = toText(st.value.text);
    out.push({ config, line: st.line, directive: name, value, path: resolve(home, value) });
  }
  return out;
}

function realOrUndefined(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

/** Walk the data root and read its DB_CONFIG files. Throws WalkError when the root cannot be read. */
export function readBackupSource(root: string): BackupSource {
  const entries = walkTree(root);
  const real = fs.realpathSync(root);
  const named: NamedDir[] = [];
  const ports = new Set<number>();
  for (const e of entries) {
    if (e.type !== 'file' || path.posix.basename(e.path) !== 'DB_CONFIG') continue;
    const config = fullPath(root, e.path);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(config);
    } catch {
      continue; // the copy will report it
    }
    for (const d of namedDirectories(config, bytes)) {
      const r = realOrUndefined(d.path);
      named.push({ ...d, ...(r !== undefined ? { real: r } : {}) });
    }
    const port = environmentLayout(path.dirname(config), bytes).port;
    if (port !== undefined) ports.add(port);
  }
  const kind: SourceKind = entries.some((e) => e.path === 'DB_CONFIG' && e.type === 'file') ? 'environment' : 'data root';
  return { root, real, kind, entries, named, ports: [...ports].sort((a, b) => a - b) };
}
