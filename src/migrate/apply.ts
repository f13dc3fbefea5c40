import * as fs from 'node:fs';
import * as path from 'node:path';
import { planClean } from '../env/clean-plan.js';
import { describeHolders, findHolders } from '../env/in-use.js';
import { environmentLayout } from '../env/layout.js';
import { quarantineEntries } from '../env/quarantine.js';
import { scanEnvironment, type Entry } from '../env/scan.js';
import { applyPlan, type Applied } from '../plan/apply.js';
import type { Change, Plan } from '../plan/types.js';
import { appendEntry, newEntryId, readJournals, saveBefore, sha256, type JournalEntry, type JournalFile } from './journal.js';
import { MigrationError } from './role.js';

/** The state cleanup of one environment: the region files a changed DB_CONFIG needs gone (provision clean's default). */
export interface Cleanup {
  readonly env: string;
  readonly remove: readonly Entry[];
}

/**
 * What each changed environment (of `envs`, when given) must lose before it starts again: its region
 * files (__db.001...), where Berkeley DB keeps the priority and other settings
 * it read at creation; without this, the old role's priority stays in force.
 * The replication identity (__db.rep.*) is kept on both sides: the new master
 * needs its generation and membership, and the demoted master rejoins with
 * its own (deleting a master's __db.rep.* breaks the group; docs/environment.md).
 */
export function planCleanups(plan: Plan, envs?: readonly string[]): Cleanup[] {
  const out: Cleanup[] = [];
  for (const change of plan.changes) {
    if (change.kind !== 'write') continue;
    const env = path.dirname(change.path);
    // Only the sites' environments: a topology file written in the same plan is no environment.
    if (envs !== undefined && !envs.includes(env)) continue;
    if (out.some((c) => c.env === env) || !fs.existsSync(env)) continue;
    const layout = environmentLayout(env, change.after);
    const remove = planClean(scanEnvironment(layout).entries, layout, 'state').remove;
    if (remove.length > 0) out.push({ env, remove });
  }
  return out;
}

/** Refuse (before anything is written) when an environment to clean is in use. */
export function assertNotInUse(cleanups: readonly Cleanup[], plan: Plan): void {
  for (const c of cleanups) {
    const change = plan.changes.find((ch) => ch.kind === 'write' && path.dirname(ch.path) === c.env);
    const layout = environmentLayout(c.env, change?.kind === 'write' ? change.after : null);
    const inUse = findHolders(layout.dirs.map((d) => d.path), layout.port !== undefined ? [layout.port] : []);
    if (inUse.holders.length > 0) {
      throw new MigrationError(`${c.env} is in use (${describeHolders(inUse.holders)}): stop its server first; nothing was written`, c.env);
    }
  }
}

export interface MigrationResult {
  readonly entry: JournalEntry;
  readonly applied: readonly Applied[];
  readonly quarantined: readonly { env: string; id: string; folder: string; count: number }[];
}

/**
 * Apply a migration's writes in order (atomic, with backups), record the
 * journal entry in every touched environment, then clean the state each
 * side needs. Nothing is written when any file changed since it was read.
 */
export function applyMigration(
  migration: string,
  changes: readonly Change[],
  siteOf: readonly string[],
  options: { now?: Date; details?: Readonly<Record<string, string>>; cleanups?: readonly Cleanup[]; undoes?: string } = {},
): MigrationResult {
  const now = options.now ?? new Date();
  const writes = changes.filter((c): c is Extract<Change, { kind: 'write' }> => c.kind === 'write');
  for (const c of writes) {
    const current = fs.existsSync(c.path) ? fs.readFileSync(c.path) : null;
    if (current === null || c.before === null || !current.equals(c.before)) {
      throw new MigrationError(`${c.path} changed since it was read; nothing was written. Run the command again.`, c.path);
    }
  }
  const envs = writes.map((c) => path.dirname(c.path));
  const taken = new Set(readJournals(envs).entries.map((e) => e.id));
  const id = newEntryId(now, migration, taken);
  const saved = writes.map((c) => saveBefore(path.dirname(c.path), id, path.basename(c.path), c.before!));
  // One file at a time, in the plan's order: when one fails, what was written is journalled before the error goes on.
  const applied: Applied[] = [];
  let failure: unknown;
  for (const c of writes) {
    try {
      applied.push(...applyPlan({ changes: [c] }, { now }));
    } catch (error) {
      failure = error;
      break;
    }
  }
  const files: JournalFile[] = applied.map((a, i) => {
    const c = writes[i]!;
    return {
      site: siteOf[i] ?? path.basename(path.dirname(c.path)),
      path: c.path,
      before: sha256(c.before!),
      after: sha256(c.after),
      saved: saved[i]!,
      ...(a.backup ? { backup: a.backup } : {}),
    };
  });
  const details = failure === undefined ? (options.details ?? {}) : { ...(options.details ?? {}), partial: `stopped at ${writes[applied.length]!.path}` };
  const entry: JournalEntry = { id, migration, time: now.toISOString(), files, details, ...(options.undoes ? { undoes: options.undoes } : {}) };
  if (files.length > 0) appendEntry(envs, entry);
  if (failure !== undefined) {
    const why = failure instanceof Error ? failure.message : String(failure);
    throw new MigrationError(
      files.length === 0
        ? `${why}; nothing was written`
        : `${why}; ${files.length} of ${writes.length} files were written before it (journal entry ${id}: provision migrate rollback ${id} puts them back)`,
      writes[applied.length]!.path,
    );
  }
  const quarantined = (options.cleanups ?? []).map((c) => {
    const q = quarantineEntries(c.env, 'state', c.remove);
    return { env: c.env, id: q.id, folder: q.folder, count: c.remove.length };
  });
  return { entry, applied, quarantined };
}
