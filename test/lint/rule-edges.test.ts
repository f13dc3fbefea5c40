/**
 * Edge cases of single rules, each checked against the real Berkeley DB
 * (fixtures/bdb-corpus has a file for each verdict): a failing input and a
 * passing one, plus the fix where there is one.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixDbConfig, lintDbConfig } from '../../src/index.js';

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

test.run();
