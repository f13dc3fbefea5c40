import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lintDbConfig, parseDbConfig, renderDbConfig } from '../../src/index.js';
import { mergeSiteConfig } from '../../src/site/merge.js';
import { ROOT } from '../helpers.js';

const fixture = (name: string) => fs.readFileSync(path.join(ROOT, 'fixtures/vendor', name));
const merge = (existing: Buffer | string, rendered: string, role: 'master' | 'replicant') =>
  renderDbConfig(mergeSiteConfig(parseDbConfig(existing), parseDbConfig(rendered), role)).toString('latin1');

const REPLICANT = 'rep_set_priority 0\nrepmgr_site 10.0.0.2 5010 db_local_site on\nrepmgr_site 10.0.0.1 5010 db_bootstrap_helper on\nrepmgr_set_ack_policy DB_REPMGR_ACKS_ONE\n';
const MASTER = 'rep_set_priority 1\nrepmgr_site 10.0.0.1 5010 db_local_site on db_group_creator on\nrepmgr_site 10.0.0.2 5010\nrepmgr_set_ack_policy DB_REPMGR_ACKS_ONE\n';

test('vendor file: the replicant block is un-commented and filled in, the master block stays commented', () => {
  const out = merge(fixture('tapetrack-shipped.DB_CONFIG'), REPLICANT, 'replicant');
  assert.fixture(
    out,
    `# DB_CONFIG shipped with the server.
# Replication: un-comment ONE of the two blocks below.

# ---- Master -----------------------------------------------------------
#rep_set_priority 1
#repmgr_site MASTER_HOST 5010 db_local_site on
#repmgr_site REPLICANT_HOST 5010

# ---- Replicant --------------------------------------------------------
rep_set_priority 0
repmgr_site 10.0.0.2 5010 db_local_site on
repmgr_site 10.0.0.1 5010 db_bootstrap_helper on
repmgr_set_ack_policy DB_REPMGR_ACKS_ONE

set_cachesize 0 67108864 1
set_lg_max 10485760
`,
  );
  assert.is(lintDbConfig(Buffer.from(out, 'latin1')).errorCount, 0);
});

test('vendor file: the master block for a master', () => {
  const out = merge(fixture('tapetrack-shipped.DB_CONFIG'), MASTER, 'master');
  assert.ok(out.includes('\nrep_set_priority 1\nrepmgr_site 10.0.0.1 5010 db_local_site on db_group_creator on\nrepmgr_site 10.0.0.2 5010\nrepmgr_set_ack_policy DB_REPMGR_ACKS_ONE\n\n# ---- Replicant'));
  assert.ok(out.includes('#rep_set_priority 0\n#repmgr_site REPLICANT_HOST 5010 db_local_site on\n'));
});

test('CRLF file: only the changed lines change, and they stay CRLF', () => {
  const before = fixture('maitred-master-crlf.DB_CONFIG').toString('latin1');
  const rendered = 'rep_set_priority 1\nrepmgr_site 10.1.1.10 5010 db_local_site on db_group_creator on\nrepmgr_site 10.1.1.30 5010\nrepmgr_set_ack_policy DB_REPMGR_ACKS_ONE\n';
  const out = merge(Buffer.from(before, 'latin1'), rendered, 'master');
  assert.is(out, before.replace('repmgr_site 10.1.1.20 5010\r\n', 'repmgr_site 10.1.1.30 5010\r\n'));
});

test('unknown and unrelated directives, comments and order are kept; rep_set_nsites goes', () => {
  const before = '# tuned by hand\nset_lk_max_locks 50000\nrep_set_nsites 2\nrep_set_priority 5\nset_verbose DB_VERB_REPLICATION on\n';
  const out = merge(before, REPLICANT, 'replicant');
  assert.fixture(
    out,
    '# tuned by hand\nset_lk_max_locks 50000\nrep_set_priority 0\nrepmgr_site 10.0.0.2 5010 db_local_site on\nrepmgr_site 10.0.0.1 5010 db_bootstrap_helper on\nrepmgr_set_ack_policy DB_REPMGR_ACKS_ONE\nset_verbose DB_VERB_REPLICATION on\n',
  );
});

test('sites already right stay; a changed local address is rewritten in place; stale sites go', () => {
  const before = 'repmgr_site 10.0.0.9 5010 db_local_site on\nrepmgr_site 10.0.0.1   5010 db_bootstrap_helper on\nrepmgr_site 10.0.0.7 5010\nrep_set_priority 0\n';
  const out = merge(before, REPLICANT, 'replicant');
  assert.fixture(
    out,
    'repmgr_site 10.0.0.2 5010 db_local_site on\nrepmgr_site 10.0.0.1   5010 db_bootstrap_helper on\nrep_set_priority 0\nrepmgr_set_ack_policy DB_REPMGR_ACKS_ONE\n',
  );
});

test('merging twice changes nothing the second time', () => {
  const once = merge(fixture('tapetrack-shipped.DB_CONFIG'), REPLICANT, 'replicant');
  const twice = merge(Buffer.from(once, 'latin1'), REPLICANT, 'replicant');
  assert.is(twice, once);
});

test('a file without a final newline keeps it that way', () => {
  const out = merge('set_cachesize 0 1048576 1', REPLICANT, 'replicant');
  assert.ok(out.startsWith('set_cachesize 0 1048576 1\n'));
  assert.not.ok(out.endsWith('\n'));
  assert.ok(out.endsWith('repmgr_set_ack_policy DB_REPMGR_ACKS_ONE'));
});

test('touching master and replicant blocks: only the role\'s block is un-commented', () => {
  const before = '#rep_set_priority 1\n#repmgr_site M 5010 db_local_site on\n#repmgr_site R 5010\n#rep_set_priority 0\n#repmgr_site R 5010 db_local_site on\n#repmgr_site M 5010 db_bootstrap_helper on\n';
  const out = merge(before, REPLICANT, 'replicant');
  assert.fixture(
    out,
    '#rep_set_priority 1\n#repmgr_site M 5010 db_local_site on\n#repmgr_site R 5010\nrep_set_priority 0\nrepmgr_site 10.0.0.2 5010 db_local_site on\nrepmgr_site 10.0.0.1 5010 db_bootstrap_helper on\nrepmgr_set_ack_policy DB_REPMGR_ACKS_ONE\n',
  );
});

test('a comment written after a directive is kept, on its own line above it', () => {
  const out = merge('rep_set_priority 5 # keep me: this is the replica\r\nset_cachesize 0 1048576 1\r\n', REPLICANT, 'replicant');
  assert.ok(out.startsWith('# keep me: this is the replica\r\nrep_set_priority 0\r\n'), JSON.stringify(out));
});

test.run();
