import { buildMigrationPlan } from './build-plan.js';
import { demoteDocument, MigrationError, PRIORITY_WARNING, promoteDocument } from './role.js';
import { configuredRole, describeDocument, formatSiteAddress, type SiteAddress } from './site-edit.js';
import type { GroupSite, MigrationPlan } from './types.js';

function onFile<T>(site: GroupSite, what: () => T): T {
  try {
    return what();
  } catch (error) {
    if (error instanceof MigrationError) throw new MigrationError(`${site.path}: ${error.message}`, site.path);
    throw error;
  }
}

/** The group, with `site` in it. */
function withSite(group: readonly GroupSite[], site: GroupSite): readonly GroupSite[] {
  return group.includes(site) ? group : [...group, site];
}

/**
 * Make one site a master, in its own file. `options.group` (the others of
 * its group, when known) is checked as every migration's result is: a
 * second master is refused. With the site alone, nothing is known of the
 * others, so the plan warns that the old master must be demoted first;
 * `provision migrate failover` does both in the right order.
 */
export function planPromote(site: GroupSite, options: { priority?: bigint; remembered?: bigint; group?: readonly GroupSite[] } = {}): MigrationPlan {
  const group = withSite(options.group ?? [], site);
  // The priority it had as master before its last demotion, when the journal or the topology knows it.
  const priority = options.priority ?? (options.remembered !== undefined && options.remembered > 0n ? options.remembered : undefined);
  const change = onFile(site, () => promoteDocument(site.doc, priority !== undefined ? { priority } : {}));
  const warnings = [
    ...(change.priorityCrossesZero ? [`${site.name}: priority ${change.priorityBefore} -> non-zero.`, PRIORITY_WARNING] : []),
    ...(group.length > 1
      ? []
      : ['Only this file is changed: demote the old master first (provision migrate demote on it), or use provision migrate failover --to SITE on the whole group, so that two masters are never configured at once.']),
  ];
  return buildMigrationPlan('promote', group, [{ site, doc: change.doc, reason: 'promote to master' }], {
    warnings,
    steps: [`${site.name}'s server stays stopped until the file is written.`, `Start ${site.name} as master once the old master is stopped and demoted.`],
  });
}

/**
 * Make one site a replicant, in its own file (`options.group` checked as
 * for planPromote); `helper` is the master it will join. Its priority: `priority`, else `remembered` (its replicant priority
 * before its last promotion) when that can be used (a priority above 0 needs
 * a helper, or the file still reads as a master), else 0.
 */
export function planDemote(site: GroupSite, options: { priority?: bigint; helper?: SiteAddress; remembered?: bigint; group?: readonly GroupSite[] } = {}): MigrationPlan {
  const group = withSite(options.group ?? [], site);
  const wasMaster = configuredRole(describeDocument(site.doc)) === 'master';
  const usable = options.remembered !== undefined && (options.helper !== undefined || options.remembered === 0n) ? options.remembered : undefined;
  const priority = options.priority ?? usable ?? 0n;
  const change = onFile(site, () => demoteDocument(site.doc, { priority, ...(options.helper ? { helper: options.helper } : {}) }));
  const warnings = change.priorityCrossesZero ? [`${site.name}: priority ${change.priorityBefore} -> ${priority}.`, PRIORITY_WARNING] : [];
  return buildMigrationPlan('demote', group, [{ site, doc: change.doc, reason: `${wasMaster ? 'demote to replicant' : 'replicant'}${options.helper ? `, bootstrap helper ${formatSiteAddress(options.helper)}` : ''}` }], {
    warnings,
    steps: [`${site.name}'s server stays stopped until the file is written.`, `Start ${site.name} as a replicant${options.helper ? ` once ${formatSiteAddress(options.helper)} runs as master` : ''}.`],
  });
}
