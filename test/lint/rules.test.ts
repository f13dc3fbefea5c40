import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lintDbConfig, RULES, type EnvironmentFacts } from '../../src/index.js';

const MASTER = 'rep_set_priority 1\nrepmgr_site 10.0.0.1 5010 db_local_site on db_group_creator on\nrepmgr_site 10.0.0.2 5010\n';
const REPLICANT = 'rep_set_priority 0\nrepmgr_site 10.0.0.2 5010 db_local_site on\nrepmgr_site 10.0.0.1 5010 db_bootstrap_helper on\n';

interface Case {
  readonly bad: string;
  readonly good: string;
  /** Line the finding must be on (default 1). */
  readonly line?: number;
  readonly environment?: EnvironmentFacts;
}

const env = (over: Partial<EnvironmentFacts>): EnvironmentFacts => ({ configMtimeMs: 2000, regionFiles: [], directoryExists: () => true, ...over });

/** A failing and a passing input for every rule. */
const CASES: Record<string, Case> = {
  bom: { bad: '\ufeff# settings\nrep_set_priority 1\n', good: '# settings\nrep_set_priority 1\n' },
  'line-too-long': { bad: `# ${'x'.repeat(260)} rep_set_priority 1\n`, good: `# ${'x'.repeat(200)}\n` },
  'stray-cr': { bad: 'rep_set_priority 4\r\r\n', good: 'rep_set_priority 4\r\n' },
  'nul-byte': { bad: 'set_lg_max 1048576\0junk\n', good: 'set_lg_max 1048576\n' },
  'bad-whitespace': { bad: 'rep_set_priority\v1\n', good: 'rep_set_priority\t1\n' },
  'inline-comment': { bad: 'rep_set_priority 1 # master\n', good: '# master\nrep_set_priority 1\n', line: 1 },
  'no-equals': { bad: 'rep_set_priority = 1\n', good: 'rep_set_priority 1\n' },
  'host-port-token': { bad: 'repmgr_site 10.0.0.1:5010 db_local_site on\n', good: 'repmgr_site 10.0.0.1 5010 db_local_site on\n' },
  'unknown-directive': { bad: 'rep-set-priority 1\n', good: 'rep_set_priority 1\n' },
  'missing-value': { bad: 'set_data_dir\n', good: 'set_data_dir data\n' },
  arity: { bad: 'set_cachesize 0 1048576\n', good: 'set_cachesize 0 1048576 1\n' },
  'invalid-number': { bad: 'set_lg_max 10MB\n', good: 'set_lg_max 10485760\n' },
  'number-range': { bad: 'set_lg_filemode -1\n', good: 'set_lg_filemode 416\n' },
  'unknown-keyword': { bad: 'repmgr_set_ack_policy ALL\n', good: 'repmgr_set_ack_policy db_repmgr_acks_all\n' },
  'port-range': { bad: 'repmgr_site 10.0.0.1 65536 db_local_site on\n', good: 'repmgr_site 10.0.0.1 65535 db_local_site on\n' },
  'site-too-many-pairs': {
    bad: 'repmgr_site 10.0.0.1 5010 db_local_site on db_group_creator on db_legacy off db_repmgr_peer off\n',
    good: 'repmgr_site 10.0.0.1 5010 db_local_site on db_group_creator on db_legacy off\n',
  },
  'invalid-host': { bad: 'repmgr_site bad/host 5010 db_local_site on\n', good: 'repmgr_site good-host 5010 db_local_site on\n' },
  'intermediate-dir-mode': { bad: 'set_intermediate_dir_mode 0755\n', good: 'set_intermediate_dir_mode rwxr-x---\n' },
  'create-dir': { bad: 'set_data_dir a\nset_create_dir b\n', good: 'set_data_dir a\nset_create_dir a\n', line: 2 },
  'log-dir-missing': {
    bad: 'set_lg_dir logs\n',
    good: 'set_lg_dir logs\n',
    environment: env({ directoryExists: () => false }),
  },
  'nsites-with-repmgr': { bad: `rep_set_nsites 2\n${MASTER}`, good: MASTER },
  'clockskew-order': { bad: 'rep_set_clockskew 100 102\n', good: 'rep_set_clockskew 102 100\n' },
  'request-range': { bad: 'rep_set_request 2000 1000\n', good: 'rep_set_request 1000 2000\n' },
  'memory-max-too-small': { bad: 'set_memory_max 0 1048575\n', good: 'set_memory_max 0 2097152\n' },
  'mutex-max-too-small': { bad: 'mutex_set_max 76\n', good: 'mutex_set_max 77\n' },
  'local-site': {
    bad: 'repmgr_site 10.0.0.1 5010 db_local_site on\nrepmgr_site 10.0.0.2 5010 db_local_site on\n',
    good: 'repmgr_site 10.0.0.1 5010 db_local_site on\nrepmgr_site 10.0.0.2 5010\n',
    line: 2,
  },
  'no-local-site': { bad: 'rep_set_priority 1\nrepmgr_site 10.0.0.2 5010\n', good: MASTER, line: 2 },
  'no-bootstrap-helper': { bad: REPLICANT.replace(' db_bootstrap_helper on', ''), good: REPLICANT, line: 3 },
  'duplicate-setting': { bad: 'rep_set_priority 1\nrep_set_priority 0\n', good: 'rep_set_priority 0\n' },
  'string-value': { bad: 'set_data_dir data  \n', good: 'set_data_dir data\n' },
  'prefer-ipv4': { bad: 'repmgr_site master.example.com 5010 db_local_site on\n', good: 'repmgr_site 10.0.0.1 5010 db_local_site on\n' },
  'host-case': {
    bad: 'repmgr_site master 5010 db_local_site on\nrepmgr_site MASTER 5011\n',
    good: 'repmgr_site master 5010 db_local_site on\nrepmgr_site master 5011\n',
    line: 2,
  },
  'stale-region-files': {
    bad: MASTER,
    good: MASTER,
    environment: env({ regionFiles: [{ name: '__db.001', mtimeMs: 1000 }] }),
  },
};

const GOOD_ENV: Record<string, EnvironmentFacts> = {
  'log-dir-missing': env({}),
  'stale-region-files': env({ regionFiles: [{ name: '__db.001', mtimeMs: 3000 }] }),
};

test('every rule has a failing and a passing case', () => {
  assert.equal(Object.keys(CASES).sort(), RULES.map((r) => r.id).sort());
});

for (const [id, c] of Object.entries(CASES)) {
  test(`${id}: reports the bad case`, () => {
    const r = lintDbConfig(c.bad, c.environment ? { environment: c.environment } : {});
    const hits = r.messages.filter((m) => m.ruleId === id);
    assert.ok(hits.length > 0, `${id} not reported; got ${JSON.stringify(r.messages.map((m) => m.ruleId))}`);
    assert.is(hits[0]!.line, c.line ?? 1);
    assert.ok(hits[0]!.message.length > 20, 'message explains');
  });
  test(`${id}: passes the good case`, () => {
    const environment = GOOD_ENV[id];
    const r = lintDbConfig(c.good, environment ? { environment } : {});
    assert.equal(r.messages.filter((m) => m.ruleId === id), []);
  });
}

test('valid master and replicant configurations are clean', () => {
  for (const text of [MASTER, REPLICANT]) {
    const r = lintDbConfig(text);
    assert.equal(r.messages, []);
  }
});

test('rule settings turn a rule off or change its severity', () => {
  const text = 'repmgr_site master.example.com 5010 db_local_site on\n';
  assert.is(lintDbConfig(text, { rules: { 'prefer-ipv4': 'off' } }).warningCount, 0);
  const r = lintDbConfig(text, { rules: { 'prefer-ipv4': 'error' } });
  assert.is(r.errorCount, 1);
});

test('a disable comment silences the named rule on the next line only', () => {
  const text = '# provision-disable-next-line prefer-ipv4 -- DNS is managed here\nrepmgr_site master 5010 db_local_site on\nrepmgr_site other 5011\n';
  const r = lintDbConfig(text);
  assert.equal(r.messages.map((m) => [m.ruleId, m.line]), [['prefer-ipv4', 3]]);
});

test('positions are 1-based line and byte column', () => {
  const r = lintDbConfig('# x\n  repmgr_set_ack_policy ONE\n');
  const m = r.messages.find((x) => x.ruleId === 'unknown-keyword')!;
  assert.equal([m.line, m.column, m.endColumn], [2, 25, 28]);
});

test('hyphenated and wrong-case names suggest the real one, with a fix', () => {
  const r = lintDbConfig('REP_SET_PRIORITY 1\n');
  assert.match(r.messages[0]!.message, /did you mean rep_set_priority/);
  assert.equal(r.messages[0]!.fix, { range: [0, 16], text: 'rep_set_priority' });
});

test('old names point to what replaced them', () => {
  const r = lintDbConfig('repmgr_set_local_site 10.0.0.1 5010\n');
  assert.match(r.messages[0]!.message, /repmgr_site HOST PORT db_local_site on/);
});

test('an error in a line does not cascade into errors about its values', () => {
  const r = lintDbConfig('rep_set_priority 1 # the master\n');
  assert.equal(r.messages.map((m) => m.ruleId), ['inline-comment']);
});

test.run();
