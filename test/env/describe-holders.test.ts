import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeHolders } from '../../src/env/in-use.js';

test('holders are grouped per process, with the first few things held and a count of the rest', () => {
  const files = ['__db.001', '__db.002', '__db.003', '__db.rep.diag00', 'log.0000000001'].map((f) => ({ pid: 42, command: 'repsite master', what: `has /env/${f} open` }));
  const line = describeHolders([...files, { pid: 42, command: 'repsite master', what: 'listens on port 5010' }, { pid: 0, command: 'unknown process', what: 'listens on port 5011' }]);
  assert.is(line, 'pid 42 (repsite master) listens on port 5010, has /env/__db.001 open, has /env/__db.002 open, has /env/__db.003 open and 2 more; unknown process listens on port 5011');
});

test.run();
