import type { DbConfigDocument } from '../dbconfig/document.js';
import { addSite, configuredRole, describeDocument, sameAddress, setPriority, setSiteFlag, type SiteAddress } from './site-edit.js';

/**
 * The two role changes every migration is made of, on one document. A master
 * is written as `provision master` writes it: priority above 0, its local
 * site the group creator, no bootstrap helper. A replicant as `provision
 * replicant` does: its local site not the creator, the master its bootstrap
 * helper (a replicant whose state is reset can only rejoin through it).
 */

/** Oracle's warning, given whenever a site's priority moves between 0 and non-zero. */
export const PRIORITY_WARNING =
  'Changing a site\'s priority between 0 and non-zero can undo the durability of transactions acknowledged earlier ' +
  '(Berkeley DB Programmer\'s Reference, "Replication Manager: Managing election priorities"): ' +
  'make sure every replicant has caught up with the master before the change, and keep a backup.';

export interface RoleChange {
  readonly doc: DbConfigDocument;
  /** Set when the priority crosses between 0 and non-zero. */
  readonly priorityCrossesZero: boolean;
  readonly priorityBefore: bigint;
}

/** Berkeley DB's own default priority, when a file sets none. */
const DEFAULT_PRIORITY = 100n;

export class MigrationError extends Error {
  constructor(message: string, readonly file?: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

/**
 * Make `doc` a master's configuration. Its priority becomes `priority`, or 1
 * when it was 0 (the generator's master default); a priority already above 0 stays.
 */
export function promoteDocument(doc: DbConfigDocument, options: { priority?: bigint } = {}): RoleChange {
  const site = describeDocument(doc);
  if (!site.local) throw new MigrationError('it names no local site (repmgr_site HOST PORT db_local_site on); run provision lint on it first');
  const before = site.priority?.value ?? DEFAULT_PRIORITY;
  const priority = options.priority ?? (before > 0n ? before : 1n);
  let out = doc;
  if (priority !== before || site.priority === undefined) out = setPriority(out, priority);
  out = setSiteFlag(out, site.local, 'db_group_creator', true);
  for (const remote of describeDocument(out).remotes) {
    if (remote.flags.db_bootstrap_helper !== undefined) out = setSiteFlag(out, remote, 'db_bootstrap_helper', undefined);
  }
  return { doc: out, priorityCrossesZero: (before === 0n) !== (priority === 0n), priorityBefore: before };
}

/**
 * Make `doc` a replicant's configuration. Its priority becomes `priority`
 * (default 0: the generator's replicant default); `helper`, when given, becomes
 * its only bootstrap helper (added as a remote site when the file does not name it).
 */
export function demoteDocument(doc: DbConfigDocument, options: { priority?: bigint; helper?: SiteAddress } = {}): RoleChange {
  const site = describeDocument(doc);
  if (!site.local) throw new MigrationError('it names no local site (repmgr_site HOST PORT db_local_site on); run provision lint on it first');
  const before = site.priority?.value ?? DEFAULT_PRIORITY;
  const priority = options.priority ?? 0n;
  let out = doc;
  if (priority !== before || site.priority === undefined) out = setPriority(out, priority);
  if (site.local.flags.db_group_creator !== undefined) out = setSiteFlag(out, site.local, 'db_group_creator', undefined);
  const helper = options.helper;
  if (helper) {
    if (sameAddress(helper, site.local)) throw new MigrationError('its bootstrap helper would be the site itself');
    for (const remote of describeDocument(out).remotes) {
      if (!sameAddress(remote, helper) && remote.flags.db_bootstrap_helper !== undefined) out = setSiteFlag(out, remote, 'db_bootstrap_helper', undefined);
    }
    const named = describeDocument(out).remotes.find((r) => sameAddress(r, helper));
    if (!named) out = addSite(out, helper, [['db_bootstrap_helper', 'on']]);
    else if (named.flags.db_bootstrap_helper !== true) out = setSiteFlag(out, helper, 'db_bootstrap_helper', true);
  }
  if (configuredRole(describeDocument(out)) !== 'replicant') {
    throw new MigrationError('it would still read as a master (priority above 0 and no bootstrap helper): name the new master with --helper HOST:PORT');
  }
  return { doc: out, priorityCrossesZero: (before === 0n) !== (priority === 0n), priorityBefore: before };
}
