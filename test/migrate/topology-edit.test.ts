import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { editTopologyValues, TopologyEditError } from '../../src/migrate/topology-edit.js';

const test = suite('topology value edits');
const text = '; the group\r\n[site "a"]\r\nhost = 10.0.0.1\t\r\nrole = master\r\n\r\n[site "b"]\r\nrole=replicant\r\n';

test('values are replaced in place; comments, spacing and CRLF stay', () => {
  const out = editTopologyValues(Buffer.from(text), [
    { line: 4, column: 8, old: 'master', value: 'replicant' },
    { line: 7, column: 6, old: 'replicant', value: 'master' },
    { line: 3, column: 8, old: '10.0.0.1', value: 'db1.example.com' },
  ]);
  assert.is(out.toString(), text.replace('role = master', 'role = replicant').replace('role=replicant', 'role=master').replace('10.0.0.1', 'db1.example.com'));
});

test('a BOM and a missing final newline are kept', () => {
  const src = Buffer.from('\ufeff[site "a"]\nrole = master', 'utf8');
  const out = editTopologyValues(src, [{ line: 2, column: 8, old: 'master', value: 'replicant' }]);
  assert.is(out.toString('utf8'), '\ufeff[site "a"]\nrole = replicant');
});

test('a value that is not where the parser saw it, or a new value with a newline, is refused', () => {
  assert.throws(() => editTopologyValues(Buffer.from(text), [{ line: 4, column: 8, old: 'replicant', value: 'master' }]), (e: Error) => e instanceof TopologyEditError && /expected "replicant" there/.test(e.message));
  assert.throws(() => editTopologyValues(Buffer.from(text), [{ line: 3, column: 8, old: '10.0.0.1', value: 'x\n[site "evil"]' }]), /control character/);
});

test.run();
