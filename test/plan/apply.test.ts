import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyPlan, ApplyError, previewPlan, unifiedDiff } from '../../src/index.js';
import { makeDirectories } from '../../src/plan/apply.js';
import { tempDir } from '../helpers.js';

const write = (file: string, before: string | null, after: string) => ({
  kind: 'write' as const, path: file, before: before === null ? null : Buffer.from(before), after: Buffer.from(after), reason: 'test',
});

test('apply creates, replaces with a backup, and reports unchanged without touching the file', () => {
  const t = tempDir();
  try {
    const file = path.join(t.dir, 'env', 'DB_CONFIG');
    const created = applyPlan({ changes: [{ kind: 'mkdir', path: path.dirname(file), reason: 'env' }, write(file, null, 'a 1\n')] });
    assert.equal(created.map((a) => a.status), ['created', 'created']);
    fs.chmodSync(file, 0o640);
    const now = new Date('2026-11-22T01:30:00Z');
    const [replaced] = applyPlan({ changes: [write(file, 'a 1\n', 'a 2\n')] }, { now });
    assert.is(replaced!.status, 'written');
    assert.is(path.basename(replaced!.backup!), 'DB_CONFIG.20261122T013000Z.bak');
    assert.is(fs.readFileSync(replaced!.backup!, 'utf8'), 'a 1\n');
    assert.is(fs.readFileSync(file, 'utf8'), 'a 2\n');
    assert.is(fs.statSync(file).mode & 0o777, 0o640, 'mode kept');
    const mtime = fs.statSync(file).mtimeMs;
    const [same] = applyPlan({ changes: [write(file, 'a 2\n', 'a 2\n')] });
    assert.is(same!.status, 'unchanged');
    assert.is(fs.statSync(file).mtimeMs, mtime);
    assert.equal(fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith('.tmp')), []);
  } finally {
    t.cleanup();
  }
});

test('backups beyond the limit are removed, oldest first', () => {
  const t = tempDir();
  try {
    const file = path.join(t.dir, 'DB_CONFIG');
    fs.writeFileSync(file, 'v0\n');
    for (let i = 1; i <= 4; i++) {
      applyPlan({ changes: [write(file, `v${i - 1}\n`, `v${i}\n`)] }, { now: new Date(Date.UTC(2026, 10, 22, 1, i)), keepBackups: 2 });
    }
    const backups = fs.readdirSync(t.dir).filter((f) => f.endsWith('.bak')).sort();
    assert.equal(backups, ['DB_CONFIG.20261122T010300Z.bak', 'DB_CONFIG.20261122T010400Z.bak']);
    assert.is(fs.readFileSync(path.join(t.dir, backups[1]!), 'utf8'), 'v3\n');
  } finally {
    t.cleanup();
  }
});

test('a file that changed since the plan was made is refused and left alone', () => {
  const t = tempDir();
  try {
    const file = path.join(t.dir, 'DB_CONFIG');
    fs.writeFileSync(file, 'edited meanwhile\n');
    assert.throws(() => applyPlan({ changes: [write(file, 'a 1\n', 'a 2\n')] }), (e: unknown) => e instanceof ApplyError && /changed since it was read/.test(e.message));
    assert.is(fs.readFileSync(file, 'utf8'), 'edited meanwhile\n');
    assert.equal(fs.readdirSync(t.dir), ['DB_CONFIG']);
  } finally {
    t.cleanup();
  }
});

test('unified diff: hunks with context, and a missing final newline is marked', () => {
  assert.is(unifiedDiff('a\nb\n', 'a\nb\n', 'x', 'y'), '');
  assert.fixture(unifiedDiff('a\nb\nc\n', 'a\nB\nc', 'x', 'y'), '--- x\n+++ y\n@@ -1,3 +1,3 @@\n a\n-b\n-c\n+B\n+c\n\\ No newline at end of file\n');
  const long = Array.from({ length: 20 }, (_, i) => `l${i}\n`).join('');
  const changed = long.replace('l2\n', 'L2\n').replace('l17\n', 'L17\n');
  const d = unifiedDiff(long, changed, 'x', 'y');
  assert.equal(d.match(/^@@.*$/gm), ['@@ -1,6 +1,6 @@', '@@ -15,6 +15,6 @@']);
});

test('preview says when there is nothing to do', () => {
  assert.is(previewPlan({ changes: [write('/x/DB_CONFIG', 'a\n', 'a\n')] }), 'Nothing to do: everything is already as planned.\n');
});

test('preview names files in UTF-8, quotes a name with a control character as git does, and leaves a Windows path as it is', () => {
  const header = (p: string) => previewPlan({ changes: [write(p, 'a\n', 'b\n')] }).split('\n').slice(1, 3);
  assert.equal(header('/srv/ünï😀/DB_CONFIG'), ['--- a//srv/ünï😀/DB_CONFIG', '+++ b//srv/ünï😀/DB_CONFIG']);
  // A newline in a name must not start a line of the diff.
  assert.equal(header('/srv/x\ny "q"/DB_CONFIG'), ['--- "a//srv/x\\ny \\"q\\"/DB_CONFIG"', '+++ "b//srv/x\\ny \\"q\\"/DB_CONFIG"']);
  assert.equal(header('C:\\db\\DB_CONFIG'), ['--- a/C:\\db\\DB_CONFIG', '+++ b/C:\\db\\DB_CONFIG']);
  const reason = previewPlan({ changes: [{ ...write('/x/DB_CONFIG', 'a\n', 'b\n'), reason: 'für Jürgen' }] });
  assert.ok(reason.startsWith('# für Jürgen\n'), reason);
});


test('makeDirectories creates the missing parents with the mode, and fails (not loops) where nothing can be created', () => {
  const t = tempDir();
  try {
    const deep = path.join(t.dir, 'a', 'b', 'c');
    makeDirectories(deep, 0o750);
    assert.ok(fs.statSync(deep).isDirectory());
    assert.is(fs.statSync(path.join(t.dir, 'a')).mode & 0o777 & ~process.umask(), 0o750 & ~process.umask());
    makeDirectories(deep);
    fs.writeFileSync(path.join(t.dir, 'file'), '');
    assert.throws(() => makeDirectories(path.join(t.dir, 'file', 'x')), /ENOTDIR/);
  } finally {
    t.cleanup();
  }
  // /proc refuses new entries with ENOENT; Node's recursive mkdir never returns there.
  if (fs.existsSync('/proc/self')) assert.throws(() => makeDirectories('/proc/provision-test/x'), /ENOENT/);
});

test.run();
