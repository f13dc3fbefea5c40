import * as fs from 'node:fs';
import type { Change } from '../plan/types.js';
import { activeEntries, sha256, type JournalEntry } from './journal.js';
import { MigrationError } from './role.js';

/** What a rollback would write: each file back to its saved bytes, checked by hash. */
export interface RollbackPlan {
  readonly entry: JournalEntry;
  readonly changes: readonly Change[];
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

/**
 * Plan putting back the files of `entry`. Refuses, naming the file, when a
 * file changed since the migration wrote it (its hash is not the one the
 * journal recorded) or when the saved copy is missing or altered. Reads the
 * files; writes nothing.
 */
export function planRollback(entry: JournalEntry): RollbackPlan {
  const changes: Change[] = [];
  for (const f of entry.files) {
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
    changes.push({ kind: 'write', path: f.path, before: current, after: saved, reason: `${f.site}: back to before ${entry.id}` });
  }
  return { entry, changes };
}
