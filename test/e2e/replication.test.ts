/**
 * A generated master/replicant pair must really replicate: a master writes
 * records, a replicant started from an empty directory receives exactly
 * them and refuses writes of its own. Runs the real Berkeley DB (harness/
 * repsite.c) on loopback only; a negative control proves the harness can fail.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { projectRoot, whyBdbUnavailable } from './bdb.js';
import { assertLoopback, freePorts, hasIpv6Loopback, leftoverRepsites, runPair, type LoopbackHost, type PairResult } from './replication.js';

const test = suite('replication');
const unavailable = whyBdbUnavailable();
const ipv6 = await hasIpv6Loopback();

const RECORDS = 100;
/** Bound on one working pair (it takes well under a second). */
const PAIR_TIMEOUT_MS = 15_000;

/**
 * What a case configures:
 * - ipv4, localhost, ipv6: the plain pair, with that host everywhere;
 * - second-replicant: the replicant also lists a replicant that never runs;
 * - no-helper: the replicant does not mark the master db_bootstrap_helper (cannot join);
 * - silent-helper: the replicant's helper is a port where a listener accepts and never answers.
 */
type Kind = 'ipv4' | 'localhost' | 'ipv6' | 'second-replicant' | 'no-helper' | 'silent-helper';

interface Ports {
  readonly master: number;
  readonly client: number;
  /** A port no repsite listens on: the second replicant's, or the silent helper's. */
  readonly spare: number;
}

interface Pair {
  readonly kind: Kind;
  readonly host: LoopbackHost;
  readonly ports: Ports;
  readonly masterHome: string;
  readonly clientHome: string;
  /** Where the DB_CONFIGs came from. */
  readonly source: 'provision CLI' | 'hand-written';
  readonly cleanup: () => void;
}

const HOSTS: Record<Kind, LoopbackHost> = {
  ipv4: '127.0.0.1',
  localhost: 'localhost',
  ipv6: '::1',
  'second-replicant': '127.0.0.1',
  'no-helper': '127.0.0.1',
  'silent-helper': '127.0.0.1',
};

/** The kinds a correct generator produces; the others are deliberately broken, so always hand-written. */
const GENERATED_KINDS: readonly Kind[] = ['ipv4', 'localhost', 'ipv6', 'second-replicant'];

/** Create fresh master/ and client/ environment directories holding the DB_CONFIGs for `kind`. */
function writeConfigs(kind: Kind, ports: Ports): Pair {
  const host = HOSTS[kind];
  assertLoopback(host);
  const scratch = join(projectRoot(), '.tmp', 'e2e');
  mkdirSync(scratch, { recursive: true });
  // Under the project's .tmp (gitignored) rather than /tmp, which other tools may sweep.
  const root = mkdtempSync(join(scratch, `rep-${kind}-`));
  const masterHome = join(root, 'master');
  const clientHome = join(root, 'client');
  const cleanup = () => rmSync(root, { recursive: true, force: true });
  try {
    const useCli = GENERATED_KINDS.includes(kind) && cliConfigsWanted();
    if (useCli) writeConfigsWithCli(kind, host, ports, masterHome, clientHome);
    else writeHandWrittenConfigs(kind, host, ports, masterHome, clientHome);
    return { kind, host, ports, masterHome, clientHome, source: useCli ? 'provision CLI' : 'hand-written', cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}

/** The pair that works (docs: the facts file, section 4), bent for `kind`. */
function writeHandWrittenConfigs(kind: Kind, host: LoopbackHost, ports: Ports, masterHome: string, clientHome: string): void {
  const master = [
    'rep_set_priority 1',
    `repmgr_site ${host} ${ports.master} db_local_site on db_group_creator on`,
    `repmgr_site ${host} ${ports.client}`,
    'repmgr_set_ack_policy DB_REPMGR_ACKS_ONE',
  ];
  const helperPort = kind === 'silent-helper' ? ports.spare : ports.master;
  const replicant = [
    'rep_set_priority 0',
    `repmgr_site ${host} ${ports.client} db_local_site on`,
    `repmgr_site ${host} ${helperPort}${kind === 'no-helper' ? '' : ' db_bootstrap_helper on'}`,
    ...(kind === 'second-replicant' ? [`repmgr_site ${host} ${ports.spare}`] : []),
    'repmgr_set_ack_policy DB_REPMGR_ACKS_ONE',
    'rep_set_timeout DB_REP_CONNECTION_RETRY 1000000',
  ];
  for (const [home, lines] of [[masterHome, master], [clientHome, replicant]] as const) {
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, 'DB_CONFIG'), `${lines.join('\n')}\n`);
  }
}

// ---------------------------------------------------------------------------
// The DB_CONFIGs come from the real CLI (`provision master` / `provision
// replicant`, run as an operator would). PROVISION_E2E_CONFIGS=hand uses the
// hand-written files above instead, to check the harness on its own.
// ---------------------------------------------------------------------------

function cliConfigsWanted(): boolean {
  if (process.env['PROVISION_E2E_CONFIGS'] === 'hand') return false;
  if (!existsSync(join(projectRoot(), 'dist', 'cli', 'main.cjs'))) throw new Error('dist/cli/main.cjs is missing: build first (npm run build)');
  return true;
}

/** HOST:PORT as the CLI takes it ([::1]:PORT for IPv6). */
const cliAddress = (host: LoopbackHost, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

function writeConfigsWithCli(kind: Kind, host: LoopbackHost, ports: Ports, masterHome: string, clientHome: string): void {
  const provision = (args: string[]) => {
    try {
      execFileSync(process.execPath, [join(projectRoot(), 'bin', 'provision.js'), ...args], { cwd: projectRoot(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
    } catch (cause) {
      const e = cause as { status?: number; stdout?: string; stderr?: string };
      throw new Error(`provision ${args.join(' ')} exited ${e.status}:\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause });
    }
  };
  provision(['master', '--env', masterHome, '--local', cliAddress(host, ports.master), '--replicant', cliAddress(host, ports.client), '--yes']);
  provision([
    'replicant', '--env', clientHome, '--local', cliAddress(host, ports.client), '--master', cliAddress(host, ports.master),
    ...(kind === 'second-replicant' ? ['--site', cliAddress(host, ports.spare)] : []),
    '--yes',
  ]);
}

// ---------------------------------------------------------------------------

/** Everything needed to understand a failed run. */
function describe(result: PairResult, pair: Pair): string {
  const site = (s: PairResult['master']) =>
    `--- ${s.role}: exit ${s.exitCode}${s.signal ? ` (${s.signal})` : ''}${s.killed ? ', had to be stopped' : ''}\n${s.stdout}${s.stderr}`;
  return `DB_CONFIGs ${pair.source} in ${pair.masterHome} and ${pair.clientHome}; run took ${Math.round(result.ms)} ms\n${site(result.master)}\n${site(result.client)}`;
}

/** A TCP listener on 127.0.0.1:port that accepts connections and never says a word. */
async function listenSilently(port: number): Promise<() => Promise<void>> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => void sockets.push(socket.on('error', () => undefined)));
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  return () => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

/** Write the configs for `kind`, run the pair, hand the result to `check`, and clean up. */
async function withPair(kind: Kind, options: { timeoutMs: number; siteTimeoutMs?: number }, check: (result: PairResult, pair: Pair) => void): Promise<void> {
  const [master, client, spare] = await freePorts(HOSTS[kind], 3);
  const pair = writeConfigs(kind, { master: master!, client: client!, spare: spare! });
  let stopListener: (() => Promise<void>) | undefined;
  let ok = false;
  try {
    if (kind === 'silent-helper') stopListener = await listenSilently(spare!);
    const result = await runPair({ masterHome: pair.masterHome, clientHome: pair.clientHome, records: RECORDS, ...options });
    if (process.env['PROVISION_E2E_TIMINGS']) console.log(`\n  replication ${kind} (${pair.source}): ${Math.round(result.ms)} ms`);
    check(result, pair);
    ok = true;
  } finally {
    await stopListener?.();
    // Keep a failed run's directories for a post-mortem (they are under the gitignored .tmp/).
    if (ok) pair.cleanup();
    else console.log(`\n  replication ${kind}: kept ${pair.masterHome} and ${pair.clientHome}`);
  }
}

/** The sites each DB_CONFIG names, as "host port" (whatever wrote the files). */
function sitesIn(home: string): string[] {
  return readFileSync(join(home, 'DB_CONFIG'), 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/[ \t]+/))
    .filter((tokens) => tokens[0] === 'repmgr_site')
    .map((tokens) => `${tokens[1]} ${tokens[2]}`);
}

function assertReplicated(result: PairResult, pair: Pair): void {
  const { host, ports } = pair;
  // The run proves something only if the files name the sites this case is about.
  assert.equal(sitesIn(pair.masterHome).sort(), [`${host} ${ports.master}`, `${host} ${ports.client}`].sort(), `master DB_CONFIG (${pair.source})`);
  const replicantSites = [`${host} ${ports.client}`, `${host} ${ports.master}`, ...(pair.kind === 'second-replicant' ? [`${host} ${ports.spare}`] : [])];
  assert.equal(sitesIn(pair.clientHome).sort(), replicantSites.sort(), `replicant DB_CONFIG (${pair.source})`);
  const detail = describe(result, pair);
  assert.equal(result.client.report, { role: 'client', records: RECORDS, verified: true, writeRefused: true, status: 'client' }, detail);
  assert.is(result.client.exitCode, 0, detail);
  assert.is(result.master.report?.records, RECORDS, detail);
  assert.is(result.master.report?.error, undefined, detail);
  assert.is(result.master.exitCode, 0, detail);
  assert.not.ok(result.client.killed || result.master.killed, `a site had to be stopped\n${detail}`);
}

if (unavailable !== undefined) {
  if (process.env['PROVISION_E2E'] === 'required') {
    test('Berkeley DB is available (PROVISION_E2E=required)', () => {
      assert.unreachable(`PROVISION_E2E=required but the real Berkeley DB cannot be used: ${unavailable}`);
    });
  } else {
    console.log(`\n  NOTE: skipping the replication suite: ${unavailable}. Set PROVISION_E2E=required to make this a failure.\n`);
    test.skip('replication (Berkeley DB not available)');
  }
} else {
  console.log(`\n  replication: DB_CONFIGs ${cliConfigsWanted() ? 'from provision master/replicant' : 'hand-written'}`);

  test('an IPv4 (127.0.0.1) pair replicates 100 records and the replicant refuses writes', async () => {
    await withPair('ipv4', { timeoutMs: PAIR_TIMEOUT_MS }, assertReplicated);
  });

  test('a pair that names every site "localhost" replicates', async () => {
    await withPair('localhost', { timeoutMs: PAIR_TIMEOUT_MS }, assertReplicated);
  });

  if (ipv6) {
    test('an IPv6 (::1) pair replicates', async () => {
      await withPair('ipv6', { timeoutMs: PAIR_TIMEOUT_MS }, assertReplicated);
    });
  } else {
    console.log('  NOTE: skipping the IPv6 pair: this machine cannot listen on ::1.');
    test.skip('an IPv6 (::1) pair replicates (no IPv6 loopback)');
  }

  test('a replicant that also lists a second replicant, not running, still receives the records', async () => {
    await withPair('second-replicant', { timeoutMs: PAIR_TIMEOUT_MS }, assertReplicated);
  });

  test('negative control: a replicant without db_bootstrap_helper receives nothing', async () => {
    await withPair('no-helper', { timeoutMs: 8000, siteTimeoutMs: 1500 }, (result, pair) => {
      const detail = describe(result, pair);
      assert.is.not(result.client.exitCode, 0, detail);
      assert.is(result.client.report?.records, 0, detail);
      assert.is.not(result.client.report?.verified, true, detail);
      // BDB 5.3 refuses at once: repmgr_start gives DB_REP_UNAVAIL when no site can help it join.
      assert.match(result.client.report?.error ?? '', /DB_REP_UNAVAIL/, detail);
      assert.ok(result.ms < 8000, detail);
    });
  });

  // NOTE: a brand-new replicant's repmgr_start blocks, with no time limit, while its
  // helper accepts the connection but never answers (see docs/bdb-facts.md).
  test('repsite bounds a repmgr_start that never returns (a helper that never answers)', async () => {
    await withPair('silent-helper', { timeoutMs: 10_000, siteTimeoutMs: 1000 }, (result, pair) => {
      const detail = describe(result, pair);
      assert.not.ok(result.client.killed, `the client should have given up by itself\n${detail}`);
      assert.is(result.client.exitCode, 1, detail);
      assert.match(result.client.report?.error ?? '', /repmgr_start did not return/, detail);
      assert.ok(result.ms < 5000, detail);
    });
  });

  test('runPair stops both sites when the run outlasts its bound', async () => {
    // Sites allowed 60 s per wait, a client stuck in repmgr_start, and a run bounded to 2.5 s.
    await withPair('silent-helper', { timeoutMs: 2500, siteTimeoutMs: 60_000 }, (result, pair) => {
      const detail = describe(result, pair);
      assert.ok(result.client.killed, `the client should have had to be stopped\n${detail}`);
      for (const site of [result.master, result.client]) {
        assert.ok(site.exitCode !== null || site.signal !== null, `the ${site.role} is still running\n${detail}`);
      }
      assert.ok(result.ms < 2500 + 5000, `cleanup took too long\n${detail}`);
    });
  });

  test('no repsite process is left running', () => {
    assert.equal(leftoverRepsites(), []);
  });
}

test.run();
