import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { siteFromAnswers } from '../../check/answers.js';
import { evaluateSite } from '../../check/evaluate.js';
import { checkToJson, formatCheckTable, formatNagios, NAGIOS_EXIT, overallStatus } from '../../check/format.js';
import { gatherSitesFacts } from '../../check/gather.js';
import { selectTopologySites } from '../../check/topology.js';
import type { Expectation, SiteInput } from '../../check/types.js';
import { nativeTarget } from '../../layout/types.js';
import { checkPort } from '../../site/address.js';
import { loadRc } from '../rc.js';
import { problemLine, readTopology, topologySettings } from '../topology-input.js';
import { CliError, EXIT } from '../errors.js';
import { numberOption, TIMEOUT_SECONDS } from '../number-option.js';
import type { Io } from '../io.js';
import { ioReason } from '../../io-reason.js';

export interface CheckArgs {
  /** A DB_CONFIG file, or the environment directory holding it. */
  readonly config?: string;
  readonly env?: string;
  readonly answers?: string;
  /** A topology file: its sites (those of this machine, or --site). */
  readonly topology?: string;
  readonly site?: string;
  readonly clientPort?: string;
  readonly backup?: string;
  readonly expect?: Expectation;
  /** Seconds each TCP probe may take. */
  readonly timeout: number;
  readonly json: boolean;
  readonly nagios: boolean;
}

function readAnswers(file: string, shown: string): ReturnType<typeof siteFromAnswers>['site'] & object {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read answers file ${shown}: ${ioReason(error)}`, EXIT.usage, { cause: error });
  }
  const { site, problems } = siteFromAnswers(text);
  if (!site) throw new CliError(`${shown}:${problems[0]!.line}: ${problems[0]!.message}`);
  return site;
}

/** The one site the arguments name (a topology would give several, to the same core). */
export function siteInputFrom(args: CheckArgs, io: Io): SiteInput {
  const given = [args.config, args.env, args.answers].filter((x) => x !== undefined).length;
  if (given === 0) throw new CliError('name the site: give its DB_CONFIG (or environment directory), --env DIR, --answers FILE, or --topology FILE');
  if (args.config !== undefined && args.env !== undefined) throw new CliError('give the DB_CONFIG path or --env DIR, not both');
  const answers = args.answers !== undefined ? readAnswers(path.resolve(io.cwd, args.answers), args.answers) : undefined;
  let env: string;
  if (args.env !== undefined) env = path.resolve(io.cwd, args.env);
  else if (args.config !== undefined) {
    const p = path.resolve(io.cwd, args.config);
    let isDir = false;
    try {
      isDir = fs.statSync(p).isDirectory();
    } catch {
      // A DB_CONFIG that does not exist yet: its folder is the environment, and check says the file is missing.
    }
    env = isDir ? p : path.dirname(p);
    if (!isDir && path.basename(p) !== 'DB_CONFIG') throw new CliError(`${args.config}: Berkeley DB reads only a file named DB_CONFIG in the environment directory; give that file or its directory`);
  } else if (answers?.env !== undefined) env = path.resolve(io.cwd, answers.env);
  else throw new CliError(`${args.answers} has no "env" key; give --env DIR`);
  let clientPort = answers?.clientPort;
  if (args.clientPort !== undefined) {
    const c = checkPort(args.clientPort);
    if (!c.ok) throw new CliError(`--client-port: ${c.reason}`);
    clientPort = c.port;
  }
  return {
    name: env,
    env,
    ...(answers ? { planned: { ...(answers.local ? { local: answers.local } : {}), remotes: answers.remotes } } : {}),
    ...(clientPort !== undefined ? { clientPort } : {}),
    ...(args.backup !== undefined ? { backupRoot: path.resolve(io.cwd, args.backup) } : {}),
    ...(args.expect !== undefined ? { expect: args.expect } : {}),
  };
}

/** Whether a host names this machine: a loopback name or address, its host name, or an address of one of its interfaces. */
function thisMachine(): (host: string) => boolean {
  const names = new Set(['localhost', '::1', os.hostname().toLowerCase()]);
  for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) names.add(a.address.toLowerCase());
  return (host) => {
    const h = host.toLowerCase().replace(/\.$/, '');
    return names.has(h) || /^127\.\d+\.\d+\.\d+$/.test(h) || names.has(h.split('.')[0]!);
  };
}

/** The sites of a topology file that the arguments select. */
function topologyInputs(args: CheckArgs, io: Io, rules: Readonly<Record<string, string>>): SiteInput[] {
  if (args.config !== undefined || args.env !== undefined || args.answers !== undefined) throw new CliError('give --topology FILE or one site (its DB_CONFIG, --env or --answers), not both');
  if (args.clientPort !== undefined || args.backup !== undefined) throw new CliError('with --topology the client port and backup root come from the file; leave out --client-port and --backup');
  const read = readTopology(args.topology!, io, topologySettings(rules));
  const error = read.problems.find((p) => p.severity === 'error');
  if (error || !read.resolved) {
    const p = error ?? read.problems[0];
    // Refused, as provision plan refuses it: exit 1 (docs/check.md).
    throw new CliError(p ? `${problemLine(read.shown, p)}; run provision lint --topology ${read.shown}` : `${read.shown}: cannot place its sites`, EXIT.findings);
  }
  const selected = selectTopologySites(read.resolved, { ...(args.site !== undefined ? { site: args.site } : {}), isLocal: thisMachine(), target: nativeTarget() });
  if ('error' in selected) throw new CliError(`${read.shown}: ${selected.error}`);
  return selected.inputs.map((s) => ({ ...s, ...(args.expect !== undefined ? { expect: args.expect } : {}) }));
}

/**
 * `provision check`. Exit codes: with --nagios, 0 OK, 1 WARNING, 2 CRITICAL
 * (main makes every error 3, UNKNOWN); otherwise 0 when nothing is critical,
 * 1 when a check failed or a topology is refused, 2 usage.
 */
export async function runCheck(args: CheckArgs, io: Io): Promise<number> {
  const timeout = numberOption('timeout', args.timeout, TIMEOUT_SECONDS, (n) => n > 0 && n <= 600);
  if (args.json && args.nagios) throw new CliError('give --json or --nagios, not both');
  if (args.site !== undefined && args.topology === undefined) throw new CliError('--site names a site of a topology file; give --topology FILE too');
  // The nearest .provisionrc, as provision lint and plan read it: its rule settings judge DB_CONFIG and the topology alike.
  const rc = loadRc(undefined, io.cwd);
  const inputs = args.topology !== undefined ? topologyInputs(args, io, rc.rules) : [siteInputFrom(args, io)];
  const facts = await gatherSitesFacts(inputs, { timeoutMs: Math.round(timeout * 1000), rules: rc.rules });
  const reports = facts.map(evaluateSite);
  const status = overallStatus(reports);
  if (args.nagios) {
    io.stdout.write(formatNagios(reports));
    return NAGIOS_EXIT[status];
  }
  io.stdout.write(args.json ? `${JSON.stringify(checkToJson(reports), null, 2)}\n` : formatCheckTable(reports));
  return status === 'CRITICAL' ? EXIT.findings : EXIT.ok;
}
