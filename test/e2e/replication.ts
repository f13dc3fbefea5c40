/**
 * A real two-site Replication Manager group on loopback, for the end-to-end
 * tests: build harness/repsite.c, start a master and then a client on two
 * environment directories, collect what each reports, and always stop both.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectRoot } from './bdb.js';

/** The only hosts a test group may use. */
export const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '::1'] as const;
export type LoopbackHost = (typeof LOOPBACK_HOSTS)[number];

/** Throw unless `host` is one of LOOPBACK_HOSTS: a test must never reach another machine. */
export function assertLoopback(host: string): asserts host is LoopbackHost {
  if (!(LOOPBACK_HOSTS as readonly string[]).includes(host)) {
    throw new Error(`Refusing host "${host}": the replication tests only use ${LOOPBACK_HOSTS.join(', ')}`);
  }
}

/** The repsite binary (built by buildRepsite). */
export function repsitePath(): string {
  return join(projectRoot(), '.tmp', 'e2e', 'repsite');
}

/**
 * Compile harness/repsite.c into .tmp/e2e/repsite unless the binary is newer
 * than the source, and return the binary's path.
 */
export function buildRepsite(): string {
  const source = join(projectRoot(), 'test', 'e2e', 'harness', 'repsite.c');
  const binary = repsitePath();
  if (existsSync(binary) && statSync(binary).mtimeMs >= statSync(source).mtimeMs) return binary;
  mkdirSync(join(binary, '..'), { recursive: true });
  // NOTE: compile to a private name and rename, so a concurrent build never runs a half-written binary.
  const partial = `${binary}.${process.pid}`;
  try {
    execFileSync('cc', ['-Wall', '-Wextra', '-O1', '-o', partial, source, '-ldb-5.3'], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (cause) {
    const stderr = (cause as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`Could not compile the replication harness ${source}:\n${stderr}`, { cause });
  }
  renameSync(partial, binary);
  return binary;
}

/** Listen on host:port (0 for any) and report the port, or undefined if that fails. */
function tryListen(host: string, port: number): Promise<{ port: number; close: () => Promise<void> } | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    // NOTE: exclusive, so a port some other process shares through a cluster is not taken for free.
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address();
      const close = () => new Promise<void>((done) => server.close(() => done()));
      if (address === null || typeof address === 'string') {
        void close().then(() => resolve(undefined));
      } else {
        resolve({ port: address.port, close });
      }
    });
  });
}

/** Whether this machine can listen on the IPv6 loopback address ::1. */
export async function hasIpv6Loopback(): Promise<boolean> {
  const probe = await tryListen('::1', 0);
  await probe?.close();
  return probe !== undefined;
}

/**
 * `count` distinct TCP ports that are free on every address `host` names
 * (for `localhost`: 127.0.0.1 and, where there is one, ::1). The ports are
 * released before this returns, for the sites to bind.
 */
export async function freePorts(host: LoopbackHost, count: number): Promise<number[]> {
  assertLoopback(host);
  const addresses = host === 'localhost' ? ['127.0.0.1', ...((await hasIpv6Loopback()) ? ['::1'] : [])] : [host];
  const held: { port: number; close: () => Promise<void> }[] = [];
  try {
    for (let attempt = 0; held.length < count * addresses.length; attempt++) {
      if (attempt > 50) throw new Error(`Could not find ${count} free ports on ${addresses.join(' and ')}`);
      const first = await tryListen(addresses[0]!, 0);
      if (first === undefined) throw new Error(`Cannot listen on ${addresses[0]}`);
      const others = await Promise.all(addresses.slice(1).map((a) => tryListen(a, first.port)));
      const group = [first, ...others];
      if (group.every((g) => g !== undefined)) held.push(...group);
      else await Promise.all(group.map((g) => g?.close()));
    }
    // Holding every port until all are chosen keeps them distinct.
    return held.filter((_, i) => i % addresses.length === 0).map((h) => h.port);
  } finally {
    await Promise.all(held.map((h) => h.close()));
  }
}

/** The JSON line repsite prints at exit. */
export interface SiteReport {
  readonly role: 'master' | 'client';
  /** Records written (master) or found (client). */
  readonly records: number;
  /** Master: commits whose acknowledgement did not arrive in time. */
  readonly permFailed?: number;
  readonly verified?: boolean;
  readonly writeRefused?: boolean;
  /** Client: the status rep_stat reports ("client"). */
  readonly status?: string;
  /** Why the site failed, when it did. */
  readonly error?: string;
}

export interface SiteRun {
  readonly role: 'master' | 'client';
  readonly started: boolean;
  readonly pid?: number;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** It was still running when the run ended, so it had to be signalled. */
  readonly killed: boolean;
  readonly stdout: string;
  readonly stderr: string;
  readonly report?: SiteReport;
}

export interface PairOptions {
  readonly masterHome: string;
  readonly clientHome: string;
  /** Records the master writes and the client must find. */
  readonly records: number;
  /** Bound on the whole run; whatever still runs after it is killed. */
  readonly timeoutMs: number;
  /** What each site allows each of its waits (repsite --timeout); default half of timeoutMs. */
  readonly siteTimeoutMs?: number;
}

export interface PairResult {
  readonly master: SiteRun;
  readonly client: SiteRun;
  /** Wall-clock time of the whole run, cleanup included. */
  readonly ms: number;
}

/** How long a master may take to leave after its stdin closes, before SIGTERM. */
const MASTER_GRACE_MS = 2000;
/** How long a site may take to leave after SIGTERM, before SIGKILL. */
const TERM_GRACE_MS = 2000;

interface Site {
  readonly role: 'master' | 'client';
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  killed: boolean;
  /** Settles when the process has exited and its output is read (or it never started). */
  readonly gone: Promise<void>;
}

function startSite(binary: string, role: 'master' | 'client', home: string, options: Pick<PairOptions, 'records' | 'timeoutMs' | 'siteTimeoutMs'> & { readonly from?: number }, serve = false): Site {
  const seconds = ((options.siteTimeoutMs ?? options.timeoutMs / 2) / 1000).toFixed(3);
  const from = options.from !== undefined && options.from > 0 ? ['--from', String(options.from)] : [];
  // The master's stdin is the "done" signal: it serves its client until the pipe closes (a serving client too).
  const child = spawn(binary, [role, home, String(options.records), '--timeout', seconds, ...(serve ? ['--serve'] : []), ...from], {
    cwd: home,
    stdio: [role === 'master' || serve ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  const gone = new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    child.once('error', () => resolve());
  });
  const site: Site = { role, child, stdout: '', stderr: '', killed: false, gone };
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (site.stdout += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (site.stderr += s));
  child.on('error', (e) => (site.stderr += `\nrunPair: could not run ${binary}: ${e.message}\n`));
  // NOTE: a pipe the child already closed must not crash the test run with EPIPE.
  child.stdin?.on('error', () => undefined);
  return site;
}

function running(site: Site): boolean {
  return site.child.pid !== undefined && site.child.exitCode === null && site.child.signalCode === null;
}

/** Resolve true once `site` has exited, or false after `ms`. */
async function exitWithin(site: Site, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, ms))));
  try {
    return await Promise.race([site.gone.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolve true once `ready(site)` holds, false if the site exits first or `ms` pass. */
async function until(site: Site, ready: (s: Site) => boolean, ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  while (!ready(site)) {
    if (!running(site) || performance.now() > end) return ready(site);
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

/** SIGTERM (repsite closes its handles), then SIGKILL if it lingers. Never throws. */
async function stopSite(site: Site): Promise<void> {
  if (!running(site)) {
    await exitWithin(site, TERM_GRACE_MS); // the rest of its output
    return;
  }
  site.killed = true;
  site.child.kill('SIGTERM');
  if (await exitWithin(site, TERM_GRACE_MS)) return;
  site.child.kill('SIGKILL');
  await exitWithin(site, TERM_GRACE_MS);
}

function parseReport(stdout: string): SiteReport | undefined {
  const line = stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  try {
    return line === undefined ? undefined : (JSON.parse(line) as SiteReport);
  } catch {
    return undefined;
  }
}

function siteRun(role: 'master' | 'client', site: Site | undefined, why: string): SiteRun {
  if (site === undefined) return { role, started: false, exitCode: null, signal: null, killed: false, stdout: '', stderr: why };
  const report = parseReport(site.stdout);
  return {
    role,
    started: site.child.pid !== undefined,
    ...(site.child.pid !== undefined ? { pid: site.child.pid } : {}),
    exitCode: site.child.exitCode,
    signal: site.child.signalCode,
    killed: site.killed,
    stdout: site.stdout,
    stderr: site.stderr,
    ...(report ? { report } : {}),
  };
}

/**
 * Start a master on `masterHome`, wait until it is master (so the client's
 * first connection attempt finds it), start a client on `clientHome`, wait for
 * the client to finish, then tell the master it is done. Both processes are
 * always stopped before this returns or throws, on success, failure or timeout.
 */
export async function runPair(options: PairOptions): Promise<PairResult> {
  const binary = buildRepsite();
  const start = performance.now();
  const left = () => options.timeoutMs - (performance.now() - start);
  let master: Site | undefined;
  let client: Site | undefined;
  let notStarted = 'not started';
  try {
    master = startSite(binary, 'master', options.masterHome, options);
    if (await until(master, (s) => /event MASTER\b/.test(s.stderr), left())) {
      client = startSite(binary, 'client', options.clientHome, options);
      await exitWithin(client, left());
    } else {
      notStarted = `not started: the master ${running(master) ? 'did not become master in time' : 'exited first'}`;
    }
    master.child.stdin?.end();
    await exitWithin(master, Math.min(left(), MASTER_GRACE_MS));
  } finally {
    await Promise.all([master, client].map((s) => (s ? stopSite(s) : undefined)));
  }
  return { master: siteRun('master', master, 'not started'), client: siteRun('client', client, notStarted), ms: performance.now() - start };
}

/** One site run on its own, outside runPair. */
export interface SiteOptions {
  readonly home: string;
  /** Records the master writes (once its first client connects), or the client must find. */
  readonly records: number;
  /** What the site allows each of its waits (repsite --timeout). */
  readonly siteTimeoutMs: number;
  /** Master: the first key it writes (default 0), so a later master adds records after an earlier one's. */
  readonly from?: number;
}

/** A master that keeps serving its clients until it is told to stop. */
export interface RunningMaster {
  readonly pid: number;
  running(): boolean;
  /** What it printed so far (stderr, where its events go). */
  stderr(): string;
  /**
   * Close its stdin (the "done" signal, which it reads once its records are
   * written), give it `graceMs` to leave, then SIGTERM and SIGKILL. Never throws;
   * safe to call twice.
   */
  stop(graceMs?: number): Promise<SiteRun>;
}

/**
 * Start a master on an environment (new or used before) and wait until it is
 * master. It writes its records when the first client connects and then serves
 * any client (runClient) until stop(). If it does not become master within
 * `readyMs` it is stopped and this throws. The caller must stop() it in a finally.
 */
export async function startMaster(options: SiteOptions & { readonly readyMs: number }): Promise<RunningMaster> {
  const site = startSite(buildRepsite(), 'master', options.home, {
    records: options.records,
    timeoutMs: options.siteTimeoutMs * 2,
    siteTimeoutMs: options.siteTimeoutMs,
    ...(options.from !== undefined ? { from: options.from } : {}),
  });
  let stopped: Promise<SiteRun> | undefined;
  const stop = (graceMs = MASTER_GRACE_MS) =>
    (stopped ??= (async () => {
      site.child.stdin?.end();
      await exitWithin(site, graceMs);
      await stopSite(site);
      return siteRun('master', site, 'not started');
    })());
  if (!(await until(site, (s) => /event MASTER\b/.test(s.stderr), options.readyMs))) {
    const run = await stop(0);
    throw new Error(`the master on ${options.home} ${run.exitCode !== null || run.signal !== null ? 'exited' : 'did not become master'} within ${options.readyMs} ms:\n${run.stdout}${run.stderr}`);
  }
  return { pid: site.child.pid!, running: () => running(site), stderr: () => site.stderr, stop };
}

/**
 * Run a client on `home` against a master that is already running, until it
 * exits by itself or `timeoutMs` pass (then it is stopped). The client is always
 * gone when this returns.
 */
export async function runClient(options: SiteOptions & { readonly timeoutMs: number }): Promise<SiteRun> {
  const site = startSite(buildRepsite(), 'client', options.home, options);
  try {
    await exitWithin(site, options.timeoutMs);
  } finally {
    await stopSite(site);
  }
  return siteRun('client', site, 'not started');
}

/**
 * Start a client on `home` against a running master and wait until it has
 * verified the master's records; it then stays in the group (repsite --serve),
 * so a site that joins later finds it, until stop(). If it fails or does not
 * verify within `readyMs` it is stopped and this throws. The caller must stop()
 * it in a finally.
 */
export async function startClient(options: SiteOptions & { readonly readyMs: number }): Promise<RunningMaster> {
  const site = startSite(buildRepsite(), 'client', options.home, { records: options.records, timeoutMs: options.siteTimeoutMs * 2, siteTimeoutMs: options.siteTimeoutMs }, true);
  let stopped: Promise<SiteRun> | undefined;
  const stop = (graceMs = MASTER_GRACE_MS) =>
    (stopped ??= (async () => {
      site.child.stdin?.end();
      await exitWithin(site, graceMs);
      await stopSite(site);
      return siteRun('client', site, 'not started');
    })());
  if (!(await until(site, (s) => /repsite\[client\]: verified \d+ records/.test(s.stderr), options.readyMs))) {
    const run = await stop(0);
    throw new Error(`the client on ${options.home} ${run.exitCode !== null || run.signal !== null ? 'exited' : 'did not verify its records'} within ${options.readyMs} ms:\n${run.stdout}${run.stderr}`);
  }
  return { pid: site.child.pid!, running: () => running(site), stderr: () => site.stderr, stop };
}

/**
 * PIDs of repsite processes this process started that still run. Only our own
 * children count: another test run in the same checkout may have its own.
 */
export function leftoverRepsites(): number[] {
  const binary = repsitePath();
  try {
    const out = execFileSync('pgrep', ['-P', String(process.pid), '-f', '--', binary], { encoding: 'utf8' });
    return out.split('\n').filter(Boolean).map(Number);
  } catch (cause) {
    const error = cause as NodeJS.ErrnoException & { status?: number };
    if (error.status === 1) return []; // pgrep: nothing matched
    if (error.code !== 'ENOENT') throw cause;
  }
  // No pgrep (procps not installed): read /proc directly.
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const parent = /^\d+ \(.*\) \S+ (\d+)/s.exec(readFileSync(`/proc/${d}/stat`, 'latin1'))?.[1];
        return Number(parent) === process.pid && readFileSync(`/proc/${d}/cmdline`, 'latin1').split('\0')[0] === binary;
      } catch {
        return false;
      }
    })
    .map(Number);
}
