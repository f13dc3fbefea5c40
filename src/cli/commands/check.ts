import * as fs from 'node:fs';
import * as path from 'node:path';
import { siteFromAnswers } from '../../check/answers.js';
import { evaluateSite } from '../../check/evaluate.js';
import { checkToJson, formatCheckTable, formatNagios, NAGIOS_EXIT, overallStatus } from '../../check/format.js';
import { gatherSitesFacts } from '../../check/gather.js';
import type { Expectation, SiteInput } from '../../check/types.js';
import { checkPort } from '../../site/address.js';
import { CliError, EXIT } from '../errors.js';
import type { Io } from '../io.js';

export interface CheckArgs {
  /** A DB_CONFIG file, or the environment directory holding it. */
  readonly config?: string;
  readonly env?: string;
  readonly answers?: string;
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
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read answers file ${shown}: ${code === 'EISDIR' ? 'it is a directory' : code}`, EXIT.usage, { cause: error });
  }
  const { site, problems } = siteFromAnswers(text);
  if (!site) throw new CliError(`${shown}:${problems[0]!.line}: ${problems[0]!.message}`);
  return site;
}

/** The one site the arguments name (a topology would give several, to the same core). */
export function siteInputFrom(args: CheckArgs, io: Io): SiteInput {
  const given = [args.config, args.env, args.answers].filter((x) => x !== undefined).length;
  if (given === 0) throw new CliError('name the site: give its DB_CONFIG (or environment directory), --env DIR, or --answers FILE');
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

/**
 * `provision check`. Exit codes: with --nagios, 0 OK, 1 WARNING, 2 CRITICAL;
 * otherwise 0 when nothing is critical, 1 when a check failed, 2 usage.
 */
export async function runCheck(args: CheckArgs, io: Io): Promise<number> {
  if (!Number.isFinite(args.timeout) || args.timeout <= 0 || args.timeout > 600) throw new CliError(`--timeout ${args.timeout}: give the seconds a connection may take (above 0, at most 600)`);
  if (args.json && args.nagios) throw new CliError('give --json or --nagios, not both');
  const inputs = [siteInputFrom(args, io)];
  const facts = await gatherSitesFacts(inputs, { timeoutMs: Math.round(args.timeout * 1000) });
  const reports = facts.map(evaluateSite);
  const status = overallStatus(reports);
  if (args.nagios) {
    io.stdout.write(formatNagios(reports));
    return NAGIOS_EXIT[status];
  }
  io.stdout.write(args.json ? `${JSON.stringify(checkToJson(reports), null, 2)}\n` : formatCheckTable(reports));
  return status === 'CRITICAL' ? EXIT.findings : EXIT.ok;
}
