import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyPlan, ApplyError, writeFileAtomic } from '../../src/index.js';
import { listBackups, type WriteCalls } from '../../src/plan/apply.js';
import { provision } from '../cli/run.js';
import { tempDir } from '../helpers.js';

const write = (file: string, before: string | null, after: string) => ({
  kind: 'write' as const, path: file, before: before === null ? null : Buffer.from(before), after: Buffer.from(after), reason: 'test',
});

/** Writes at most `chunk` bytes a call; once `room` bytes are written, fails as a full disk does. */
function smallDisk(chunk: number, room = Infinity): WriteCalls & { calls: number } {
  let used = 0;
  const calls = {
    calls: 0,
    writeSync(fd: number, buffer: Buffer, offset: number, length: number): number {
      calls.calls++;
      if (used >= room) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const n = fs.writeSync(fd, buffer, offset, Math.min(length, chunk, room - used));
      used += n;
      return n;
    },
    fsyncSync: (fd: number) => fs.fsyncSync(fd),
  };
  return calls;
}

const isRoot = process.getuid?.() === 0;
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const FIXABLE = 'rep_set_priority=1\nrepmgr_site 127.0.0.1 5010 db_local_site on\n';

test('writeFileAtomic writes every byte when the system writes fewer than asked', () => {
  const t = tempDir();
  try {
    const file = path.join(t.dir, 'DB_CONFIG');
    const bytes = Buffer.from('x'.repeat(10_000));
    const disk = smallDisk(4096);
    writeFileAtomic(file, bytes, undefined, disk);
    assert.ok(fs.readFileSync(file).equals(bytes));
    assert.is(disk.calls, 3);
  } finally {
    t.cleanup();
  }
});

test('a disk that fills up mid-write leaves the old file, no temp file and no backup; the error says nothing was written', () => {
  const t = tempDir();
  try {
    const file = path.join(t.dir, 'DB_CONFIG');
    const old = `${FIXABLE}${'# padding\n'.repeat(600)}`;
    fs.writeFileSync(file, old);
    assert.throws(() => writeFileAtomic(file, Buffer.from('y'.repeat(6000)), undefined, smallDisk(4096, 4096)), /ENOSPC/);
    assert.is(fs.readFileSync(file, 'utf8'), old);
    assert.equal(fs.readdirSync(t.dir), ['DB_CONFIG']);
    // The same through applyPlan: the backup made before the write is removed again.
    assert.throws(
      () => applyPlan({ changes: [write(file, old, 'y'.repeat(6000))] }, { writeCalls: smallDisk(4096, 4096) }),
      (e: unknown) => e instanceof ApplyError && e.message === `cannot write ${file}: ENOSPC; nothing was written`,
    );
    assert.is(fs.readFileSync(file, 'utf8'), old);
    assert.equal(fs.readdirSync(t.dir), ['DB_CONFIG']);
    // A write that makes no progress at all is a full disk too, not a success.
    assert.throws(() => writeFileAtomic(file, Buffer.from('z'), undefined, { writeSync: () => 0, fsyncSync: () => undefined }), /ENOSPC/);
    assert.equal(fs.readdirSync(t.dir), ['DB_CONFIG']);
  } finally {
    t.cleanup();
  }
});

test('lint --fix on a real full file system (tmpfs, root only): exit 2, one line, the file untouched', () => {
  if (!isRoot || !has('mount')) return console.log('  (skipped: needs root to mount a tmpfs)');
  const t = tempDir();
  const mnt = path.join(t.dir, 'small');
  fs.mkdirSync(mnt);
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt]).status !== 0) {
    t.cleanup();
    return console.log('  (skipped: cannot mount a tmpfs here)');
  }
  try {
    const file = path.join(mnt, 'DB_CONFIG');
    const old = `${FIXABLE}${'# padding line ........................................\n'.repeat(110)}`;
    assert.ok(old.length > 6000 && old.length < 8192);
    fs.writeFileSync(file, old);
    const avail = fs.statfsSync(mnt).bavail * fs.statfsSync(mnt).bsize;
    fs.writeFileSync(path.join(mnt, 'filler'), Buffer.alloc(avail - 12288));
    const r = provision(['lint', '--fix', 'DB_CONFIG'], { cwd: mnt });
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, /^provision: cannot write \S*DB_CONFIG: ENOSPC; nothing was written\n$/);
    assert.is(fs.readFileSync(file, 'utf8'), old);
    assert.equal(fs.readdirSync(mnt).sort(), ['DB_CONFIG', 'filler']);
  } finally {
    spawnSync('umount', [mnt]);
    t.cleanup();
  }
});

test('a write that fails part-way says which files were written before it, with their backups', () => {
  const t = tempDir();
  try {
    const a = path.join(t.dir, 'a');
    const b = path.join(t.dir, 'b');
    fs.writeFileSync(a, 'a 1\n');
    fs.writeFileSync(b, 'b 1\n');
    // The first file fits; the second finds the disk full.
    const disk = smallDisk(1 << 20, 4);
    const now = new Date('2026-11-22T01:30:00Z');
    let caught: unknown;
    try {
      applyPlan({ changes: [write(a, 'a 1\n', 'a 2\n'), write(b, 'b 1\n', 'b 2\n')] }, { now, writeCalls: disk });
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof ApplyError);
    const e = caught as ApplyError;
    const backup = path.join(t.dir, 'a.20261122T013000Z.bak');
    assert.is(e.message, `cannot write ${b}: ENOSPC; 1 of 2 files was written before this: ${a} (the old file is ${backup})`);
    assert.equal(e.written.map((w) => [w.change.path, w.status, w.backup]), [[a, 'written', backup]]);
    assert.is(fs.readFileSync(a, 'utf8'), 'a 2\n');
    assert.is(fs.readFileSync(b, 'utf8'), 'b 1\n');
    assert.equal(fs.readdirSync(t.dir).sort(), ['a', 'a.20261122T013000Z.bak', 'b']);
  } finally {
    t.cleanup();
  }
});

test('every file is checked before any is written: a changed file anywhere in the plan writes nothing', () => {
  const t = tempDir();
  try {
    const files = Array.from({ length: 6 }, (_, i) => path.join(t.dir, `f${i}`));
    for (const f of files) fs.writeFileSync(f, 'v1\n');
    fs.writeFileSync(files[4]!, 'edited meanwhile\n');
    assert.throws(
      () => applyPlan({ changes: files.map((f) => write(f, 'v1\n', 'v2\n')) }),
      (e: unknown) => e instanceof ApplyError && e.message === `${files[4]} changed since it was read; nothing was written. Run the command again.` && e.written.length === 0,
    );
    for (const f of files) assert.is.not(fs.readFileSync(f, 'utf8'), 'v2\n');
    assert.is(fs.readdirSync(t.dir).length, 6);
  } finally {
    t.cleanup();
  }
});

test('lint --fix of two folders, one file immutable (root only): refused before anything is written', () => {
  if (!isRoot || !has('chattr')) return console.log('  (skipped: needs root and chattr)');
  const t = tempDir();
  const b = path.join(t.dir, 'b', 'DB_CONFIG');
  try {
    for (const d of ['a', 'b']) {
      fs.mkdirSync(path.join(t.dir, d));
      fs.writeFileSync(path.join(t.dir, d, 'DB_CONFIG'), FIXABLE);
    }
    if (spawnSync('chattr', ['+i', b]).status !== 0) return console.log('  (skipped: this file system has no immutable flag)');
    const r = provision(['lint', '--fix', 'a', 'b'], { cwd: t.dir });
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, /^provision: cannot write \S*b\/DB_CONFIG: EPERM; nothing was written\n$/);
    assert.is(fs.readFileSync(path.join(t.dir, 'a', 'DB_CONFIG'), 'utf8'), FIXABLE);
    assert.equal(fs.readdirSync(path.join(t.dir, 'a')), ['DB_CONFIG']);
  } finally {
    spawnSync('chattr', ['-i', b]);
    t.cleanup();
  }
});

test('one file reached by two paths (a symlink) is written once, and lint says so', () => {
  const t = tempDir();
  try {
    fs.mkdirSync(path.join(t.dir, 't', 'a'), { recursive: true });
    fs.mkdirSync(path.join(t.dir, 't', 'b'));
    const real = path.join(t.dir, 't', 'b', 'DB_CONFIG');
    fs.writeFileSync(real, 'rep_set_priority=1\n');
    fs.symlinkSync('../b/DB_CONFIG', path.join(t.dir, 't', 'a', 'DB_CONFIG'));
    const r = provision(['lint', '--fix', 't'], { cwd: t.dir });
    assert.is.not(r.code, 2, r.stderr);
    assert.not.match(r.stderr, /changed since|cannot write/);
    assert.is(r.stderr.match(/^fixed /gm)?.length, 1, r.stderr);
    assert.match(r.stderr, /^t\/b\/DB_CONFIG is the same file as t\/a\/DB_CONFIG: fixed once$/m);
    assert.ok(fs.lstatSync(path.join(t.dir, 't', 'a', 'DB_CONFIG')).isSymbolicLink(), 'the symlink stays a symlink');
    assert.is.not(fs.readFileSync(real, 'utf8'), 'rep_set_priority=1\n');
    assert.is(listBackups(path.join(t.dir, 't', 'b'), 'DB_CONFIG').length, 1);
    assert.equal(fs.readdirSync(path.join(t.dir, 't', 'a')), ['DB_CONFIG']);
  } finally {
    t.cleanup();
  }
});

test('two paths to one file with different contents planned: refused, nothing written', () => {
  const t = tempDir();
  try {
    const real = path.join(t.dir, 'DB_CONFIG');
    const link = path.join(t.dir, 'link');
    fs.writeFileSync(real, 'v1\n');
    fs.symlinkSync('DB_CONFIG', link);
    assert.throws(() => applyPlan({ changes: [write(real, 'v1\n', 'v2\n'), write(link, 'v1\n', 'v3\n')] }), /are the same file.*nothing was written/);
    assert.is(fs.readFileSync(real, 'utf8'), 'v1\n');
    const applied = applyPlan({ changes: [write(link, 'v1\n', 'v2\n'), write(real, 'v1\n', 'v2\n')] });
    assert.equal(applied.map((a) => [a.status, a.sameFileAs]), [['written', undefined], ['unchanged', link]]);
    assert.is(fs.readFileSync(real, 'utf8'), 'v2\n');
    assert.is(listBackups(t.dir, 'DB_CONFIG').length, 1);
  } finally {
    t.cleanup();
  }
});

test('pruning keeps the newest backups by time then number, and ignores what is not a regular file', () => {
  const t = tempDir();
  try {
    const file = path.join(t.dir, 'DB_CONFIG');
    fs.writeFileSync(file, 'v0\n');
    const now = new Date('2026-11-22T01:30:00Z');
    // Three writes in the same second: .bak, -1.bak, -2.bak, newest last.
    for (let i = 1; i <= 3; i++) applyPlan({ changes: [write(file, `v${i - 1}\n`, `v${i}\n`)] }, { now, keepBackups: 2 });
    assert.equal(listBackups(t.dir, 'DB_CONFIG'), ['DB_CONFIG.20261122T013000Z-1.bak', 'DB_CONFIG.20261122T013000Z-2.bak']);
    assert.is(fs.readFileSync(path.join(t.dir, 'DB_CONFIG.20261122T013000Z-2.bak'), 'utf8'), 'v2\n');
    // -10 is newer than -9 (numbers, not text).
    for (const n of [9, 10]) fs.writeFileSync(path.join(t.dir, `DB_CONFIG.20261122T013000Z-${n}.bak`), `n${n}\n`);
    assert.equal(listBackups(t.dir, 'DB_CONFIG').slice(-2), ['DB_CONFIG.20261122T013000Z-9.bak', 'DB_CONFIG.20261122T013000Z-10.bak']);

    // A folder named like an old backup, among more backups than are kept: left alone, no EISDIR.
    const dir = path.join(t.dir, 'DB_CONFIG.20200101T000000Z.bak');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'inside'), 'keep\n');
    for (let i = 4; i <= 10; i++) applyPlan({ changes: [write(file, `v${i - 1}\n`, `v${i}\n`)] }, { now: new Date(Date.UTC(2026, 10, 23, 0, i)), keepBackups: 5 });
    assert.ok(fs.statSync(dir).isDirectory());
    assert.is(fs.readFileSync(path.join(dir, 'inside'), 'utf8'), 'keep\n');
    const kept = listBackups(t.dir, 'DB_CONFIG');
    assert.is(kept.length, 5);
    assert.is(fs.readFileSync(path.join(t.dir, kept[4]!), 'utf8'), 'v9\n');
    assert.is(fs.readFileSync(path.join(t.dir, kept[0]!), 'utf8'), 'v5\n');
  } finally {
    t.cleanup();
  }
});

test.run();
