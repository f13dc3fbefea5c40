import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixDbConfig } from '../../src/index.js';

const fix = (text: string) => fixDbConfig(Buffer.from(text, 'latin1'));

test('safe fixes repair a Notepad-edited file and keep everything else byte for byte', () => {
  const before = '\xef\xbb\xbf# Edited in Notepad\r\nrep-set-priority 0\r\nrepmgr_site 10.1.1.20:5010 db_local_site on   # this server\r\nrepmgr_site 10.1.1.10 5010 db_bootstrap_helper on\r\nrepmgr_set_ack_policy ONE\r\n';
  const { output, result, fixed } = fix(before);
  assert.fixture(
    output.toString('latin1'),
    '# Edited in Notepad\r\nrep_set_priority 0\r\n# this server\r\nrepmgr_site 10.1.1.20 5010 db_local_site on\r\nrepmgr_site 10.1.1.10 5010 db_bootstrap_helper on\r\nrepmgr_set_ack_policy DB_REPMGR_ACKS_ONE\r\n',
  );
  assert.is(result.errorCount, 0);
  assert.ok(fixed >= 5);
});

test('a clean file is returned unchanged', () => {
  const text = 'rep_set_priority 1\n';
  const { output, fixed } = fix(text);
  assert.is(output.toString(), text);
  assert.is(fixed, 0);
});

test('fixing is idempotent', () => {
  const once = fix('rep_set_priority=1\nset_flags DB_TXN_NOSYNC yes\n').output;
  const twice = fixDbConfig(once).output;
  assert.ok(once.equals(twice));
  assert.is(once.toString(), 'rep_set_priority 1\nset_flags DB_TXN_NOSYNC on\n');
});

test('unsafe problems are left for a person', () => {
  const { output, result } = fix('set_data_dir\nrep_set_priority 0x1\n');
  assert.is(output.toString(), 'set_data_dir\nrep_set_priority 0x1\n');
  assert.is(result.errorCount, 2);
});

test.run();
