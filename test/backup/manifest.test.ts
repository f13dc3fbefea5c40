import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MANIFEST_FORMAT, parseManifest, renderManifest, type BackupManifest } from '../../src/backup/manifest.js';
import { readManifest } from '../../src/backup/snapshots.js';
import { tempDir } from '../helpers.js';
import { backup, makeTree } from './trees.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

test('the manifest lists every directory, file and link with path, size, SHA-256, mode and time, parents first', () => {
  const t = tempDir();
  try {
    const data = makeTree(path.join(t.dir, 'data'), { DB_CONFIG: 'set_lg_dir logs\n', 'app.db': 'records', 'logs/log.0000000001': 'log', 'empty/.keep': '', 'link': '-> app.db', 'out': '-> /etc/hostname' });
    fs.rmSync(path.join(data, 'empty/.keep'));
    fs.chmodSync(path.join(data, 'app.db'), 0o640);
    fs.utimesSync(path.join(data, 'app.db'), 1_700_000_000, 1_700_000_000.25);
    const folder = backup(data, path.join(t.dir, 'backups'));
    const m = readManifest(folder);
    assert.is(m.format, MANIFEST_FORMAT);
    assert.is(m.id, path.basename(folder));
    assert.is(m.host, os.hostname());
    assert.is(m.source, data);
    assert.is(m.kind, 'environment');
    assert.is(m.files, 3);
    assert.is(m.bytes, 'set_lg_dir logs\n'.length + 'records'.length + 'log'.length);
    assert.equal(m.entries.map((e) => `${e.type} ${e.path}`), ['dir .', 'file DB_CONFIG', 'file app.db', 'dir empty', 'symlink link', 'dir logs', 'file logs/log.0000000001', 'symlink out']);
    const app = m.entries.find((e) => e.path === 'app.db')!;
    assert.equal({ ...app, uid: 0, gid: 0 }, { path: 'app.db', type: 'file', size: 7, mode: '0640', sha256: sha('records'), mtime: 1_700_000_000_250, uid: 0, gid: 0 });
    assert.equal(m.entries.find((e) => e.path === 'out'), { path: 'out', type: 'symlink', target: '/etc/hostname', mtime: fs.lstatSync(path.join(data, 'out')).mtimeMs, uid: process.getuid!(), gid: process.getgid!() });
    // The copy keeps modes and times; links stay links.
    assert.is(fs.statSync(path.join(folder, 'data/app.db')).mode & 0o777, 0o640);
    assert.is(fs.statSync(path.join(folder, 'data/app.db')).mtimeMs, 1_700_000_000_250);
    assert.is(fs.readlinkSync(path.join(folder, 'data/out')), '/etc/hostname');
    // One line an entry, so manifests diff well, and it parses back to the same thing.
    const text = fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8');
    assert.match(text, /\n {4}\{"path":"app\.db","type":"file","size":7,"mode":"0640","sha256":"[0-9a-f]{64}",/);
    assert.equal(parseManifest(renderManifest(m)), m);
  } finally {
    t.cleanup();
  }
});

const base = (): BackupManifest => ({
  format: MANIFEST_FORMAT,
  id: 'h-20261122T013005Z',
  host: 'h',
  created: '2026-11-22T01:30:05.000Z',
  finished: '2026-11-22T01:30:06.000Z',
  source: '/srv/data',
  kind: 'data root',
  files: 1,
  bytes: 2,
  entries: [
    { path: '.', type: 'dir', mode: '0755', mtime: 1, uid: 0, gid: 0 },
    { path: 'a', type: 'dir', mode: '0755', mtime: 1, uid: 0, gid: 0 },
    { path: 'a/f', type: 'file', size: 2, mode: '0644', sha256: sha('hi'), mtime: 1, uid: 0, gid: 0 },
  ],
  skipped: [],
});

test('a manifest a restore could be tricked by is refused', () => {
  assert.equal(parseManifest(renderManifest(base())), base());
  const bad = (change: (m: BackupManifest & { entries: object[] }) => void, message: RegExp) => {
    const m = JSON.parse(JSON.stringify(base())) as BackupManifest & { entries: object[] };
    change(m);
    assert.throws(() => parseManifest(JSON.stringify(m)), message);
  };
  bad((m) => ((m.entries[2] as { path: string }).path = '../etc/passwd'), /relative, inside the root/);
  bad((m) => ((m.entries[2] as { path: string }).path = '/etc/passwd'), /relative, inside the root/);
  bad((m) => ((m.entries[2] as { path: string }).path = 'a/./f'), /relative, inside the root/);
  bad((m) => ((m.entries[1] as { type: string; target?: string }).type = 'symlink', ((m.entries[1] as { target?: string }).target = '/etc')), /its directory is not listed before it/);
  bad((m) => m.entries.push(m.entries[2]!), /listed twice|totals/);
  bad((m) => m.entries.reverse(), /first entry/);
  bad((m) => ((m.entries[2] as { sha256: string }).sha256 = 'abc'), /SHA-256/);
  bad((m) => ((m as { bytes: number }).bytes = 3), /totals/);
  bad((m) => ((m as { format: string }).format = 'other/1'), /format/);
  assert.throws(() => parseManifest('{"format": "provision-backup/1", "id"'), /not valid JSON/);
});

test.run();
