import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyBackup, BackupError } from '../../src/backup/apply-backup.js';
import { listSnapshots, OWNER_FILE } from '../../src/backup/snapshots.js';
import { tempDir } from '../helpers.js';
import { backup, describeTree, makeTree, plan } from './trees.js';

const names = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

test('a backup copies the tree byte for byte into <host>-<time>, and leaves nothing else', () => {
  const t = tempDir();
  try {
    const data = makeTree(path.join(t.dir, 'data'), { DB_CONFIG: 'set_data_dir db\n', 'db/app.db': 'records', '__db.001': 'region', 'link': '-> db/app.db' });
    fs.chmodSync(path.join(data, 'db'), 0o750);
    const backups = path.join(t.dir, 'backups');
    const folder = backup(data, backups, { now: new Date('2026-11-22T01:30:05Z') });
    assert.is(path.basename(folder), `${os.hostname()}-20261122T013005Z`);
    assert.equal(names(backups), [path.basename(folder)]);
    assert.equal(names(folder), ['data', 'manifest.json']);
    assert.equal(describeTree(path.join(folder, 'data')), describeTree(data));
  } finally {
    t.cleanup();
  }
});

test('refused: a DB_CONFIG naming a log directory outside the data root, directly or through a link', () => {
  const t = tempDir();
  try {
    fs.mkdirSync(path.join(t.dir, 'fastdisk/logs'), { recursive: true });
    const data = makeTree(path.join(t.dir, 'data'), { 'env/DB_CONFIG': 'set_cachesize 0 1048576 1\nset_lg_dir ../../fastdisk/logs\n' });
    const p = plan(data, path.join(t.dir, 'backups'));
    assert.is(p.refusal, `${data}/env/DB_CONFIG:2: set_lg_dir ../../fastdisk/logs is ${t.dir}/fastdisk/logs, outside the data root ${data}; a backup of the data root alone would miss it. Back up a folder that holds both (--data ${t.dir}), or move the directory inside.`);
    assert.throws(() => applyBackup(p), (e: BackupError) => e.refused && /outside the data root/.test(e.message));
    assert.equal(names(path.join(t.dir, 'backups')), []);

    makeTree(data, { 'env/DB_CONFIG': 'set_lg_dir logs\n', 'env/logs': `-> ${t.dir}/fastdisk/logs` });
    assert.match(plan(data, path.join(t.dir, 'backups')).refusal!, /set_lg_dir logs is .*\/env\/logs \(through a symbolic link to .*\/fastdisk\/logs\), outside/);
  } finally {
    t.cleanup();
  }
});

test('refused: the backup root inside the data root, or the data root inside the backup root', () => {
  const t = tempDir();
  try {
    const data = makeTree(path.join(t.dir, 'data'), { 'a.db': 'a' });
    assert.match(plan(data, path.join(data, 'BACKUP')).refusal!, /is inside the data root .*every backup would copy the ones before it/);
    assert.match(plan(data, data).refusal!, /inside the data root/);
    assert.match(plan(data, t.dir).refusal!, /the data root .* is inside the backup root/);
  } finally {
    t.cleanup();
  }
});

test('links pointing out of the data root are copied as links, with a warning; sockets are skipped', async () => {
  const t = tempDir();
  const server = net.createServer();
  try {
    const data = makeTree(path.join(t.dir, 'data'), { 'a.db': 'a', 'out': '-> /etc', 'up': '-> ../elsewhere', 'in': '-> a.db' });
    await new Promise<void>((resolve) => server.listen(path.join(data, 'sock'), resolve));
    const p = plan(data, path.join(t.dir, 'backups'));
    assert.equal(p.warnings, ['sock is a socket: not copied', 'symbolic links to outside the data root are copied as links, not what they point to: out -> /etc, up -> ../elsewhere']);
    const folder = applyBackup(p).folder;
    assert.equal(names(path.join(folder, 'data')), ['a.db', 'in', 'out', 'up']);
    assert.is(fs.readlinkSync(path.join(folder, 'data/out')), '/etc');
  } finally {
    server.close();
    t.cleanup();
  }
});

test('a file changing during the copy stops the backup, and no snapshot or partial folder is left', () => {
  const t = tempDir();
  try {
    const data = makeTree(path.join(t.dir, 'data'), { 'a.db': 'a', 'b.db': 'b' });
    const backups = path.join(t.dir, 'backups');
    const p = plan(data, backups);
    let once = false;
    const grow = () => {
      if (!once) fs.appendFileSync(path.join(data, 'b.db'), 'more');
      once = true;
    };
    assert.throws(() => applyBackup(p, { onProgress: grow }), (e: BackupError) => e.refused && /b\.db changed while the backup ran .*is the server still running\? No snapshot was made/.test(e.message));
    assert.equal(names(backups), []);
  } finally {
    t.cleanup();
  }
});

test('a server that starts during the backup (stillFree) stops it before the rename', () => {
  const t = tempDir();
  try {
    const data = makeTree(path.join(t.dir, 'data'), { 'a.db': 'a' });
    const backups = path.join(t.dir, 'backups');
    assert.throws(() => applyBackup(plan(data, backups), { stillFree: () => 'the data root is in use: pid 1 (db_server)' }), /pid 1 \(db_server\); it started while the backup ran.*No snapshot was made/);
    assert.equal(names(backups), []);
  } finally {
    t.cleanup();
  }
});

test('--keep N removes the oldest complete snapshots of this host and data root beyond N, only after the new one is verified', () => {
  const t = tempDir();
  try {
    const data = makeTree(path.join(t.dir, 'data'), { 'a.db': 'a' });
    const other = makeTree(path.join(t.dir, 'other'), { 'b.db': 'b' });
    const backups = path.join(t.dir, 'backups');
    const at = (s: number) => new Date(Date.UTC(2026, 10, 22, 1, 0, s));
    const made = [1, 2, 3].map((s) => path.basename(backup(data, backups, { now: at(s) })));
    const otherSnap = path.basename(backup(other, backups, { now: at(4) }));
    // Another host's snapshot of the same path is not ours to count.
    const foreign = path.join(backups, 'otherhost-20261122T010000Z');
    fs.cpSync(path.join(backups, made[0]!), foreign, { recursive: true });
    const manifest = fs.readFileSync(path.join(foreign, 'manifest.json'), 'utf8').replace(`"host": "${os.hostname()}"`, '"host": "otherhost"');
    fs.writeFileSync(path.join(foreign, 'manifest.json'), manifest);

    const p = plan(data, backups, { keep: 2, now: at(5) });
    assert.equal(p.remove.map((s) => path.basename(s.folder)), made.slice(0, 2));
    const r = applyBackup(p);
    assert.equal(r.removed.map((x) => [x.id, x.error]), made.slice(0, 2).map((id) => [id, undefined]));
    assert.equal(names(backups), [`${os.hostname()}-20261122T010005Z`, made[2], 'otherhost-20261122T010000Z', otherSnap].sort());
  } finally {
    t.cleanup();
  }
});

test('interrupted backups: warned about, removed by --keep, but never one whose process still runs', () => {
  const t = tempDir();
  try {
    const data = makeTree(path.join(t.dir, 'data'), { 'a.db': 'a' });
    const backups = path.join(t.dir, 'backups');
    const host = os.hostname();
    const owner = (pid: number) => JSON.stringify({ host, pid, started: new Date().toISOString() });
    makeTree(backups, {
      [`${host}-20261122T010000Z.partial/${OWNER_FILE}`]: owner(2 ** 22 + 12345), // no such process
      [`${host}-20261122T010001Z.partial/${OWNER_FILE}`]: owner(process.pid), // alive: a backup running now
      [`otherhost-20261122T010002Z.partial/${OWNER_FILE}`]: JSON.stringify({ host: 'otherhost', pid: 1, started: '' }),
      [`.${host}-20261122T010003Z.deleting/data/x`]: 'half removed',
    });
    const states = Object.fromEntries(listSnapshots(backups).map((s) => [s.stamp, [s.state, s.running]]));
    assert.equal(states, { '20261122T010000Z': ['partial', false], '20261122T010001Z': ['partial', true], '20261122T010002Z': ['partial', undefined], '20261122T010003Z': ['deleting', undefined] });
    const warned = plan(data, backups);
    assert.equal(warned.remove, []);
    assert.match(warned.warnings.join('\n'), /left by interrupted backups, never complete: \.\S+-20261122T010003Z\.deleting, \S+-20261122T010000Z\.partial; --keep N removes them/);
    const r = applyBackup(plan(data, backups, { keep: 5 }));
    assert.equal(r.removed.map((x) => x.state).sort(), ['deleting', 'partial']);
    assert.equal(names(backups), [`${host}-20261122T010001Z.partial`, path.basename(r.folder), 'otherhost-20261122T010002Z.partial'].sort());
  } finally {
    t.cleanup();
  }
});

test.run();
