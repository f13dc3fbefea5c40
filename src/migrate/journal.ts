import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeDirectories, writeFileAtomic } from '../plan/apply.js';

/**
 * The migration journal. Each environment directory a migration touched gets
 * the same entry, one JSON object a line, in `.provision-journal/journal.jsonl`
 * beside its DB_CONFIG, and a copy of the file as it was before, in
 * `.provision-journal/<id>/`. Rollback reads the journals of the sites it is
 * given, so it works from any one of them.
 */

export const JOURNAL_DIR = '.provision-journal';
export const JOURNAL_FILE = 'journal.jsonl';
/** The journal's site name for a topology file written with a migration. */
export const TOPOLOGY_SITE = '(topology)';

export interface JournalFile {
  readonly site: string;
  readonly path: string;
  /** SHA-256 of the bytes before and after, hex. */
  readonly before: string;
  readonly after: string;
  /** The copy of the old bytes the journal keeps (rollback restores it). */
  readonly saved: string;
  /** The timestamped backup the write left beside the file, if any. */
  readonly backup?: string;
}

export interface JournalEntry {
  readonly id: string;
  readonly migration: string;
  /** ISO 8601, UTC. */
  readonly time: string;
  readonly files: readonly JournalFile[];
  /** What later migrations need: the master before a takeover, priorities, hosts. */
  readonly details: Readonly<Record<string, string>>;
  /** For a rollback: the entry it undid. */
  readonly undoes?: string;
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function journalPath(env: string): string {
  return path.join(env, JOURNAL_DIR, JOURNAL_FILE);
}

/** A new entry id: the UTC time and the migration, made unique among `taken`. */
export function newEntryId(now: Date, migration: string, taken: ReadonlySet<string>): string {
  const base = `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${migration}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/** Every entry in the journals of these environments, each once, oldest first. Unreadable lines are reported, not fatal. */
export function readJournals(envs: readonly string[]): { entries: JournalEntry[]; problems: string[] } {
  const byId = new Map<string, JournalEntry>();
  const problems: string[] = [];
  for (const env of new Set(envs)) {
    const file = journalPath(env);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        const entry = JSON.parse(line) as JournalEntry;
        if (typeof entry.id !== 'string' || !Array.isArray(entry.files)) throw new Error('not an entry');
        const known = byId.get(entry.id);
        // The same entry sits in every site's journal: merge their file lists.
        if (known) byId.set(entry.id, { ...known, files: [...known.files, ...entry.files.filter((f) => !known.files.some((k) => k.path === f.path))] });
        else byId.set(entry.id, entry);
      } catch {
        problems.push(`${file}:${i + 1}: not a journal entry; it is skipped`);
      }
    });
  }
  const entries = [...byId.values()].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.id < b.id ? -1 : 1));
  return { entries, problems };
}

/** Keep a copy of a file's old bytes in the journal of `env`; returns its path. */
export function saveBefore(env: string, id: string, name: string, bytes: Buffer): string {
  const dir = path.join(env, JOURNAL_DIR, id);
  makeDirectories(dir);
  const file = path.join(dir, name);
  writeFileAtomic(file, bytes);
  return file;
}

/** Append `entry` to the journal of each environment (the whole entry: each journal can roll it back alone). */
export function appendEntry(envs: readonly string[], entry: JournalEntry): void {
  for (const env of new Set(envs)) {
    makeDirectories(path.join(env, JOURNAL_DIR));
    const fd = fs.openSync(journalPath(env), 'a', 0o644);
    try {
      fs.writeSync(fd, `${JSON.stringify(entry)}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** Entries that have not been rolled back (and are not rollbacks themselves), oldest first. */
export function activeEntries(entries: readonly JournalEntry[]): JournalEntry[] {
  const undone = new Set(entries.flatMap((e) => (e.undoes ? [e.undoes] : [])));
  return entries.filter((e) => e.migration !== 'rollback' && !undone.has(e.id));
}
