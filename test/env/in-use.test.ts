/**
 * findHolders: which processes hold an environment's files open or mapped, or
 * listen on its port. First on a fake proc tree that covers every shape of
 * /proc the scan reads, then on real processes of this machine (Linux only).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { findHolders, type Holder } from '../../src/env/in-use.js';
import { tempDir } from '../helpers.js';

const fake = suite('in-use: fake /proc');

interface FakeProcess {
  readonly comm?: string;
  /** Arguments, joined with NULs as the kernel does. */
  readonly argv?: readonly string[];
  /** fd number -> link target. */
  readonly fds?: Readonly<Record<number, string>>;
  /** Paths in the maps file, one mapping each (undefined: no maps file). */
  readonly maps?: readonly string[];
  /** The fd directory is missing: the process exited during the scan. */
  readonly noFdDir?: boolean;
}

const TCP_HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

function tcpRow(n: number, local: string, state: string, inode: number): string {
  return `   ${n}: ${local} 00000000:0000 ${state} 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;
}

/** A maps line the way the kernel pads it: the path starts at column 74. */
function mapsLine(i: number, file: string): string {
  const head = `7f00000${i}000-7f00000${i + 1}000 rw-s 00000000 fe:00 ${1000 + i}`;
  return `${head.padEnd(73)}${file}\n`;
}

/** Build a proc tree under `root`. */
function buildProc(root: string, processes: Readonly<Record<number, FakeProcess>>, tcp: string, tcp6: string): void {
  fs.mkdirSync(path.join(root, 'net'), { recursive: true });
  fs.writeFileSync(path.join(root, 'net', 'tcp'), TCP_HEADER + tcp);
  fs.writeFileSync(path.join(root, 'net', 'tcp6'), TCP_HEADER + tcp6);
  fs.mkdirSync(path.join(root, 'sys')); // not a pid: ignored
  for (const [pid, p] of Object.entries(processes)) {
    const dir = path.join(root, pid);
    fs.mkdirSync(dir);
    if (p.comm !== undefined) fs.writeFileSync(path.join(dir, 'comm'), `${p.comm}\n`);
    if (p.argv !== undefined) fs.writeFileSync(path.join(dir, 'cmdline'), p.argv.map((a) => `${a}\0`).join(''));
    if (!p.noFdDir) {
      fs.mkdirSync(path.join(dir, 'fd'));
      for (const [fd, target] of Object.entries(p.fds ?? {})) fs.symlinkSync(target, path.join(dir, 'fd', fd));
    }
    if (p.maps !== undefined) {
      const lines = ['00400000-00401000 r-xp 00000000 fe:00 12 /usr/bin/prog\n', '7ffc0000-7ffc1000 rw-p 00000000 00:00 0 [stack]\n', '7ffd0000-7ffd1000 rw-p 00000000 00:00 0 \n'];
      fs.writeFileSync(path.join(dir, 'maps'), lines.join('') + p.maps.map((m, i) => mapsLine(i, m)).join(''));
    }
  }
}

const whatOf = (holders: readonly Holder[], pid: number) => holders.filter((h) => h.pid === pid).map((h) => h.what);

fake('open, mapped, deleted, spaced and newline paths inside the directory; outside and vanished ones are not', () => {
  const t = tempDir();
  try {
    const env = path.join(t.dir, 'srv env'); // a space in the directory itself
    fs.mkdirSync(path.join(env, 'sub dir'), { recursive: true });
    const link = path.join(t.dir, 'link-to-env');
    fs.symlinkSync(env, link);
    const proc = path.join(t.dir, 'proc');
    buildProc(proc, {
      100: { comm: 'dbopen', argv: ['/opt/bin/dbopen', env, '--hold', '30'], fds: { 0: '/dev/null', 1: 'pipe:[77]', 3: `${env}/__db.001`, 4: `${env}/__db.001`, 5: `${env}/__db.002` }, maps: [`${env}/__db.003`] },
      101: { comm: 'mapper', argv: ['mapper'], fds: { 0: '/dev/null' }, maps: [`${env}/__db.002`, `${env}/__db.002`, '/usr/lib/libc.so.6'] },
      102: { comm: 'zombie-ish', argv: ['old', 'server'], fds: {}, maps: [`${env}/__db.001 (deleted)`] },
      103: { comm: 'spaces', argv: ['spaces'], fds: { 7: `${env}/sub dir/a file.db` }, maps: [] },
      104: { comm: 'newline', argv: ['newline'], fds: {}, maps: [`${env}/odd\\012name`] },
      105: { comm: 'outsider', argv: ['outsider'], fds: { 3: `${env}-other/__db.001`, 4: `${t.dir}/srv`, 5: 'anon_inode:[eventfd]' }, maps: [`${env}2/__db.001`, `${t.dir}/srv envx`] },
      106: { comm: 'gone', argv: ['gone'], noFdDir: true, maps: [`${env}/__db.001`] },
      107: { comm: 'exited-late', fds: { 3: `${env}/__db.001` } }, // no comm or cmdline left: it exited after the fd scan
      108: { comm: 'dirholder', argv: ['ls', env], fds: { 3: env } },
      109: { comm: 'renamed', argv: ['postgres: writer', '', ''], fds: { 3: `${env}/log.0000000001 (deleted)` } },
      110: { comm: 'kworker/0:1', argv: [], fds: { 3: `${env}/__db.001` } },
    }, '', '');
    fs.rmSync(path.join(proc, '107', 'comm'));

    const result = findHolders([link], [], { procRoot: proc, self: 1 });
    assert.is(result.supported, true);
    assert.is(result.unreadable, 0);
    assert.equal(whatOf(result.holders, 100), [`has ${env}/__db.001 open`, `has ${env}/__db.002 open`], 'open files once each; maps skipped once an open file is found');
    assert.equal(whatOf(result.holders, 101), [`maps ${env}/__db.002`]);
    assert.equal(whatOf(result.holders, 102), [`maps ${env}/__db.001 (deleted)`]);
    assert.equal(whatOf(result.holders, 103), [`has ${env}/sub dir/a file.db open`]);
    assert.equal(whatOf(result.holders, 104), [`maps ${env}/odd\nname`], 'the kernel writes a newline as \\012');
    assert.equal(whatOf(result.holders, 105), [], 'siblings that share a prefix are outside');
    assert.equal(whatOf(result.holders, 106), [], 'a process without an fd directory has exited');
    assert.equal(whatOf(result.holders, 107), [], 'no comm and no cmdline: it exited since');
    assert.equal(whatOf(result.holders, 108), [`has ${env} open`], 'the directory itself counts');
    assert.equal(whatOf(result.holders, 109), [`has ${env}/log.0000000001 (deleted) open`]);

    const command = (pid: number) => result.holders.find((h) => h.pid === pid)?.command;
    assert.is(command(100), `/opt/bin/dbopen ${env} --hold 30`);
    assert.is(command(109), 'renamed: postgres: writer', 'a process that renamed itself is shown with both names');
    assert.is(command(110), '[kworker/0:1]', 'no command line: the name in brackets, as ps shows it');
    assert.equal([...new Set(result.holders.map((h) => h.pid))], [100, 101, 102, 103, 104, 108, 109, 110], 'ordered by pid');
  } finally {
    t.cleanup();
  }
});

fake('the calling process is never reported; a directory given twice or by two names counts once', () => {
  const t = tempDir();
  try {
    const env = path.join(t.dir, 'env');
    fs.mkdirSync(env);
    fs.symlinkSync(env, path.join(t.dir, 'alias'));
    const proc = path.join(t.dir, 'proc');
    buildProc(proc, {
      200: { comm: 'me', argv: ['node', 'clean'], fds: { 3: `${env}/__db.001` } },
      201: { comm: 'other', argv: ['other'], fds: { 3: `${env}/__db.001` } },
    }, '', '');
    const result = findHolders([env, path.join(t.dir, 'alias'), `${env}/`], [], { procRoot: proc, self: 200 });
    assert.equal(result.holders, [{ pid: 201, command: 'other', what: `has ${env}/__db.001 open` }]);
  } finally {
    t.cleanup();
  }
});

fake('listeners on the asked ports, IPv4 and IPv6, with their owner or as an unknown process', () => {
  const t = tempDir();
  try {
    const proc = path.join(t.dir, 'proc');
    const tcp =
      tcpRow(0, '0100007F:1392', '0A', 5555) + // 127.0.0.1:5010 LISTEN, owned by 300
      tcpRow(1, '0100007F:1392', '01', 5556) + // an established connection on 5010: not a listener
      tcpRow(2, '00000000:0016', '0A', 5557) + // :22 LISTEN, not asked
      tcpRow(3, '00000000:1394', '0A', 5558); // 0.0.0.0:5012 LISTEN, owned by 300 and its fork 302
    const tcp6 =
      tcpRow(0, '00000000000000000000000001000000:1393', '0A', 6666) + // [::1]:5011 LISTEN, owner not visible
      tcpRow(1, '00000000000000000000000000000000:1392', '0A', 6667); // [::]:5010 LISTEN, owned by 300 too
    buildProc(proc, {
      300: { comm: 'repsite', argv: ['repsite', 'master', '/srv/env'], fds: { 3: 'socket:[5555]', 4: 'socket:[5556]', 5: 'socket:[6667]', 6: 'socket:[5558]' } },
      301: { comm: 'sshd', argv: ['sshd'], fds: { 3: 'socket:[5557]' } },
      302: { comm: 'repsite', argv: ['repsite', 'master', '/srv/env'], fds: { 6: 'socket:[5558]' } },
    }, tcp, tcp6);
    const result = findHolders([], [5010, 5011, 5012, 5013], { procRoot: proc, self: 1 });
    assert.equal(result.holders, [
      { pid: 300, command: 'repsite master /srv/env', what: 'listens on port 5010' },
      { pid: 300, command: 'repsite master /srv/env', what: 'listens on port 5012' },
      { pid: 302, command: 'repsite master /srv/env', what: 'listens on port 5012' },
      { pid: 0, command: 'unknown process', what: 'listens on port 5011' },
    ]);
    assert.equal(findHolders([], [22], { procRoot: proc, self: 301 }).holders, [{ pid: 0, command: 'unknown process', what: 'listens on port 22' }]);
  } finally {
    t.cleanup();
  }
});

fake('a long command line is cut to about 80 characters, control characters become spaces', () => {
  const t = tempDir();
  try {
    const proc = path.join(t.dir, 'proc');
    const env = path.join(t.dir, 'env');
    fs.mkdirSync(env);
    buildProc(proc, { 400: { comm: 'java', argv: ['java', '-jar', 'x'.repeat(200), 'a\nb'], fds: { 3: `${env}/__db.001` } } }, '', '');
    const [holder] = findHolders([env], [], { procRoot: proc, self: 1 }).holders;
    assert.is(holder!.command.length, 80);
    assert.ok(holder!.command.startsWith('java -jar xxx'), holder!.command);
    assert.ok(holder!.command.endsWith('…'));
  } finally {
    t.cleanup();
  }
});

fake('nothing to look for, or no proc tree', () => {
  const t = tempDir();
  try {
    const proc = path.join(t.dir, 'proc');
    buildProc(proc, { 500: { comm: 'x', argv: ['x'], fds: { 3: '/srv/env/__db.001' } } }, '', '');
    assert.equal(findHolders([], [], { procRoot: proc }), { supported: true, holders: [], unreadable: 0 });
    assert.equal(findHolders(['/srv/env'], [], { procRoot: path.join(t.dir, 'missing') }), { supported: false, holders: [] });
  } finally {
    t.cleanup();
  }
});

const real = suite('in-use: real processes');

interface Child {
  readonly child: ChildProcess;
  /** Everything it printed on stdout so far. */
  out: () => string;
  readonly gone: Promise<void>;
}

function start(command: string, args: readonly string[]): Child {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (out += s));
  const gone = new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    child.once('error', () => resolve());
  });
  return { child, out: () => out, gone };
}

/** Resolve once `ok()` holds; throw after `ms`. */
async function waitFor(ok: () => boolean, ms: number, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (!ok()) {
    if (performance.now() > end) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** SIGKILL and wait (bounded) for the exit to be seen. */
async function stop(c: Child | undefined): Promise<void> {
  if (c === undefined) return;
  if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  await Promise.race([c.gone, new Promise((r) => setTimeout(r, 5000))]);
}

if (process.platform !== 'linux') {
  console.log(`\n  NOTE: skipping the real-process in-use checks: they read /proc, and this is ${process.platform}.\n`);
  real('findHolders says it is not supported here', () => {
    assert.equal(findHolders(['.'], [1]), { supported: false, holders: [] });
  });
} else {
  real('a process holding a file open, one running a program from the directory, and a listener are found; once they exit, nothing is', async () => {
    const t = tempDir('provision-in-use-');
    let opener: Child | undefined;
    let runner: Child | undefined;
    let listener: Child | undefined;
    try {
      const file = path.join(t.dir, '__db.001');
      fs.writeFileSync(file, 'region');
      // The shell opens fd 3 on the file and becomes `sleep`, which keeps it.
      opener = start('/bin/sh', ['-c', 'exec 3<"$1"; echo ready; exec sleep 30', 'sh', file]);
      // A program run from inside the directory is mapped there, with no descriptor open on it.
      // Named sleep, so a multi-call coreutils binary still knows what to be.
      const sleepCopy = path.join(t.dir, 'sleep');
      fs.copyFileSync(fs.realpathSync('/bin/sleep'), sleepCopy);
      fs.chmodSync(sleepCopy, 0o755);
      runner = start('/bin/sh', ['-c', 'echo ready; exec "$1" 30', 'sh', sleepCopy]);
      listener = start(process.execPath, ['-e', `const s = require('node:net').createServer().listen(0, '127.0.0.1', () => console.log('port ' + s.address().port)); setTimeout(() => process.exit(0), 30000);`]);
      await waitFor(() => opener!.out().includes('ready') && runner!.out().includes('ready') && /port \d+/.test(listener!.out()), 10_000, 'the children to start');
      const port = Number(/port (\d+)/.exec(listener.out())![1]);

      const holders = await (async () => {
        // `exec` replaces the shell a moment after "ready": wait until the programs run.
        const end = performance.now() + 5000;
        for (;;) {
          const found = findHolders([t.dir], [port]);
          const commands = new Set(found.holders.map((h) => h.command));
          const runnerDone = commands.has(`${sleepCopy} 30`) || runner!.child.exitCode !== null;
          if ((commands.has('sleep 30') && runnerDone) || performance.now() > end) return found.holders;
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      assert.equal(holders.filter((h) => h.pid === opener!.child.pid), [{ pid: opener.child.pid!, command: 'sleep 30', what: `has ${file} open` }]);
      if (runner.child.exitCode !== null) {
        console.log(`\n  NOTE: could not run a program from ${t.dir} (mounted noexec?); the real mapped-file check is skipped.\n`);
      } else {
        assert.equal(holders.filter((h) => h.pid === runner!.child.pid), [{ pid: runner.child.pid!, command: `${sleepCopy} 30`, what: `maps ${sleepCopy}` }]);
      }
      const listens = holders.filter((h) => h.pid === listener!.child.pid);
      assert.is(listens.length, 1, JSON.stringify(holders));
      assert.is(listens[0]!.what, `listens on port ${port}`);
      assert.ok(listens[0]!.command.includes('node'), listens[0]!.command);
      assert.is(holders.length, runner.child.exitCode === null ? 3 : 2, JSON.stringify(holders));

      await Promise.all([stop(opener), stop(runner), stop(listener)]);
      assert.equal(findHolders([t.dir], [port]).holders, []);
    } finally {
      await Promise.all([stop(opener), stop(runner), stop(listener)]);
      t.cleanup();
    }
  });

  real('a scan of this machine finds no holder of a directory nobody has open', () => {
    const result = findHolders(['/nonexistent-provision-dir'], [1]);
    assert.is(result.supported, true);
    assert.equal(result.holders, []);
  });
}

fake.run();
real.run();
