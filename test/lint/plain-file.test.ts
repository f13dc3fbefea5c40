/**
 * The differential test of lint's fast paths: lintDbConfig (which skips the
 * rule engine when lintPlainFile can judge a file, and in the rule engine
 * takes a common site line at once) must give exactly the result of
 * lintWithRules with no fast path (every rule, always) on every fixture, the
 * Berkeley DB corpus, the benchmark's generated fleet and thousands of seeded
 * random and mutated files, with and without environment facts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateCorpus } from '../../bench/corpus.js';
import { isCommonSiteLine, useFastPaths } from '../../src/lint/common-site.js';
import { forgetLines } from '../../src/lint/line-findings.js';
import { lintPlainFile } from '../../src/lint/plain-file.js';
import { lintDbConfig, lintWithRules } from '../../src/lint/lint.js';
import { RULES } from '../../src/lint/rules/index.js';
import type { EnvironmentFacts, LintOptions, LintResult } from '../../src/lint/types.js';
import { filesBelow, prng, ROOT, tempDir } from '../helpers.js';

const ENVIRONMENTS: readonly (EnvironmentFacts | undefined)[] = [
  undefined,
  { configMtimeMs: 0, regionFiles: [], directoryExists: () => false },
  { configMtimeMs: 0, regionFiles: [], directoryExists: () => true },
  { configMtimeMs: 2000, regionFiles: [{ name: '__db.001', mtimeMs: 1000 }], directoryExists: () => true },
  // Region files as a running environment has them: newer than its DB_CONFIG, one as old (not older).
  { configMtimeMs: 2000, regionFiles: [{ name: '__db.001', mtimeMs: 3000 }, { name: '__db.002', mtimeMs: 2000 }], directoryExists: () => false },
];

/** Rule settings from a .provisionrc: the plain path must grade its findings as the rules do. */
const SETTINGS: readonly LintOptions['rules'][] = [undefined, { 'prefer-ipv4': 'error' }, { 'prefer-ipv4': 'off', 'duplicate-setting': 'error' }];

/** The per-line rules, as lint gives them to the plain path. */
const LINE_RULES = RULES.filter((r) => r.perLine === true);
/** How many findings of each rule the plain path made in the comparisons so far. */
const plainFindings = new Map<string, number>();

/** Lint `bytes` both ways under every environment; returns how many times the plain path decided. */
function compare(bytes: Buffer, what: string): number {
  let fast = 0;
  ENVIRONMENTS.forEach((environment, i) => {
    const rules = SETTINGS[i % SETTINGS.length];
    const options: LintOptions = { filePath: 'x/DB_CONFIG', ...(environment ? { environment } : {}), ...(rules ? { rules } : {}) };
    // Once with no line judged before, the fast path first: what it finds on a line (lineFindings) is then its own, not
    // what the rules left in the memo of line findings they share.
    let first: LintResult | undefined;
    if (i === 0) {
      forgetLines();
      first = lintDbConfig(bytes, options);
      forgetLines();
    }
    useFastPaths(false);
    const full = lintWithRules(bytes, options);
    useFastPaths(true);
    const plain = lintPlainFile(bytes, environment, rules, LINE_RULES);
    if (plain !== undefined) fast++;
    for (const f of plain ?? []) plainFindings.set(f.rule.id, (plainFindings.get(f.rule.id) ?? 0) + 1);
    assert.equal(lintDbConfig(bytes, options), full, `${what}: lintDbConfig differs from every rule (the rules find ${JSON.stringify(full.messages)})`);
    if (first !== undefined) assert.equal(first, full, `${what}: lintDbConfig with no line judged before differs from every rule`);
  });
  return fast;
}

test('every fixture (the Berkeley DB corpus included) lints the same with and without the fast path', () => {
  const files = filesBelow(path.join(ROOT, 'fixtures'));
  assert.ok(files.length >= 300, `expected the fixtures and the 344-file corpus, found ${files.length}`);
  let fast = 0;
  for (const file of files) fast += compare(fs.readFileSync(file), path.relative(ROOT, file));
  assert.ok(fast >= 50, `the fast path decided only ${fast} times`);
});

test("the benchmark's generated fleet lints the same with and without the fast path", () => {
  const { dir, cleanup } = tempDir();
  try {
    generateCorpus(dir, 1500, 7);
    const files = filesBelow(dir);
    let fast = 0;
    for (const file of files) fast += compare(fs.readFileSync(file), file);
    assert.ok(fast > files.length, `the fast path decided only ${fast} times in ${files.length} files`);
    // Its broken files too: the mistakes it makes are the ones the plain path takes.
    const left = files.filter((file) => lintPlainFile(fs.readFileSync(file), { configMtimeMs: 0, regionFiles: [], directoryExists: () => false }, undefined, LINE_RULES) === undefined);
    assert.equal(left, [], 'every file of the fleet takes the plain path');
  } finally {
    cleanup();
  }
});

/** Lines near the fast path's edges: each valid one next to what a rule reports. */
const LINES = [
  '# a comment', '#', '', '   ', '\t# indented comment', '# provision-disable-next-line prefer-ipv4 -- lab', '# provision-disable-next-line',
  'rep_set_priority 0', 'rep_set_priority 100', 'rep_set_priority -1', 'rep_set_priority 1.0', 'REP_SET_PRIORITY 0', 'rep_set_priority',
  'repmgr_site 10.0.0.1 5010 db_local_site on', 'repmgr_site 10.0.0.1 5010 db_local_site on db_group_creator on',
  'repmgr_site 10.0.0.2 5010 db_local_site on', 'repmgr_site 10.0.0.2 5010 db_bootstrap_helper on', 'repmgr_site 10.0.0.3 6000 db_bootstrap_helper on db_repmgr_peer on',
  'repmgr_site 10.0.0.3 6000 db_repmgr_peer on', 'repmgr_site 10.0.0.1 5010 db_local_site off', 'repmgr_site 10.0.0.1 5010 db_local_site 1',
  'repmgr_site 10.0.0.1 5010 DB_LOCAL_SITE ON', 'repmgr_site 10.0.0.1 5010 db_local_site on db_bootstrap_helper on', 'repmgr_site 10.0.0.4 5010 db_legacy on',
  'repmgr_site db1.example.com 5010 db_bootstrap_helper on', 'repmgr_site DB1.example.com 5010', 'repmgr_site 10.0.0.256 5010', 'repmgr_site 10.0.0.1:5010 db_local_site on',
  'repmgr_site ::1 5010 db_local_site on', 'repmgr_site 10.0.0.5 0', 'repmgr_site 10.0.0.5 70000', 'repmgr_site 10.0.0.5', 'REPMGR_SITE 10.0.0.6 5010',
  'repmgr_site 10.0.0.7 5010 db_local_site on db_group_creator on db_legacy on db_repmgr_peer on', 'repmgr_site 10.0.0.8 5010 db_local_site',
  'repmgr_set_ack_policy DB_REPMGR_ACKS_ONE', 'repmgr_set_ack_policy db_repmgr_acks_quorum', 'repmgr_set_ack_policy ONE', 'repmgr_set_ack_policy DB_REPMGR_ACKS_ALL_PEERS',
  'rep_set_timeout DB_REP_CONNECTION_RETRY 1000000', 'rep_set_timeout DB_REP_CONNECTION_RETRY 0', 'rep_set_timeout DB_REP_HEARTBEAT_SEND 5000000',
  'rep_set_timeout DB_REP_CHECKPOINT_DELAY 0', 'rep_set_timeout DB_REP_LEASE_TIMEOUT 100', 'rep_set_timeout DB_REP_ACK_TIMEOUT',
  'rep_set_nsites 3', 'rep_set_clockskew 102 100', 'rep_set_clockskew 100 102', 'rep_set_request 40000 1280000', 'rep_set_request 0 10',
  'rep_set_config DB_REP_CONF_BULK on', 'rep_set_config DB_REP_CONF_BULK yes', 'rep_set_limit 0 10485760',
  'set_cachesize 0 33554432 1', 'set_cachesize 0 33554432 1', 'set_cachesize 0 0x100 1', 'set_cachesize 1 0', 'set_lk_max_locks 20000', 'set_lk_max_locks 5s',
  'set_tx_max 500', 'set_lg_bsize 262144', 'set_lg_max 10485760', 'set_lk_detect DB_LOCK_DEFAULT', 'set_lk_detect DEFAULT', 'set_flags DB_TXN_WRITE_NOSYNC',
  'set_flags DB_AUTO_COMMIT', 'set_flags DB_DIRECT_DB', 'set_flags DB_TXN_NOSYNC off', 'set_mp_mmapsize 268435456', 'set_thread_count 64', 'set_lg_regionmax 1048576',
  'SET_CACHESIZE 0 1 1', 'set_data_dir data', 'set_data_dir data   ', 'set_data_dir', 'set_lg_dir logs', 'set_create_dir data', 'db_data_dir old',
  'set_lg_dir /var/db/logs', 'set_lg_dir my logs', 'set_lg_dir logs#', 'set_lg_dir C:\\db\\logs', 'set_metadata_dir meta', 'add_data_dir more', 'add_data_dir data',
  'set_tmp_dir tmp', 'SET_LG_DIR logs', 'db_log_dir logs', 'log_set_config DB_LOG_IN_MEMORY on', 'set_flags DB_LOG_INMEMORY',
  'set_intermediate_dir_mode rwxr-x---', 'set_tmp_dir /tmp', 'rep-set-priority 0', 'set_cachesize = 0 1 1', 'set_lk_max_locks 2000 # more',
  'unknown_directive 1', 'set_verbose DB_VERB_REPLICATION on', 'mutex_set_max 10000', 'mutex_set_max 40', 'set_memory_max 0 1048575', 'set_memory_max 1 0', 'set_cachesize 10001 0 1', 'set_cachesize 20001 0 2', 'set_flags DB_NOLOCKING on', 'set_open_flags DB_INIT_REP off', 'set_lk_partitions 1', 'set_lg_filemode 0600',
  // The edges of the common site line (read by a pattern, not remembered) and of the lines the memo judges instead.
  'repmgr_site 10.0.0.1 05010', 'repmgr_site 10.0.0.1 +5010', 'repmgr_site 10.0.0.1\t5010', 'repmgr_site 10.0.0.1  5010 db_local_site on',
  'repmgr_site 10.0.0.1 5010\tdb_local_site on', 'repmgr_site 10.0.0.1 5010 db_local_site  on', 'repmgr_site 10.0.0.1 5010 db_local_site on ',
  'repmgr_site 10.0.0.1 65535 db_local_site on', 'repmgr_site 10.0.0.1 65536', 'repmgr_site 10.0.0.1 99999', 'repmgr_site 10.0.0.1 123456',
  'repmgr_site 010.0.0.1 5010', 'repmgr_site 1.2.3 5010', 'repmgr_site 1.2.3.4.5 5010', 'repmgr_site 0.0.0.0 5010 db_local_site on',
  'repmgr_site 255.255.255.255 5010 db_bootstrap_helper on', 'repmgr_site 10.0.0.1 5010 db_local_site on db_local_site on',
  'repmgr_site 10.0.0.9 5010 db_legacy on db_legacy on db_legacy on db_legacy on', 'repmgr_site 10.0.0.9 5010 db_legacy on db_legacy on db_legacy on',
  'repmgr_site 10.0.0.1 5010 db_local_site On', 'repmgr_site 10.0.0.1 5010 Db_local_site on', 'repmgr_site 10.0.0.1 5010 db_local_site on db_group_creator',
  'repmgr_site Db1.Example.COM 5010 db_local_site on', 'repmgr_site db1.example.com 5010 db_local_site on', 'repmgr_site db1.example.com\t5010',
  'repmgr_site db1.example.com. 5010', 'repmgr_site db-1 5010 db_bootstrap_helper on', 'repmgr_site -db1 5010', 'repmgr_site db1- 5010', 'repmgr_site a..b 5010',
  'repmgr_site 1-2.3 5010', 'repmgr_site _x 5010', 'repmgr_site x.1 5010', `repmgr_site ${'a'.repeat(64)}.example.com 5010`, 'repmgr_site db%1 5010',
  // The mistakes the plain path takes, and their edges: a comment after a site line (flags or a glued `#` in it), host:port
  // (with a comment, a name, no flags, an empty part), `=` and comments on settings it counts, directories ending in blanks.
  'repmgr_site 10.0.0.1 5010 db_local_site on   # this server', 'repmgr_site 10.0.0.1 5010 db_local_site on db_group_creator on\t# master',
  'repmgr_site 10.0.0.2 5010 db_bootstrap_helper on # the master', 'repmgr_site 10.0.0.3 5010 # a peer', 'repmgr_site 10.0.0.1 5010 db_local_site on #',
  'repmgr_site 10.0.0.1 5010 db_local_site on # db_group_creator on', 'repmgr_site 10.0.0.1 5010 # x DB_LOCAL_SITE on', 'repmgr_site 10.0.0.1 5010 db_local_site on#x',
  'repmgr_site 10.0.0.1 5010 db_local_site on # caf\xc3\xa9', 'repmgr_site 10.0.0.1 5010 db_local_site on # a\x0bb', 'repmgr_site 10.0.0.1 5010 db_local_site on # a=b c:d',
  'repmgr_site db1.example.com 5010 db_local_site on # named', 'repmgr_site 10.0.0.1:5010 db_local_site on db_group_creator on   # this server',
  'repmgr_site 10.0.0.2:5010 db_bootstrap_helper on', 'repmgr_site 10.0.0.3:5010', 'repmgr_site db1.example.com:5010 db_local_site on', 'repmgr_site 10.0.0.1: 5010',
  'repmgr_site :5010 db_local_site on', 'repmgr_site 10.0.0.1:5010:1 db_local_site on', 'repmgr_site 10.0.0.1:05010 db_local_site on', 'repmgr_site [::1]:5010',
  'repmgr_site 10.0.0.1:70000 db_local_site on', 'repmgr_site 10.0.0.1:5010\tdb_local_site on', 'rep_set_priority = 0', 'rep_set_priority=0', 'rep_set_priority -0', 'rep_set_priority 00', 'rep_set_priority 4294967296', 'set_tx_max = 500',
  'set_tx_max=500', 'set_tx_max 500 # the default', 'set-tx-max 500', 'repmgr_site=10.0.0.1 5010', 'rep_set_timeout = DB_REP_HEARTBEAT_SEND 5000000',
  'set_lk_max_locks 20000  # more locks', 'set-lk-max-locks 20000  # more locks', 'set_data_dir data\t', 'set_tmp_dir tmp  ', 'set_tmp_dir /tmp', 'set_lg_dir logs  ',
  'set_metadata_dir meta ', 'set_data_dir my data  ', 'set_data_dir data # x', 'set_data_dir=data', 'db_data_dir data  ', 'SET_LK_MAX_LOCKS 5', 'set_flags = DB_AUTO_COMMIT',
  '#provision-disable-next-line', '#\tprovision-disable-next-line prefer-ipv4', '#\xa0provision-disable-next-line', '#\x0bprovision-disable-next-line',
  '  #  provision-disable-next-line duplicate-setting', '# see provision-disable-next-line in docs/rules.md', '# provision-disable', '#provision',
];
const INTERESTING = [0x20, 0x09, 0x0d, 0x0a, 0x23, 0x00, 0x0b, 0x0c, 0x3d, 0x3a, 0x2d, 0x5f, 0x30, 0x39, 0x41, 0x61, 0xc2, 0xa0, 0xef, 0xbb, 0xbf, 0xff];

/** A replication site as a fleet writes it: a priority, a local site, its peers, some tuning. */
function siteFile(rand: () => number): string[] {
  const master = rand() < 0.4;
  const lines = [`rep_set_priority ${master ? 100 : 0}`, `repmgr_site 10.0.1.${Math.floor(rand() * 3)} 5010 db_local_site on${master ? ' db_group_creator on' : ''}`];
  for (let i = 1 + Math.floor(rand() * 3); i > 0; i--) lines.push(`repmgr_site ${rand() < 0.2 ? `db${i}.example.com` : `10.0.2.${i}`} 5010${rand() < 0.7 ? ' db_bootstrap_helper on' : ''}`);
  const tuning = ['set_tx_max 500', 'set_lk_max_locks 20000', 'repmgr_set_ack_policy DB_REPMGR_ACKS_ONE', 'rep_set_timeout DB_REP_HEARTBEAT_SEND 5000000', 'set_flags DB_AUTO_COMMIT'];
  for (const t of tuning) if (rand() < 0.5) lines.push(t);
  return lines.sort(() => rand() - 0.5);
}

function randomFile(rand: () => number): Buffer {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  // Two in five start as a working site (what the fast path is for), then take random lines.
  const lines: string[] = rand() < 0.4 ? siteFile(rand) : [];
  for (let n = Math.floor(rand() * (lines.length > 0 ? 3 : 12)); n >= 0; n--) {
    let line = pick(LINES);
    if (rand() < 0.1) line = `${pick(['  ', '\t', ' \t'])}${line}`;
    if (rand() < 0.05) line = `${line}${pick([' ', '\t', '  '])}`;
    if (rand() < 0.1) line = line.replace(/ /g, pick(['\t', '  ', ' \t']));
    lines.push(line);
  }
  if (rand() < 0.03) lines.push(`# ${'x'.repeat(250 + Math.floor(rand() * 20))}`);
  let text = lines.join(rand() < 0.2 ? '\r\n' : '\n') + (rand() < 0.9 ? '\n' : '');
  if (rand() < 0.05) text = `\xef\xbb\xbf${text}`;
  const bytes = [...Buffer.from(text, 'latin1')];
  // Half the files keep their lines; the others get one to three byte mutations.
  for (let m = rand() < 0.5 ? 0 : 1 + Math.floor(rand() * 3); m > 0 && bytes.length > 0; m--) {
    const at = Math.floor(rand() * bytes.length);
    const byte = rand() < 0.8 ? pick(INTERESTING) : Math.floor(rand() * 256);
    const op = rand();
    if (op < 0.4) bytes[at] = byte;
    else if (op < 0.7) bytes.splice(at, 0, byte);
    else bytes.splice(at, 1);
  }
  return Buffer.from(bytes);
}

test('5000 seeded random and mutated files lint the same with and without the fast path', () => {
  const rand = prng(20261122);
  plainFindings.clear();
  let fast = 0;
  let clean = 0;
  let named = 0;
  for (let i = 0; i < 5000; i++) {
    const bytes = randomFile(rand);
    const decided = compare(bytes, `case ${i} (${JSON.stringify(bytes.toString('latin1'))})`);
    fast += decided;
    if (lintWithRules(bytes).messages.length === 0) clean++;
    if (lintWithRules(bytes).messages.some((m) => m.ruleId === 'prefer-ipv4')) named++;
    // Also as one line of a bigger file: the memo of line verdicts must not leak between files.
    if (i % 10 === 0) compare(Buffer.concat([bytes, Buffer.from('\nset_tx_max 500\n')]), `case ${i} extended`);
  }
  // Both paths must be exercised, on clean files and on files with host names.
  assert.ok(fast >= 500, `the fast path decided only ${fast} times`);
  // And the plain path must have made each kind of finding it makes, many times over.
  for (const rule of ['bom', 'inline-comment', 'no-equals', 'host-port-token', 'unknown-directive', 'unknown-keyword', 'duplicate-setting', 'no-local-site', 'string-value', 'prefer-ipv4']) {
    assert.ok((plainFindings.get(rule) ?? 0) >= 20, `the plain path found ${rule} only ${plainFindings.get(rule) ?? 0} times`);
  }
  assert.ok(clean >= 150, `expected clean files, found ${clean}`);
  assert.ok(named >= 200, `expected files with host names (prefer-ipv4), found ${named}`);
});

/** Files that take each fast path, each with its edge: the plain path must decide (or refuse) them as the rules do. */
const EDGES: readonly (readonly string[])[] = [
  // A site twice, once read by the common-line pattern and once judged whole (a tab, or a port with a leading zero).
  ['rep_set_priority 100', 'repmgr_site 10.0.0.1 5010 db_local_site on', 'repmgr_site 10.0.0.2 5010', 'repmgr_site 10.0.0.2\t5010'],
  ['rep_set_priority 100', 'repmgr_site 10.0.0.1 5010 db_local_site on', 'repmgr_site 10.0.0.2 05010', 'repmgr_site 10.0.0.2 5010'],
  ['rep_set_priority 100', 'repmgr_site 10.0.0.1 5010 db_local_site on', 'repmgr_site 10.0.0.2 5010', 'repmgr_site 10.0.0.2 5011'],
  ['rep_set_priority 100', 'repmgr_site 10.0.0.1 5010 db_local_site on', 'repmgr_site 10.0.0.2 5010 db_bootstrap_helper on', 'repmgr_site 10.0.0.2 5010'],
  // Host names: the finding's position, another spelling in the same file, two files with two spellings.
  ['rep_set_priority 0', 'repmgr_site db1.example.com 5010 db_local_site on', 'repmgr_site db2.example.com 5010 db_bootstrap_helper on'],
  ['rep_set_priority 0', '  repmgr_site db1.example.com 5010 db_local_site on', 'repmgr_site DB2.example.com 5010 db_bootstrap_helper on', 'repmgr_site db2.example.com 5011'],
  ['rep_set_priority 0', 'repmgr_site DB1.example.com 5010 db_local_site on', 'repmgr_site Db2.Example.com 5010 db_bootstrap_helper on'],
  ['rep_set_priority 0', 'repmgr_site db1.example.com 5010 db_local_site on', 'repmgr_site db2.example.com\t5010 db_bootstrap_helper on', 'repmgr_site DB2.example.com 5011'],
  // Flags: a second local site, a local helper or peer, a replicant without a helper, a group creator.
  ['rep_set_priority 0', 'repmgr_site 10.0.0.1 5010 db_local_site on', 'repmgr_site 10.0.0.2 5010 db_local_site on'],
  ['rep_set_priority 0', 'repmgr_site 10.0.0.1 5010 db_local_site on db_bootstrap_helper on'],
  ['rep_set_priority 0', 'repmgr_site 10.0.0.1 5010 db_repmgr_peer on db_local_site on', 'repmgr_site 10.0.0.2 5010 db_bootstrap_helper on'],
  ['rep_set_priority 0', 'repmgr_site 10.0.0.1 5010 db_local_site on', 'repmgr_site 10.0.0.2 5010'],
  ['rep_set_priority 0', 'repmgr_site 10.0.0.1 5010 db_local_site on db_group_creator on', 'repmgr_site 10.0.0.2 5010'],
  ['rep_set_priority 0', 'repmgr_site 10.0.0.1 5010 db_local_site on db_legacy on db_group_creator on', 'repmgr_site 10.0.0.2 5010 db_legacy on'],
  // Disable comments, and comments that only mention one.
  ['# provision-disable-next-line prefer-ipv4', 'repmgr_site db1.example.com 5010 db_local_site on db_group_creator on'],
  ['#\xa0provision-disable-next-line', 'repmgr_site db1.example.com 5010 db_local_site on db_group_creator on'],
  ['# not a provision-disable-next-line comment', 'repmgr_site db1.example.com 5010 db_local_site on db_group_creator on'],
  // Directories: one word each, a log directory twice, one with a blank or a `#` in it, logs kept in memory, the
  // directories set_create_dir and set_intermediate_dir_mode judge.
  ['set_lg_dir logs', 'set_data_dir data', 'add_data_dir more', 'set_tmp_dir /tmp', 'set_metadata_dir meta'],
  ['set_data_dir data', 'set_data_dir data', 'set_lg_dir logs'],
  ['set_lg_dir logs', 'set_lg_dir logs2'],
  ['set_lg_dir my logs'],
  ['set_lg_dir logs ', 'set_data_dir data'],
  ['set_lg_dir lo#gs'],
  ['set_lg_dir\tlogs', 'set_data_dir  data'],
  ['log_set_config DB_LOG_IN_MEMORY on', 'set_lg_dir logs'],
  ['set_data_dir data', 'set_create_dir data'],
  ['set_intermediate_dir_mode rwxr-x---', 'set_data_dir data'],
];

test('the edges of the fast paths lint the same with and without them', () => {
  let fast = 0;
  EDGES.forEach((lines, i) => {
    for (const eol of ['\n', '\r\n']) fast += compare(Buffer.from(lines.join(eol) + eol, 'latin1'), `edge ${i} (${JSON.stringify(lines)})`);
  });
  assert.ok(fast >= 30, `the fast path decided only ${fast} times`);
});

test('a file naming directories in one word each takes the plain path, unless its log or metadata directory is not there', () => {
  const file = Buffer.from('set_lg_dir logs\nset_data_dir data\nset_metadata_dir meta\nset_tmp_dir /tmp\n');
  const env = (missing: string) => ({ configMtimeMs: 0, regionFiles: [], directoryExists: (p: string) => p !== missing });
  assert.equal(lintPlainFile(file, env('')), []);
  assert.equal(lintPlainFile(file, undefined), [], 'without an environment there is nothing to look up');
  assert.equal(lintPlainFile(file, env('data')), [], 'a data directory that is not there is no finding');
  assert.is(lintPlainFile(file, env('logs')), undefined, 'a log directory that is not there: the rules weigh it');
  assert.is(lintPlainFile(file, env('meta')), undefined);
  for (const missing of ['', 'logs', 'meta', 'data']) {
    const options: LintOptions = { filePath: 'x/DB_CONFIG', environment: env(missing) };
    useFastPaths(false);
    const full = lintWithRules(file, options);
    useFastPaths(true);
    assert.equal(lintDbConfig(file, options), full, `missing ${missing}`);
    assert.is(full.messages.length > 0, missing === 'logs' || missing === 'meta', `missing ${missing}: ${JSON.stringify(full.messages)}`);
  }
});

test('a file beside region files takes the plain path unless one of them is older than it', () => {
  const file = Buffer.from('rep_set_priority 100\nrepmgr_site 10.0.0.1 5010 db_local_site on db_group_creator on\n');
  const beside = (...mtimes: number[]) => ({ configMtimeMs: 2000, regionFiles: mtimes.map((mtimeMs, i) => ({ name: `__db.00${i + 1}`, mtimeMs })), directoryExists: () => true });
  assert.equal(lintPlainFile(file, beside(3000, 2000)), []);
  assert.is(lintPlainFile(file, beside(3000, 1999)), undefined, 'stale-region-files has something to say');
  for (const environment of [beside(3000, 2000), beside(3000, 1999)]) {
    const options: LintOptions = { filePath: 'x/DB_CONFIG', environment };
    useFastPaths(false);
    const full = lintWithRules(file, options);
    useFastPaths(true);
    assert.equal(lintDbConfig(file, options), full);
  }
});

test('with log-dir-missing off, the plain path asks nothing of the directories, as the rules do not', () => {
  const file = Buffer.from('set_lg_dir logs\nset_metadata_dir meta\n');
  const asked: string[] = [];
  const environment = { configMtimeMs: 0, regionFiles: [], directoryExists: (p: string) => (asked.push(p), false) };
  assert.equal(lintPlainFile(file, environment, { 'log-dir-missing': 'off' }), []);
  assert.equal(asked, []);
  const options: LintOptions = { filePath: 'x/DB_CONFIG', environment, rules: { 'log-dir-missing': 'off' } };
  useFastPaths(false);
  const full = lintWithRules(file, options);
  useFastPaths(true);
  assert.equal(asked, [], 'the rules ask nothing either');
  assert.equal(lintDbConfig(file, options), full);
  assert.equal(asked, []);
  // A caller's directoryExists that throws (it cannot answer) is never reached either.
  const throwing = { ...environment, directoryExists: (): boolean => { throw new Error('EACCES'); } };
  assert.equal(lintDbConfig(file, { ...options, environment: throwing }), full);
});

test('a directory value ending in blanks: the plain path asks of it what string-value asks, and nothing with the rule off', () => {
  const file = Buffer.from('set_data_dir data  \nset-tx-max 5\n');
  for (const exists of [[], ['data'], ['data  ']]) {
    const asked: string[] = [];
    const environment = { configMtimeMs: 0, regionFiles: [], directoryExists: (p: string) => (asked.push(p), exists.includes(p)) };
    const options: LintOptions = { filePath: 'x/DB_CONFIG', environment };
    const plain = lintDbConfig(file, options);
    const askedPlain = asked.splice(0);
    useFastPaths(false);
    const full = lintWithRules(file, options);
    useFastPaths(true);
    assert.equal(plain, full, `${JSON.stringify(exists)} exist`);
    assert.equal(askedPlain, asked, 'the same questions, in the same order');
    assert.ok(lintPlainFile(file, environment, undefined, RULES.filter((r) => r.perLine === true)) !== undefined, 'the plain path decides it');
  }
  const throwing = { configMtimeMs: 0, regionFiles: [], directoryExists: (): boolean => { throw new Error('EACCES'); } };
  const off: LintOptions = { filePath: 'x/DB_CONFIG', environment: throwing, rules: { 'string-value': 'off' } };
  assert.equal(lintDbConfig(file, off), lintWithRules(file, off));
});

test('the plain path asks the environment what the rules ask, in their order: the last line of a directory given twice, log-dir-missing before string-value', () => {
  const file = Buffer.from('set_data_dir data  \nset_lg_dir old\nset_metadata_dir meta\nset_lg_dir logs\n');
  const rules = (options: LintOptions) => {
    useFastPaths(false);
    try {
      return lintWithRules(file, options);
    } finally {
      useFastPaths(true);
    }
  };
  for (const exists of [['logs', 'meta'], ['logs', 'meta', 'data'], ['old', 'logs', 'meta', 'data  ']]) {
    const asked: string[] = [];
    const environment = { configMtimeMs: 0, regionFiles: [], directoryExists: (p: string) => (asked.push(p), exists.includes(p)) };
    assert.ok(lintPlainFile(file, environment, undefined, RULES.filter((r) => r.perLine === true)) !== undefined, 'the plain path decides it');
    const askedPlain = asked.splice(0);
    const full = rules({ filePath: 'x/DB_CONFIG', environment });
    assert.equal(askedPlain, asked, `${JSON.stringify(exists)} exist: the same questions, in the same order`);
    assert.equal(lintDbConfig(file, { filePath: 'x/DB_CONFIG', environment }), full);
  }
  // A directoryExists that throws: for the overridden directory only (which the rules never ask about), or for every
  // directory (the rules' first question decides the error).
  const throwing = (bad: (p: string) => boolean) => ({ configMtimeMs: 0, regionFiles: [], directoryExists: (p: string): boolean => {
    if (bad(p)) throw new Error(`EACCES ${p}`);
    return true;
  } });
  const outcome = (lint: () => LintResult) => {
    try {
      return lint();
    } catch (e) {
      return (e as Error).message;
    }
  };
  for (const environment of [throwing((p) => p === 'old'), throwing(() => true)]) {
    const options: LintOptions = { filePath: 'x/DB_CONFIG', environment };
    assert.equal(outcome(() => lintDbConfig(file, options)), outcome(() => rules(options)));
  }
  assert.equal(outcome(() => rules({ environment: throwing(() => true) })), 'EACCES logs');
});

test('common site lines in files the rule engine judges: the same with and without its fast path', () => {
  const sites = LINES.filter((l) => l.startsWith('repmgr_site'));
  // Each site line as it may stand in a file: indented, with a stray CR or a NUL, too long for one read.
  const variants = sites.flatMap((l) => [l, `  ${l}`, `\t${l}`, `${l}\r`, `${l.slice(0, 20)}\0${l.slice(20)}`, l.replace(/ (\d+)/, ` ${'h'.repeat(250)} $1`)]);
  let taken = 0;
  for (const [i, line] of variants.entries()) {
    if (isCommonSiteLine(line)) taken++;
    // A line the full engine judges (set_memory_max) sends the file to it; the site line first, in the middle and last
    // (with and without a line end), after a byte order mark.
    for (const lines of [[line, 'set_memory_max 0 0'], ['set_memory_max 0 0', line, 'rep_set_priority 0'], ['rep_set_priority 0', 'set_memory_max 0 0', line]]) {
      for (const eol of ['\n', '\r\n']) {
        const text = lines.join(eol);
        for (const bytes of [text + eol, text, `\xef\xbb\xbf${text}${eol}`]) compare(Buffer.from(bytes, 'latin1'), `variant ${i} (${JSON.stringify(bytes)})`);
      }
    }
  }
  // Both ways are taken: lines the fast path judges at once, and lines it leaves to every rule.
  assert.ok(taken >= 20, `only ${taken} common site lines`);
  assert.ok(variants.length - taken >= 50, `only ${variants.length - taken} lines left to the rules`);
});

test('many repmgr_site lines: the same with and without the fast path, a duplicate or a host in other case anywhere among them', () => {
  const sites = (n: number, host: (i: number) => string) => ['repmgr_site 10.0.0.1 5000 db_local_site on', ...Array.from({ length: n }, (_, i) => `repmgr_site ${host(i)} 5010`)];
  const ip = (i: number) => `10.${(i >> 16) + 1}.${(i >> 8) & 255}.${i & 255}`;
  const file = (lines: string[]) => Buffer.from(`${lines.join('\n')}\n`, 'latin1');
  const plain = file(sites(300, ip));
  assert.ok(compare(plain, 'distinct sites') > 0, 'the fast path decides a file of distinct sites');
  for (const at of [1, 17, 18, 150, 300]) {
    const dup = sites(300, ip);
    dup.push(dup[at]!);
    assert.is(compare(file(dup), `a duplicate of line ${at + 1}`), 0);
    assert.ok(lintWithRules(file(dup)).messages.some((m) => m.ruleId === 'duplicate-setting'), `duplicate of line ${at + 1}`);
    const cased = sites(300, (i) => `host${i}.example.com`);
    cased.push(`repmgr_site HOST${at - 1}.example.com 5010`);
    compare(file(cased), `a host in other case as line ${at + 1}`);
    assert.ok(lintWithRules(file(cased)).messages.some((m) => m.ruleId === 'host-case'), `host-case of line ${at + 1}`);
  }
});

test("a line that starts with a byte order mark's bytes (files joined) keeps them, in the plain path and in the files it leaves to the rules", () => {
  const files = [
    '\xef\xbb\xbf\xef\xbb\xbfset_tx_max 500\n',
    'set_tx_max 1\n\xef\xbb\xbfset_tx_max 1',
    ' \xef\xbb\xbfset_tx_max 1\nset_tx_max 1\n',
    // Left to the rules (set_memory_max): the per-line findings of the line the plain path judged first are the rules'.
    'x 1\n\xef\xbb\xbfa\nset_memory_max 0 0\n',
  ];
  for (const text of files) {
    const bytes = Buffer.from(text, 'latin1');
    // The plain path first, with no line judged before: what it finds is its own, not what the rules left in the memo.
    forgetLines();
    const found = lintDbConfig(bytes).messages;
    const marked = found.find((m) => m.ruleId === 'unknown-directive' && m.message.includes('\\ufeff'));
    assert.ok(marked, `${JSON.stringify(text)}: the name with the mark is unknown (${JSON.stringify(found)})`);
    assert.is(marked.endColumn! - marked.column, text.includes('\xef\xbb\xbfa') ? 4 : 13, 'the mark is part of the name');
    assert.not.ok(found.some((m) => m.ruleId === 'duplicate-setting'), `${JSON.stringify(text)}: no setting is given twice`);
    forgetLines();
    compare(bytes, JSON.stringify(text));
  }
});

test('a memo dropped between files keeps every check of the next ones', () => {
  // More distinct lines judged whole (a tab after the host) than the memo keeps, then a file with each kind of repeat.
  const many: string[] = [];
  for (let i = 0; i < 24_000; i++) many.push(`repmgr_site\th${i}.example.com\t${1000 + (i % 60_000)}`);
  for (let at = 0; at < many.length; at += 6_000) {
    const chunk = ['rep_set_priority 100', 'repmgr_site 10.0.0.1 5010 db_local_site on', ...many.slice(at, at + 6_000)];
    assert.ok(lintPlainFile(Buffer.from(chunk.join('\n'))) !== undefined, `chunk at ${at} is plain`);
  }
  const repeats = [
    ['rep_set_priority 100', 'repmgr_site 10.0.0.1 5010 db_local_site on', 'repmgr_site\th1.example.com\t1001', 'repmgr_site h1.example.com 1001'],
    ['rep_set_priority 100', 'repmgr_site 10.0.0.1 5010 db_local_site on', 'repmgr_site\th2.example.com\t1002', 'repmgr_site H2.example.com 1003'],
  ];
  for (const lines of repeats) {
    const bytes = Buffer.from(lines.join('\n'));
    assert.is(lintPlainFile(bytes), undefined, `${JSON.stringify(lines)} is left to the rules`);
    compare(bytes, JSON.stringify(lines));
  }
  // A setting given twice the plain path reports itself (duplicate-setting), on the first line.
  const twice = Buffer.from(['rep_set_priority 100', 'repmgr_site 10.0.0.1 5010 db_local_site on', 'set_tx_max 500', 'set_tx_max\t500'].join('\n'));
  assert.equal(lintPlainFile(twice)?.map((f) => [f.rule.id, f.report.line]), [['duplicate-setting', 3]]);
  compare(twice, 'set_tx_max twice');
});

test.run();
