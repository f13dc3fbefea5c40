import * as path from 'node:path';
import { convertNumber } from '../../dbconfig/numbers.js';
import { planFailover } from '../../migrate/failover.js';
import { activeEntries, readJournals } from '../../migrate/journal.js';
import { planModernise } from '../../migrate/modernise.js';
import { parseSiteSpec, readGroupDir, readSite } from '../../migrate/read-group.js';
import { planRenameHost } from '../../migrate/rename-host.js';
import { MigrationError } from '../../migrate/role.js';
import { planDemote, planPromote } from '../../migrate/single-site.js';
import { rememberedPriorities } from '../../migrate/priorities.js';
import { configuredRole, describeDocument, formatSiteAddress } from '../../migrate/site-edit.js';
import { planRestoreMain, planTakeover } from '../../migrate/takeover.js';
import type { GroupSite, MigrationPlan } from '../../migrate/types.js';
import { parseAddress } from '../../site/address.js';
import { CliError, EXIT } from '../errors.js';
import type { Io } from '../io.js';

// From the command line to a migration plan: which sites, which migration, with which values.

export interface MigrateArgs {
  readonly migration: string;
  readonly args: readonly string[];
  readonly env?: string;
  readonly group?: string;
  readonly sites: readonly string[];
  /** A topology file whose role/host keys are kept in step. */
  readonly topology?: string;
  readonly to?: string;
  readonly main?: string;
  readonly helper?: string;
  readonly priority?: string;
  /** failover, takeover, restore-main: the priority the demoted master gets. */
  readonly demotedPriority?: string;
  readonly confirm?: string;
  readonly date?: string;
  readonly clean: boolean;
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly yes: boolean;
  /** takeover: go ahead without checking that the old master is gone. */
  readonly force?: boolean;
}

/** The sites named on the command line: --env, --group, --site (at least one of them). */
export function loadSites(args: MigrateArgs, io: Io): GroupSite[] {
  try {
    return readSites(args, io);
  } catch (error) {
    // A site that cannot be read is bad input (exit 2), not a refusal.
    if (error instanceof MigrationError) throw new CliError(error.message, EXIT.usage, { cause: error });
    throw error;
  }
}

function readSites(args: MigrateArgs, io: Io): GroupSite[] {
  const sites: GroupSite[] = [];
  if (args.group !== undefined) sites.push(...readGroupDir(path.resolve(io.cwd, args.group)));
  for (const spec of args.sites) {
    const { name, file } = parseSiteSpec(spec);
    sites.push(readSite(name, path.resolve(io.cwd, file)));
  }
  if (args.env !== undefined) {
    const site = readSite('', path.resolve(io.cwd, args.env));
    // promote/demote --env DIR --group DIR: the site is one of the group's, read once.
    if (!sites.some((s) => s.path === site.path)) sites.push({ ...site, name: path.basename(site.env) });
  }
  if (sites.length === 0) {
    throw new CliError(`migrate ${args.migration}: name the sites: --env DIR, --group DIR or --site NAME=PATH${args.topology !== undefined ? ' (--topology FILE goes with the DB_CONFIGs it describes: --group DIR as provision plan rendered them)' : ''}`);
  }
  const names = new Set<string>();
  for (const s of sites) {
    if (names.has(s.name)) throw new CliError(`two sites are named ${s.name}; name them apart with --site NAME=PATH`);
    names.add(s.name);
  }
  return sites;
}

/**
 * The site promote or demote changes: the only one given, or the one of
 * --env DIR when --group DIR or --site name the rest of its group (read for
 * the group checks: never two masters).
 */
function onlySite(args: MigrateArgs, sites: readonly GroupSite[], cwd: string): GroupSite {
  if (sites.length === 1) return sites[0]!;
  const env = args.env !== undefined ? readSite('', path.resolve(cwd, args.env)).path : undefined;
  const site = env !== undefined ? sites.find((s) => s.path === env) : undefined;
  if (!site) {
    throw new CliError(`migrate ${args.migration} changes one site: name it with --env DIR (--group DIR or --site NAME=PATH add the rest of its group, checked for a second master; to move the master role, use migrate failover --to SITE)`);
  }
  return site;
}

function priorityArg(text: string | undefined, flag = '--priority'): bigint | undefined {
  if (text === undefined) return undefined;
  const n = convertNumber(text, 'uint');
  if (!/^\d+$/.test(text) || !n.ok) throw new CliError(`${flag} ${text}: expected a whole number 0-4294967295`);
  return n.value;
}

/** The options of a master move: --priority for the new master, --demoted-priority for every site that is master now. */
function moveOptions(args: MigrateArgs, sites: readonly GroupSite[], to: string | undefined, remembered: Record<string, bigint>) {
  const priority = priorityArg(args.priority);
  const demoted = priorityArg(args.demotedPriority, '--demoted-priority');
  const masters = sites.filter((s) => s.name !== to && configuredRole(describeDocument(s.doc)) === 'master');
  return {
    remembered,
    ...(priority !== undefined ? { priority } : {}),
    ...(demoted !== undefined ? { demotedPriority: Object.fromEntries(masters.map((s) => [s.name, demoted])) } : {}),
  };
}

/** `{ remembered }` for a one-site migration, when a priority is known for the site. */
function given(remembered: Readonly<Record<string, bigint>>, name: string): { remembered?: bigint } {
  const value = remembered[name];
  return value !== undefined ? { remembered: value } : {};
}

/** The main server to hand the role back to: --main, else the master before the newest takeover in the journal. */
function mainFromJournal(args: MigrateArgs, sites: readonly GroupSite[]): string {
  const entries = activeEntries(readJournals(sites.map((s) => s.env)).entries);
  const takeover = [...entries].reverse().find((e) => e.migration === 'takeover');
  // A takeover made on the backup's file alone knows the old master by its address.
  const byAddress = takeover?.details.previousMasterAddress;
  const named = byAddress === undefined ? undefined : sites.find((s) => {
    const local = describeDocument(s.doc).local;
    return local !== undefined && formatSiteAddress(local) === byAddress;
  })?.name;
  const main = args.main ?? takeover?.details.previousMaster ?? named;
  if (main === undefined || main.includes(',')) {
    throw new CliError('migrate restore-main: name the main server with --main SITE (the journal records no takeover that names it)');
  }
  return main;
}

/**
 * The plan of `args.migration` for `sites`. A site whose role changes gets
 * the priority the options give, else the one `topology` writes for it, else
 * the one the journal kept from before its last role change.
 */
export function planFor(args: MigrateArgs, sites: GroupSite[], cwd: string, topology: Readonly<Record<string, bigint>> = {}): MigrationPlan {
  const remembered = { ...rememberedPriorities(readJournals(sites.map((s) => s.env)).entries, sites), ...topology };
  if (args.demotedPriority !== undefined && !['failover', 'takeover', 'restore-main'].includes(args.migration)) {
    throw new CliError(`--demoted-priority goes with failover, takeover and restore-main${args.migration === 'demote' ? ' (demote: --priority N)' : ''}`);
  }
  if (args.force && args.migration !== 'takeover') throw new CliError('--force goes with takeover only');
  switch (args.migration) {
    case 'promote': {
      const priority = priorityArg(args.priority);
      const site = onlySite(args, sites, cwd);
      return planPromote(site, { group: sites, ...(priority !== undefined ? { priority } : {}), ...given(remembered, site.name) });
    }
    case 'demote': {
      const priority = priorityArg(args.priority);
      let helper;
      if (args.helper !== undefined) {
        const parsed = parseAddress(args.helper);
        if (!parsed.ok) throw new CliError(`--helper ${args.helper}: ${parsed.reason}`);
        helper = { host: parsed.address.host, port: parsed.address.port };
      }
      const site = onlySite(args, sites, cwd);
      return planDemote(site, { group: sites, ...(priority !== undefined ? { priority } : {}), ...(helper ? { helper } : {}), ...given(remembered, site.name) });
    }
    case 'failover': {
      if (args.to === undefined) throw new CliError('migrate failover: name the new master with --to SITE');
      return planFailover(sites, { to: args.to, ...moveOptions(args, sites, args.to, remembered) });
    }
    case 'takeover': {
      const to = args.to ?? (sites.length === 1 ? sites[0]!.name : undefined);
      return planTakeover(sites, { ...(to !== undefined ? { to } : {}), ...moveOptions(args, sites, to, remembered) });
    }
    case 'restore-main': {
      const main = mainFromJournal(args, sites);
      const { demotedPriority, ...rest } = moveOptions(args, sites, main, remembered);
      return planRestoreMain(sites, { main, ...rest, ...(demotedPriority ? { backupPriority: demotedPriority } : {}) });
    }
    case 'rename-host': {
      const [from, to, extra] = args.args;
      if (from === undefined || to === undefined || extra !== undefined) throw new CliError('migrate rename-host: give OLD NEW (two hosts)');
      return planRenameHost(sites, from, to);
    }
    case 'modernise':
      return planModernise(sites);
    default:
      throw new CliError(`unknown migration ${args.migration}`);
  }
}
