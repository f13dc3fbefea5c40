/**
 * What each entry of a Berkeley DB environment directory is, by name, as
 * Berkeley DB 5.3 names its files (docs/environment.md). Pure.
 */

/** The kinds of entry, from safest to remove to never. */
export type EntryClass =
  | 'region' // __db.001...: shared-memory regions, rebuilt at open
  | 'transient' // __db.<name> backup names, diagnostic logs
  | 'replication' // temporary replication databases: __db.rep.db, __db.reppg.db
  | 'identity' // replication identity: __db.rep.gen, egen, system, init
  | 'log' // log.0000000001...
  | 'data' // *.db, __dbq.*, __dbp.*
  | 'config' // DB_CONFIG
  | 'unknown'; // anything else: kept

export type EntryKind = 'file' | 'directory' | 'symlink' | 'other';

export interface Classification {
  readonly class: EntryClass;
  readonly reason: string;
}

/** The directory an entry was found in, as DB_CONFIG names it. */
export type Place = 'home' | 'data' | 'log' | 'metadata';

const IDENTITY: Readonly<Record<string, string>> = {
  '__db.rep.gen': 'replication generation: removing it on a master makes it restart as generation 1 (DUPMASTER)',
  '__db.rep.egen': 'replication election generation',
  '__db.rep.system': 'replication group membership and LSN history',
  '__db.rep.init': 'marks an unfinished internal initialisation: removing it hides a half-initialised replicant',
};

/** Classify one directory entry by its exact name (Berkeley DB's names are case-sensitive). */
export function classifyEntry(name: string, kind: EntryKind, place: Place = 'home'): Classification {
  // NOTE: checked before links: a DB_CONFIG that links to a managed file is still the configuration.
  if (name === 'DB_CONFIG' && place === 'home') {
    return { class: 'config', reason: kind === 'file' ? 'the environment configuration' : `the environment configuration (a ${kind === 'symlink' ? 'symbolic link' : kind})` };
  }
  if (kind === 'symlink') return { class: 'unknown', reason: 'a symbolic link: never followed, kept' };
  if (kind === 'other') return { class: 'unknown', reason: 'not a regular file or directory: kept' };
  const like = classifyName(name, place);
  if (kind === 'directory') {
    return like.class === 'unknown' ? { class: 'unknown', reason: 'a directory not named in DB_CONFIG: kept' } : { class: 'unknown', reason: `a directory named like a ${like.class} file: kept` };
  }
  return like;
}

function classifyName(name: string, place: Place): Classification {
  if (name === 'DB_CONFIG') return place === 'home' ? { class: 'config', reason: 'the environment configuration' } : { class: 'unknown', reason: 'DB_CONFIG outside the environment home is not read: kept' };
  if (name.toUpperCase() === 'DB_CONFIG') return { class: 'unknown', reason: `"${name}" is not read (the name must be DB_CONFIG exactly): kept` };
  const identity = IDENTITY[name];
  if (identity) return { class: 'identity', reason: identity };
  if (/^__db\.\d{3,}$/.test(name)) return { class: 'region', reason: 'shared-memory region file, rebuilt when the environment opens' };
  if (name === '__db.register') return { class: 'unknown', reason: 'the DB_REGISTER process registry: kept, as Berkeley DB\'s own environment remove keeps it' };
  if (/^__db\.rep\.diag\d+$/.test(name)) return { class: 'transient', reason: 'replication diagnostic log' };
  if (name === '__db.rep.db' || name === '__db.reppg.db') return { class: 'replication', reason: 'temporary replication database, recreated by a client' };
  if (name.startsWith('__db.rep')) return { class: 'replication', reason: 'replication state' };
  if (/^__dbq\./.test(name)) return { class: 'data', reason: 'queue extent file: data' };
  if (/^__dbp\./.test(name)) return { class: 'data', reason: 'partition file: data' };
  if (/^__db\../.test(name)) return { class: 'transient', reason: 'temporary name used while a database is created, renamed or removed' };
  if (/^log\.\d{10}$/.test(name)) return { class: 'log', reason: 'transaction log' };
  if (name.endsWith('.db')) return { class: 'data', reason: 'database file' };
  if (/^_db\./.test(name) || /^db\.rep\./.test(name)) {
    return { class: 'unknown', reason: `vendor documents write "__db." as "_db." and "__db.rep." as "db.rep."; Berkeley DB never creates "${name}": kept` };
  }
  if (place === 'data') return { class: 'unknown', reason: 'a file in a data directory that is not a database by name: kept' };
  return { class: 'unknown', reason: 'not a name Berkeley DB creates: kept' };
}
