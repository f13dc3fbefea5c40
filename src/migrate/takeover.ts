import { planFailover, type FailoverOptions } from './failover.js';
import { MigrationError } from './role.js';
import { addressOf, configuredRole, describeDocument, formatSiteAddress, type SiteAddress } from './site-edit.js';
import type { GroupSite, MigrationPlan } from './types.js';

const two = (n: number) => String(n).padStart(2, '0');

/**
 * The takeover confirmation code for a date: the date's digits added in
 * pairs, century + month then year + day. 25 September 2001 gives 20+09=29
 * and 01+25=26, so "2926"; 15 November 2001 gives "3116". The calendar date
 * is read in the local time zone (the date on the backup's own clock, which
 * is what the operator standing at it sees). A pair can reach three digits
 * (year 99 + day 31 = 130): it is written as it adds up.
 */
export function takeoverCode(date: Date): string {
  const year = date.getFullYear();
  return two(Math.floor(year / 100) + date.getMonth() + 1) + two((year % 100) + date.getDate());
}

/** Parse --date YYYY-MM-DD as a local calendar date (undefined when it is not one). */
export function parseLocalDate(text: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return date.getFullYear() === Number(m[1]) && date.getMonth() === Number(m[2]) - 1 && date.getDate() === Number(m[3]) ? date : undefined;
}

/** Whether `typed` confirms a takeover of `site` on `date`: the date's code, or the site's name. */
export function confirmsTakeover(typed: string, site: string, date: Date): boolean {
  const t = typed.trim();
  return t === takeoverCode(date) || t === site;
}

/**
 * The emergency backup `to` takes the master role while the master is gone:
 * a failover (the old master's file, when it is part of the group, is
 * demoted first), recorded as a takeover so restore-main can hand the role
 * back. With only the backup's file, the old master's address is kept in the
 * journal and the plan warns that its file still says master.
 */
export function planTakeover(sites: readonly GroupSite[], options: Omit<FailoverOptions, 'to' | 'migration'> & { to?: string } = {}): MigrationPlan {
  const to = options.to ?? (sites.length === 1 ? sites[0]!.name : undefined);
  if (to === undefined) throw new MigrationError(`name the emergency backup that takes over: --to SITE (sites: ${sites.map((s) => s.name).join(', ')})`);
  const backup = sites.find((s) => s.name === to);
  const helper = backup ? describeDocument(backup.doc).remotes.find((r) => r.flags.db_bootstrap_helper === true) : undefined;
  const plan = planFailover(sites, { ...options, to, migration: 'takeover' });
  const masterHere = sites.some((s) => s.name !== to && configuredRole(describeDocument(s.doc)) === 'master');
  const warnings = [...plan.warnings];
  if (!masterHere && plan.plan.changes.length > 0) {
    warnings.push(
      `The old master${helper ? ` (${formatSiteAddress(helper)})` : ''} is not part of this group's files: its own DB_CONFIG still says master. ` +
        'Do not start it as it is: when it comes back, hand the role back with provision migrate restore-main, or demote it first (provision migrate demote --helper HOST:PORT).',
    );
  }
  return {
    ...plan,
    warnings,
    details: { ...plan.details, backup: to, ...(helper && !plan.details.previousMaster ? { previousMasterAddress: formatSiteAddress(helper) } : {}) },
  };
}

/**
 * Where the master a takeover replaces listens for replication, as the
 * DB_CONFIGs write it: the local site of every other site configured as
 * master, else (only the backup's file given) the backup's bootstrap helper.
 * `name` is the site's name when its file is in the group. Pure.
 */
export function oldMasterAddresses(sites: readonly GroupSite[], to: string): { name?: string; address: SiteAddress }[] {
  const masters = sites.flatMap((s) => {
    const site = describeDocument(s.doc);
    return s.name !== to && site.local && configuredRole(site) === 'master' ? [{ name: s.name, address: addressOf(site.local) }] : [];
  });
  if (masters.length > 0) return masters;
  const backup = sites.find((s) => s.name === to);
  return backup ? describeDocument(backup.doc).remotes.filter((r) => r.flags.db_bootstrap_helper === true).map((r) => ({ address: addressOf(r) })) : [];
}

/**
 * Hand the master role back to the main server `main` and return every other
 * master (the backup that took over) to backup status. Each gets the
 * priority it had before the takeover when `remembered` knows it (the
 * journal's, or the topology file's); `priority` and `backupPriority` set them
 * instead.
 */
export function planRestoreMain(
  sites: readonly GroupSite[],
  options: { main: string; backupPriority?: Readonly<Record<string, bigint>>; priority?: bigint; remembered?: Readonly<Record<string, bigint>> },
): MigrationPlan {
  const plan = planFailover(sites, {
    to: options.main,
    migration: 'restore-main',
    ...(options.backupPriority ? { demotedPriority: options.backupPriority } : {}),
    ...(options.priority !== undefined ? { priority: options.priority } : {}),
    ...(options.remembered ? { remembered: options.remembered } : {}),
  });
  if (plan.plan.changes.length === 0) return plan;
  const current = plan.details.previousMaster ?? 'the current master';
  // NOTE: a main server that comes back as master with less than the backup wrote makes the others roll back to it.
  const catchUp =
    `Before applying, ${options.main} must hold every record ${current} wrote while it was master: run ${options.main} as a replicant of ${current} ` +
    `until it has caught up (demote its file first if it still says master), then stop every site and apply. Otherwise the writes made since the takeover are rolled back.`;
  return { ...plan, warnings: [catchUp, ...plan.warnings] };
}
