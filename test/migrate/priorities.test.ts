import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JournalEntry } from '../../src/migrate/journal.js';
import { rememberedPriorities } from '../../src/migrate/priorities.js';
import { readGroupDir } from '../../src/migrate/read-group.js';
import { ROOT } from '../helpers.js';

const test = suite('migrate remembered priorities');
const sites = readGroupDir(path.join(ROOT, 'fixtures', 'migrate', 'group'));
const file = (site: string, dir = path.join(ROOT, 'fixtures', 'migrate', 'group', site)) => ({ site, path: path.join(dir, 'DB_CONFIG'), before: '', after: '', saved: '' });

function entry(id: string, details: Record<string, string>, files = [file('a'), file('b')], undoes?: string): JournalEntry {
  return { id, migration: undoes ? 'rollback' : 'failover', time: `2026-11-22T05:0${id}:00.000Z`, files, details, ...(undoes ? { undoes } : {}) };
}

test('the newest role change of each site counts; a rolled-back one does not', () => {
  const entries = [
    entry('1', { 'priorityBefore:a': '100', 'priorityBefore:b': '50' }),
    entry('2', { 'priorityBefore:a': '0', 'priorityBefore:b': '70' }),
    entry('3', {}, [], '2'),
  ];
  assert.equal(rememberedPriorities(entries, sites), { a: 100n, b: 50n });
  assert.equal(rememberedPriorities(entries.slice(0, 2), sites), { a: 0n, b: 70n });
});

test('a site is matched by its file\'s path, not by the name it had then', () => {
  const entries = [entry('1', { 'priorityBefore:app': '100' }, [file('app', path.join(ROOT, 'fixtures', 'migrate', 'group', 'a'))])];
  assert.equal(rememberedPriorities(entries, sites), { a: 100n });
  const elsewhere = [entry('1', { 'priorityBefore:a': '100' }, [file('a', '/elsewhere/a')])];
  assert.equal(rememberedPriorities(elsewhere, sites), {}, 'another group\'s site a');
});

test.run();
