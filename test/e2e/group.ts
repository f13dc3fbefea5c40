/**
 * A three-site replication group for the end-to-end tests: DB_CONFIGs
 * written by the real CLI (`provision master` / `provision replicant`),
 * `provision migrate` run as an operator would, and the role each file
 * configures read back, to check that no step ever configures two masters.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseDbConfig } from '../../src/dbconfig/document.js';
import { configuredRole, describeDocument } from '../../src/migrate/site-edit.js';
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
  home(name: string): string;
  cleanup(): void;
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run the real bin (bounded, killed at the bound). */
export function runCli(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(projectRoot(), 'bin', 'provision.cjs'), ...args], { cwd: projectRoot(), encoding: 'utf8', timeout: CLI_MS, killSignal: 'SIGKILL', env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: unknown }).code as number | null) ?? null : 0, stdout, stderr });
    });
  });
}

async function cli(args: readonly string[]): Promise<CliRun> {
  const run = await runCli(args);
  if (run.code !== 0) throw new Error(`provision ${args.join(' ')} exited ${run.code}:\n${run.stdout}${run.stderr}`);
  return run;
}

/**
 * Generate a group on loopback: `names[0]` the master listing the others as
 * replicants, each other site a replicant of it that also lists the rest.
 */
export async function makeGroup(names: readonly string[]): Promise<Group> {
  assertLoopback(HOST);
  const scratch = join(projectRoot(), '.tmp', 'e2e');
  mkdirSync(scratch, { recursive: true });
  const dir = mkdtempSync(join(scratch, 'group-'));
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

/** `provision migrate ARGS --group DIR` that must succeed. */
export function migrate(group: Group, args: readonly string[]): Promise<CliRun> {
  return cli(['migrate', ...args, '--group', group.dir]);
}

/** The sites whose DB_CONFIG configures a master, read from the files. */
export function mastersOf(group: Group): string[] {
  return group.names.filter((n) => configuredRole(describeDocument(parseDbConfig(readFileSync(join(group.home(n), 'DB_CONFIG'))))) === 'master');
}
