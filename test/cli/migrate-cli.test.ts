import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, tempDir } from '../helpers.js';
import { provision } from './run.js';

const test = suite('provision migrate');
const F = path.join(ROOT, 'fixtures', 'migrate');
const SITES = ['a', 'b', 'c'] as const;
/**
 * A takeover connects to the old master's replication port first, and the
 * fixture's master (10.0.0.1:5010) is not ours to probe: these tests skip it.
 * The probe itself is tested on loopback below.
 */
const NO_PROBE = ['--force'];

function withGroup(body: (dir: string, read: () => Record<string, string>) => void): void {
  const { dir, cleanup } = tempDir();
  try {
    fs.cpSync(path.join(F, 'group'), path.join(dir, 'g'), { recursive: true });
    const read = () => Object.fromEntries(SITES.map((s) => [s, fs.readFileSync(path.join(dir, 'g', s, 'DB_CONFIG'), 'latin1')]));
    body(dir, read);
  } finally {
    cleanup();
  }
}

const original = () => Object.fromEntries(SITES.map((s) => [s, fs.readFileSync(path.join(F, 'group', s, 'DB_CONFIG'), 'latin1')]));
const masters = (files: Record<string, string>) => Object.entries(files).filter(([, t]) => /db_group_creator on/.test(t)).map(([s]) => s);

test('failover --dry-run shows the diff and writes nothing', () => {
  withGroup((dir, read) => {
    const r = provision(['migrate', 'failover', '--group', 'g', '--to', 'b', '--dry-run'], { cwd: dir });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /^-rep_set_priority 1$/m);
    assert.match(r.stdout, /^\+rep_set_priority 0$/m);
    assert.match(r.stdout, /Dry run: nothing was written/);
    assert.match(r.stderr, /durability of transactions acknowledged earlier/);
    assert.equal(read(), original());
    assert.not.ok(fs.existsSync(path.join(dir, 'g', 'a', '.provision-journal')));
  });
});

test('failover without --yes and without a terminal is a usage error naming --yes (as clean)', () => {
  withGroup((dir, read) => {
    const r = provision(['migrate', 'failover', '--group', 'g', '--to', 'b'], { cwd: dir });
    assert.is(r.code, 2);
    assert.match(r.stderr, /confirm with --yes/);
    assert.equal(read(), original());
  });
});

test('failover --yes applies in order; a second run has nothing to do', () => {
  withGroup((dir, read) => {
    const r = provision(['migrate', 'failover', '--group', 'g', '--to', 'b', '--yes'], { cwd: dir });
    assert.is(r.code, 0, r.stderr);
    const order = [...r.stdout.matchAll(/^wrote g\/(\w)\/DB_CONFIG/gm)].map((m) => m[1]);
    assert.equal(order, ['a', 'c', 'b']);
    assert.match(r.stdout, /journal entry \d{8}T\d{6}Z-failover/);
    for (const s of SITES) assert.is(read()[s], fs.readFileSync(path.join(F, 'expected', 'failover-to-b', s, 'DB_CONFIG'), 'latin1'));
    assert.equal(masters(read()), ['b']);
    const again = provision(['migrate', 'failover', '--group', 'g', '--to', 'b', '--yes'], { cwd: dir });
    assert.is(again.code, 0);
    assert.match(again.stdout, /^Nothing to do: failover is already applied/);
  });
});

test('--json prints the plan and the result', () => {
  withGroup((dir) => {
    const r = provision(['migrate', 'failover', '--group', 'g', '--to', 'c', '--yes', '--json'], { cwd: dir });
    assert.is(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.is(out.migration, 'failover');
    assert.is(out.changes.length, 3);
    assert.equal(out.roles.map((x: { site: string; after: string }) => `${x.site}:${x.after}`), ['a:replicant', 'b:replicant', 'c:master']);
    assert.match(out.applied.journal.id, /-failover$/);
    const list = JSON.parse(provision(['migrate', 'list', '--group', 'g', '--json'], { cwd: dir }).stdout);
    assert.is(list.entries.length, 1);
    assert.is(list.entries[0].rolledBack, false);
  });
});

test('takeover: a wrong code refuses (exit 1), a missing one is a usage error naming --confirm (exit 2)', () => {
  withGroup((dir, read) => {
    const wrong = provision(['migrate', 'takeover', '--group', 'g', '--to', 'b', '--confirm', '2925', '--date', '2001-09-25'], { cwd: dir });
    assert.is(wrong.code, 1);
    assert.match(wrong.stderr, /--confirm 2925 is neither the takeover code for 2001-09-25 nor the site's name \(b\)/);
    const missing = provision(['migrate', 'takeover', '--group', 'g', '--to', 'b', '--yes'], { cwd: dir });
    assert.is(missing.code, 2);
    assert.match(missing.stderr, /--confirm CODE/);
    assert.equal(read(), original());
  });
});

test('takeover with the code, then restore-main: the main server is master again, files as before', () => {
  withGroup((dir, read) => {
    const take = provision(['migrate', 'takeover', '--group', 'g', '--to', 'b', '--confirm', '3116', '--date', '2001-11-15', ...NO_PROBE], { cwd: dir });
    assert.is(take.code, 0, take.stderr);
    assert.equal(masters(read()), ['b']);
    const back = provision(['migrate', 'restore-main', '--group', 'g', '--yes'], { cwd: dir });
    assert.is(back.code, 0, back.stderr);
    assert.equal(read(), original());
    const again = provision(['migrate', 'restore-main', '--group', 'g', '--yes'], { cwd: dir });
    assert.match(again.stdout, /Nothing to do/);
  });
});

test('restore-main gives each site the priority it had before the takeover', () => {
  withGroup((dir, read) => {
    const a = path.join(dir, 'g', 'a', 'DB_CONFIG');
    const b = path.join(dir, 'g', 'b', 'DB_CONFIG');
    fs.writeFileSync(a, fs.readFileSync(a, 'latin1').replace('rep_set_priority 1', 'rep_set_priority 100'), 'latin1');
    fs.writeFileSync(b, fs.readFileSync(b, 'latin1').replace('rep_set_priority 0', 'rep_set_priority 50'), 'latin1');
    const start = read();
    assert.is(provision(['migrate', 'takeover', '--group', 'g', '--to', 'b', '--confirm', 'b', ...NO_PROBE], { cwd: dir }).code, 0);
    assert.match(read().a!, /^rep_set_priority 0$/m);
    assert.match(read().b!, /^rep_set_priority 50$/m);
    const back = provision(['migrate', 'restore-main', '--group', 'g', '--yes'], { cwd: dir });
    assert.is(back.code, 0, back.stderr);
    assert.equal(read(), start);
  });
});

/** Give a priority 100 (the main server) and b 50 (its backup), as a topology would. */
function mainAndBackup(dir: string): void {
  const a = path.join(dir, 'g', 'a', 'DB_CONFIG');
  const b = path.join(dir, 'g', 'b', 'DB_CONFIG');
  fs.writeFileSync(a, fs.readFileSync(a, 'latin1').replace('rep_set_priority 1', 'rep_set_priority 100'), 'latin1');
  fs.writeFileSync(b, fs.readFileSync(b, 'latin1').replace('rep_set_priority 0', 'rep_set_priority 50'), 'latin1');
}

test('failover and back (failover, or restore-main --main): each site gets the priority it had in its role', () => {
  for (const back of [['failover', '--to', 'a'], ['restore-main', '--main', 'a']]) {
    withGroup((dir, read) => {
      mainAndBackup(dir);
      const start = read();
      const over = provision(['migrate', 'failover', '--group', 'g', '--to', 'b', '--yes', '--json'], { cwd: dir });
      assert.is(over.code, 0, over.stderr);
      assert.equal(JSON.parse(over.stdout).details, { master: 'b', previousMaster: 'a', 'priorityBefore:a': '100', 'priorityBefore:b': '50' });
      assert.match(read().a!, /^rep_set_priority 0$/m);
      assert.match(read().b!, /^rep_set_priority 50$/m);
      const r = provision(['migrate', ...back, '--group', 'g', '--yes'], { cwd: dir });
      assert.is(r.code, 0, r.stderr);
      assert.equal(read(), start, back.join(' '));
    });
  }
});

test('failover --demoted-priority N sets the old master\'s priority; --priority the new master\'s', () => {
  withGroup((dir, read) => {
    mainAndBackup(dir);
    const r = provision(['migrate', 'failover', '--group', 'g', '--to', 'b', '--demoted-priority', '80', '--priority', '90', '--yes'], { cwd: dir });
    assert.is(r.code, 0, r.stderr);
    assert.match(read().a!, /^rep_set_priority 80$/m);
    assert.match(read().b!, /^rep_set_priority 90$/m);
    assert.match(read().c!, /^rep_set_priority 0$/m);
    assert.not.match(r.stderr, /durability/, 'no priority moved between 0 and non-zero');
    assert.is(provision(['migrate', 'failover', '--group', 'g', '--to', 'a', '--yes'], { cwd: dir }).code, 0);
    assert.match(read().a!, /^rep_set_priority 100$/m);
    assert.match(read().b!, /^rep_set_priority 50$/m);
    assert.is(provision(['migrate', 'failover', '--group', 'g', '--to', 'b', '--demoted-priority', 'x', '--yes'], { cwd: dir }).code, 2);
  });
});

test('demote, then promote the same site: its priority comes back from the journal', () => {
  withGroup((dir, read) => {
    mainAndBackup(dir);
    const start = read().a;
    assert.is(provision(['migrate', 'demote', '--env', 'g/a', '--helper', '10.0.0.2:5010', '--yes'], { cwd: dir }).code, 0);
    assert.match(read().a!, /^rep_set_priority 0$/m);
    const p = provision(['migrate', 'promote', '--env', 'g/a', '--yes'], { cwd: dir });
    assert.is(p.code, 0, p.stderr);
    assert.is(read().a, start, 'the file is as it was');
  });
});

test('takeover confirmed by the site\'s name, on the backup\'s file alone', () => {
  withGroup((dir, read) => {
    const r = provision(['migrate', 'takeover', '--env', 'g/b', '--confirm', 'b', ...NO_PROBE], { cwd: dir });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, /10\.0\.0\.1:5010.*still says master/);
    assert.equal(masters(read()).sort(), ['a', 'b']);
  });
});

test('takeover on the backup\'s file alone, then restore-main on the group finds the main server by its address', () => {
  withGroup((dir, read) => {
    assert.is(provision(['migrate', 'takeover', '--env', 'g/b', '--confirm', 'b', ...NO_PROBE], { cwd: dir }).code, 0);
    assert.equal(masters(read()).sort(), ['a', 'b']);
    const back = provision(['migrate', 'restore-main', '--group', 'g', '--yes'], { cwd: dir });
    assert.is(back.code, 0, back.stderr);
    assert.match(back.stdout, /undo: provision migrate rollback \S+-restore-main --group g\)\n/);
    assert.equal(read(), original());
  });
});

/** A loopback port with a real listener on it (`listening`), or one just closed again. */
async function loopbackPort(listening: boolean): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const close = () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  if (!listening) await close();
  return { port, close };
}

/** Move the master a to 127.0.0.1:PORT in every file of the group. */
function masterOnLoopback(dir: string, port: number): void {
  for (const s of SITES) {
    const file = path.join(dir, 'g', s, 'DB_CONFIG');
    fs.writeFileSync(file, fs.readFileSync(file, 'latin1').replaceAll('10.0.0.1 5010', `127.0.0.1 ${port}`), 'latin1');
  }
}

test('takeover refuses while the old master still answers on its replication port (loopback); --force goes ahead', async () => {
  const { dir, cleanup } = tempDir();
  const listener = await loopbackPort(true);
  try {
    fs.cpSync(path.join(F, 'group'), path.join(dir, 'g'), { recursive: true });
    masterOnLoopback(dir, listener.port);
    const before = fs.readFileSync(path.join(dir, 'g', 'b', 'DB_CONFIG'));
    for (const sites of [['--group', 'g'], ['--env', 'g/b']]) {
      const r = provision(['migrate', 'takeover', ...sites, '--to', 'b', '--confirm', 'b'], { cwd: dir });
      assert.is(r.code, 1, `${sites.join(' ')}: ${r.stderr}`);
      const refusal = r.stderr.split('\n').filter((l) => l.startsWith('provision: refused:'));
      assert.is(refusal.length, 1, r.stderr);
      assert.match(refusal[0]!, new RegExp(`^provision: refused: the old master \\((a, )?127\\.0\\.0\\.1:${listener.port}\\) still accepts connections on its replication port`));
      assert.match(refusal[0]!, /Stop its server.*--force/);
      assert.ok(fs.readFileSync(path.join(dir, 'g', 'b', 'DB_CONFIG')).equals(before), 'nothing was written');
      assert.not.ok(fs.existsSync(path.join(dir, 'g', 'b', '.provision-journal')));
    }
    const forced = provision(['migrate', 'takeover', '--group', 'g', '--to', 'b', '--confirm', 'b', '--force'], { cwd: dir });
    assert.is(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /journal entry \S+-takeover/);
  } finally {
    await listener.close();
    cleanup();
  }
});

test('takeover goes ahead when the old master\'s port is closed (loopback)', async () => {
  const { dir, cleanup } = tempDir();
  const closed = await loopbackPort(false);
  try {
    fs.cpSync(path.join(F, 'group'), path.join(dir, 'g'), { recursive: true });
    masterOnLoopback(dir, closed.port);
    const r = provision(['migrate', 'takeover', '--group', 'g', '--to', 'b', '--confirm', 'b'], { cwd: dir });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /journal entry \S+-takeover/);
    assert.not.match(r.stderr, /still accepts/);
    const files = Object.fromEntries(SITES.map((s) => [s, fs.readFileSync(path.join(dir, 'g', s, 'DB_CONFIG'), 'latin1')]));
    assert.equal(masters(files), ['b']);
    assert.is(provision(['migrate', 'failover', '--group', 'g', '--to', 'a', '--force', '--yes'], { cwd: dir }).code, 2, '--force is for takeover only');
  } finally {
    cleanup();
  }
});

test('rollback restores; after a hand edit it refuses and names the file', () => {
  withGroup((dir, read) => {
    assert.is(provision(['migrate', 'failover', '--group', 'g', '--to', 'b', '--yes'], { cwd: dir }).code, 0);
    fs.appendFileSync(path.join(dir, 'g', 'c', 'DB_CONFIG'), '# by hand\n');
    const refused = provision(['migrate', 'rollback', '--group', 'g', '--yes'], { cwd: dir });
    assert.is(refused.code, 1);
    assert.match(refused.stderr, /g\/c\/DB_CONFIG changed since migration \S+-failover/);
    assert.equal(masters(read()), ['b']);
    const c = read().c!;
    fs.writeFileSync(path.join(dir, 'g', 'c', 'DB_CONFIG'), c.replace('# by hand\n', ''), 'latin1');
    const dry = provision(['migrate', 'rollback', '--group', 'g', '--dry-run'], { cwd: dir });
    assert.is(dry.code, 0);
    assert.equal(masters(read()), ['b']);
    const ok = provision(['migrate', 'rollback', '--group', 'g', '--yes'], { cwd: dir });
    assert.is(ok.code, 0, ok.stderr);
    assert.equal(read(), original());
    assert.match(provision(['migrate', 'list', '--group', 'g'], { cwd: dir }).stdout, /failover \(rolled back\)/);
  });
});

test('rename-host across the group; a NEW host with a newline is refused', () => {
  withGroup((dir, read) => {
    const bad = provision(['migrate', 'rename-host', '--group', 'g', '10.0.0.2', 'db2\nrep_set_priority 9', '--yes'], { cwd: dir });
    assert.is(bad.code, 1);
    assert.match(bad.stderr, /new host .*control character/);
    const r = provision(['migrate', 'rename-host', '--group', 'g', '10.0.0.2', 'db2.example.com', '--yes'], { cwd: dir });
    assert.is(r.code, 0, r.stderr);
    for (const s of SITES) assert.is(read()[s], fs.readFileSync(path.join(F, 'expected', 'rename-host', s, 'DB_CONFIG'), 'latin1'));
  });
});

test('modernise --env on a legacy CRLF file: byte-exact', () => {
  const { dir, cleanup } = tempDir();
  try {
    fs.mkdirSync(path.join(dir, 'env'));
    fs.copyFileSync(path.join(F, 'modernise', 'legacy-crlf.DB_CONFIG'), path.join(dir, 'env', 'DB_CONFIG'));
    const r = provision(['migrate', 'modernise', '--env', 'env', '--yes'], { cwd: dir });
    assert.is(r.code, 0, r.stderr);
    assert.ok(fs.readFileSync(path.join(dir, 'env', 'DB_CONFIG')).equals(fs.readFileSync(path.join(F, 'expected', 'modernise-legacy-crlf.DB_CONFIG'))));
    assert.match(provision(['migrate', 'modernise', '--env', 'env/DB_CONFIG', '--yes'], { cwd: dir }).stdout, /^Nothing to do/);
  } finally {
    cleanup();
  }
});

test('promote and demote one site with --site NAME=PATH', () => {
  withGroup((dir, read) => {
    const d = provision(['migrate', 'demote', '--site', 'a=g/a', '--helper', '10.0.0.2:5010', '--yes'], { cwd: dir });
    assert.is(d.code, 0, d.stderr);
    assert.is(read().a, fs.readFileSync(path.join(F, 'expected', 'demote-a.DB_CONFIG'), 'latin1'));
    const p = provision(['migrate', 'promote', '--site', 'b=g/b/DB_CONFIG', '--yes'], { cwd: dir });
    assert.is(p.code, 0, p.stderr);
    assert.is(read().b, fs.readFileSync(path.join(F, 'expected', 'promote-b.DB_CONFIG'), 'latin1'));
    assert.match(p.stderr, /demote the old master first/);
  });
});

test('promote --env DIR --group DIR sees the group: refused while another site is master; after its demotion it goes ahead', () => {
  withGroup((dir, read) => {
    const refused = provision(['migrate', 'promote', '--env', 'g/b', '--group', 'g', '--yes'], { cwd: dir });
    assert.is(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /^provision: refused: the result would configure 2 masters \(a, b\)/m);
    assert.equal(read(), original());
    // Demoted to priority 0, no site of the group could be elected: the group rules refuse that too.
    const unelectable = provision(['migrate', 'demote', '--env', 'g/a', '--group', 'g', '--helper', '10.0.0.2:5010', '--yes'], { cwd: dir });
    assert.is(unelectable.code, 1, unelectable.stderr);
    assert.match(unelectable.stderr, /group-no-master/);
    const demoted = provision(['migrate', 'demote', '--env', 'g/a', '--group', 'g', '--helper', '10.0.0.2:5010', '--priority', '5', '--yes'], { cwd: dir });
    assert.is(demoted.code, 0, demoted.stderr);
    assert.equal(masters(read()), []);
    const promoted = provision(['migrate', 'promote', '--env', 'g/b', '--group', 'g', '--yes'], { cwd: dir });
    assert.is(promoted.code, 0, promoted.stderr);
    assert.not.match(promoted.stderr, /Only this file is changed/, 'with the group, the check replaces the warning');
    assert.equal(masters(read()), ['b']);
    assert.equal(Object.keys(JSON.parse(provision(['migrate', 'list', '--group', 'g', '--json'], { cwd: dir }).stdout).entries[1].files), ['0'], 'only b was written');
  });
});

test('usage errors exit 2 with one line', () => {
  withGroup((dir) => {
    for (const args of [
      ['migrate', 'failover', '--to', 'b'],
      ['migrate', 'failover', '--site', 'nopath', '--to', 'b'],
      ['migrate', 'failover', '--group', 'missing', '--to', 'b'],
      ['migrate', 'failover', '--group', 'g'],
      ['migrate', 'promote', '--group', 'g'],
      ['migrate', 'promote', '--site', 'a=g/a', '--site', 'b=g/b'],
      ['migrate', 'promote', '--env', 'elsewhere', '--group', 'g'],
      ['migrate', 'promote', '--env', 'g/b', '--priority', 'high'],
      ['migrate', 'takeover', '--group', 'g', '--to', 'b', '--date', '2001-02-30', '--dry-run'],
    ]) {
      const r = provision(args, { cwd: dir });
      assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.not.match(r.stderr, /\n\s+at /);
    }
    assert.is(provision(['migrate', 'frobnicate', '--group', 'g'], { cwd: dir }).code, 2);
    const unknown = provision(['migrate', 'failover', '--group', 'g', '--to', 'z', '--yes'], { cwd: dir });
    assert.is(unknown.code, 1);
    assert.match(unknown.stderr, /--to z: no such site in the group \(sites: a, b, c\)/);
  });
});

test.run();
