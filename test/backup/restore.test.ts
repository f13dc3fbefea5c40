import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyRestore, RestoreError, undoableSwaps, undoRestore } from '../../src/backup/apply-restore.js';
import { exchangePaths } from '../../src/backup/exchange.js';
import { realPathOf } from '../../src/backup/locate.js';
import { planRestore, type RestorePlan } from '../../src/backup/restore-plan.js';
import { readManifest } from '../../src/backup/snapshots.js';
import { beginSwap, listSwaps, quarantineRootOf, recoverSwaps, unfinishedSwaps, type SwapStep } from '../../src/backup/swap.js';
import { walkTree } from '../../src/backup/walk.js';
import { tempDir } from '../helpers.js';
import { backup, describeTree, makeTree } from './trees.js';

const OLD = { DB_CONFIG: 'old config\n', 'old.db': 'old data', 'logs/log.0000000007': 'old log' };
const NEW = { DB_CONFIG: 'new config\n', 'app.db': 'new data', 'logs/log.0000000001': 'new log', link: '-> app.db' };

interface Fixture {
  dir: string;
  snapshot: string;
  /** What the snapshot holds, as describeTree shows it. */
  fresh: Record<string, string>;
  cleanup: () => void;
}

function fixture(): Fixture {
  const t = tempDir();
  const source = makeTree(path.join(t.dir, 'source'), NEW);
  fs.chmodSync(source, 0o750);
  const snapshot = backup(source, path.join(t.dir, 'backups'));
  return { dir: t.dir, snapshot, fresh: describeTree(source), cleanup: t.cleanup };
}

function planFor(f: Fixture, target: string, replace = false): RestorePlan {
  let kind: 'absent' | 'dir' = 'absent';
  if (fs.existsSync(target)) kind = 'dir';
  return planRestore({
    snapshot: { folder: f.snapshot, real: realPathOf(f.snapshot), manifest: readManifest(f.snapshot) },
    target: { path: target, real: realPathOf(target), kind, entries: kind === 'dir' ? walkTree(target) : [] },
    replace,
    ports: [],
    now: new Date(),
  });
}

const restore = (f: Fixture, target: string, replace = false, options = {}) => applyRestore(planFor(f, target, replace), readManifest(f.snapshot), options);

test('into a folder that does not exist yet: the snapshot, modes included, and no quarantine left behind', () => {
  const f = fixture();
  try {
    const target = path.join(f.dir, 'site/DATA');
    const r = restore(f, target);
    assert.equal(describeTree(target), f.fresh);
    assert.is(fs.statSync(target).mode & 0o777, 0o750);
    assert.is(r.quarantine, undefined);
    assert.not.ok(fs.existsSync(quarantineRootOf(target)));
    assert.equal(fs.readdirSync(path.join(f.dir, 'site')), ['DATA'], 'no staging folder is left');
  } finally {
    f.cleanup();
  }
});

test('into an empty folder: replaced in one rename', () => {
  const f = fixture();
  try {
    const target = path.join(f.dir, 'DATA');
    fs.mkdirSync(target);
    const plan = planFor(f, target);
    assert.is(plan.mode, 'fill');
    applyRestore(plan, readManifest(f.snapshot));
    assert.equal(describeTree(target), f.fresh);
  } finally {
    f.cleanup();
  }
});

test('a folder that is not empty is refused without --replace; with it the old contents go to quarantine, and undo swaps them back', () => {
  const f = fixture();
  try {
    const target = makeTree(path.join(f.dir, 'DATA'), OLD);
    const old = describeTree(target);
    const refused = planFor(f, target);
    assert.match(refused.refusal!, /DATA is not empty \(3 entries, 3 files in all\); --replace moves what it holds to a quarantine/);
    assert.throws(() => applyRestore(refused, readManifest(f.snapshot)), (e: RestoreError) => e.refused);
    assert.equal(describeTree(target), old);

    const r = restore(f, target, true);
    assert.equal(describeTree(target), f.fresh);
    assert.ok(r.quarantine!.startsWith(`${path.join(f.dir, '.provision-quarantine', 'DATA')}${path.sep}restore-`));
    assert.equal(describeTree(path.join(r.quarantine!, 'data')), old);
    assert.equal(JSON.parse(fs.readFileSync(path.join(r.quarantine!, 'restore.json'), 'utf8')).state, 'done');

    const u = undoRestore(target, undefined);
    assert.is(u.undone, r.journal.id);
    assert.equal(describeTree(target), old);
    assert.not.ok(fs.existsSync(r.quarantine!), 'the undone quarantine folder is emptied and removed');
    // The undo is itself undoable: what the restore put there is in the undo's folder.
    assert.equal(describeTree(path.join(u.quarantine!, 'data')), f.fresh);
    undoRestore(target, undefined);
    assert.equal(describeTree(target), f.fresh);
    assert.throws(() => undoRestore(target, 'restore-nope'), /no restore restore-nope of .* to undo; there are: undo-/);
  } finally {
    f.cleanup();
  }
});

test('a snapshot that changed after it was checked is caught while copying: the target is untouched and nothing is left', () => {
  const f = fixture();
  try {
    const target = makeTree(path.join(f.dir, 'DATA'), OLD);
    const old = describeTree(target);
    fs.writeFileSync(path.join(f.snapshot, 'data/app.db'), 'NEW DATA');
    assert.throws(() => restore(f, target, true), (e: RestoreError) => e.refused && /app\.db no longer matches the manifest.*DATA was not touched/.test(e.message));
    assert.equal(describeTree(target), old);
    assert.equal(fs.readdirSync(f.dir).sort(), ['backups', 'DATA', 'source'].sort());
  } finally {
    f.cleanup();
  }
});

test('this system swaps two directories atomically (renameat2 through perl), or says it cannot', () => {
  const t = tempDir();
  try {
    const a = makeTree(path.join(t.dir, 'a'), { A: 'a' });
    const b = makeTree(path.join(t.dir, 'b'), { B: 'b' });
    if (exchangePaths(a, b)) {
      assert.equal(fs.readdirSync(a), ['B']);
      assert.equal(fs.readdirSync(b), ['A']);
      assert.throws(() => exchangePaths(a, path.join(t.dir, 'missing')), /cannot swap .* \(ENOENT\)/);
    } else {
      console.log('  NOTE: no atomic exchange here; restore uses two renames and its journal');
      assert.equal(fs.readdirSync(a), ['A']);
    }
  } finally {
    t.cleanup();
  }
});

class Kill extends Error {}

/** The "killed" process is this one, still alive: make its journal look like a dead process's (another boot). */
function orphan(folder: string): void {
  const file = path.join(folder, 'restore.json');
  const journal = JSON.parse(fs.readFileSync(file, 'utf8')) as { owner: { pid: number; boot?: string } };
  journal.owner.pid = 2 ** 22 + 12345; // above Linux's pid_max: no such process
  fs.writeFileSync(file, JSON.stringify(journal));
}

/** Play a kill at `step` of the swap; then recovery must leave the old or the new root, and say which. */
function killedAt(step: SwapStep, exchange: boolean): void {
  const f = fixture();
  try {
    const target = makeTree(path.join(f.dir, 'DATA'), OLD);
    const old = describeTree(target);
    assert.throws(() => restore(f, target, true, { exchange, at: (s: SwapStep) => { if (s === step) throw new Kill(step); } }), (e: Error) => e instanceof RestoreError && e.cause instanceof Kill);
    const now = fs.existsSync(target) ? describeTree(target) : undefined;
    if (step === 'between-renames') assert.is(now, undefined, 'two renames leave the target absent in between');
    else assert.ok(JSON.stringify(now) === JSON.stringify(old) || JSON.stringify(now) === JSON.stringify(f.fresh), `${step}: a mix`);
    const [swap] = unfinishedSwaps(target);
    assert.is(unfinishedSwaps(target).length, 1);
    orphan(swap!.folder);
    const [r] = recoverSwaps(target);
    assert.is(r!.outcome, step === 'before-swap' ? 'rolled-back' : 'finished', r!.detail);
    assert.equal(describeTree(target), step === 'before-swap' ? old : f.fresh);
    assert.equal(unfinishedSwaps(target), []);
    assert.equal(fs.readdirSync(f.dir).filter((n) => n.startsWith('.DATA.restore-')), [], 'no staged copy is left');
    if (step !== 'before-swap') {
      assert.equal(undoableSwaps(target).length, 1);
      undoRestore(target, undefined);
      assert.equal(describeTree(target), old);
    } else {
      assert.equal(listSwaps(target), []);
    }
  } finally {
    f.cleanup();
  }
}

test('a kill before the swap: recovery rolls back (the old root stayed in place)', () => killedAt('before-swap', true));
test('a kill right after the exchange: the new root is in place; recovery moves the old one to quarantine', () => killedAt('after-exchange', true));
test('a kill between two renames (no exchange): recovery puts the new root in place', () => killedAt('between-renames', false));
test('a kill after the swap, before the journal says done: recovery finishes it', () => killedAt('before-done', true));

test('a kill while copying into the staging folder: recovery removes the partial copy; the target was never touched', () => {
  const f = fixture();
  try {
    const target = makeTree(path.join(f.dir, 'DATA'), OLD);
    const old = describeTree(target);
    const plan = planFor(f, target, true);
    const swap = beginSwap(target, plan.staged, 'restore', f.snapshot);
    makeTree(plan.staged, { 'half.db': 'half' });
    orphan(swap.folder);
    const [r] = recoverSwaps(target);
    assert.is(r!.outcome, 'rolled-back');
    assert.not.ok(fs.existsSync(plan.staged));
    assert.equal(describeTree(target), old);
    assert.not.ok(fs.existsSync(path.join(f.dir, '.provision-quarantine')), 'the empty quarantine folders are removed too');
  } finally {
    f.cleanup();
  }
});

test('a swap the system refuses (EBUSY) changes nothing and leaves nothing to recover; a mount point is refused up front', () => {
  const f = fixture();
  try {
    const target = makeTree(path.join(f.dir, 'DATA'), OLD);
    const old = describeTree(target);
    const busy = Object.assign(new Error('rename: resource busy'), { code: 'EBUSY' });
    assert.throws(() => restore(f, target, true, { at: () => { throw busy; } }), (e: RestoreError) => !e.refused && /cannot swap .* \(?.*resource busy.*DATA is as it was$/.test(e.message));
    assert.equal(describeTree(target), old);
    assert.equal(unfinishedSwaps(target), []);
    assert.equal(fs.readdirSync(f.dir).filter((n) => n.startsWith('.')), [], 'no staged copy, no quarantine folder');

    const manifest = readManifest(f.snapshot);
    const p = planRestore({ snapshot: { folder: f.snapshot, real: f.snapshot, manifest }, target: { path: target, real: target, kind: 'dir', entries: walkTree(target), mountPoint: true }, replace: true, ports: [], now: new Date() });
    assert.match(p.refusal!, /DATA is a mount point: .* Restore into a folder inside it \(--data .*DATA\/DATA\)/);
  } finally {
    f.cleanup();
  }
});

test('a swap whose process still runs is left alone', () => {
  const f = fixture();
  try {
    const target = makeTree(path.join(f.dir, 'DATA'), OLD);
    beginSwap(target, path.join(f.dir, '.DATA.restore-x'), 'restore', f.snapshot);
    const [r] = recoverSwaps(target);
    assert.is(r!.outcome, 'running');
    assert.equal(unfinishedSwaps(target).length, 1);
  } finally {
    f.cleanup();
  }
});

test('refused as usage: a target that is a link or a file, the snapshot inside the target, the target inside the snapshot', () => {
  const f = fixture();
  try {
    fs.symlinkSync(path.join(f.dir, 'source'), path.join(f.dir, 'link'));
    const manifest = readManifest(f.snapshot);
    const p = (target: string, kind: 'symlink' | 'file' | 'dir') => planRestore({ snapshot: { folder: f.snapshot, real: f.snapshot, manifest }, target: { path: target, real: realPathOf(target), kind, entries: [] }, replace: true, ports: [], now: new Date() });
    assert.match(p(path.join(f.dir, 'link'), 'symlink').invalid!, /is a symbolic link; give the real directory/);
    assert.match(p(path.join(f.snapshot, 'manifest.json'), 'file').invalid!, /is not a directory/);
    assert.match(p(f.dir, 'dir').invalid!, /the snapshot .* is inside the target/);
    assert.match(p(path.join(f.snapshot, 'data'), 'dir').invalid!, /the target .* is inside the snapshot/);
  } finally {
    f.cleanup();
  }
});

test.run();
