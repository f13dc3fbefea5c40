import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyEntry, type EntryKind } from '../../src/env/classify.js';
import { planClean, type CleanMode } from '../../src/env/clean-plan.js';
import { environmentLayout } from '../../src/env/layout.js';
import type { Entry } from '../../src/env/scan.js';

const entry = (name: string, kind: EntryKind = 'file'): Entry => ({ dir: '/env', place: 'home', name, kind, size: 1, ...classifyEntry(name, kind) });
const TREE = ['DB_CONFIG', '__db.001', '__db.002', '__db.__db.x', '__db.rep.diag00', '__db.rep.db', '__db.rep.gen', '__db.rep.egen', '__db.rep.system', 'log.0000000001', 'app.db', '__dbq.q.0', '_db.001', 'notes'].map((n) => entry(n));
const replicant = environmentLayout('/env', Buffer.from('rep_set_priority 0\nrepmgr_site 127.0.0.1 5011 db_local_site on\nrepmgr_site 127.0.0.1 5010 db_bootstrap_helper on\n'));
const master = environmentLayout('/env', Buffer.from('rep_set_priority 1\nrepmgr_site 127.0.0.1 5010 db_local_site on db_group_creator on\n'));

const removed = (mode: CleanMode, layout = replicant, entries = TREE) => planClean(entries, layout, mode).remove.map((e) => e.name);

test('default: region and transient files only', () => {
  assert.equal(removed('state'), ['__db.001', '__db.002', '__db.__db.x', '__db.rep.diag00']);
});

test('--replication-state: also the replication identity; a master is warned about its replicants', () => {
  assert.equal(removed('replication-state'), ['__db.001', '__db.002', '__db.__db.x', '__db.rep.diag00', '__db.rep.db', '__db.rep.gen', '__db.rep.egen', '__db.rep.system']);
  assert.equal(planClean(TREE, replicant, 'replication-state').warnings, []);
  assert.match(planClean(TREE, master, 'replication-state').warnings[0]!, /every replicant must be reset too/);
});

test('--all-but-config: everything but DB_CONFIG', () => {
  const plan = planClean(TREE, replicant, 'all-but-config');
  assert.equal(plan.keep.map((e) => e.name), ['DB_CONFIG']);
  assert.is(plan.remove.length, TREE.length - 1);
});

test('a half-initialised replicant is refused unless told', () => {
  const tree = [...TREE, entry('__db.rep.init')];
  assert.match(planClean(tree, replicant, 'replication-state').refusal!, /__db\.rep\.init .*--discard-partial-init/);
  assert.is(planClean(tree, replicant, 'replication-state', { discardPartialInit: true }).refusal, undefined);
  assert.is(planClean(tree, replicant, 'state').refusal, undefined, 'the default mode does not touch it');
  assert.not.ok(removed('state', replicant, tree).includes('__db.rep.init'));
});

test('kept entries say which mode would remove them', () => {
  const keep = planClean(TREE, replicant, 'state').keep;
  assert.match(keep.find((e) => e.name === '__db.rep.gen')!.why, /--replication-state removes it/);
  assert.match(keep.find((e) => e.name === 'app.db')!.why, /--all-but-config removes it/);
  assert.match(keep.find((e) => e.name === 'DB_CONFIG')!.why, /never removed/);
});

test('the layout reads data, log and metadata directories and the local port from DB_CONFIG', () => {
  const layout = environmentLayout('/env', Buffer.from('set_data_dir data\nadd_data_dir /srv/more\nset_lg_dir logs\nset_lg_dir logs2\nset_metadata_dir meta\nrepmgr_site 127.0.0.1 5011 db_local_site on\n'));
  assert.equal(layout.dirs, [
    { path: '/env', place: 'home' },
    { path: '/env/data', place: 'data' },
    { path: '/srv/more', place: 'data' },
    { path: '/env/logs2', place: 'log' },
    { path: '/env/meta', place: 'metadata' },
  ]);
  assert.is(layout.port, 5011);
  assert.is(layout.master, true, 'default priority 100');
  assert.is(replicant.master, false);
});

test.run();
