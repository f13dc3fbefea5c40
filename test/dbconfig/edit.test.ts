import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  commentLines, findDirective, insertLines, parseDbConfig, removeDirective, renderDbConfig, setDirective, uncommentLines,
  type DbConfigDocument,
} from '../../src/index.js';
import { unifiedDiff } from '../../src/plan/diff.js';
import { ROOT } from '../helpers.js';

const text = (doc: DbConfigDocument) => renderDbConfig(doc).toString('latin1');
const diff = (before: string, after: DbConfigDocument) => unifiedDiff(before, text(after), 'a', 'b', 0);

test('set replaces the value in place, keeping indent, separators and trailing space', () => {
  const before = '# site\n  rep_set_priority\t\t5  \nset_cachesize 0 1 1\n';
  const after = setDirective(parseDbConfig(before), 'rep_set_priority', ['0']);
  assert.is(text(after), '# site\n  rep_set_priority\t\t0  \nset_cachesize 0 1 1\n');
  assert.fixture(diff(before, after), '--- a\n+++ b\n@@ -2,1 +2,1 @@\n-  rep_set_priority\t\t5  \n+  rep_set_priority\t\t0  \n');
});

test('setting the value a file already has returns the same document', () => {
  const doc = parseDbConfig('rep_set_priority 1\n');
  assert.is(setDirective(doc, 'rep_set_priority', ['1']), doc);
});

test('set changes the last of several lines (the one Berkeley DB applies)', () => {
  const after = setDirective(parseDbConfig('rep_set_priority 1\nrep_set_priority 2\n'), 'rep_set_priority', ['3']);
  assert.is(text(after), 'rep_set_priority 1\nrep_set_priority 3\n');
});

test('keyed directives are matched by key: flag, timeout, or host and port', () => {
  let doc = parseDbConfig('rep_set_timeout DB_REP_ACK_TIMEOUT 5\nrep_set_timeout db_rep_connection_retry 7\nrepmgr_site 10.0.0.1 5010 db_local_site on\nrepmgr_site 10.0.0.2 5010\n');
  doc = setDirective(doc, 'rep_set_timeout', ['DB_REP_CONNECTION_RETRY', '1000000']);
  doc = setDirective(doc, 'repmgr_site', ['10.0.0.2', '5010', 'db_bootstrap_helper', 'on']);
  assert.is(
    text(doc),
    'rep_set_timeout DB_REP_ACK_TIMEOUT 5\nrep_set_timeout db_rep_connection_retry 1000000\nrepmgr_site 10.0.0.1 5010 db_local_site on\nrepmgr_site 10.0.0.2 5010 db_bootstrap_helper on\n',
  );
});

test('a commented-out setting is revived in place rather than added', () => {
  const before = '# Replicant\n#rep_set_priority 0\n\nset_cachesize 0 1 1\n';
  const after = setDirective(parseDbConfig(before), 'rep_set_priority', ['0']);
  assert.is(text(after), '# Replicant\nrep_set_priority 0\n\nset_cachesize 0 1 1\n');
});

test('a new directive goes after its family, in the file line ending', () => {
  const before = 'rep_set_priority 1\r\nrepmgr_site 10.0.0.1 5010 db_local_site on\r\n\r\nset_cachesize 0 1 1\r\n';
  const after = setDirective(parseDbConfig(before), 'repmgr_set_ack_policy', ['DB_REPMGR_ACKS_ONE']);
  assert.is(text(after), 'rep_set_priority 1\r\nrepmgr_site 10.0.0.1 5010 db_local_site on\r\nrepmgr_set_ack_policy DB_REPMGR_ACKS_ONE\r\n\r\nset_cachesize 0 1 1\r\n');
});

test('appending to a file without a final newline keeps it without one', () => {
  const after = setDirective(parseDbConfig('set_cachesize 0 1 1'), 'set_lg_max', ['1048576']);
  assert.is(text(after), 'set_cachesize 0 1 1\nset_lg_max 1048576');
});

test('a new line copies the indent and separator of its neighbour', () => {
  const after = setDirective(parseDbConfig('\trep_set_priority\t1\n'), 'rep_set_config', ['DB_REP_CONF_BULK', 'on']);
  assert.is(text(after), '\trep_set_priority\t1\n\trep_set_config\tDB_REP_CONF_BULK\ton\n');
});

test('remove deletes every line of a setting and nothing else', () => {
  const before = 'a_comment_free_line_stays 1\nrep_set_nsites 2\n# keep\nrep_set_nsites 3';
  const after = removeDirective(parseDbConfig(before), { name: 'rep_set_nsites' });
  assert.is(text(after), 'a_comment_free_line_stays 1\n# keep');
});

test('comment and un-comment a block, leaving prose comments alone', () => {
  const vendor = fs.readFileSync(path.join(ROOT, 'fixtures/vendor/tapetrack-shipped.DB_CONFIG'), 'latin1');
  const doc = parseDbConfig(Buffer.from(vendor, 'latin1'));
  const start = doc.lines.findIndex((l) => l.text.includes('---- Replicant'));
  const active = uncommentLines(doc, start, start + 4);
  assert.equal(findDirective(active, { name: 'rep_set_priority' }), [start + 1]);
  assert.ok(text(active).includes('# ---- Replicant'), 'prose comment kept');
  assert.fixture(
    diff(vendor, active),
    '--- a\n+++ b\n@@ -10,3 +10,3 @@\n-#rep_set_priority 0\n-#repmgr_site REPLICANT_HOST 5010 db_local_site on\n-#repmgr_site MASTER_HOST 5010 db_bootstrap_helper on\n+rep_set_priority 0\n+repmgr_site REPLICANT_HOST 5010 db_local_site on\n+repmgr_site MASTER_HOST 5010 db_bootstrap_helper on\n',
  );
  const back = commentLines(active, start, start + 4);
  assert.is(text(back), vendor);
});

test('insertLines copies the dominant line ending', () => {
  const after = insertLines(parseDbConfig('a 1\r\nb 2\r\n'), 1, ['# note']);
  assert.is(text(after), 'a 1\r\n# note\r\nb 2\r\n');
});

test.run();
