import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDbConfig } from '../dbconfig/document.js';
import type { Change } from '../plan/types.js';
import { checkOneMaster, type SiteChange } from './check.js';
import { activeEntries, sha256, TOPOLOGY_SITE, type JournalEntry, type JournalFile } from './journal.js';
import { MigrationError } from './role.js';
import { configuredRole, describeDocument } from './site-edit.js';
import type { GroupSite } from './types.js';

/** What a rollback would write: each file back to its saved bytes, checked by hash, in a safe order. */
export interface RollbackPlan {
  readonly entry: JournalEntry;
  readonly changes: readonly Change[];
  /** Site name of each write, in the same order as changes. */
  readonly siteOf: readonly string[];
}

/** The entry to roll back: `id`, or the newest one not rolled back yet. */
export function pickEntry(entries: readonly JournalEntry[], id?: string): JournalEntry {
  if (id !== undefined) {
    const entry = entries.find((e) => e.id === id);
    if (!entry) throw new MigrationError(`no journal entry ${id} (provision migrate list shows them)`);
    if (entry.migration === 'rollback') throw new MigrationError(`${id} is a rollback itself; roll back the migration again instead`);
    if (entries.some((e) => e.undoes === id)) throw new MigrationError(`${id} was already rolled back`);
    return entry;
  }
  const active = activeEntries(entries);
  const newest = active[active.length - 1];
  if (!newest) throw new MigrationError('nothing to roll back: the journal has no migration that is not rolled back');
  return newest;
}

interface Restore {
  readonly file: JournalFile;
  readonly current: Buffer;
  readonly saved: Buffer;
}

/** Read one file of the entry and its saved copy, refusing when either is not what the journal recorded. */
function readRestore(entry: JournalEntry, f: JournalFile): Restore {
  let current: Buffer;
  try {
    current = fs.readFileSync(f.path);
  } catch {
    throw new MigrationError(`${f.path} is gone since migration ${entry.id}; nothing was restored (its old bytes are in ${f.saved})`, f.path);
  }
  const now = sha256(current);
  if (now !== f.after) {
    throw new MigrationError(
      `${f.path} changed since migration ${entry.id} wrote it (sha256 ${now.slice(0, 12)}..., the migration wrote ${f.after.slice(0, 12)}...); ` +
        `nothing was restored. Undo that edit, or restore by hand from ${f.saved}`,
      f.path,
    );
  }
  let saved: Buffer;
  try {
    saved = fs.readFileSync(f.saved);
  } catch {
    throw new MigrationError(`the saved copy ${f.saved} of ${f.path} is missing; nothing was restored${f.backup ? ` (the backup ${f.backup} may still hold it)` : ''}`, f.path);
  }
  if (sha256(saved) !== f.before) throw new MigrationError(`the saved copy ${f.saved} does not match the journal (sha256 differs); nothing was restored`, f.path);
  return { file: f, current, saved };
}

const isMaster = (bytes: Buffer) => configuredRole(describeDocument(parseDbConfig(bytes))) === 'master';

/**
 * When a restore is written: a file that stops configuring a master first,
 * one that becomes a master's again last (so that at no step two files
 * configure a master), a topology file after every DB_CONFIG.
 */
function rank(r: Restore): number {
  if (r.file.site === TOPOLOGY_SITE) return 3;
  const was = isMaster(r.current);
  const will = isMaster(r.saved);
  return was && !will ? 0 : will && !was ? 2 : 1;
}

/**
 * Plan putting back the files of `entry`. Refuses, naming the file, when a
 * file changed since the migration wrote it (its hash is not the one the
 * journal recorded) or when the saved copy is missing or altered. The files
 * are put back in the reverse of the order the migration wrote them, a
 * demotion always before a promotion, and the result configures at most one
 * master over the entry's files and the other sites of `group`, when given.
 * Group rules do not stop it: it puts back bytes the operator had, findings
 * and all, whichever sites are named. Reads the files; writes nothing.
 */
export function planRollback(entry: JournalEntry, group: readonly GroupSite[] = []): RollbackPlan {
  const restores = entry.files.map((f) => readRestore(entry, f));
  const ordered = restores
    .map((r, i) => ({ r, i, rank: rank(r) }))
    .sort((x, y) => x.rank - y.rank || y.i - x.i)
    .map((x) => x.r);
  const configs = restores.filter((r) => r.file.site !== TOPOLOGY_SITE);
  const byPath = new Map(configs.map((r) => [path.resolve(r.file.path), r]));
  const sites: SiteChange[] = [
    ...group.map((s) => {
      const r = byPath.get(path.resolve(s.path));
      return { name: s.name, path: s.path, before: s.doc, after: r ? parseDbConfig(r.saved) : s.doc };
    }),
    ...configs
      .filter((r) => !group.some((s) => path.resolve(s.path) === path.resolve(r.file.path)))
      .map((r) => ({ name: r.file.site, path: r.file.path, before: parseDbConfig(r.current), after: parseDbConfig(r.saved) })),
  ];
  try {
    checkOneMaster(sites, `Demote the other master first (provision migrate demote), then roll back`);
  } catch (error) {
    if (error instanceof MigrationError) throw new MigrationError(`cannot roll back ${entry.id}: ${error.message}; nothing was restored`, error.file);
    throw error;
  }
  return {
    entry,
    changes: ordered.map((r) => ({ kind: 'write', path: r.file.path, before: r.current, after: r.saved, reason: `${r.file.site}: back to before ${entry.id}` })),
    siteOf: ordered.map((r) => r.file.site),
  };
}
