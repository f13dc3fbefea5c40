/**
 * A three-site replication group for the end-to-end tests: DB_CONFIGs
 * written by the real CLI (`provision master` / `provision replicant`, or
 * `provision plan` from a topology file), `provision migrate` run as an
 * operator would, and the role each file configures read back, to check
 * that no step ever configures two masters.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDbConfig } from '../../src/dbconfig/document.js';
import { configuredRole, describeDocument } from '../../src/migrate/site-edit.js';
import { runProvision, type CliResult } from '../helpers.js';
import { projectRoot } from './bdb.js';
import { assertLoopback, freePorts } from './replication.js';

export const HOST = '127.0.0.1';
/** Bound on one CLI run. */
const CLI_MS = 30_000;

export interface Group {
  /** The folder holding <site>/DB_CONFIG for every site (what `--group` takes). */
  readonly dir: string;
  readonly names: readonly string[];
  readonly ports: Readonly<Record<string, number>>;
  /** The topology file the group was planned from, kept in step by every migration (`--topology`). */
  readonly topology?: string;
  home(name: string): string;
  cleanup(): void;
}

/** Run the real bin, bounded (killed at the bound). */
export const runCli = (args: readonly string[]): Promise<CliResult> => runProvision(args, CLI_MS);

async function cli(args: readonly string[]): Promise<CliResult> {
  const run = await runCli(args);
  if (run.status !== 0) throw new Error(`provision ${args.join(' ')} exited ${run.status}:\n${run.stdout}${run.stderr}`);
  return run;
}

/** A fresh folder under the project's .tmp (gitignored) rather than /tmp, which other tools may sweep. */
function scratchDir(prefix: string): string {
  const scratch = join(projectRoot(), '.tmp', 'e2e');
  mkdirSync(scratch, { recursive: true });
  return mkdtempSync(join(scratch, prefix));
}

/**
 * Generate a group on loopback: `names[0]` the master listing the others as
 * replicants, each other site a replicant of it that also lists the rest.
 */
export async function makeGroup(names: readonly string[]): Promise<Group> {
  assertLoopback(HOST);
  const dir = scratchDir('group-');
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    const list = await freePorts(HOST, names.length);
    const ports = Object.fromEntries(names.map((n, i) => [n, list[i]!]));
    const at = (n: string) => `${HOST}:${ports[n]}`;
    const home = (n: string) => join(dir, n);
    const [master, ...replicants] = names;
    await cli(['master', '--env', home(master!), '--local', at(master!), ...replicants.flatMap((r) => ['--replicant', at(r)]), '--yes']);
    for (const r of replicants) {
      await cli(['replicant', '--env', home(r), '--local', at(r), '--master', at(master!), ...replicants.filter((o) => o !== r).flatMap((o) => ['--site', at(o)]), '--connection-retry', '1000000', '--yes']);
    }
    return { dir, names, ports, home, cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}

/**
 * A topology file of sites on HOST: `names[0]` the master, `names[1]` the
 * emergency backup (priority 50, backup_id 1, the failover order), the rest
 * priority-0 replicants; `place(name)` gives each site's placement lines
 * (`layout`/`root`, or `env` and `backup`).
 */
export function topologyText(names: readonly string[], ports: readonly number[], place: (name: string) => readonly string[]): string {
  assertLoopback(HOST);
  return [
    '[group]',
    'name = e2e',
    'ack_policy = ONE',
    'connection_retry = 1000000',
    `failover_order = ${names[1]}`,
    ...names.flatMap((name, i) => [
      '',
      `[site "${name}"]`,
      `host = ${HOST}`,
      `port = ${ports[i]}`,
      `role = ${i === 0 ? 'master' : 'replicant'}`,
      ...(i === 1 ? ['priority = 50', 'backup_id = 1'] : []),
      ...place(name),
    ]),
    '',
  ].join('\n');
}

/**
 * Plan a group from a topology file (topologyText, `names[0]` the master):
 * each site's environment is DIR/<site>, so the folder `provision plan FILE
 * --out DIR` renders is the group's environments and what `migrate --group`
 * takes; a backup root beside each keeps the group from holding its data once
 * (the sites share one machine). No site has a layout, so there is no layout
 * script to run. migrate() passes the file as `--topology`.
 */
export async function planGroup(names: readonly string[]): Promise<Group & { readonly topology: string }> {
  const root = scratchDir('planned-');
  const cleanup = () => rmSync(root, { recursive: true, force: true });
  try {
    const dir = join(root, 'group');
    const home = (n: string) => join(dir, n);
    const list = await freePorts(HOST, names.length);
    const ports = Object.fromEntries(names.map((n, i) => [n, list[i]!]));
    const topology = join(root, 'group.ini');
    writeFileSync(topology, topologyText(names, list, (n) => [`env = ${home(n)}`, `backup = ${join(root, 'backup', n)}`]));
    await cli(['lint', '--topology', topology]);
    await cli(['plan', topology, '--out', dir]);
    for (const n of names) {
      if (!existsSync(join(home(n), 'DB_CONFIG'))) throw new Error(`provision plan wrote no ${join(home(n), 'DB_CONFIG')}`);
      if (existsSync(join(home(n), 'layout.sh'))) throw new Error(`${n} has no layout, yet the plan wrote ${join(home(n), 'layout.sh')}`);
    }
    return { dir, names, ports, topology, home, cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}

/** `provision migrate ARGS --group DIR` (and `--topology FILE` for a planned group) that must succeed. */
export function migrate(group: Group, args: readonly string[]): Promise<CliResult> {
  return cli(['migrate', ...args, ...migrateTargets(group)]);
}

/** The options that name a group's files to `provision migrate`. */
export function migrateTargets(group: Group): string[] {
  return ['--group', group.dir, ...(group.topology !== undefined ? ['--topology', group.topology] : [])];
}

/** The role each site's DB_CONFIG configures (master, replicant, unknown), read from the files. */
export function rolesOf(group: Group): Record<string, string> {
  return Object.fromEntries(group.names.map((n) => [n, configuredRole(describeDocument(parseDbConfig(readFileSync(join(group.home(n), 'DB_CONFIG')))))]));
}

/** The sites whose DB_CONFIG configures a master, read from the files. */
export function mastersOf(group: Group): string[] {
  const roles = rolesOf(group);
  return group.names.filter((n) => roles[n] === 'master');
}

/**
 * The `role` each `[site "NAME"]` of a topology file writes, read line by line
 * (not with the product's reader, so that a fault there cannot hide here).
 */
export function topologyRoles(file: string): Record<string, string> {
  const roles: Record<string, string> = {};
  let site: string | undefined;
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const section = /^\s*\[\s*(\w+)(?:\s+"([^"]*)")?\s*\]/.exec(line);
    if (section) site = section[1] === 'site' ? section[2] : undefined;
    const role = /^\s*role\s*=\s*([^\s;#]+)/.exec(line);
    if (role && site !== undefined) {
      if (roles[site] !== undefined) throw new Error(`${file}: site ${site} writes role twice`);
      roles[site] = role[1]!;
    }
  }
  return roles;
}
