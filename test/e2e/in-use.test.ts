/**
 * In-use detection against the real Berkeley DB: while a process holds an
 * environment open (harness/dbopen.c --hold), findHolders names it, its
 * command and the region files it holds; once it has closed the environment,
 * or died holding it, nobody is reported although the region files remain.
 * Processes are always killed, and every wait is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { findHolders } from '../../src/env/in-use.js';
import { buildHarness, projectRoot, whyBdbUnavailable } from './bdb.js';

const test = suite('in-use-bdb');
const unavailable = whyBdbUnavailable() ?? (process.platform === 'linux' ? undefined : `in-use detection reads /proc, and this is ${process.platform}`);

/** The longest a holder may live, whatever happens to this test run. */
const HOLD_SECONDS = 60;
const START_MS = 10_000;
const EXIT_MS = 10_000;

interface Holding {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly gone: Promise<void>;
}

/** The holder's arguments: with --hold the environment stays open until stdin closes. */
const holdArgs = (home: string) => [home, '--hold', String(HOLD_SECONDS)];

/** Run dbopen with `args` in `home`. */
function start(harness: string, home: string, args: readonly string[]): Holding {
  const child = spawn(harness, args, { cwd: home, stdio: ['pipe', 'pipe', 'pipe'] });
  const gone = new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    child.once('error', () => resolve());
  });
  const h: Holding = { child, stdout: '', stderr: '', gone };
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (h.stdout += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (h.stderr += s));
  child.on('error', (e) => (h.stderr += `\ncould not run ${harness}: ${e.message}\n`));
  // NOTE: a pipe the child already closed must not crash the test run with EPIPE.
  child.stdin?.on('error', () => undefined);
  return h;
}

function running(h: Holding): boolean {
  return h.child.pid !== undefined && h.child.exitCode === null && h.child.signalCode === null;
}

/** Resolve true once the holder has printed "ready", false if it exits first or `ms` pass. */
async function ready(h: Holding, ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  while (!/^ready$/m.test(h.stdout)) {
    if (!running(h) || performance.now() > end) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

/** Resolve true once the holder has exited, false after `ms`. */
async function exited(h: Holding, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([h.gone.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** SIGKILL whatever still runs, and wait (bounded) for it to be reaped. Never throws. */
async function kill(h: Holding | undefined): Promise<void> {
  if (h === undefined) return;
  if (running(h)) h.child.kill('SIGKILL');
  await exited(h, EXIT_MS);
}

/** A fresh environment directory under the project's .tmp (gitignored), with a small cache. */
function freshHome(): { home: string; cleanup: () => void } {
  const scratch = join(projectRoot(), '.tmp', 'e2e');
  mkdirSync(scratch, { recursive: true });
  const home = mkdtempSync(join(scratch, 'in-use-'));
  writeFileSync(join(home, 'DB_CONFIG'), 'set_cachesize 0 1048576 1\n');
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

const regionFiles = (home: string) => readdirSync(home).filter((f) => /^__db\.\d{3}$/.test(f)).sort();

if (unavailable !== undefined) {
  if (process.env['PROVISION_E2E'] === 'required') {
    test('Berkeley DB is available (PROVISION_E2E=required)', () => {
      assert.unreachable(`PROVISION_E2E=required but the in-use check cannot run against the real Berkeley DB: ${unavailable}`);
    });
  } else {
    console.log(`\n  NOTE: skipping the Berkeley DB in-use suite: ${unavailable}. Set PROVISION_E2E=required to make this a failure.\n`);
    test.skip('in-use-bdb (Berkeley DB not available)');
  }
} else {
  let harness = '';
  test.before(() => {
    harness = buildHarness();
  });

  test('a process holding the environment open is named with the region files it holds; after a clean close, nobody', async () => {
    const { home, cleanup } = freshHome();
    let holder: Holding | undefined;
    try {
      holder = start(harness, home, holdArgs(home));
      assert.ok(await ready(holder, START_MS), `dbopen --hold did not get ready: exit ${holder.child.exitCode}, stdout ${holder.stdout}, stderr ${holder.stderr}`);
      const regions = regionFiles(home);
      assert.ok(regions.length >= 1, `no region files in ${readdirSync(home).join(' ')}`);

      const found = findHolders([home], []);
      assert.is(found.supported, true);
      const pid = holder.child.pid!;
      const mine = found.holders.filter((h) => h.pid === pid);
      assert.equal(found.holders.filter((h) => h.pid !== pid), [], 'only the holder uses this environment');
      const command = [harness, ...holdArgs(home)].join(' ');
      const shown = command.length > 80 ? `${command.slice(0, 79)}…` : command;
      for (const h of mine) assert.is(h.command, shown);
      // Berkeley DB keeps a descriptor open on every region file it maps, so each shows as open.
      const held = mine.map((h) => /^(?:has (.*) open|maps (.*))$/.exec(h.what)).map((m) => m?.[1] ?? m?.[2]);
      for (const region of regions) assert.ok(held.includes(join(home, region)), `${region} not reported: ${JSON.stringify(mine)}`);

      holder.child.stdin!.end();
      assert.ok(await exited(holder, EXIT_MS), 'dbopen did not close the environment after stdin closed');
      assert.is(holder.child.exitCode, 0, holder.stderr);
      assert.match(holder.stdout, /^\{"ok":true,/m);
      assert.equal(regionFiles(home), regions, 'the region files stay after a close');
      assert.equal(findHolders([home], []).holders, []);
    } finally {
      await kill(holder);
      cleanup();
    }
  });

  test('a process killed while holding the environment leaves region files that nobody holds', async () => {
    const { home, cleanup } = freshHome();
    let holder: Holding | undefined;
    try {
      holder = start(harness, home, holdArgs(home));
      assert.ok(await ready(holder, START_MS), `dbopen --hold did not get ready: ${holder.stderr}`);
      assert.ok(findHolders([home], []).holders.some((h) => h.pid === holder!.child.pid), 'the holder is seen before it dies');
      holder.child.kill('SIGKILL');
      assert.ok(await exited(holder, EXIT_MS), 'dbopen did not die on SIGKILL');
      assert.ok(regionFiles(home).length >= 1, 'stale region files are left behind');
      assert.equal(findHolders([home], []).holders, []);
    } finally {
      await kill(holder);
      cleanup();
    }
  });

  test('dbopen without --hold still opens, reports and exits at once', async () => {
    const { home, cleanup } = freshHome();
    let run: Holding | undefined;
    try {
      run = start(harness, home, [home]);
      run.child.stdin!.end();
      assert.ok(await exited(run, EXIT_MS), 'dbopen HOME did not exit');
      assert.is(run.child.exitCode, 0, run.stderr);
      assert.not.match(run.stdout, /ready/);
      assert.match(run.stdout, /^\{"ok":true,/);
    } finally {
      await kill(run);
      cleanup();
    }
  });
}

test.run();
