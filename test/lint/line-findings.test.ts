/**
 * Lint judges the lines of a file with the per-line rules once per distinct
 * text (line-findings.ts). These tests hold it to what every rule run over the
 * whole file finds, and show that a line judged in one file and met again in
 * another, at another place, gives what a fresh judgement gives.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateCorpus } from '../../bench/corpus.js';
import { lineOffsets, parseDbConfig } from '../../src/dbconfig/document.js';
import { describeSite } from '../../src/dbconfig/site-config.js';
import { readStatements } from '../../src/dbconfig/statements.js';
import { findDisableComments, isDisabled } from '../../src/lint/disable.js';
import { forgetLines, linesJudged } from '../../src/lint/line-findings.js';
import { lintWithRules, toResult } from '../../src/lint/lint.js';
import { RULES } from '../../src/lint/rules/index.js';
import type { DirectiveView, EnvironmentFacts, LintMessage, LintOptions, LintResult } from '../../src/lint/types.js';
import { viewDirective } from '../../src/lint/views.js';
import { filesBelow, prng, ROOT, tempDir } from '../helpers.js';

/** Every rule run over the whole file, in the order of RULES: what lint found before it judged lines apart. */
function everyRuleOverTheFile(bytes: Buffer, options: LintOptions = {}): LintResult {
  const doc = parseDbConfig(bytes);
  const statements = readStatements(doc);
  const directives = statements.map(viewDirective).filter((v): v is DirectiveView => v !== undefined);
  const offsets = lineOffsets(doc);
  const disabled = findDisableComments(doc);
  const source = bytes.toString('latin1');
  const site = describeSite(statements);
  const messages: LintMessage[] = [];
  for (const rule of RULES) {
    if ((options.rules?.[rule.id] ?? rule.severity) === 'off') continue;
    rule.check({
      doc,
      source,
      statements,
      directives,
      flawed: directives.filter((v) => v.problems.length > 0),
      named: (name) => directives.filter((v) => v.spec !== undefined && (v.spec.aliasOf ?? v.spec.name) === name),
      site,
      ...(options.environment ? { environment: options.environment } : {}),
      offset: (line) => offsets[line - 1] ?? source.length,
      report: (r) => {
        if (isDisabled(disabled, r.line, rule.id)) return;
        const severity = options.rules?.[rule.id] ?? r.severity ?? rule.severity;
        messages.push({
          ruleId: rule.id,
          severity: severity === 'error' ? 2 : 1,
          line: r.line,
          column: r.start + 1,
          ...(r.end !== undefined ? { endLine: r.line, endColumn: r.end + 1 } : {}),
          message: r.message,
          ...(r.fix ? { fix: r.fix } : {}),
        });
      },
    });
  }
  return toResult(options.filePath ?? 'DB_CONFIG', messages);
}

const ENVIRONMENT: EnvironmentFacts = { configMtimeMs: 2000, regionFiles: [{ name: '__db.001', mtimeMs: 1000 }], directoryExists: (dir) => dir.length % 2 === 0 };
const OPTIONS: readonly LintOptions[] = [
  {},
  { environment: ENVIRONMENT },
  { rules: { 'inline-comment': 'off', 'unknown-directive': 'warning', 'duplicate-setting': 'error' } },
  { rules: { 'no-equals': 'off', 'stray-cr': 'warning' }, environment: ENVIRONMENT },
];

/** Lint `bytes` under each set of options, both ways, each with the memo as earlier files left it. */
function compare(bytes: Buffer, what: string): void {
  for (const options of OPTIONS) {
    const expected = everyRuleOverTheFile(bytes, options);
    assert.equal(lintWithRules(bytes, options), expected, `${what} ${JSON.stringify(options.rules ?? {})}`);
  }
}

test('every fixture lints as every rule run over the whole file finds', () => {
  const files = filesBelow(path.join(ROOT, 'fixtures'));
  assert.ok(files.length >= 300, `expected the fixtures and the Berkeley DB corpus, found ${files.length}`);
  for (const file of files) compare(fs.readFileSync(file), path.relative(ROOT, file));
});

test("the benchmark's generated fleet lints as every rule run over the whole file finds", () => {
  const { dir, cleanup } = tempDir();
  try {
    generateCorpus(dir, 1000, 11);
    for (const file of filesBelow(dir)) compare(fs.readFileSync(file), file);
  } finally {
    cleanup();
  }
});

/** Lines each per-line rule has something to say about, and lines none has. */
const LINES = [
  'set_tx_max 500 # more', 'set_tx_max=500', 'set_cachesize = 0 33554432 1', 'set-lk-max-locks 20000', 'rep_set_priorty 3', 'SET_TX_MAX 500',
  'set_data_dir', 'set_data_dir data   ', 'set_data_dir da#ta', 'set_data_dir ', 'set_intermediate_dir_mode 0755', 'rep_set_clockskew 102 100',
  'rep_set_request 0 10', 'rep_set_priority 1.0', 'rep_set_priority 99999999999', 'repmgr_set_ack_policy ONE', 'rep_set_config DB_REP_CONF_BULK yes',
  'set_cachesize 1 0', 'set_flags DB_DIRECT_DB', 'rep_set_timeout DB_REP_CONNECTION_RETRY 0', 'repmgr_site 10.0.0.1:5010 db_local_site on',
  'repmgr_site 10.0.0.2 70000', 'repmgr_site 10.0.0.3 5010 db_local_site on db_group_creator on db_legacy on db_repmgr_peer on', 'repmgr_site 10.0.0.256 5010',
  'set_lk_max_locks\v20000', 'set_lk_max_locks 20000\f', 'set_tx_max\xc2\xa0500', 'rep_set_priority 1\0junk', 'rep_set_priority \v3', `# ${'x'.repeat(260)} set_tx_max 5`,
  `set_data_dir ${'d'.repeat(250)}`, '# comment\rset_tx_max 5', '# comment\r', 'set_tx_max 5\r', '  set_tx_max 500', 'set_tx_max 500', 'rep_set_priority 0',
  '# provision-disable-next-line', '# provision-disable-next-line no-equals -- legacy', '# a comment', '', '\t',
];

/** A file of `lines`, LF or CRLF (a few lines the other), with or without a BOM and a final line end. */
function fileOf(lines: readonly string[], random: () => number): Buffer {
  const crlf = random() < 0.4;
  let text = random() < 0.3 ? '\xef\xbb\xbf' : '';
  lines.forEach((line, i) => {
    text += line;
    if (i < lines.length - 1 || random() < 0.8) text += crlf !== random() < 0.1 ? '\r\n' : '\n';
  });
  return Buffer.from(text, 'latin1');
}

/** Some of LINES, in a seeded order. */
function someLines(random: () => number, count = 3 + Math.floor(random() * 12)): string[] {
  return Array.from({ length: count }, () => LINES[Math.floor(random() * LINES.length)]!);
}

function randomFile(random: () => number): Buffer {
  return fileOf(someLines(random), random);
}

test('seeded files of lines every per-line rule reports on lint as every rule over the whole file', () => {
  const random = prng(20260103);
  for (let i = 0; i < 3000; i++) {
    const bytes = randomFile(random);
    compare(bytes, JSON.stringify(bytes.toString('latin1')));
  }
});

test('a line judged in one file gives the same messages at another place of another file', () => {
  const random = prng(42);
  let hits = 0;
  let fixes = 0;
  for (let i = 0; i < 400; i++) {
    const lines = someLines(random);
    const first = fileOf(lines, random);
    // The same lines in another order, among others, after a first line of another length.
    const second = fileOf([`# ${'-'.repeat(Math.floor(random() * 40))}`, ...[...lines, ...someLines(random, 4)].sort(() => random() - 0.5)], random);
    forgetLines();
    const fresh = lintWithRules(second);
    forgetLines();
    lintWithRules(first);
    const judged = linesJudged();
    const again = lintWithRules(second);
    assert.equal(again, fresh, `${JSON.stringify(second.toString('latin1'))} after ${JSON.stringify(first.toString('latin1'))}`);
    hits += parseDbConfig(second).lines.length - (linesJudged() - judged);
    fixes += fresh.messages.filter((m) => m.fix !== undefined).length;
  }
  // Lines the first file had were not judged again, and their messages and fixes moved to their new places.
  assert.ok(hits > 1000, `only ${hits} lines were found already judged`);
  assert.ok(fixes > 1000, `only ${fixes} fixes were compared`);
});

/** Lint `later` fresh, then after `earlier` filled the memo: both must agree, and the line must come from the memo. */
function afterAnother(earlier: string, later: string): LintResult {
  forgetLines();
  const fresh = lintWithRules(Buffer.from(later, 'latin1'));
  forgetLines();
  lintWithRules(Buffer.from(earlier, 'latin1'));
  const again = lintWithRules(Buffer.from(later, 'latin1'));
  assert.equal(again, fresh, `${JSON.stringify(later)} after ${JSON.stringify(earlier)}`);
  return again;
}

test('a line is remembered with its line end: an inline comment moves above with the line end of its own line', () => {
  const lf = afterAnother('set_tx_max 500 # more\r\n# end\r\n', 'set_tx_max 500 # more\n# end\n');
  const crlf = afterAnother('set_tx_max 500 # more\n# end\n', 'set_tx_max 500 # more\r\n# end\r\n');
  assert.is(lf.messages[0]!.fix!.text, '# more\nset_tx_max 500');
  assert.is(crlf.messages[0]!.fix!.text, '# more\r\nset_tx_max 500');
});

test('the last line is remembered apart: a CR in a comment swallows the rest of the line, or of the file', () => {
  const middle = afterAnother('# comment\rset_tx_max 5', '# comment\rset_tx_max 5\nset_tx_max 6\n');
  const last = afterAnother('# comment\rset_tx_max 5\nset_tx_max 6\n', 'set_tx_max 6\n# comment\rset_tx_max 5');
  assert.match(middle.messages[0]!.message, /rest of the line/);
  assert.match(last.messages[0]!.message, /rest of the file/);
});

test('a last line without a line end is remembered with the line end the file uses most', () => {
  const lf = afterAnother('# a\r\n# b\r\nset_tx_max 500 # more', '# a\n# b\nset_tx_max 500 # more');
  const crlf = afterAnother('# a\n# b\nset_tx_max 500 # more', '# a\r\n# b\r\nset_tx_max 500 # more');
  assert.is(lf.messages[0]!.fix!.text, '# more\nset_tx_max 500');
  assert.is(crlf.messages[0]!.fix!.text, '# more\r\nset_tx_max 500');
});

test('findings on one spot keep the order of the rules, per-line or not', () => {
  forgetLines();
  const result = lintWithRules(Buffer.from('\xef\xbb\xbfrep-set-priority 1\nrep-set-priority 1\n', 'latin1'));
  assert.equal(result.messages.filter((m) => m.line === 1).map((m) => m.ruleId), ['bom', 'unknown-directive']);
});

test.run();
