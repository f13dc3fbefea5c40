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

/**
 * Make one site a master, in its own file. Only this file is known here, so
 * the operator must make sure the old master is demoted first (the plan says so);
 * `provision migrate failover` does both in the right order.
 */
export function planPromote(site: GroupSite, options: { priority?: bigint } = {}): MigrationPlan {
  const change = onFile(site, () => promoteDocument(site.doc, options));
  const warnings = [
    ...(change.priorityCrossesZero ? [`${site.name}: priority ${change.priorityBefore} -> non-zero.`, PRIORITY_WARNING] : []),
    'Only this file is changed: demote the old master first (provision migrate demote on it), or use provision migrate failover --to SITE on the whole group, so that two masters are never configured at once.',
  ];
  return buildMigrationPlan('promote', [site], [{ site, doc: change.doc, reason: 'promote to master' }], {
    warnings,
    steps: [`${site.name}'s server stays stopped until the file is written.`, `Start ${site.name} as master once the old master is stopped and demoted.`],
  });
}

/** Make one site a replicant, in its own file; `helper` is the master it will join. */
export function planDemote(site: GroupSite, options: { priority?: bigint; helper?: SiteAddress } = {}): MigrationPlan {
  const wasMaster = configuredRole(describeDocument(site.doc)) === 'master';
  const change = onFile(site, () => demoteDocument(site.doc, options));
  const warnings = change.priorityCrossesZero ? [`${site.name}: priority ${change.priorityBefore} -> ${options.priority ?? 0n}.`, PRIORITY_WARNING] : [];
  return buildMigrationPlan('demote', [site], [{ site, doc: change.doc, reason: `${wasMaster ? 'demote to replicant' : 'replicant'}${options.helper ? `, bootstrap helper ${formatSiteAddress(options.helper)}` : ''}` }], {
    warnings,
    steps: [`${site.name}'s server stays stopped until the file is written.`, `Start ${site.name} as a replicant${options.helper ? ` once ${formatSiteAddress(options.helper)} runs as master` : ''}.`],
  });
}
