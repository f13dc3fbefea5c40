/**
 * Kill the real CLI (SIGKILL, no chance to clean up) at random moments of a
 * backup and of a restore of a few thousand files, several times, and check
 * what is left: after a backup, no snapshot or a complete one that verifies;
 * after a restore, the old data root or the new one, never a mix, and a later
 * run settles the rest. Seeded, so a failure can be replayed.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSnapshotName } from '../../src/backup/names.js';
import { readManifest, snapshotData } from '../../src/backup/snapshots.js';
import { unfinishedSwaps } from '../../src/backup/swap.js';
import { verifyTree } from '../../src/backup/verify.js';
import { walkTree } from '../../src/backup/walk.js';
import { provision } from '../cli/run.js';
import { prng, ROOT } from '../helpers.js';

const FILES = 2500;
const KILLS = 5;
const random = prng(Number(process.env['PROVISION_SEED'] ?? 20261122));

/**
 * A scratch folder in memory (/dev/shm) where there is one: what a kill leaves
 * does not depend on the file system, and creating thousands of files on a
 * busy disk would make these runs slow. Elsewhere, the usual temporary folder.
 */
function tempDir(): { dir: string; cleanup: () => void } {
  let base = os.tmpdir();
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    base = '/dev/shm';
  } catch {
    // no /dev/shm here
  }
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(base, 'provision-kill-')));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A data root of FILES small files in 50 folders, and a few larger ones. */
function dataRoot(dir: string, tag: string): string {
  for (let i = 0; i < FILES; i++) {
    const sub = path.join(dir, `d${String(i % 50).padStart(2, '0')}`);
    if (i < 50) fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `f${i}.db`), `${tag} ${i} `.repeat(1 + Math.floor(random() * 300)));
  }
  for (let i = 0; i < 3; i++) fs.writeFileSync(path.join(dir, `log.000000000${i + 1}`), Buffer.alloc(1 << 20, `${tag}${i}`));
  fs.writeFileSync(path.join(dir, 'DB_CONFIG'), `# ${tag}\nset_cachesize 0 1048576 1\n`);
  return dir;
}

/**
 * Run the CLI and SIGKILL it after `ms`, or as soon as `when()` holds (polled
 * every millisecond), unless it ends first; resolves with how it ended.
 */
function runAndKill(args: readonly string[], ms: number, cwd: string, when?: () => boolean, jitter = 0): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    // NOTE: its own process group, killed whole: a helper it runs (perl, for the atomic exchange) dies with it,
    // as with Ctrl-C or a service manager. An orphaned helper finishing its rename while the tree is read would
    // show a tree that is changing, not a mix left on disk.
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/provision.js'), ...args], { cwd, stdio: 'ignore', detached: true });
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    let timer = setTimeout(kill, ms);
    const poll = when && setInterval(() => {
      if (!when()) return;
      clearInterval(poll);
      clearTimeout(timer);
      timer = setTimeout(kill, jitter);
    }, 1);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      resolve({ code, signal });
    });
  });
}

/** Whether a restore of `target` has started its swap (its journal says so). */
function swapping(target: string): boolean {
  const root = path.join(path.dirname(target), '.provision-quarantine', path.basename(target));
  try {
    return fs.readdirSync(root).some((id) => fs.readFileSync(path.join(root, id, 'restore.json'), 'utf8').includes('"state": "swapping"'));
  } catch {
    return false;
  }
}

/** Milliseconds one uninterrupted run takes. */
function timed(args: readonly string[], cwd: string): number {
  const start = performance.now();
  const r = provision(args, { cwd });
  assert.is(r.code, 0, r.stderr);
  return performance.now() - start;
}

/** A cheap but complete fingerprint of a tree: every path, type, size and file content. */
function fingerprint(dir: string): string {
  return walkTree(dir)
    .map((e) => `${e.path} ${e.type} ${e.size} ${e.type === 'file' ? fs.readFileSync(path.join(dir, e.path)).toString('latin1') : (e.target ?? '')}`)
    .join('\n');
}

test('SIGKILL at random moments of a backup: never a folder that looks like a snapshot and is not one', async () => {
  const t = tempDir();
  try {
    const data = dataRoot(path.join(t.dir, 'data'), 'v1');
    const backups = path.join(t.dir, 'backups');
    const args = ['backup', '--data', data, '--to', backups];
    const full = timed(args, t.dir);
    const killedWhile: string[] = [];
    for (let i = 0; i < KILLS; i++) {
      const ms = Math.floor(random() * full);
      const r = await runAndKill(args, ms, t.dir);
      killedWhile.push(r.signal === 'SIGKILL' ? `killed at ${ms} ms` : `finished (${r.code}) before ${ms} ms`);
    }
    const expected = walkTree(data).length;
    let complete = 0;
    let partial = 0;
    for (const name of fs.readdirSync(backups)) {
      const parsed = parseSnapshotName(name);
      assert.ok(parsed !== undefined, `unexpected ${name} in the backup root`);
      if (parsed.state !== 'complete') {
        partial++;
        continue;
      }
      const folder = path.join(backups, name);
      const manifest = readManifest(folder);
      assert.is(manifest.entries.length, expected, `${name} lists every entry`);
      assert.ok(verifyTree(snapshotData(folder), manifest).ok, `${name} verifies`);
      complete++;
    }
    assert.ok(complete >= 1, 'the uninterrupted run left a snapshot');
    // The next backup with --keep removes the interrupted ones (their processes are gone), never a complete one by mistake.
    const keep = provision([...args, '--keep', String(complete + 1)], { cwd: t.dir });
    assert.is(keep.code, 0, keep.stderr);
    assert.equal(fs.readdirSync(backups).filter((n) => parseSnapshotName(n)?.state !== 'complete'), [], `left after --keep (${killedWhile.join(', ')}; ${partial} partial)`);
    assert.is(fs.readdirSync(backups).length, complete + 1);
  } finally {
    t.cleanup();
  }
});

test('SIGKILL at random moments of a restore --replace: the old data root or the new one, never a mix; --recover settles the rest', async () => {
  const t = tempDir();
  try {
    const source = dataRoot(path.join(t.dir, 'source'), 'new');
    const backups = path.join(t.dir, 'backups');
    assert.is(provision(['backup', '--data', source, '--to', backups], { cwd: t.dir }).code, 0);
    const snapshot = path.join(backups, fs.readdirSync(backups)[0]!);
    const fresh = fingerprint(source);
    const target = dataRoot(path.join(t.dir, 'DATA'), 'old');
    const old = fingerprint(target);
    const args = ['restore', '--from', snapshot, '--data', target, '--replace'];
    // One full run, then back to the old contents, to time it.
    const full = timed(args, t.dir);
    assert.ok(fingerprint(target) === fresh, 'restored');
    assert.is(provision(['restore', '--data', target, '--undo'], { cwd: t.dir }).code, 0);
    assert.ok(fingerprint(target) === old, 'undone');
    const seen: string[] = [];
    for (let i = 0; i < KILLS; i++) {
      // Most of a restore is copying and checking: the first kills land anywhere, the others as the swap starts.
      const ms = Math.floor(full * (i < 2 ? random() : 2));
      const r = await runAndKill(args, ms, t.dir, i < 2 ? undefined : () => swapping(target), Math.floor(random() * 10));
      const now = fs.existsSync(target) ? fingerprint(target) : 'absent';
      assert.ok(now === old || now === fresh, `after a kill at ${ms} ms of ${Math.round(full)} the data root is neither the old nor the new one`);
      const recover = provision(['restore', '--data', target, '--recover'], { cwd: t.dir });
      assert.is(recover.code, 0, recover.stderr);
      const after = fingerprint(target);
      assert.ok(after === old || after === fresh, 'after --recover');
      assert.equal(unfinishedSwaps(target), []);
      assert.equal(fs.readdirSync(t.dir).filter((n) => n.startsWith('.DATA.restore-')), [], 'no staged copy is left');
      seen.push(`${r.signal ?? r.code} at ${ms} ms: ${after === fresh ? 'new' : 'old'}`);
      if (after === fresh) {
        assert.is(provision(['restore', '--data', target, '--undo'], { cwd: t.dir }).code, 0, seen.join('; '));
        assert.ok(fingerprint(target) === old, `undone after ${seen.join('; ')}`);
      }
    }
  } finally {
    t.cleanup();
  }
});

test.run();
