import * as fs from 'node:fs';
import * as path from 'node:path';
import { classifyEntry, type Classification, type EntryKind, type Place } from './classify.js';
import type { EnvironmentLayout } from './layout.js';

/** One entry of an environment directory, classified. */
export interface Entry extends Classification {
  /** The directory it is in. */
  readonly dir: string;
  readonly place: Place;
  readonly name: string;
  readonly kind: EntryKind;
  readonly size: number;
}

function kindOf(stat: fs.Stats): EntryKind {
  if (stat.isSymbolicLink()) return 'symlink';
  if (stat.isDirectory()) return 'directory';
  if (stat.isFile()) return 'file';
  return 'other';
}

/**
 * List and classify the entries of every directory of an environment, one
 * level deep, never following a symbolic link (a named directory that is a
 * link is reported, not entered).
 */
export function scanEnvironment(layout: EnvironmentLayout): { entries: Entry[]; skipped: { path: string; reason: string }[] } {
  const entries: Entry[] = [];
  const skipped: { path: string; reason: string }[] = [];
  const named = new Set(layout.dirs.map((d) => d.path));
  for (const { path: dir, place } of layout.dirs) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(dir);
    } catch {
      if (place !== 'home') skipped.push({ path: dir, reason: 'named in DB_CONFIG but missing' });
      continue;
    }
    // NOTE: a directory DB_CONFIG names that holds the home (set_data_dir ..) would reach other
    // environments and everything beside this one: it is never cleaned.
    if (place !== 'home' && (layout.home + path.sep).startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep)) {
      skipped.push({ path: dir, reason: 'holds the environment home itself: not cleaned' });
      continue;
    }
    if (!stat.isDirectory()) {
      skipped.push({ path: dir, reason: stat.isSymbolicLink() ? 'a symbolic link: not followed' : 'not a directory' });
      continue;
    }
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      // A directory DB_CONFIG names is scanned on its own; it is not an entry of its parent, and
      // neither is a directory that holds one (moving it would take the named one along).
      if (named.has(full) || [...named].some((n) => n.startsWith(full + path.sep))) continue;
      let st: fs.Stats;
      try {
        st = fs.lstatSync(full);
      } catch {
        continue; // vanished while listing
      }
      const kind = kindOf(st);
      entries.push({ dir, place, name, kind, size: kind === 'file' ? st.size : 0, ...classifyEntry(name, kind, place) });
    }
  }
  return { entries, skipped };
}
