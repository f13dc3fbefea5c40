import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyEntry, type EntryClass } from '../../src/env/classify.js';

const cls = (name: string, kind: Parameters<typeof classifyEntry>[1] = 'file', place: Parameters<typeof classifyEntry>[2] = 'home') => classifyEntry(name, kind, place).class;

test('every file name Berkeley DB creates, by class', () => {
  const expected: Record<string, EntryClass> = {
    DB_CONFIG: 'config',
    '__db.001': 'region',
    '__db.002': 'region',
    '__db.003': 'region',
    '__db.1000': 'region',
    '__db.rep.gen': 'identity',
    '__db.rep.egen': 'identity',
    '__db.rep.system': 'identity',
    '__db.rep.init': 'identity',
    '__db.rep.db': 'replication',
    '__db.reppg.db': 'replication',
    '__db.rep.diag00': 'transient',
    '__db.rep.diag01': 'transient',
    '__db.__db.reppg.db': 'transient',
    '__db.4f2a.1b': 'transient',
    'log.0000000001': 'log',
    'log.0000000123': 'log',
    '__dbq.myqueue.db.0': 'data',
    '__dbq.x.0': 'data',
    '__dbp.parts.db.003': 'data',
    'oracle.db': 'data',
    '__db.register': 'unknown',
  };
  for (const [name, c] of Object.entries(expected)) assert.is(cls(name), c, name);
});

test('a naive __db* glob would take data and identity: the classifier does not', () => {
  for (const name of ['__dbq.x.0', '__dbp.y.1']) assert.is(cls(name), 'data');
  for (const name of ['__db.rep.gen', '__db.rep.system']) assert.is(cls(name), 'identity');
});

test('vendor spellings, other cases and near misses are unknown and kept', () => {
  for (const name of ['_db.001', 'db.rep.gen', 'db_config', 'Db_Config', '__DB.001', 'log.1', 'log.00000000001', '__db.', 'notes.txt']) {
    assert.is(cls(name), 'unknown', name);
  }
  assert.match(classifyEntry('_db.001', 'file').reason, /vendor documents write "__db\." as "_db\."/);
  assert.match(classifyEntry('db_config', 'file').reason, /must be DB_CONFIG exactly/);
});

test('directories, symbolic links and other kinds are never state, whatever their name', () => {
  assert.is(cls('__db.001', 'directory'), 'unknown');
  assert.match(classifyEntry('__db.001', 'directory').reason, /a directory named like a region file/);
  assert.is(cls('__db.001', 'symlink'), 'unknown');
  assert.is(cls('log.0000000001', 'symlink'), 'unknown');
  assert.is(cls('__db.001', 'other'), 'unknown');
});

test('DB_CONFIG counts only in the home; a data directory\'s odd files are kept', () => {
  assert.is(cls('DB_CONFIG', 'file', 'data'), 'unknown');
  assert.is(cls('readme', 'file', 'data'), 'unknown');
  assert.is(cls('__db.rep.gen', 'file', 'metadata'), 'identity');
});

test.run();
