import { buildMigrationPlan, type PlannedWrite } from './build-plan.js';
import { demoteDocument, MigrationError, PRIORITY_WARNING, promoteDocument } from './role.js';
import { addressOf, configuredRole, describeDocument, formatSiteAddress } from './site-edit.js';
import type { GroupSite, MigrationName, MigrationPlan } from './types.js';

export interface FailoverOptions {
  /** The site that becomes master. */
  readonly to: string;
  /** The new master's priority (default: the one it remembers when above 0, else its own when above 0, else 1). */
  readonly priority?: bigint;
  /** Priority each demoted master gets (default: the one it remembers, else 0), by site name. */
  readonly demotedPriority?: Readonly<Record<string, bigint>>;
  /**
   * The priority to give a site whose role changes, by site name, when no
   * option above sets it: the topology file's, or the one the journal kept
   * from before its last role change (priorities.ts).
   */
  readonly remembered?: Readonly<Record<string, bigint>>;
  /** Which migration this is, for the plan and the journal (failover, takeover, restore-main). */
  readonly migration?: MigrationName;
}

/** The site named `name`, or an error listing the names there are. */
export function findSite(sites: readonly GroupSite[], name: string, flag = '--to'): GroupSite {
  const site = sites.find((s) => s.name === name);
  if (!site) throw new MigrationError(`${flag} ${name}: no such site in the group (sites: ${sites.map((s) => s.name).join(', ') || 'none'})`);
  return site;
}

/**
 * Move the master role to `to`. The writes come in the order they must be
 * applied: every site configured as master is demoted first, then the other
 * replicants are pointed at the new master (their bootstrap helper), and
 * only then is the new master promoted, so that at no moment do two files
 * configure a master. Pure.
 */
export function planFailover(sites: readonly GroupSite[], options: FailoverOptions): MigrationPlan {
  const migration = options.migration ?? 'failover';
  const target = findSite(sites, options.to);
  const targetSite = describeDocument(target.doc);
  if (!targetSite.local) throw new MigrationError(`${target.path}: it names no local site (repmgr_site HOST PORT db_local_site on), so it cannot become master`, target.path);
  const helper = addressOf(targetSite.local);
  const oldMasters = sites.filter((s) => s !== target && configuredRole(describeDocument(s.doc)) === 'master');
  const others = sites.filter((s) => s !== target && !oldMasters.includes(s));
  const warnings: string[] = [];
  const writes: PlannedWrite[] = [];
  const at = (s: GroupSite, what: () => ReturnType<typeof promoteDocument>) => {
    try {
      return what();
    } catch (error) {
      if (error instanceof MigrationError) throw new MigrationError(`${s.path}: ${error.message}`, s.path);
      throw error;
    }
  };
  for (const s of oldMasters) {
    const priority = options.demotedPriority?.[s.name] ?? options.remembered?.[s.name] ?? 0n;
    const change = at(s, () => demoteDocument(s.doc, { priority, helper }));
    if (change.priorityCrossesZero) warnings.push(`${s.name}: priority ${change.priorityBefore} -> ${priority}.`);
    writes.push({ site: s, doc: change.doc, reason: `demote to replicant, bootstrap helper ${formatSiteAddress(helper)} (applied before the new master is written)` });
  }
  for (const s of others) {
    const current = describeDocument(s.doc).priority?.value ?? 100n;
    const change = at(s, () => demoteDocument(s.doc, { priority: options.demotedPriority?.[s.name] ?? current, helper }));
    writes.push({ site: s, doc: change.doc, reason: `stays a replicant; its bootstrap helper becomes ${formatSiteAddress(helper)}` });
  }
  const remembered = options.remembered?.[target.name];
  const priority = options.priority ?? (remembered !== undefined && remembered > 0n ? remembered : undefined);
  const promoted = at(target, () => promoteDocument(target.doc, priority !== undefined ? { priority } : {}));
  if (promoted.priorityCrossesZero) warnings.push(`${target.name}: priority ${promoted.priorityBefore} -> non-zero.`);
  if (warnings.length > 0) warnings.push(PRIORITY_WARNING);
  writes.push({ site: target, doc: promoted.doc, reason: 'promote to master (written last)' });
  const previous = oldMasters.map((s) => s.name).join(',');
  return buildMigrationPlan(migration, sites, writes, {
    warnings,
    steps: [
      `Every site's server (${[...oldMasters, ...others, target].map((s) => s.name).join(', ')}) stays stopped until all the files are written.`,
      `Start ${target.name} first: it is the master now.`,
      ...(others.length + oldMasters.length > 0 ? [`Then start ${[...others, ...oldMasters].map((s) => s.name).join(', ')} as replicants.`] : []),
    ],
    details: { master: target.name, ...(previous ? { previousMaster: previous } : {}) },
  });
}
