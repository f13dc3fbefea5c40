import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GROUP_RULES, lintGroup, parseDbConfig, type LintMessage, type RuleSetting } from '../../src/index.js';

/** A group as file path → DB_CONFIG text, in the order the files are given. */
type Group = Readonly<Record<string, string>>;

const MASTER = 'rep_set_priority 1\nrepmgr_site 10.0.0.1 5010 db_local_site on db_group_creator on\nrepmgr_site 10.0.0.2 5010\n';
const REPLICANT = 'rep_set_priority 0\nrepmgr_site 10.0.0.2 5010 db_local_site on\nrepmgr_site 10.0.0.1 5010 db_bootstrap_helper on\n';
const GOOD: Group = { m: MASTER, r: REPLICANT };

function lint(group: Group, settings: Readonly<Record<string, RuleSetting>> = {}): Map<string, LintMessage[]> {
  return lintGroup(Object.entries(group).map(([filePath, text]) => ({ filePath, doc: parseDbConfig(text) })), settings);
}

type Finding = [file: string, rule: string, line: number, column: number, severity: number];

/** Every finding of a group as [file, rule, line, column, severity]: in file order, then by position and rule. */
function findings(group: Group, settings: Readonly<Record<string, RuleSetting>> = {}): Finding[] {
  return [...lint(group, settings)].flatMap(([file, messages]) =>
    messages
      .map((m): Finding => [file, m.ruleId, m.line, m.column, m.severity])
      .sort((a, b) => a[2] - b[2] || a[3] - b[3] || a[1].localeCompare(b[1])),
  );
}

interface Case {
  readonly bad: Group;
  /** Where the rule must report in `bad`: file, line, column (1-based) and severity (2 error, 1 warning). */
  readonly at: readonly [file: string, line: number, column: number, severity: 1 | 2];
  /** A correct group, as close to `bad` as the rule allows. */
  readonly good: Group;
}

/** A failing and a passing group for every group rule. */
const CASES: Record<string, Case> = {
  'group-local-site': {
    bad: { m: MASTER, r: 'rep_set_priority 0\nrepmgr_site 10.0.0.2 5010\nrepmgr_site 10.0.0.1 5010 db_bootstrap_helper on\n' },
    at: ['r', 1, 1, 2],
    good: GOOD,
  },
  'group-unknown-remote': {
    bad: { m: `${MASTER}repmgr_site 10.0.0.3 5010\n`, r: REPLICANT },
    at: ['m', 4, 13, 2],
    good: {
      m: `${MASTER}repmgr_site 10.0.0.3 5010\n`,
      r: REPLICANT,
      s: 'rep_set_priority 0\nrepmgr_site 10.0.0.3 5010 db_local_site on\nrepmgr_site 10.0.0.1 5010 db_bootstrap_helper on\n',
    },
  },
  'group-duplicate-address': {
    bad: { m: MASTER, r: REPLICANT.replace('10.0.0.2 5010 db_local_site', '10.0.0.1 5010 db_local_site') },
    at: ['r', 2, 13, 2],
    // The same host with another port is another site.
    good: { m: MASTER.replace('10.0.0.2 5010', '10.0.0.1 5011'), r: REPLICANT.replace('10.0.0.2 5010', '10.0.0.1 5011') },
  },
  'group-no-master': {
    // Reported on the priority line of the first file.
    bad: { m: `# the master\n${MASTER.replace('rep_set_priority 1', 'rep_set_priority 0')}`, r: REPLICANT },
    at: ['m', 2, 1, 2],
    // No rep_set_priority is Berkeley DB's default priority, which is above 0.
    good: { m: MASTER.replace('rep_set_priority 1\n', ''), r: REPLICANT },
  },
  'group-creator': {
    bad: { m: MASTER, r: REPLICANT.replace('db_local_site on', 'db_local_site on db_group_creator on') },
    at: ['r', 2, 13, 2],
    good: GOOD,
  },
};

test('every group rule has a failing and a passing case', () => {
  assert.equal(Object.keys(CASES).sort(), GROUP_RULES.map((r) => r.id).sort());
});

test('the correct group has no findings at all', () => {
  assert.equal(findings(GOOD), []);
});

for (const [id, c] of Object.entries(CASES)) {
  test(`${id}: reports the bad group, with its position and severity`, () => {
    const hits = findings(c.bad).filter((f) => f[1] === id);
    assert.equal(hits, [[c.at[0], id, c.at[1], c.at[2], c.at[3]]], `${id} in ${JSON.stringify(findings(c.bad))}`);
    const message = lint(c.bad).get(c.at[0])!.find((m) => m.ruleId === id)!.message;
    assert.ok(message.length > 20, 'message explains');
  });
  test(`${id}: passes the good group`, () => {
    assert.equal(findings(c.good).filter((f) => f[1] === id), []);
  });
}

test('group-creator warns, at the first local site, when no site is the group creator', () => {
  const group = { m: `# the master\n${MASTER.replace(' db_group_creator on', '')}`, r: REPLICANT };
  assert.equal(findings(group), [['m', 'group-creator', 3, 1, 1]]);
});

test('group-unknown-remote says when a remote differs from a local site only in case', () => {
  const group = { m: MASTER.replace('10.0.0.1', 'db1'), r: REPLICANT.replace('10.0.0.1', 'DB1') };
  assert.equal(findings(group), [['r', 'group-unknown-remote', 3, 13, 2]]);
  assert.match(lint(group).get('r')![0]!.message, /differs only in case from the local site db1 5010 of m/);
});

test('rule settings turn a group rule off or change its severity', () => {
  const bad = CASES['group-unknown-remote']!.bad;
  assert.equal(findings(bad, { 'group-unknown-remote': 'off' }), []);
  assert.equal(findings(bad, { 'group-unknown-remote': 'warning' }), [['m', 'group-unknown-remote', 4, 13, 1]]);
  // A setting applies to the milder case too.
  const none = { m: MASTER.replace(' db_group_creator on', ''), r: REPLICANT };
  assert.equal(findings(none, { 'group-creator': 'error' }), [['m', 'group-creator', 2, 1, 2]]);
});

// Disable comments: the same syntax and matching as for the file rules (src/lint/disable.ts).

/** The master with two remote sites no other file names as its local site (lines 4 and 5), and what to put above each. */
const twoUnknown = (above4: string, above5 = '') =>
  `${MASTER}${above4}repmgr_site 10.0.0.3 5010\n${above5}repmgr_site 10.0.0.4 5010\n`;

test('a disable comment silences a group rule on the next line', () => {
  const group = { m: `${MASTER}# provision-disable-next-line group-unknown-remote -- planned\nrepmgr_site 10.0.0.2 5011\n`, r: REPLICANT };
  assert.equal(findings(group), []);
  assert.equal(findings({ ...group, m: group.m.replace('# provision-disable-next-line group-unknown-remote -- planned\n', '') }), [['m', 'group-unknown-remote', 4, 13, 2]]);
});

test('a disable comment silences exactly the next line: the other findings of the rule remain', () => {
  const group = { m: twoUnknown('# provision-disable-next-line group-unknown-remote -- planned\n'), r: REPLICANT };
  assert.equal(findings(group), [['m', 'group-unknown-remote', 6, 13, 2]]);
  // Not the line after next.
  const apart = { m: twoUnknown('# provision-disable-next-line group-unknown-remote\n\n'), r: REPLICANT };
  assert.equal(findings(apart), [['m', 'group-unknown-remote', 6, 13, 2], ['m', 'group-unknown-remote', 7, 13, 2]]);
});

test('a disable comment silences only the rules it names', () => {
  // Two creators and the second's local site on the line below the comment: group-creator is reported there.
  const creators = (comment: string) => ({ m: MASTER, r: `rep_set_priority 0\n${comment}repmgr_site 10.0.0.2 5010 db_local_site on db_group_creator on\nrepmgr_site 10.0.0.1 5011\n` });
  const both: Finding[] = [['r', 'group-creator', 3, 13, 2], ['r', 'group-unknown-remote', 4, 13, 2]];
  assert.equal(findings(creators('')), [['r', 'group-creator', 2, 13, 2], ['r', 'group-unknown-remote', 3, 13, 2]]);
  assert.equal(findings(creators('# provision-disable-next-line group-unknown-remote -- wrong line\n')), both);
  assert.equal(findings(creators('# provision-disable-next-line prefer-ipv4 group-no-master\n')), both);
  assert.equal(findings(creators('# provision-disable-next-line group-creator -- promoted in turn\n')), [both[1]!]);
  assert.equal(findings(creators('# provision-disable-next-line prefer-ipv4, group-creator\n')), [both[1]!]);
  assert.equal(findings(creators('  #provision-disable-next-line group-creator\n')), [both[1]!]);
});

test('a disable comment that names no rule silences every rule on the next line', () => {
  // The replicant takes the master's address and is a second group creator: two findings on its local site.
  const replicant = (comment: string) =>
    `rep_set_priority 0\n${comment}repmgr_site 10.0.0.1 5010 db_local_site on db_group_creator on\nrepmgr_site 10.0.0.1 5010 db_bootstrap_helper on\n`;
  assert.equal(findings({ m: MASTER, r: replicant('') }), [
    ['m', 'group-unknown-remote', 3, 13, 2],
    ['r', 'group-creator', 2, 13, 2],
    ['r', 'group-duplicate-address', 2, 13, 2],
  ]);
  assert.equal(findings({ m: MASTER, r: replicant('# provision-disable-next-line -- moved next week\n') }), [['m', 'group-unknown-remote', 3, 13, 2]]);
  assert.equal(findings({ m: MASTER, r: replicant('# provision-disable-next-line group-duplicate-address\n') }), [
    ['m', 'group-unknown-remote', 3, 13, 2],
    ['r', 'group-creator', 3, 13, 2],
  ]);
});

test('a disable comment counts only in the file the finding is reported in', () => {
  // The replicant's comment on line 4 sits above its line 5; the master's finding on its line 5 stays.
  const group = { m: twoUnknown(''), r: `${REPLICANT.replace(/\n$/, '')}\n# provision-disable-next-line group-unknown-remote\n# end\n` };
  assert.equal(findings(group), [['m', 'group-unknown-remote', 4, 13, 2], ['m', 'group-unknown-remote', 5, 13, 2]]);
});

test('a disable comment works with CRLF line ends and keeps other rules of the file reported', () => {
  const crlf = (text: string) => text.replace(/\n/g, '\r\n');
  const group = { m: crlf(twoUnknown('# provision-disable-next-line group-unknown-remote -- planned\n')), r: crlf(REPLICANT) };
  assert.equal(findings(group), [['m', 'group-unknown-remote', 6, 13, 2]]);
});

test.run();
