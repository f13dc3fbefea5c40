/**
 * Edge cases of single rules, each checked against the real Berkeley DB
 * (fixtures/bdb-corpus has a file for each verdict): a failing input and a
 * passing one, plus the fix where there is one.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixDbConfig, lintDbConfig, type EnvironmentFacts } from '../../src/index.js';

const lint = (text: string) => lintDbConfig(Buffer.from(text, 'latin1'));
const hits = (text: string, ruleId: string) => lint(text).messages.filter((m) => m.ruleId === ruleId);
const fixed = (text: string) => fixDbConfig(Buffer.from(text, 'latin1')).output.toString('latin1');

// ---------------------------------------------------------------- no-equals

test('no-equals: a trailing or standalone = is reported, with a fix', () => {
  const cases: [string, string][] = [
    ['rep_set_priority 3=\n', 'rep_set_priority 3\n'],
    ['rep_set_config DB_REP_CONF_BULK=\n', 'rep_set_config DB_REP_CONF_BULK\n'],
    ['rep_set_priority 3 =\n', 'rep_set_priority 3\n'],
    ['repmgr_site 127.0.0.1 5010 db_local_site on=\n', 'repmgr_site 127.0.0.1 5010 db_local_site on\n'],
    ['rep_set_priority =3\n', 'rep_set_priority 3\n'],
  ];
  for (const [bad, good] of cases) {
    const found = hits(bad, 'no-equals');
    assert.is(found.length, 1, JSON.stringify(bad));
    assert.is(found[0]!.column, bad.indexOf('=') + 1, JSON.stringify(bad));
    assert.is(found[0]!.severity, 2);
    assert.is(fixed(bad), good);
    assert.equal(hits(good, 'no-equals'), []);
  }
});

test('no-equals: an = in an inline comment or a rest-of-line value is not reported', () => {
  assert.equal(hits('rep_set_priority 3 # a=b\n', 'no-equals'), []);
  assert.equal(hits('set_data_dir a=b\n', 'no-equals'), []);
});


// ---------------------------------------------------------------- stray-cr

test('stray-cr: a CR-only file that starts with a comment hides every setting in it', () => {
  const text = '# cfg\rrep_set_priority 1\rrepmgr_site 127.0.0.1 5010 db_local_site on\r';
  const found = hits(text, 'stray-cr');
  assert.is(found.length, 1);
  assert.equal([found[0]!.line, found[0]!.column, found[0]!.severity], [1, 6, 2]);
  assert.match(found[0]!.message, /CR-only line ends: Berkeley DB reads the rest of the file as part of this comment/);
  // In a file with LF line ends, only the rest of that line is lost.
  assert.match(hits('# cfg\rrep_set_priority 1\nrep_set_nsites 2\n', 'stray-cr')[0]!.message, /rest of the line/);
});

test('stray-cr: a CR that only ends a comment, or is followed by more comments, is fine', () => {
  for (const text of ['# cfg\r', '# cfg\r\n', '# one\r# two\r', '# cfg\r \t\r\n', '# one\r\r  # two\r\nrep_set_priority 1\n']) {
    assert.equal(hits(text, 'stray-cr'), [], JSON.stringify(text));
  }
});

// ---------------------------------------------------------------- white space Berkeley DB skips

test('bad-whitespace and stray-cr: a VT, FF or CR before a number is skipped by strtoul, so fine', () => {
  const accepted = [
    'rep_set_priority \v3\n',
    'rep_set_priority \f3\n',
    'rep_set_priority \r3\n',
    'rep_set_priority \v\r\f+3\n',
    'set_cachesize 0 \f1048576 1\n',
    'rep_set_timeout DB_REP_ACK_TIMEOUT \v1000\n',
    'repmgr_site 127.0.0.1 \v5010 db_local_site \v1\n',
    '\rrep_set_priority 1\n',
    'set_data_dir \vdata\n',
  ];
  for (const text of accepted) {
    const r = lint(text);
    assert.equal(r.messages.filter((m) => m.ruleId === 'bad-whitespace' || m.ruleId === 'stray-cr'), [], JSON.stringify(text));
  }
});

test('bad-whitespace and stray-cr: a VT, FF or CR anywhere else is still reported', () => {
  const refused: [string, string][] = [
    ['rep_set_priority 3\v\n', 'bad-whitespace'],
    ['rep_set_priority\v3\n', 'bad-whitespace'],
    ['rep_set_config \vDB_REP_CONF_BULK on\n', 'bad-whitespace'],
    ['repmgr_site 127.0.0.1 5010 db_local_site \von\n', 'bad-whitespace'],
    ['rep_set_priority \r\r\n', 'stray-cr'],
    ['rep_set_priority 3\r\r\n', 'stray-cr'],
    ['rep_set_priority \r 3\n', 'stray-cr'],
    ['rep_set_priority 1\rrep_set_nsites 2\r', 'stray-cr'],
  ];
  for (const [text, ruleId] of refused) {
    const found = hits(text, ruleId);
    assert.is(found.length, 1, `${ruleId} on ${JSON.stringify(text)}`);
    assert.is(found[0]!.severity, 2);
  }
  // A value keeps the VT after its first byte: a warning, as before.
  assert.is(hits('set_data_dir my\vdata\n', 'bad-whitespace')[0]!.severity, 1);
});

// ---------------------------------------------------------------- no-bootstrap-helper

test('no-bootstrap-helper: a priority-0 group creator needs no helper, any other priority-0 site does', () => {
  const creator = 'rep_set_priority 0\nrepmgr_site 127.0.0.1 5010 db_local_site on db_group_creator on\n';
  assert.equal(hits(creator, 'no-bootstrap-helper'), []);
  assert.equal(hits(`${creator}repmgr_site 127.0.0.1 5011\n`, 'no-bootstrap-helper'), []);
  const joiner = 'rep_set_priority 0\nrepmgr_site 127.0.0.1 5010 db_local_site on db_group_creator off\nrepmgr_site 127.0.0.1 5011\n';
  assert.is(hits(joiner, 'no-bootstrap-helper')[0]?.severity, 2);
  assert.is(hits('rep_set_priority 0\nrepmgr_site 127.0.0.1 5010 db_local_site on\n', 'no-bootstrap-helper').length, 1);
});

// ---------------------------------------------------------------- line-too-long

test('line-too-long: a line Berkeley DB reads whole is fine, one it splits is reported', () => {
  const directive = (n: number) => `rep_set_priority ${'0'.repeat(n - 'rep_set_priority '.length - 1)}1`;
  const comment = (n: number) => `#${'x'.repeat(n - 1)}`;
  for (const text of [`${directive(255)}\n`, `${directive(254)}\r\n`, `${directive(255)}\r\n`, `${comment(255)}\n`, `${comment(254)}\r\n`, directive(255)]) {
    assert.equal(hits(text, 'line-too-long'), [], `${text.length} bytes ending ${JSON.stringify(text.slice(-2))}`);
  }
  assert.is(hits(`${directive(256)}\n`, 'line-too-long')[0]?.severity, 2);
  assert.is(hits(`${comment(255)}# more\r\n`, 'line-too-long')[0]?.severity, 1);
  // The second CR of \r\r\n is read as a line of its own, which is blank.
  assert.equal(hits(`${directive(255)}\r\r\n`, 'line-too-long'), []);
  // A byte order mark's three bytes are the first of line 1's read: 252 bytes after it are read whole, 253 not
  // (the column counts from after the mark, as every rule's does).
  const BOM = '\xef\xbb\xbf';
  assert.equal(hits(`${BOM}${directive(252)}\n`, 'line-too-long'), []);
  assert.equal(hits(`${BOM}${directive(253)}\n`, 'line-too-long').map((m) => [m.line, m.column, m.severity]), [[1, 253, 2]]);
  assert.equal(hits(`${BOM}${directive(253)}\n${directive(253)}\n`, 'line-too-long').map((m) => m.line), [1], 'only line 1 holds the mark');
});

// ---------------------------------------------------------------- inline-comment

test('inline-comment: the fix on a last line with no line end uses the file\'s line ends', () => {
  assert.is(fixed('rep_set_nsites 2\r\nrep_set_priority 1 # master'), 'rep_set_nsites 2\r\n# master\r\nrep_set_priority 1');
  assert.is(fixed('rep_set_nsites 2\nrep_set_priority 1 # master'), 'rep_set_nsites 2\n# master\nrep_set_priority 1');
  assert.is(fixed('rep_set_priority 1 # master'), '# master\nrep_set_priority 1');
  assert.is(fixed('rep_set_priority 1 # master\r\n'), '# master\r\nrep_set_priority 1\r\n');
});

// ---------------------------------------------------------------- log-dir-missing

test('log-dir-missing: names a missing log or metadata directory, and not one that exists', () => {
  const environment = (existing: string[]): EnvironmentFacts => ({ configMtimeMs: 0, regionFiles: [], directoryExists: (p) => existing.includes(p) });
  const text = 'set_lg_dir logs\nset_metadata_dir meta\n';
  const found = lintDbConfig(text, { environment: environment([]) }).messages.filter((m) => m.ruleId === 'log-dir-missing');
  assert.equal(found.map((m) => m.line), [1, 2]);
  assert.match(found[0]!.message, /^The log or metadata directory "logs" \(set_lg_dir\) does not exist/);
  assert.match(found[1]!.message, /^The log or metadata directory "meta" \(set_metadata_dir\) does not exist/);
  const none = lintDbConfig(text, { environment: environment(['logs', 'meta']) }).messages.filter((m) => m.ruleId === 'log-dir-missing');
  assert.equal(none, []);
});

// ---------------------------------------------------------------- duplicate-setting

test('duplicate-setting: a directory directive given twice reports the overridden line; data directories add up', () => {
  // Berkeley DB keeps the last value of each (get_tmp_dir, get_lg_dir... return it); the alias sets the same value.
  const cases: [string, string][] = [
    ['set_tmp_dir a\nset_tmp_dir b\n', 'set_tmp_dir'],
    ['db_tmp_dir a\nset_tmp_dir b\n', 'db_tmp_dir'],
    ['set_lg_dir a\ndb_log_dir b\n', 'set_lg_dir'],
    ['set_lg_dir a\nset_lg_dir b\n', 'set_lg_dir'],
    ['set_data_dir a\nset_data_dir b\nset_create_dir a\nset_create_dir b\n', 'set_create_dir'],
    ['set_metadata_dir a\nset_metadata_dir b\n', 'set_metadata_dir'],
    ['set_intermediate_dir_mode rwx------\nset_intermediate_dir_mode rwxr-x---\n', 'set_intermediate_dir_mode'],
  ];
  for (const [text, name] of cases) {
    const found = hits(text, 'duplicate-setting');
    assert.is(found.length, 1, text);
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.startsWith(`${name} `)) + 1;
    assert.is(found[0]!.line, line, text);
    assert.is(found[0]!.message, `${name} is set again on line ${lines.length - 1}, which silently overrides this line. Delete the one you do not mean.`);
    assert.is(found[0]!.severity, 1);
  }
  // Each set_data_dir/add_data_dir line adds a directory (get_data_dirs lists a, b, c, d, and a twice).
  assert.equal(hits('set_data_dir a\nset_data_dir b\nadd_data_dir c\ndb_data_dir d\nset_data_dir a\n', 'duplicate-setting'), []);
  assert.equal(hits('set_tmp_dir b\n', 'duplicate-setting'), []);
});

// ---------------------------------------------------------------- log-dir-missing, in-memory logs

test('log-dir-missing: a missing log directory is fine while logs are kept in memory (the last setting wins)', () => {
  const none: EnvironmentFacts = { configMtimeMs: 0, regionFiles: [], directoryExists: () => false };
  const logDir = (text: string) => lintDbConfig(text, { environment: none }).messages.filter((m) => m.ruleId === 'log-dir-missing').map((m) => m.line);
  // Berkeley DB opens these: in-memory logs never touch the directory.
  assert.equal(logDir('set_lg_dir nosuch\nlog_set_config DB_LOG_IN_MEMORY on\n'), []);
  assert.equal(logDir('log_set_config DB_LOG_IN_MEMORY on\ndb_log_dir nosuch\n'), []);
  assert.equal(logDir('set_lg_dir nosuch\nlog_set_config db_log_in_memory\n'), []);
  assert.equal(logDir('set_lg_dir nosuch\nlog_set_config DB_LOG_IN_MEMORY off\nlog_set_config DB_LOG_IN_MEMORY on\n'), []);
  assert.equal(logDir('set_lg_dir nosuch\nset_flags DB_LOG_INMEMORY on\n'), []);
  assert.equal(logDir('set_lg_dir nosuch\nlog_set_config DB_LOG_IN_MEMORY off\nset_flags DB_LOG_INMEMORY on\n'), []);
  // Berkeley DB panics on these: the last setting turns in-memory logs off, or there is none.
  assert.equal(logDir('set_lg_dir nosuch\nlog_set_config DB_LOG_IN_MEMORY on\nlog_set_config DB_LOG_IN_MEMORY off\n'), [1]);
  assert.equal(logDir('set_lg_dir nosuch\nset_flags DB_LOG_INMEMORY on\nlog_set_config DB_LOG_IN_MEMORY off\n'), [1]);
  assert.equal(logDir('set_lg_dir nosuch\nlog_set_config DB_LOG_IN_MEMORY off\n'), [1]);
  // A line whose value Berkeley DB refuses sets nothing (and is an error of its own).
  assert.equal(logDir('set_lg_dir nosuch\nlog_set_config DB_LOG_IN_MEMORY yes\n'), [1]);
  // The metadata directory is needed with in-memory logs too.
  assert.equal(logDir('set_metadata_dir nosuch\nlog_set_config DB_LOG_IN_MEMORY on\n'), [1]);
});

// ---------------------------------------------------------------- string-value

test('string-value: trailing spaces are always reported, but trimmed only when the trimmed value is certainly meant', () => {
  const env = (existing: string[]): EnvironmentFacts => ({ configMtimeMs: 0, regionFiles: [], directoryExists: (p) => existing.includes(p) });
  const found = (text: string, environment?: EnvironmentFacts) => {
    const r = lintDbConfig(Buffer.from(text, 'latin1'), environment ? { environment } : {}).messages.filter((m) => m.ruleId === 'string-value');
    assert.is(r.length, 1, text);
    return r[0]!;
  };
  const fixedIn = (text: string, environment?: EnvironmentFacts) => fixDbConfig(Buffer.from(text, 'latin1'), environment ? { environment } : {}).output.toString('latin1');
  const text = 'set_lg_dir logs  \n';
  // Berkeley DB opens the directory "logs  " as written: trimming would point it at a missing one.
  assert.is(found(text, env(['logs  '])).fix, undefined);
  assert.is(found(text, env(['logs  ', 'logs'])).fix, undefined);
  assert.is(fixedIn(text, env(['logs  '])), text);
  // Without facts about the environment (stdin, a file not named DB_CONFIG) lint cannot tell.
  assert.is(found(text).fix, undefined);
  assert.is(fixedIn(text), text);
  // "logs  " does not exist and "logs" does: the spaces are a slip.
  assert.equal(found(text, env(['logs'])).fix, { range: [15, 17], text: '' });
  assert.is(fixedIn(text, env(['logs'])), 'set_lg_dir logs\n');
  assert.is(fixedIn('set_data_dir d \t\r\nset_tmp_dir t  \r\n', env(['d', 't'])), 'set_data_dir d\r\nset_tmp_dir t\r\n');
  // Neither exists: nothing says which was meant.
  assert.is(found(text, env([])).fix, undefined);
  // A mode is no path, and Berkeley DB refuses one with trailing spaces: trimming is always right.
  assert.is(fixedIn('set_intermediate_dir_mode rwxr-x---  \n'), 'set_intermediate_dir_mode rwxr-x---\n');
  assert.is(fixedIn('set_intermediate_dir_mode rwxr-x---\t\n', env([])), 'set_intermediate_dir_mode rwxr-x---\n');
});

// ---------------------------------------------------------------- sizes Berkeley DB refuses

test('number-range: set_cachesize above 10000 GB a cache (whole GB of bytes added, divided by ncache, 0 counts as 1)', () => {
  for (const bad of ['10240 0 1', '10001 0 1', '10000 1073741824 1', '20002 0 2', '30003 0 3', '10001 0 0']) {
    const found = hits(`set_cachesize ${bad}\n`, 'number-range');
    assert.is(found.length, 1, bad);
    assert.match(found[0]!.message, /BDB3004/);
    assert.match(found[0]!.message, /ncache/);
  }
  for (const good of ['10000 0 1', '10000 1073741823 1', '20001 0 2', '30002 1073741823 3', '0 4294967295 1', '0 1048576 0']) {
    assert.equal(hits(`set_cachesize ${good}\n`, 'number-range'), [], good);
  }
});

test('memory-max-too-small: below 1065713 bytes with replication on, judged on the last line', () => {
  for (const bad of ['0 1', '0 1048576', '0 1065712']) {
    const found = hits(`set_memory_max ${bad}\n`, 'memory-max-too-small');
    assert.is(found.length, 1, bad);
    assert.match(found[0]!.message, /BDB1542/);
    assert.match(found[0]!.message, /set_memory_max 0 2097152/);
  }
  for (const good of ['0 0', '1 0', '0 1065713', '0 268435456']) assert.equal(hits(`set_memory_max ${good}\n`, 'memory-max-too-small'), [], good);
  // A later line overrides an earlier one before Berkeley DB checks the size.
  assert.equal(hits('set_memory_max 0 10\nset_memory_max 0 0\n', 'memory-max-too-small'), []);
  assert.equal(hits('set_memory_max 0 0\nset_memory_max 0 10\n', 'memory-max-too-small').map((m) => m.line), [2]);
  // Without DB_INIT_REP the minimum is far lower (not a replication site): not judged.
  assert.equal(hits('set_open_flags DB_INIT_REP off\nset_memory_max 0 500000\n', 'memory-max-too-small'), []);
  assert.is(hits('set_open_flags DB_INIT_REP on\nset_memory_max 0 500000\n', 'memory-max-too-small').length, 1);
});

test('mutex-max-too-small: 39 + lock partitions + hash mutexes, less 7 per open flag turned off', () => {
  const least = (text: string, bad: number) => {
    const found = hits(`${text}mutex_set_max ${bad}\n`, 'mutex-max-too-small');
    assert.is(found.length, 1, `${text}mutex_set_max ${bad}`);
    assert.match(found[0]!.message, new RegExp(`the ${bad + 1} mutexes`));
    assert.match(found[0]!.message, /BDB2034/);
    assert.equal(hits(`${text}mutex_set_max ${bad + 1}\n`, 'mutex-max-too-small'), [], `${text}mutex_set_max ${bad + 1}`);
    return found[0]!.message;
  };
  assert.match(least('', 76), /one-CPU/);
  assert.not.match(least('set_lk_partitions 20\n', 95), /one-CPU/);
  least('set_lk_partitions 1000\n', 1075);
  least('set_lk_partitions 1\nset_mp_mtxcount 1\n', 40);
  least('set_lk_partitions 1\nset_mp_mtxcount 1000\n', 1039);
  least('set_lk_partitions 1\nset_mp_mtxcount 1\nset_open_flags DB_THREAD off\n', 33);
  least('set_lk_partitions 1\nset_mp_mtxcount 1\nset_open_flags DB_THREAD off\nset_open_flags DB_INIT_REP off\n', 26);
  // DB_NOLOCKING needs almost no mutexes; 0 is the default; a later line overrides an earlier one.
  assert.equal(hits('set_flags DB_NOLOCKING on\nmutex_set_max 1\n', 'mutex-max-too-small'), []);
  assert.is(hits('set_flags DB_NOLOCKING on\nset_flags DB_NOLOCKING off\nmutex_set_max 1\n', 'mutex-max-too-small').length, 1);
  assert.equal(hits('mutex_set_max 0\n', 'mutex-max-too-small'), []);
  assert.equal(hits('mutex_set_max 10\nmutex_set_max 1000\n', 'mutex-max-too-small'), []);
  assert.equal(hits('mutex_set_max 1000\nmutex_set_max 10\n', 'mutex-max-too-small').map((m) => m.line), [2]);
});

test.run();
