import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planClean } from '../../src/env/clean-plan.js';
import { environmentLayout } from '../../src/env/layout.js';
import { CleanError, listQuarantines, quarantineEntries, undoQuarantine } from '../../src/env/quarantine.js';
import { scanEnvironment } from '../../src/env/scan.js';
import { tempDir } from '../helpers.js';

function tree(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

/** Every file below dir with its bytes, for before/after comparisons. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = e.isSymbolicLink() ? `-> ${fs.readlinkSync(p)}` : fs.readFileSync(p, 'latin1');
    }
  };
  walk(dir);
  return out;
}

test('clean moves the planned entries to a quarantine with a manifest, and undo puts them back byte for byte', () => {
  const t = tempDir();
  try {
    const home = path.join(t.dir, 'env');
    tree(home, { DB_CONFIG: 'set_lg_dir logs\n', '__db.001': 'region', '__db.002': 'x'.repeat(5000), 'app.db': 'data', 'logs/log.0000000001': 'log', '__db.rep.gen': 'gen' });
    const before = snapshot(home);
    const layout = environmentLayout(home, fs.readFileSync(path.join(home, 'DB_CONFIG')));
    const plan = planClean(scanEnvironment(layout).entries, layout, 'state');
    const q = quarantineEntries(home, 'state', plan.remove);
    assert.equal(Object.keys(snapshot(home)).sort(), ['DB_CONFIG', '__db.rep.gen', 'app.db', 'logs/log.0000000001']);
    assert.ok(!q.folder.startsWith(home + path.sep), 'the quarantine is outside the environment');
    const manifest = JSON.parse(fs.readFileSync(path.join(q.folder, 'manifest.json'), 'utf8')) as { entries: { name: string; size: number; sha256: string }[] };
    assert.equal(manifest.entries.map((e) => [e.name, e.size]), [['__db.001', 6], ['__db.002', 5000]]);
    assert.match(manifest.entries[0]!.sha256, /^[0-9a-f]{64}$/);
    const undone = undoQuarantine(home);
    assert.is(undone.id, q.id);
    assert.equal(snapshot(home), before);
    assert.equal(listQuarantines(home), []);
  } finally {
    t.cleanup();
  }
});

test('all or nothing: when a move fails, the moves already made are undone', () => {
  const t = tempDir();
  try {
    const home = path.join(t.dir, 'env');
    tree(home, { '__db.001': 'a', '__db.002': 'b' });
    const before = snapshot(home);
    const layout = environmentLayout(home, null);
    const entries = scanEnvironment(layout).entries;
    // The third entry vanished after the scan: its move fails.
    const ghost = { ...entries[0]!, name: '__db.003' };
    assert.throws(() => quarantineEntries(home, 'state', [...entries, ghost], { purge: true }), (e: unknown) => e instanceof CleanError && /__db\.003 cannot be moved/.test((e as Error).message));
    assert.equal(snapshot(home), before);
    // Without --purge the hashes are taken first, so the same failure comes before anything moves.
    assert.throws(() => quarantineEntries(home, 'state', [...entries, ghost]), (e: unknown) => e instanceof CleanError && /cannot read .*__db\.003/.test((e as Error).message));
    assert.equal(snapshot(home), before);
    assert.equal(listQuarantines(home), []);
  } finally {
    t.cleanup();
  }
});

test('undo refuses to overwrite, and refuses a quarantine whose files changed', () => {
  const t = tempDir();
  try {
    const home = path.join(t.dir, 'env');
    tree(home, { '__db.001': 'a' });
    const layout = environmentLayout(home, null);
    const q = quarantineEntries(home, 'state', scanEnvironment(layout).entries);
    fs.writeFileSync(path.join(home, '__db.001'), 'recreated');
    assert.throws(() => undoQuarantine(home), /__db\.001 exists again; nothing was restored/);
    fs.rmSync(path.join(home, '__db.001'));
    fs.writeFileSync(path.join(q.folder, '0', '__db.001'), 'tampered');
    assert.throws(() => undoQuarantine(home), /no longer matches its manifest/);
  } finally {
    t.cleanup();
  }
});

test('purge deletes; nothing is left in a quarantine', () => {
  const t = tempDir();
  try {
    const home = path.join(t.dir, 'env');
    tree(home, { DB_CONFIG: '', '__db.001': 'a' });
    const layout = environmentLayout(home, null);
    quarantineEntries(home, 'state', planClean(scanEnvironment(layout).entries, layout, 'state').remove, { purge: true });
    assert.equal(Object.keys(snapshot(home)), ['DB_CONFIG']);
    assert.equal(listQuarantines(home), []);
  } finally {
    t.cleanup();
  }
});

test('symbolic links are moved as links, never followed; named directories that are links are not entered', () => {
  const t = tempDir();
  try {
    const home = path.join(t.dir, 'env');
    const outside = path.join(t.dir, 'outside');
    tree(outside, { '__db.001': 'not ours', 'app.db': 'not ours' });
    tree(home, { DB_CONFIG: 'set_data_dir data\n' });
    fs.symlinkSync(path.join(outside, '__db.001'), path.join(home, '__db.001'));
    fs.symlinkSync(outside, path.join(home, 'data'));
    const layout = environmentLayout(home, fs.readFileSync(path.join(home, 'DB_CONFIG')));
    const scan = scanEnvironment(layout);
    assert.equal(scan.skipped.map((s) => s.reason), ['a symbolic link: not followed']);
    const plan = planClean(scan.entries, layout, 'all-but-config');
    quarantineEntries(home, 'all-but-config', plan.remove, { purge: true });
    assert.equal(snapshot(outside), { '__db.001': 'not ours', 'app.db': 'not ours' });
    // The link DB_CONFIG names as a data directory is left alone, like its target.
    assert.equal(Object.keys(snapshot(home)).sort(), ['DB_CONFIG', 'data']);
  } finally {
    t.cleanup();
  }
});

test('a directory DB_CONFIG names that holds the environment (set_data_dir ..) is never cleaned', () => {
  const t = tempDir();
  try {
    const home = path.join(t.dir, 'env');
    tree(t.dir, { 'env/DB_CONFIG': 'set_data_dir ..\n', 'env/__db.001': 'r', '__db.001': 'the parent\'s', 'other/__db.001': 'another environment' });
    const layout = environmentLayout(home, fs.readFileSync(path.join(home, 'DB_CONFIG')));
    const scan = scanEnvironment(layout);
    assert.equal(scan.skipped.map((x) => x.reason), ['holds the environment home itself: not cleaned']);
    const plan = planClean(scan.entries, layout, 'all-but-config');
    quarantineEntries(home, 'all-but-config', plan.remove, { purge: true });
    assert.is(fs.readFileSync(path.join(t.dir, '__db.001'), 'utf8'), "the parent's");
    assert.is(fs.readFileSync(path.join(t.dir, 'other/__db.001'), 'utf8'), 'another environment');
    assert.equal(fs.readdirSync(home), ['DB_CONFIG']);
  } finally {
    t.cleanup();
  }
});

test.run();
