import * as path from 'node:path';
import { activeEntries, type JournalEntry } from './journal.js';
import type { GroupSite } from './types.js';

/**
 * The priorities a role change replaces, kept in the journal entry as
 * `priorityBefore:<site>` so that the change back can give them back: main
 * 100 and backup 50 stay 100 and 50 across a failover and a restore-main,
 * instead of drifting to the defaults (0 for a demoted master, 1 for a
 * promoted site that had 0).
 */

const PREFIX = 'priorityBefore:';

/** The journal detail that keeps `site`'s priority from before its role changed. */
export function priorityKey(site: string): string {
  return `${PREFIX}${site}`;
}

/**
 * The priority each site of `sites` had before the newest migration (not
 * rolled back) that changed its role: since that change brought it to the
 * role it has now, this is its priority in the other role, the one a change
 * back gives it again. A site is matched by the path of its DB_CONFIG (the
 * journal's file list), else by name when the entry lists no file for it.
 * Pure.
 */
export function rememberedPriorities(entries: readonly JournalEntry[], sites: readonly GroupSite[]): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const entry of activeEntries(entries).reverse()) {
    for (const [key, value] of Object.entries(entry.details)) {
      if (!key.startsWith(PREFIX) || !/^\d+$/.test(value)) continue;
      const name = key.slice(PREFIX.length);
      const file = entry.files.find((f) => f.site === name);
      const site = file ? sites.find((s) => path.resolve(s.path) === path.resolve(file.path)) : sites.find((s) => s.name === name);
      if (site && !(site.name in out)) out[site.name] = BigInt(value);
    }
  }
  return out;
}
