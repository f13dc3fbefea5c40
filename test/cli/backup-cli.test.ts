import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runBackup } from '../../src/cli/commands/backup.js';
import type { Io } from '../../src/cli/io.js';
import { renderLayoutManifest } from '../../src/layout/manifest.js';
import { describeTree, makeTree } from '../backup/trees.js';
import { tempDir } from '../helpers.js';
import { provision } from './run.js';

const ENV = { DB_CONFIG: 'set_lg_dir logs\nrepmgr_site 127.0.0.1 5011 db_local_site on\n', 'app.db': 'records', 'logs/log.0000000001': 'log' };
const HOST = os.hostname();

function inTemp(fn: (dir: string) => void | Promise<void>): () => Promise<void> {
  return async () => {
    const t = tempDir();
    try {
      await fn(t.dir);
    } finally {
      t.cleanup();
    }
  };
}

const snapshots = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

/** A process holding a file open until killed. */
async function holdOpen(file: string): Promise<{ pid: number; stop: () => void }> {
  const child = spawn(process.execPath, ['-e', `require('fs').openSync(${JSON.stringify(file)}, 'r'); console.log('ready'); setTimeout(() => {}, 20000);`]);
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  return { pid: child.pid!, stop: () => child.kill('SIGKILL') };
}

test('--help shows what a snapshot is, examples and exit codes', () => {
  for (const command of ['backup', 'restore']) {
    const r = provision([command, '--help']);
    assert.is(r.code, 0);
    assert.match(r.stdout, /Examples:\n {2}provision /);
    assert.match(r.stdout, /Exit codes: 0 /);
  }
  assert.match(provision(['backup', '--help']).stdout, /<backup root>\/<host>-<UTC time>\//);
});

test('usage errors exit 2: no backup root, no data root, a missing directory, --keep 0', inTemp((dir) => {
  makeTree(path.join(dir, 'env'), ENV);
  const noRoot = provision(['backup', '--data', 'env'], { cwd: dir });
  assert.is(noRoot.code, 2);
  assert.match(noRoot.stderr, /^provision: missing the backup root: give --to BACKUP_ROOT \(no layout manifest/);
  assert.match(provision(['backup', '--to', 'b'], { cwd: dir }).stderr, /missing the data root: give --data DIR/);
  assert.match(provision(['backup', '--data', 'nope', '--to', 'b'], { cwd: dir }).stderr, /--data nope: no such directory/);
  const keep = provision(['backup', '--data', 'env', '--to', 'b', '--keep', '0'], { cwd: dir });
  assert.is(keep.code, 2);
  assert.match(keep.stderr, /--keep must be a whole number of at least 1/);
  assert.is(provision(['backup', '--data', 'env', '--to', 'b', '--keep', 'abc'], { cwd: dir }).stderr, 'provision: --keep must be a whole number of at least 1, found "abc"\n');
  assert.is(provision(['backup', '--data', 'env', '--to', 'b', '--keep', ''], { cwd: dir }).stderr, 'provision: --keep must be a whole number of at least 1, found an empty value\n');
  assert.is(provision(['backup', '--data', 'env', '--to', 'b', '--keep'], { cwd: dir }).stderr, 'provision: Not enough arguments following: keep (see provision --help)\n');
  assert.is(provision(['restore', '--data', 'env'], { cwd: dir }).code, 2);
}));

test('--dry-run shows the plan and copies nothing; then a backup, --json, --list', inTemp((dir) => {
  makeTree(path.join(dir, 'env'), ENV);
  const dry = provision(['backup', '--data', 'env', '--to', 'backups', '--dry-run'], { cwd: dir });
  assert.is(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, new RegExp(`^Would back up env \\(environment: 3 files, 70 bytes\\) to backups/${HOST}-\\d{8}T\\d{6}Z\\nDry run: nothing was copied\\.\\n$`));
  assert.match(dry.stderr, /warning: the data root .* and the backup root .* are on the same file system: a backup on the same disk is not a backup/);
  assert.equal(snapshots(path.join(dir, 'backups')), []);

  const r = provision(['backup', '--data', 'env', '--to', 'backups'], { cwd: dir });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /Snapshot backups\/\S+: 3 files, 70 bytes, copied and verified in \d+\.\d s\.\nRestore it with: provision restore --from backups\/\S+ --data env\n$/);
  const json = provision(['backup', '--data', 'env', '--to', 'backups', '--json'], { cwd: dir });
  assert.is(json.code, 0, json.stderr);
  const out = JSON.parse(json.stdout) as { source: string; kind: string; files: number; applied: { snapshot: string; verified: boolean } };
  assert.is(out.source, path.join(dir, 'env'));
  assert.is(out.kind, 'environment');
  assert.is(out.applied.verified, true);
  assert.equal(snapshots(path.join(dir, 'backups')).length, 2);
  const list = provision(['backup', '--to', 'backups', '--list'], { cwd: dir });
  assert.match(list.stdout, new RegExp(`^${HOST}-\\S+ {2}\\d{4}-\\d\\d-\\d\\dT\\S+ {2}3 files, 70 bytes {2}from ${dir}/env$`, 'm'));
}));

test('--verify: exit 0 for a good snapshot, 1 listing what differs for a damaged one', inTemp((dir) => {
  makeTree(path.join(dir, 'env'), ENV);
  provision(['backup', '--data', 'env', '--to', 'backups'], { cwd: dir });
  const [name] = snapshots(path.join(dir, 'backups'));
  const ok = provision(['backup', '--to', 'backups', '--verify', name!], { cwd: dir });
  assert.is(ok.code, 0, ok.stderr);
  assert.is(ok.stdout, `ok      backups/${name} (3 files, 70 bytes)\n`);
  const data = path.join(dir, 'backups', name!, 'data');
  fs.writeFileSync(path.join(data, 'app.db'), 'RECORDS');
  fs.rmSync(path.join(data, 'logs/log.0000000001'));
  fs.writeFileSync(path.join(data, 'stray'), '');
  const bad = provision(['backup', '--to', 'backups', '--verify'], { cwd: dir });
  assert.is(bad.code, 1);
  assert.match(bad.stdout, new RegExp(`^DAMAGED backups/${name}: 3 differences from its manifest\\n  app\\.db: changed \\(expected sha256 \\w+, found sha256 \\w+\\)\\n  logs/log\\.0000000001: missing \\(a file\\)\\n  stray: not in the manifest \\(file\\)\\n$`));
  assert.match(bad.stderr, /1 snapshot of 1 does not match its manifest; do not restore from it/);
  const json = JSON.parse(provision(['backup', '--to', 'backups', '--verify', path.join(dir, 'backups', name!), '--json'], { cwd: dir }).stdout) as { ok: boolean; snapshots: { differences: { problem: string }[] }[] };
  assert.is(json.ok, false);
  assert.equal(json.snapshots[0]!.differences.map((d) => d.problem), ['content', 'missing', 'extra']);
}));

test('refused with exit 1: a log directory outside the data root (file:line), and a process holding a file open', inTemp(async (dir) => {
  makeTree(path.join(dir, 'env'), { ...ENV, DB_CONFIG: 'set_lg_dir /var/log/bdb\n' });
  const outside = provision(['backup', '--data', 'env', '--to', 'backups'], { cwd: dir });
  assert.is(outside.code, 1);
  assert.match(outside.stderr, new RegExp(`^provision: refused: ${dir}/env/DB_CONFIG:1: set_lg_dir /var/log/bdb is /var/log/bdb, outside the data root ${dir}/env;`, 'm'));

  makeTree(path.join(dir, 'env'), ENV);
  const holder = await holdOpen(path.join(dir, 'env/app.db'));
  try {
    const r = provision(['backup', '--data', 'env', '--to', 'backups'], { cwd: dir });
    assert.is(r.code, 1);
    assert.match(r.stderr, new RegExp(`refused: the data root .*env is in use: pid ${holder.pid} \\(.*node.*\\) has .*app\\.db open\\. Stop the server first\\.`));
    assert.equal(snapshots(path.join(dir, 'backups')), []);
  } finally {
    holder.stop();
  }
}));

test('--keep 1 removes older snapshots of the same data root after a good backup', inTemp((dir) => {
  makeTree(path.join(dir, 'env'), ENV);
  for (let i = 0; i < 2; i++) assert.is(provision(['backup', '--data', 'env', '--to', 'backups'], { cwd: dir }).code, 0);
  const before = snapshots(path.join(dir, 'backups'));
  const r = provision(['backup', '--data', 'env', '--to', 'backups', '--keep', '1'], { cwd: dir });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /then removes backups\/\S+: beyond --keep/);
  const after = snapshots(path.join(dir, 'backups'));
  assert.is(after.length, 1);
  assert.not.ok(before.includes(after[0]!));
}));

test('restore: into a new folder; refused into a full one; --replace keeps the old contents and --undo puts them back', inTemp((dir) => {
  makeTree(path.join(dir, 'env'), ENV);
  provision(['backup', '--data', 'env', '--to', 'backups'], { cwd: dir });
  const [name] = snapshots(path.join(dir, 'backups'));
  const fresh = describeTree(path.join(dir, 'env'));

  const r = provision(['restore', '--from', name!, '--to', 'backups', '--data', 'copy'], { cwd: dir });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^To restore: backups\/\S+ \(3 files, 70 bytes\) into copy\n {2}copy does not exist yet\nRestored backups\/\S+ into copy and checked it against the manifest\.\n$/);
  assert.equal(describeTree(path.join(dir, 'copy')), fresh);

  fs.writeFileSync(path.join(dir, 'env/app.db'), 'changed since');
  const changed = describeTree(path.join(dir, 'env'));
  const refused = provision(['restore', '--from', `backups/${name}`], { cwd: dir });
  assert.is(refused.code, 1);
  assert.match(refused.stderr, /refused: .*\/env is not empty \(3 entries, 3 files in all\); --replace/);

  const dry = provision(['restore', '--from', `backups/${name}`, '--replace', '--dry-run'], { cwd: dir });
  assert.is(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /what env holds now \(3 files, 76 bytes\) would move to a quarantine in \.provision-quarantine\/env\nDry run: nothing was restored\.\n$/);
  assert.equal(describeTree(path.join(dir, 'env')), changed);

  const replaced = provision(['restore', '--from', `backups/${name}`, '--replace'], { cwd: dir });
  assert.is(replaced.code, 0, replaced.stderr);
  assert.match(replaced.stdout, /The old contents are in \.provision-quarantine\/env\/restore-\S+\/data\.\nUndo: provision restore --data env --undo restore-\S+\n$/);
  assert.equal(describeTree(path.join(dir, 'env')), fresh);
  const undo = provision(['restore', '--data', 'env', '--undo'], { cwd: dir });
  assert.is(undo.code, 0, undo.stderr);
  assert.match(undo.stdout, /^Undid restore restore-\S+: env holds what it held before\./);
  assert.equal(describeTree(path.join(dir, 'env')), changed);
}));

test('restore refuses a damaged snapshot before touching anything, an interrupted backup, and a target in use', inTemp(async (dir) => {
  makeTree(path.join(dir, 'env'), ENV);
  provision(['backup', '--data', 'env', '--to', 'backups'], { cwd: dir });
  const [name] = snapshots(path.join(dir, 'backups'));
  const snap = path.join(dir, 'backups', name!);
  fs.appendFileSync(path.join(snap, 'data/app.db'), '!');
  const damaged = provision(['restore', '--from', snap, '--data', 'copy'], { cwd: dir });
  assert.is(damaged.code, 1);
  assert.match(damaged.stdout, /^ {2}app\.db: wrong size \(expected 7 bytes, found 8 bytes\)\n$/);
  assert.match(damaged.stderr, /refused: the snapshot .* does not match its manifest \(1 difference\); nothing was restored/);
  assert.not.ok(fs.existsSync(path.join(dir, 'copy')));

  fs.renameSync(snap, `${snap}.partial`);
  const partial = provision(['restore', '--from', `${snap}.partial`, '--data', 'copy'], { cwd: dir });
  assert.is(partial.code, 1);
  assert.match(partial.stderr, /is a backup that is still running or was interrupted, not a snapshot/);
  assert.is(provision(['restore', '--from', 'nope', '--data', 'copy'], { cwd: dir }).code, 2);

  provision(['backup', '--data', 'env', '--to', 'backups'], { cwd: dir });
  const holder = await holdOpen(path.join(dir, 'env/app.db'));
  try {
    const r = provision(['restore', '--from', 'latest', '--to', 'backups', '--replace'], { cwd: dir });
    assert.is(r.code, 1);
    assert.match(r.stderr, new RegExp(`refused: .*env is in use: pid ${holder.pid} `));
  } finally {
    holder.stop();
  }
}));

test('on a terminal, progress bars for copying and verifying go to stderr; stdout keeps the result', inTemp(async (dir) => {
  makeTree(path.join(dir, 'env'), { ...ENV, 'big.db': 'x'.repeat(3 << 20) });
  const out: string[] = [];
  const err: string[] = [];
  const tty = (sink: string[]) => ({ isTTY: true, write: (t: string) => sink.push(t) });
  const io: Io = { cwd: dir, env: {}, stdin: Object.assign(new PassThrough(), { isTTY: true }), stdout: tty(out), stderr: tty(err) };
  const code = await runBackup({ data: 'env', to: 'backups', list: false, dryRun: false, json: false }, io);
  assert.is(code, 0, err.join(''));
  const bars = err.join('');
  assert.match(bars, /\r {2}copying {3}\[#########################\] 3\.1 MB of 3\.1 MB\x1b\[K\n/);
  assert.match(bars, /\r {2}verifying \[#########################\] 3\.1 MB of 3\.1 MB\x1b\[K\n/);
  assert.match(out.join(''), /^To back up: env .*\nSnapshot backups\/\S+: 4 files, 3\.1 MB, copied and verified/);
}));

test('with a layout manifest, backup and restore find the data and backup roots themselves', inTemp((dir) => {
  makeTree(path.join(dir, 'site/DATA'), ENV);
  fs.mkdirSync(path.join(dir, 'site/PRG'));
  const roots = { program: path.join(dir, 'site/PRG'), data: path.join(dir, 'site/DATA'), backup: path.join(dir, 'site/BACKUP'), target: 'posix' as const };
  fs.writeFileSync(path.join(roots.program, 'provision-layout.ini'), renderLayoutManifest(roots));
  const r = provision(['backup'], { cwd: roots.data });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^To back up: \\. \\(environment: 3 files, 70 bytes\\) to ${roots.backup}/${HOST}-`));
  assert.is(snapshots(roots.backup).length, 1);
  const before = describeTree(roots.data);
  fs.writeFileSync(path.join(roots.data, 'app.db'), 'changed since');
  const restored = provision(['restore', '--from', 'latest', '--replace'], { cwd: roots.data });
  assert.is(restored.code, 0, restored.stderr);
  assert.match(restored.stdout, /^To restore: \S+ \(3 files, 70 bytes\) into \.\n/);
  assert.equal(describeTree(roots.data), before);
  // A folder given on the command line that belongs to no site is not sent to the working directory's site.
  makeTree(path.join(dir, 'other'), ENV);
  assert.match(provision(['backup', '--data', path.join(dir, 'other')], { cwd: roots.data }).stderr, /missing the backup root: give --to/);
}));

test.run();
