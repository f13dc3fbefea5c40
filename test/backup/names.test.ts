import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSnapshotName, safeHostName, snapshotName, utcStamp } from '../../src/backup/names.js';

const AT = new Date('2026-11-22T01:30:05.678Z');

test('a snapshot is named by host and UTC second, sortable as text', () => {
  assert.is(utcStamp(AT), '20261122T013005Z');
  assert.is(snapshotName('db1.example.com', AT), 'db1.example.com-20261122T013005Z');
  assert.is(snapshotName('db1', AT, 2), 'db1-20261122T013005Z-2');
});

test('host names keep letters, digits, dot, underscore and hyphen only', () => {
  assert.is(safeHostName('MAITRE D/POS#1'), 'MAITRE-D-POS-1');
  assert.is(safeHostName('..hidden'), 'hidden');
  assert.is(safeHostName('///'), 'host');
});

test('folder names parse back into host, time and state; anything else is not ours', () => {
  assert.equal(parseSnapshotName('db-1-20261122T013005Z'), { name: 'db-1-20261122T013005Z', host: 'db-1', stamp: '20261122T013005Z', state: 'complete' });
  assert.equal(parseSnapshotName('db-1-20261122T013005Z-3.partial'), { name: 'db-1-20261122T013005Z-3', host: 'db-1', stamp: '20261122T013005Z', state: 'partial' });
  assert.equal(parseSnapshotName('.db-20261122T013005Z.deleting')?.state, 'deleting');
  assert.is(parseSnapshotName('db-20261122T013005Z.deleting'), undefined, 'a deleting folder is hidden');
  assert.is(parseSnapshotName('notes'), undefined);
  assert.is(parseSnapshotName('db-2026-11-22'), undefined);
});

test.run();
