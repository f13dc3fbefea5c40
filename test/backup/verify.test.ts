import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readManifest, snapshotData, SnapshotError } from '../../src/backup/snapshots.js';
import { describeDifference, verifyTree } from '../../src/backup/verify.js';
import { tempDir } from '../helpers.js';
import { backup, makeTree } from './trees.js';

function fresh(): { folder: string; cleanup: () => void } {
  const t = tempDir();
  const data = makeTree(path.join(t.dir, 'data'), { DB_CONFIG: 'set_cachesize 0 1048576 1\n', 'app.db': 'x'.repeat(10_000), 'logs/log.0000000001': 'log', link: '-> app.db' });
  return { folder: backup(data, path.join(t.dir, 'backups')), cleanup: t.cleanup };
}

const check = (folder: string) => verifyTree(snapshotData(folder), readManifest(folder));

test('a fresh snapshot verifies', () => {
  const s = fresh();
  try {
    const v = check(s.folder);
    assert.equal(v, { ok: true, files: 3, bytes: 10_000 + 26 + 3, differences: [] });
  } finally {
    s.cleanup();
  }
});

test('one changed byte, same size and time, is found', () => {
  const s = fresh();
  try {
    const file = path.join(s.folder, 'data/app.db');
    const { mtime, atime } = fs.statSync(file);
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, 'y', 5000);
    fs.closeSync(fd);
    fs.utimesSync(file, atime, mtime);
    const v = check(s.folder);
    assert.is(v.ok, false);
    assert.equal(v.differences.map((d) => [d.path, d.problem]), [['app.db', 'content']]);
    assert.match(describeDifference(v.differences[0]!), /^app\.db: changed \(expected sha256 [0-9a-f]{64}, found sha256 [0-9a-f]{64}\)$/);
  } finally {
    s.cleanup();
  }
});

test('a missing file, an extra file, a changed link, a changed mode and a file turned directory are each found', () => {
  const s = fresh();
  try {
    const data = snapshotData(s.folder);
    fs.rmSync(path.join(data, 'logs/log.0000000001'));
    fs.writeFileSync(path.join(data, 'logs/log.0000000002'), 'stray');
    fs.rmSync(path.join(data, 'link'));
    fs.symlinkSync('/etc/passwd', path.join(data, 'link'));
    fs.chmodSync(path.join(data, 'DB_CONFIG'), 0o600);
    const v = check(s.folder);
    assert.equal(
      v.differences.map((d) => describeDifference(d)),
      ['DB_CONFIG: mode changed (expected 0644, found 0600)', 'link: link changed (expected app.db, found /etc/passwd)', 'logs/log.0000000001: missing (a file)', 'logs/log.0000000002: not in the manifest (file)'],
    );
    fs.rmSync(path.join(data, 'app.db'));
    fs.mkdirSync(path.join(data, 'app.db'));
    assert.ok(check(s.folder).differences.some((d) => d.path === 'app.db' && d.problem === 'type'));
  } finally {
    s.cleanup();
  }
});

test('a truncated or missing manifest makes the snapshot unusable', () => {
  const s = fresh();
  try {
    const file = path.join(s.folder, 'manifest.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 200));
    assert.throws(() => readManifest(s.folder), (e: Error) => e instanceof SnapshotError && /not valid JSON.*cannot be trusted/.test(e.message));
    fs.rmSync(file);
    assert.throws(() => readManifest(s.folder), /is not a snapshot: it has no manifest\.json/);
  } finally {
    s.cleanup();
  }
});

test.run();
