import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { uncheckedWarning } from '../../src/cli/commands/clean.js';
import { tempDir } from '../helpers.js';
import { provision } from './run.js';

const REPLICANT = 'rep_set_priority 0\nrepmgr_site 127.0.0.1 5011 db_local_site on\nrepmgr_site 127.0.0.1 5010 db_bootstrap_helper on\n';

function environment(dir: string, extra: Record<string, string> = {}): string {
  const home = path.join(dir, 'env');
  const files = { DB_CONFIG: REPLICANT, '__db.001': 'r1', '__db.002': 'r2', '__db.rep.gen': 'g', 'log.0000000001': 'l', 'app.db': 'd', '__dbq.q.0': 'q', '_db.002': 'vendor spelling', ...extra };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(home, name)), { recursive: true });
    fs.writeFileSync(path.join(home, name), text);
  }
  return home;
}

const names = (home: string) => fs.readdirSync(home).sort();

test('--dry-run lists what would go and why, and removes nothing', () => {
  const t = tempDir();
  try {
    const home = environment(t.dir);
    const before = names(home);
    const r = provision(['clean', '--env', 'env', '--dry-run'], { cwd: t.dir });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /Would remove from env \(2 entries, 4 bytes, moved to quarantine\):\n  env\/__db\.001  \(region: shared-memory region file/);
    assert.match(r.stdout, /Dry run: nothing was removed/);
    assert.equal(names(home), before);
    // Processes this user cannot read depend on the machine: when there are some, the warning is the one for this user.
    const unchecked = /^warning: (\d+) process(?:es)? could not be checked.*$/m.exec(r.stderr);
    if (unchecked) assert.is(unchecked[0], uncheckedWarning(Number(unchecked[1]), process.getuid?.() === 0));
  } finally {
    t.cleanup();
  }
});

test('processes that could not be checked: counted in the singular or plural, with advice that fits root or not', () => {
  assert.is(uncheckedWarning(1, false), "warning: 1 process could not be checked (their open files are not readable by this user); run as the server's user or root to check them.");
  assert.is(uncheckedWarning(3, true), 'warning: 3 processes could not be checked (their open files are not readable here, even as root); make sure the server is stopped.');
  assert.not.match(uncheckedWarning(1, true), /run as/);
});

test('--list shows every entry with its class and fate', () => {
  const t = tempDir();
  try {
    environment(t.dir);
    const r = provision(['clean', '--env', 'env', '--list'], { cwd: t.dir });
    assert.is(r.code, 0);
    assert.match(r.stdout, /^config +DB_CONFIG +keep +the environment configuration; DB_CONFIG is never removed$/m);
    assert.match(r.stdout, /^data +__dbq\.q\.0 +keep +queue extent file: data; kept; --all-but-config removes it$/m);
    assert.match(r.stdout, /^unknown +_db\.002 +keep +vendor documents write/m);
    assert.match(r.stdout, /^region +__db\.001 +remove /m);
  } finally {
    t.cleanup();
  }
});

test('without a terminal clean needs --yes; with it, files go to quarantine and --undo brings them back', () => {
  const t = tempDir();
  try {
    const home = environment(t.dir);
    const before = names(home);
    const refused = provision(['clean', '--env', 'env'], { cwd: t.dir });
    assert.is(refused.code, 2);
    assert.match(refused.stderr, /confirm with --yes/);
    const r = provision(['clean', '--env', 'env', '--yes'], { cwd: t.dir });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /Moved 2 entries to .*\.provision-quarantine\/env\/\d{8}T\d{6}\.\d{3}Z\.\nUndo: provision clean --env env --undo \d{8}T/);
    assert.equal(names(home), before.filter((n) => !['__db.001', '__db.002'].includes(n)));
    const again = provision(['clean', '--env', 'env', '--yes'], { cwd: t.dir });
    assert.match(again.stdout, /Nothing to clean/);
    fs.writeFileSync(path.join(home, '__db.001'), 'recreated by a restart');
    const blocked = provision(['clean', '--env', 'env', '--undo'], { cwd: t.dir });
    assert.is(blocked.code, 1);
    assert.match(blocked.stderr, /^provision: refused: .*__db\.001 exists again; nothing was restored\. Move it away first\.\n$/);
    fs.rmSync(path.join(home, '__db.001'));
    assert.is(provision(['clean', '--env', 'env', '--undo', 'nosuch'], { cwd: t.dir }).code, 1);
    const undo = provision(['clean', '--env', 'env', '--undo'], { cwd: t.dir });
    assert.is(undo.code, 0, undo.stderr);
    assert.equal(names(home), before);
    assert.is(fs.readFileSync(path.join(home, '__db.002'), 'utf8'), 'r2');
  } finally {
    t.cleanup();
  }
});

test('--replication-state refuses a half-initialised replicant unless told; --all-but-config leaves only DB_CONFIG', () => {
  const t = tempDir();
  try {
    const home = environment(t.dir, { '__db.rep.init': 'i' });
    const refused = provision(['clean', '--env', 'env', '--replication-state', '--yes'], { cwd: t.dir });
    assert.is(refused.code, 1);
    assert.match(refused.stderr, /refused: __db\.rep\.init shows a replicant whose internal initialisation did not finish/);
    assert.ok(names(home).includes('__db.rep.gen'));
    const all = provision(['clean', '--env', 'env', '--all-but-config', '--yes', '--json'], { cwd: t.dir });
    assert.is(all.code, 0, all.stderr);
    const json = JSON.parse(all.stdout) as { mode: string; remove: unknown[]; applied: { id: string } };
    assert.is(json.mode, 'all-but-config');
    assert.is(json.remove.length, 8);
    assert.equal(names(home), ['DB_CONFIG']);
  } finally {
    t.cleanup();
  }
});

test('refuses while a process holds a file of the environment open, naming the process', async () => {
  const t = tempDir();
  try {
    const home = environment(t.dir);
    const holder = spawn(process.execPath, ['-e', `require('fs').openSync(${JSON.stringify(path.join(home, '__db.001'))}, 'r'); console.log('ready'); setTimeout(() => {}, 20000);`]);
    try {
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      const r = provision(['clean', '--env', 'env', '--yes'], { cwd: t.dir });
      assert.is(r.code, 1);
      assert.match(r.stderr, new RegExp(`refused: the environment is in use: pid ${holder.pid} \\(.*node.*\\) has .*__db\\.001 open`));
      assert.ok(names(home).includes('__db.001'));
    } finally {
      holder.kill('SIGKILL');
    }
  } finally {
    t.cleanup();
  }
});

test('the environment can come from an answers file; a missing one is a usage error', () => {
  const t = tempDir();
  try {
    environment(t.dir);
    fs.writeFileSync(path.join(t.dir, 'site.ini'), 'env = env\nlocal = 127.0.0.1:5011\n');
    const r = provision(['clean', '--answers', 'site.ini', '--dry-run'], { cwd: t.dir });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /Would remove/);
    assert.is(provision(['clean'], { cwd: t.dir }).code, 2);
    assert.is(provision(['clean', '--env', 'nope', '--dry-run'], { cwd: t.dir }).code, 2);
  } finally {
    t.cleanup();
  }
});

test('inside a site laid out by provision layout, clean finds the environment itself', () => {
  const t = tempDir();
  try {
    assert.is(provision(['layout', '--preset', 'tapetrack', '--root', 'site', '--yes'], { cwd: t.dir }).code, 0);
    fs.writeFileSync(path.join(t.dir, 'site/var/db/__db.001'), 'r');
    const r = provision(['clean', '--dry-run'], { cwd: path.join(t.dir, 'site') });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /Would remove from var\/db \(1 entry,/);
  } finally {
    t.cleanup();
  }
});

test.run();
