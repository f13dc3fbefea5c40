import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applyMigration, planCleanups } from '../../src/migrate/apply.js';
import { planFailover } from '../../src/migrate/failover.js';
import { activeEntries, JOURNAL_DIR, journalPath, readJournals, sha256 } from '../../src/migrate/journal.js';
import { parseDbConfig } from '../../src/dbconfig/document.js';
import { readGroupDir, readSite } from '../../src/migrate/read-group.js';
import { configuredRole, describeDocument } from '../../src/migrate/site-edit.js';
import { planDemote, planPromote } from '../../src/migrate/single-site.js';
import { planRestoreMain, planTakeover } from '../../src/migrate/takeover.js';
import type { MigrationPlan } from '../../src/migrate/types.js';
import { MigrationError } from '../../src/migrate/role.js';
import { planRenameHost } from '../../src/migrate/rename-host.js';
import { pickEntry, planRollback } from '../../src/migrate/rollback.js';
import { ROOT, tempDir } from '../helpers.js';

const test = suite('migrate journal and rollback');
const NOW = new Date('2026-11-22T05:00:00Z');

function copyGroup(dir: string): void {
  fs.cpSync(path.join(ROOT, 'fixtures', 'migrate', 'group'), dir, { recursive: true });
}

function failover(dir: string, to: string, now = NOW) {
  const sites = readGroupDir(dir);
  const mp = planFailover(sites, { to });
  return { sites, mp, result: applyMigration(mp.migration, mp.plan.changes, mp.siteOf, { now, details: mp.details, cleanups: planCleanups(mp.plan) }) };
}

test('an applied migration writes one entry, the same in every touched journal', () => {
  const { dir, cleanup } = tempDir();
  try {
    copyGroup(dir);
    const { sites, result } = failover(dir, 'b');
    assert.is(result.entry.id, '20261122T050000Z-failover');
    for (const name of ['a', 'b', 'c']) {
      const lines = fs.readFileSync(journalPath(path.join(dir, name)), 'utf8').trim().split('\n');
      assert.is(lines.length, 1);
      const entry = JSON.parse(lines[0]!);
      assert.is(entry.migration, 'failover');
      assert.is(entry.time, NOW.toISOString());
      assert.is(entry.files.length, 3);
      const mine = entry.files.find((f: { site: string }) => f.site === name);
      const site = sites.find((s) => s.name === name)!;
      assert.is(mine.before, sha256(site.bytes));
      assert.is(mine.after, sha256(fs.readFileSync(site.path)));
      assert.ok(fs.readFileSync(mine.saved).equals(site.bytes), 'the journal keeps the old bytes');
      assert.ok(fs.existsSync(mine.backup), 'the timestamped backup exists');
      assert.is(path.dirname(path.dirname(mine.saved)), path.join(dir, name, JOURNAL_DIR));
    }
    assert.is(readJournals(['a', 'b', 'c'].map((n) => path.join(dir, n))).entries.length, 1);
  } finally {
    cleanup();
  }
});

test('rollback restores every file byte for byte and is recorded', () => {
  const { dir, cleanup } = tempDir();
  try {
    copyGroup(dir);
    const envs = ['a', 'b', 'c'].map((n) => path.join(dir, n));
    const before = envs.map((e) => fs.readFileSync(path.join(e, 'DB_CONFIG')));
    failover(dir, 'b');
    const entry = pickEntry(readJournals(envs).entries);
    const rb = planRollback(entry);
    applyMigration('rollback', rb.changes, rb.siteOf, { now: new Date('2026-11-22T05:01:00Z'), undoes: entry.id });
    envs.forEach((e, i) => assert.ok(fs.readFileSync(path.join(e, 'DB_CONFIG')).equals(before[i]!)));
    const entries = readJournals(envs).entries;
    assert.is(entries.length, 2);
    assert.is(entries[1]!.undoes, entry.id);
    assert.equal(activeEntries(entries), []);
    assert.throws(() => pickEntry(entries), /nothing to roll back/);
    assert.throws(() => pickEntry(entries, entry.id), /already rolled back/);
  } finally {
    cleanup();
  }
});

test('rollback refuses, naming the file, after a hand edit; nothing is restored', () => {
  const { dir, cleanup } = tempDir();
  try {
    copyGroup(dir);
    failover(dir, 'b');
    const c = path.join(dir, 'c', 'DB_CONFIG');
    fs.appendFileSync(c, '# edited by hand\n');
    const a = fs.readFileSync(path.join(dir, 'a', 'DB_CONFIG'));
    const entry = pickEntry(readJournals([path.join(dir, 'a')]).entries);
    assert.throws(() => planRollback(entry), (e: Error) => e instanceof MigrationError && e.message.startsWith(`${c} changed since migration ${entry.id}`));
    assert.ok(fs.readFileSync(path.join(dir, 'a', 'DB_CONFIG')).equals(a), 'a was not touched');
  } finally {
    cleanup();
  }
});

test('rollback by id of an older entry; a missing saved copy is refused', () => {
  const { dir, cleanup } = tempDir();
  try {
    copyGroup(dir);
    const first = failover(dir, 'b').result.entry;
    const second = failover(dir, 'a', new Date('2026-11-22T05:02:00Z')).result.entry;
    assert.is.not(first.id, second.id);
    const entries = readJournals([path.join(dir, 'a')]).entries;
    assert.is(pickEntry(entries).id, second.id, 'the newest by default');
    // The older one cannot go back: its files changed since (the second migration wrote them).
    assert.throws(() => planRollback(pickEntry(entries, first.id)), /changed since migration/);
    fs.rmSync(second.files[0]!.saved);
    assert.throws(() => planRollback(pickEntry(entries, second.id)), /saved copy .* is missing/);
  } finally {
    cleanup();
  }
});

test('apply refuses when a file changed since it was planned, writing nothing', () => {
  const { dir, cleanup } = tempDir();
  try {
    copyGroup(dir);
    const sites = readGroupDir(dir);
    const mp = planFailover(sites, { to: 'b' });
    fs.appendFileSync(path.join(dir, 'b', 'DB_CONFIG'), '# late edit\n');
    assert.throws(() => applyMigration(mp.migration, mp.plan.changes, mp.siteOf), /b\/DB_CONFIG changed since it was read/);
    assert.ok(fs.readFileSync(path.join(dir, 'a', 'DB_CONFIG')).equals(sites[0]!.bytes));
    assert.not.ok(fs.existsSync(path.join(dir, 'a', JOURNAL_DIR)));
  } finally {
    cleanup();
  }
});

test('a write that fails midway: what was written is journalled and can be rolled back', () => {
  const { dir, cleanup } = tempDir();
  try {
    copyGroup(dir);
    const file = path.join(dir, 'a', 'DB_CONFIG');
    const before = fs.readFileSync(file);
    const write = (after: string) => ({ kind: 'write' as const, path: file, before, after: Buffer.from(after), reason: 'test' });
    // The second change was planned from the same old bytes: once the first is written, it fails.
    assert.throws(() => applyMigration('failover', [write('one\n'), write('two\n')], ['a', 'a'], { now: NOW }), (e: Error) => e instanceof MigrationError && /1 of 2 files were written before it \(journal entry 20261122T050000Z-failover: provision migrate rollback/.test(e.message));
    assert.is(fs.readFileSync(file, 'utf8'), 'one\n');
    const entry = pickEntry(readJournals([path.join(dir, 'a')]).entries);
    assert.is(entry.files.length, 1);
    assert.match(entry.details.partial!, /stopped at .*a\/DB_CONFIG/);
    applyMigration('rollback', planRollback(entry).changes, ['a'], { now: new Date('2026-11-22T05:03:00Z'), undoes: entry.id });
    assert.ok(fs.readFileSync(file).equals(before));
  } finally {
    cleanup();
  }
});

test('the state cleanup moves region files of changed environments, never __db.rep.* or data', () => {
  const { dir, cleanup } = tempDir();
  try {
    copyGroup(dir);
    for (const name of ['__db.001', '__db.002', '__db.rep.gen', '__db.rep.egen', 'log.0000000001', 'app.db']) fs.writeFileSync(path.join(dir, 'a', name), 'x');
    const { result } = failover(dir, 'b');
    assert.is(result.quarantined.length, 1);
    assert.is(result.quarantined[0]!.count, 2);
    const left = fs.readdirSync(path.join(dir, 'a')).filter((n) => !n.startsWith('.') && !n.includes('.bak')).sort();
    assert.equal(left, ['DB_CONFIG', '__db.rep.egen', '__db.rep.gen', 'app.db', 'log.0000000001']);
  } finally {
    cleanup();
  }
});

/** Apply `mp` in `dir`'s group, then check that its rollback, written in order, never configures two masters. */
function rollbackNeverTwoMasters(dir: string, mp: MigrationPlan, label: string): void {
  applyMigration(mp.migration, mp.plan.changes, mp.siteOf, { now: NOW, details: mp.details });
  const envs = ['a', 'b', 'c'].map((n) => path.join(dir, n));
  const rb = planRollback(pickEntry(readJournals(envs).entries));
  const state = new Map<string, Buffer>(envs.map((e) => [path.join(e, 'DB_CONFIG'), fs.readFileSync(path.join(e, 'DB_CONFIG'))]));
  const masters = () => [...state.values()].filter((b) => configuredRole(describeDocument(parseDbConfig(b))) === 'master').length;
  assert.is(masters(), 1, label);
  for (const c of rb.changes) {
    assert.ok(c.kind === 'write');
    state.set(c.path, c.after);
    assert.ok(masters() <= 1, `${label}: after restoring ${c.path}, ${masters()} masters`);
  }
}

test('rolling back a failover, a takeover or a restore-main: at no step of the write order are two masters configured', () => {
  for (const [label, plan] of [
    ['failover', (sites: ReturnType<typeof readGroupDir>) => planFailover(sites, { to: 'c' })],
    ['takeover', (sites: ReturnType<typeof readGroupDir>) => planTakeover(sites, { to: 'b' })],
  ] as const) {
    const { dir, cleanup } = tempDir();
    try {
      copyGroup(dir);
      rollbackNeverTwoMasters(dir, plan(readGroupDir(dir)), label);
    } finally {
      cleanup();
    }
  }
  const { dir, cleanup } = tempDir();
  try {
    copyGroup(dir);
    const taken = planTakeover(readGroupDir(dir), { to: 'b' });
    applyMigration(taken.migration, taken.plan.changes, taken.siteOf, { now: new Date('2026-11-22T04:00:00Z'), details: taken.details });
    rollbackNeverTwoMasters(dir, planRestoreMain(readGroupDir(dir), { main: 'a' }), 'restore-main');
  } finally {
    cleanup();
  }
});

test('rollback refuses a result with two masters: a master configured since, outside the entry', () => {
  const { dir, cleanup } = tempDir();
  try {
    copyGroup(dir);
    const a = readSite('a', path.join(dir, 'a'));
    const demote = planDemote(a, { helper: { host: '10.0.0.2', port: 5010 } });
    applyMigration(demote.migration, demote.plan.changes, demote.siteOf, { now: NOW });
    const promote = planPromote(readSite('b', path.join(dir, 'b')));
    applyMigration(promote.migration, promote.plan.changes, promote.siteOf, { now: new Date('2026-11-22T05:01:00Z') });
    // a's journal knows only the demotion: putting a back would make a second master beside b.
    const entry = pickEntry(readJournals([path.join(dir, 'a')]).entries);
    assert.is(entry.migration, 'demote');
    assert.throws(() => planRollback(entry, readGroupDir(dir)), (e: Error) => e instanceof MigrationError && /2 masters \(a, b\)/.test(e.message));
    // Without the group, the rollback sees a alone, and goes ahead.
    assert.is(planRollback(entry).changes.length, 1);
  } finally {
    cleanup();
  }
});

test('rolling back a rename-host that fixed a group-rule error puts the error back, with or without the group', () => {
  const { dir, cleanup } = tempDir();
  try {
    copyGroup(dir);
    const c = path.join(dir, 'c', 'DB_CONFIG');
    fs.writeFileSync(c, fs.readFileSync(c, 'utf8').replace('repmgr_site 10.0.0.1 5010 db_bootstrap_helper on', 'repmgr_site vm1 5010 db_bootstrap_helper on'));
    const broken = fs.readFileSync(c);
    const renamed = planRenameHost(readGroupDir(dir), 'vm1', '10.0.0.1');
    applyMigration(renamed.migration, renamed.plan.changes, renamed.siteOf, { now: NOW });
    const entry = pickEntry(readJournals([path.join(dir, 'c')]).entries);
    assert.is(entry.migration, 'rename-host');
    for (const plan of [planRollback(entry, readGroupDir(dir)), planRollback(entry)]) {
      assert.equal(plan.changes.map((ch) => (ch.kind === 'write' ? ch.after : null)), [broken]);
    }
  } finally {
    cleanup();
  }
});

test('a broken journal line is reported and skipped', () => {
  const { dir, cleanup } = tempDir();
  try {
    copyGroup(dir);
    failover(dir, 'b');
    fs.appendFileSync(journalPath(path.join(dir, 'a')), '{not json\n');
    const { entries, problems } = readJournals([path.join(dir, 'a')]);
    assert.is(entries.length, 1);
    assert.match(problems[0]!, /journal\.jsonl:2: not a journal entry/);
  } finally {
    cleanup();
  }
});

test.run();
