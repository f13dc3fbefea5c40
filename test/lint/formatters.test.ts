import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GROUP_RULES, lintDbConfig, RULES, type LintResult } from '../../src/index.js';
import { escapeData, escapeProperty } from '../../src/lint/formatters/github.js';
import { FORMATS, FORMATTERS, formatResults, isFormatName } from '../../src/lint/formatters/index.js';
import { writeJson } from '../../src/lint/formatters/json.js';
import { displayPath } from '../../src/lint/formatters/paths.js';
import { writeStylish } from '../../src/lint/formatters/stylish.js';
import { CHUNK_CHARS } from '../../src/lint/formatters/types.js';

/** The project root (this file runs as dist/test/lint/formatters.test.js). */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cwd = path.resolve('/srv/repo');
const plain = { color: false, cwd };

// A file with a warning (a DNS name), an inline comment and a hyphenated name, in a directory
// whose name needs percent-encoding in a URI; and a clean file.
const DIRTY = 'repmgr_site db1.example.com 5010 db_local_site on\nset_cachesize 0 1048576 0 # cache\nrep-set-priority 100\n';
const CLEAN = 'repmgr_site 10.0.0.1 5010 db_local_site on\nrep_set_priority 100\n';
const dirty = lintDbConfig(DIRTY, { filePath: 'envs/site a/DB_CONFIG' });
const clean = lintDbConfig(CLEAN, { filePath: 'envs/b/DB_CONFIG' });
// An unknown name full of the characters workflow commands must escape, in an oddly named directory.
const odd = lintDbConfig('repmgr_site 10.0.0.1 5010 db_local_site on\ncache%size,x:y 1\n', { filePath: 'sites/50%,a:b/DB_CONFIG' });

test('the lint results the formatters are tested with are what the rules report', () => {
  assert.equal(dirty.messages.map((m) => [m.ruleId, m.line, m.column]), [
    ['prefer-ipv4', 1, 13],
    ['inline-comment', 2, 27],
    ['unknown-directive', 3, 1],
  ]);
  assert.is(clean.messages.length, 0);
  assert.is(odd.messages[0]?.ruleId, 'unknown-directive');
});

test('every format is registered under its name', () => {
  assert.equal([...FORMATS], ['stylish', 'json', 'sarif', 'github']);
  assert.equal(Object.keys(FORMATTERS).sort(), [...FORMATS].sort());
  assert.ok(isFormatName('sarif'));
  assert.not.ok(isFormatName('junit'));
  assert.not.ok(isFormatName('toString'));
});

// ---------------------------------------------------------------- stylish

test('stylish lists each file with problems, aligned, then a summary', () => {
  assert.fixture(
    formatResults('stylish', [dirty, clean], plain),
    [
      '',
      'envs/site a/DB_CONFIG',
      '  1:13  warning  Site "db1.example.com" is a host name; an IPv4 address is recommended, so replication does not depend on DNS. Write the same address on every site  prefer-ipv4',
      '  2:27  error    Comment after a directive; Berkeley DB has no inline comments and reads it as more values. Put the comment on its own line, starting with #         inline-comment',
      '  3:1   error    Unknown directive "rep-set-priority"; did you mean rep_set_priority? (Berkeley DB never accepts hyphens in names)                                   unknown-directive',
      '',
      '\u2716 3 problems (2 errors, 1 warning)',
      '  2 errors and 0 warnings potentially fixable with the --fix option.',
      '',
    ].join('\n'),
  );
});

test('stylish right-aligns line numbers so the colons line up, and counts in the singular', () => {
  const lines = Array.from({ length: 9 }, () => '\n').join('') + 'rep-set-priority 1\n';
  const result = lintDbConfig(`rep-set-priority 1\n${lines}`, { filePath: 'DB_CONFIG' });
  const out = formatResults('stylish', [result], plain);
  assert.ok(out.includes('\n   1:1  error'), out);
  assert.ok(out.includes('\n  11:1  error'), out);
  const one = formatResults('stylish', [lintDbConfig('rep-set-priority 1\n', { filePath: 'DB_CONFIG' })], plain);
  assert.ok(one.endsWith('\u2716 1 problem (1 error, 0 warnings)\n  1 error and 0 warnings potentially fixable with the --fix option.\n'), one);
});

test('stylish with colour underlines the path, colours severities and the summary', () => {
  const only = lintDbConfig('repmgr_site db1.example.com 5010 db_local_site on\n', { filePath: path.join(cwd, 'a', 'DB_CONFIG') });
  const message = 'Site "db1.example.com" is a host name; an IPv4 address is recommended, so replication does not depend on DNS. Write the same address on every site';
  assert.fixture(
    formatResults('stylish', [only], { color: true, cwd }),
    '\n' +
      '\x1b[4ma/DB_CONFIG\x1b[24m\n' +
      `  \x1b[2m1:13\x1b[22m  \x1b[33mwarning\x1b[39m  ${message}  \x1b[2mprefer-ipv4\x1b[22m\n` +
      '\n' +
      '\x1b[33m\x1b[1m\u2716 1 problem (0 errors, 1 warning)\x1b[22m\x1b[39m\n',
  );
  const colored = formatResults('stylish', [dirty], { color: true, cwd });
  assert.ok(colored.includes('\x1b[31merror\x1b[39m    '), 'errors are red and still aligned');
  assert.ok(colored.includes('\x1b[31m\x1b[1m\u2716 3 problems (2 errors, 1 warning)\x1b[22m\x1b[39m\n'), 'a summary with errors is red');
  assert.is(colored.replace(/\x1b\[\d+m/g, ''), formatResults('stylish', [dirty], plain), 'colour adds nothing but escapes');
});

test('stylish prints nothing for a clean run, coloured or not', () => {
  assert.is(formatResults('stylish', [clean], plain), '');
  assert.is(formatResults('stylish', [clean, clean], { color: true, cwd }), '');
  assert.is(formatResults('stylish', [], plain), '');
});

test('stylish shows files outside the working directory by absolute path and escapes control characters', () => {
  const outside = lintDbConfig(DIRTY, { filePath: path.resolve('/elsewhere/DB_CONFIG') });
  assert.ok(formatResults('stylish', [outside], plain).startsWith('\n/elsewhere/DB_CONFIG\n'));
  const sneaky = lintDbConfig(DIRTY, { filePath: 'evil\x1b[2J/DB_CONFIG' });
  const out = formatResults('stylish', [sneaky], plain);
  assert.ok(out.includes('evil\\x1b[2J/DB_CONFIG'));
  assert.not.ok(out.includes('\x1b'));
});

test('stylish pads messages by code points, so a character outside the BMP takes one column', () => {
  // Two unknown names, one of them with an emoji (two UTF-16 units): their rule IDs must start in the same column.
  const result = lintDbConfig('repmgr_site 10.0.0.1 5010 db_local_site on\nset_caches\u{1F600}ze 1\nset_cachesiz\u00e9 1\n', { filePath: 'a/DB_CONFIG' });
  const rows = formatResults('stylish', [result], plain).split('\n').filter((l) => l.includes('unknown-directive'));
  assert.is(rows.length, 2);
  const column = (row: string) => [...row].length - [...row.slice(row.indexOf('unknown-directive'))].length;
  assert.is(column(rows[0]!), column(rows[1]!));
  // The emoji line is one UTF-16 unit longer, so a count of units would have padded it one column less.
  assert.is.not(rows[0]!.indexOf('unknown-directive'), rows[1]!.indexOf('unknown-directive'));
});

test('stylish drops a message\'s final full stop after a word, as ESLint does, and keeps any other', () => {
  const message = (text: string) => ({ ruleId: 'bom', severity: 2 as const, line: 1, column: 1, message: text });
  const result = { filePath: 'a/DB_CONFIG', messages: [message('Ends here.'), message('Spaced .'), message('.'), message('No stop'), message('Two..')], errorCount: 5, warningCount: 0, fixableErrorCount: 0, fixableWarningCount: 0 };
  const shown = formatResults('stylish', [result], plain).split('\n').filter((l) => l.includes('bom')).map((l) => l.replace(/^ +1:1 +error +/, '').replace(/ +bom$/, ''));
  assert.equal(shown, ['Ends here', 'Spaced .', '.', 'No stop', 'Two.']);
});

test('stylish shows a path as path.resolve and path.relative would, the shortcut for plain paths below cwd included', () => {
  const longWay = (filePath: string, at: string) => {
    if (filePath.startsWith('<') && filePath.endsWith('>')) return filePath;
    const absolute = path.resolve(at, filePath);
    const relative = path.relative(at, absolute);
    return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
  };
  const paths = ['a/DB_CONFIG', 'a/b/DB_CONFIG', '..foo/DB_CONFIG', '../x/DB_CONFIG', './a/DB_CONFIG', 'a//b/DB_CONFIG', 'a/../b/DB_CONFIG', '/abs/DB_CONFIG', '/srv/repo/x/DB_CONFIG', '<stdin>', '.', 'a/'];
  for (const at of [cwd, '/', '/srv/repo/', '/srv/./repo']) {
    for (const p of paths) assert.is(displayPath(p, at), longWay(p, at), `${p} from ${at}`);
  }
});

// ---------------------------------------------------------------- json

test('json is ESLint-shaped: absolute paths, the same keys, fix text as UTF-8', () => {
  const parsed = JSON.parse(formatResults('json', [dirty, clean], plain)) as unknown[];
  assert.is(parsed.length, 2);
  const [first, second] = parsed as Record<string, unknown>[];
  assert.equal(Object.keys(first!), ['filePath', 'messages', 'errorCount', 'warningCount', 'fixableErrorCount', 'fixableWarningCount']);
  assert.is(first!.filePath, path.join(cwd, 'envs', 'site a', 'DB_CONFIG'));
  assert.equal([first!.errorCount, first!.warningCount, first!.fixableErrorCount, first!.fixableWarningCount], [2, 1, 2, 0]);
  const messages = first!.messages as Record<string, unknown>[];
  assert.equal(messages[0], {
    ruleId: 'prefer-ipv4',
    severity: 1,
    line: 1,
    column: 13,
    endLine: 1,
    endColumn: 28,
    message: dirty.messages[0]!.message,
  });
  assert.equal(messages[2], {
    ruleId: 'unknown-directive',
    severity: 2,
    line: 3,
    column: 1,
    endLine: 3,
    endColumn: 17,
    message: 'Unknown directive "rep-set-priority"; did you mean rep_set_priority? (Berkeley DB never accepts hyphens in names)',
    fix: { range: [84, 100], text: 'rep_set_priority' },
  });
  assert.equal(second, {
    filePath: path.join(cwd, 'envs', 'b', 'DB_CONFIG'),
    messages: [],
    errorCount: 0,
    warningCount: 0,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
  });
});

test('json decodes UTF-8 in fix text (a comment moved above its directive)', () => {
  const bytes = Buffer.from('set_cachesize 0 1048576 0 # café ✓\n', 'utf8');
  const result = lintDbConfig(bytes, { filePath: 'DB_CONFIG' });
  const parsed = JSON.parse(formatResults('json', [result], plain)) as { messages: { fix?: { text: string; range: number[] } }[] }[];
  const fix = parsed[0]!.messages.find((m) => m.fix)!.fix!;
  assert.is(fix.text, '# café ✓\nset_cachesize 0 1048576 0');
  assert.equal(fix.range, [0, bytes.length - 1]);
});

test('json writes bytes of fix text that are not UTF-8 as U+FFFD, and ASCII as it is', () => {
  const message = { ruleId: 'inline-comment', severity: 2 as const, line: 1, column: 1, message: 'm' };
  const withFix = (text: string): LintResult => ({ ...clean, messages: [{ ...message, fix: { range: [0, 1], text } }], errorCount: 1, fixableErrorCount: 1 });
  const texts = (['a b\t#c', '\xff\xfe x', 'caf\xc3\xa9'] as const).map((t) => (JSON.parse(formatResults('json', [withFix(t)], plain)) as { messages: { fix: { text: string } }[] }[])[0]!.messages[0]!.fix.text);
  assert.equal(texts, ['a b\t#c', '\ufffd\ufffd x', 'café']);
});

test('json is, character for character, JSON.stringify of the ESLint shape', () => {
  // Paths the shortcut joins and paths it leaves to path.resolve (dot segments, absolute, stdin).
  const named = (filePath: string) => ({ ...dirty, filePath });
  const results = [dirty, clean, odd, named('./a/../b/"q"\\DB_CONFIG'), named('/abs/DB_CONFIG'), named('<stdin>'), named('x//y/DB_CONFIG')];
  for (const at of [cwd, '/', '/srv/repo/', '/srv/./repo']) {
    const expected = results.map((r) => ({
      filePath: r.filePath === '<stdin>' ? r.filePath : path.resolve(at, r.filePath),
      messages: r.messages.map((m) => ({ ruleId: m.ruleId, severity: m.severity, line: m.line, column: m.column, endLine: m.endLine, endColumn: m.endColumn, message: m.message, fix: m.fix && { range: [...m.fix.range], text: m.fix.text } })),
      errorCount: r.errorCount,
      warningCount: r.warningCount,
      fixableErrorCount: r.fixableErrorCount,
      fixableWarningCount: r.fixableWarningCount,
    }));
    assert.is(formatResults('json', results, { color: false, cwd: at }), JSON.stringify(expected), at);
  }
});

test('json for no files is an empty array', () => {
  assert.is(formatResults('json', [], plain), '[]');
});

// ---------------------------------------------------------------- writers

test('the writers give the formats\' text in pieces of about CHUNK_CHARS, whole results each, nothing for a clean stylish run', () => {
  // Enough results for several pieces: every tenth with messages.
  const many = Array.from({ length: 3000 }, (_, i) => ({ ...(i % 10 === 0 ? dirty : clean), filePath: `envs/site-${i}/DB_CONFIG` }));
  for (const [name, write] of [['json', writeJson], ['stylish', writeStylish]] as const) {
    const pieces: string[] = [];
    write(many, plain, (chunk) => pieces.push(chunk));
    assert.is(pieces.join(''), formatResults(name, many, plain), name);
    assert.ok(pieces.length >= 3, `${name}: ${pieces.length} pieces`);
    // A piece ends where a result does, so it is never much over the size.
    for (const piece of pieces.slice(0, -1)) assert.ok(piece.length >= CHUNK_CHARS && piece.length < CHUNK_CHARS + 2048, `${name}: a piece of ${piece.length}`);
  }
  const quiet: string[] = [];
  writeStylish([clean], plain, (chunk) => quiet.push(chunk));
  assert.equal(quiet, []);
});

// ---------------------------------------------------------------- github

test('github prints one workflow command per message', () => {
  assert.fixture(
    formatResults('github', [dirty, clean], plain),
    '::warning file=envs/site a/DB_CONFIG,line=1,col=13,endLine=1,endColumn=28,title=prefer-ipv4::Site "db1.example.com" is a host name; an IPv4 address is recommended, so replication does not depend on DNS. Write the same address on every site.\n' +
      '::error file=envs/site a/DB_CONFIG,line=2,col=27,endLine=2,endColumn=34,title=inline-comment::Comment after a directive; Berkeley DB has no inline comments and reads it as more values. Put the comment on its own line, starting with #.\n' +
      '::error file=envs/site a/DB_CONFIG,line=3,col=1,endLine=3,endColumn=17,title=unknown-directive::Unknown directive "rep-set-priority"; did you mean rep_set_priority? (Berkeley DB never accepts hyphens in names)\n',
  );
  assert.is(formatResults('github', [clean], plain), '');
});

test('github escapes %, CR and LF in messages and also : and , in properties', () => {
  assert.fixture(
    formatResults('github', [odd], plain),
    '::error file=sites/50%25%2Ca%3Ab/DB_CONFIG,line=2,col=1,endLine=2,endColumn=15,title=unknown-directive::' +
      'Unknown directive "cache%25size,x:y"; Berkeley DB refuses to open the environment. See docs/dbconfig.md for the directives it reads.\n',
  );
  assert.is(escapeData('50% done\r\nnext: a,b'), '50%25 done%0D%0Anext: a,b');
  assert.is(escapeProperty('50% done\r\nnext: a,b'), '50%25 done%0D%0Anext%3A a%2Cb');
  // `%` goes first, so an escape already in the text is not mistaken for one GitHub should undo.
  assert.is(escapeData('%0A'), '%250A');
});

test('github leaves out end positions a message does not have, and ignores colour', () => {
  const noEnd: LintResult = { ...clean, messages: [{ ruleId: 'no-local-site', severity: 2, line: 1, column: 1, message: 'x' }], errorCount: 1 };
  assert.is(formatResults('github', [noEnd], { color: true, cwd }), '::error file=envs/b/DB_CONFIG,line=1,col=1,title=no-local-site::x\n');
});

// ---------------------------------------------------------------- sarif

/**
 * A validator for the SARIF 2.1.0 JSON schema as the OASIS SARIF TC publishes it
 * (test/fixtures/sarif/README.md says where the copy comes from).
 */
function sarifValidator() {
  const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8'));
  assert.is(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  // NOTE: the published schema has two known defects that stop a strict validator from compiling it;
  // both are worked around here rather than edited in the copy:
  // 1. region's `anyOf` (startLine, charOffset or byteOffset required) sits inside `properties`,
  //    where it declares a property named "anyOf"; move it to the region itself, where it was meant to be.
  const region = schema.definitions.region;
  region.anyOf = region.properties.anyOf;
  delete region.properties.anyOf;
  // 2. the `language` patterns start with `(?i)`, which JavaScript regular expressions lack: use the `i` flag.
  const regExp = Object.assign(
    (pattern: string, flags: string) => (pattern.startsWith('^(?i)') ? new RegExp(`^${pattern.slice(5)}`, `${flags}i`) : new RegExp(pattern, flags)),
    { code: 'new RegExp' },
  );
  const ajv = new Ajv2020({ allErrors: true, code: { regExp } });
  addFormatsPlugin.default(ajv);
  const validate = ajv.compile(schema);
  return (log: unknown) => {
    const ok = validate(log);
    return { ok, errors: ajv.errorsText(validate.errors) };
  };
}
const validateSarif = sarifValidator();

const sarifOf = (results: readonly LintResult[], options = plain) => JSON.parse(formatResults('sarif', results, options));

test('sarif is valid against the SARIF 2.1.0 schema, with and without results', () => {
  for (const results of [[dirty, clean, odd], [clean], []]) {
    const { ok, errors } = validateSarif(sarifOf(results));
    assert.ok(ok, errors);
  }
});

test('the schema check rejects what is not SARIF (so a pass means something)', () => {
  const log = sarifOf([dirty]);
  log.runs[0].results[0].level = 'fatal';
  assert.not.ok(validateSarif(log).ok);
  const unencoded = sarifOf([dirty]);
  unencoded.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'envs/site a/DB_CONFIG';
  assert.match(validateSarif(unencoded).errors, /uri-reference/);
  const noRegionStart = sarifOf([dirty]);
  noRegionStart.runs[0].results[0].locations[0].physicalLocation.region = { startColumn: 3 };
  assert.not.ok(validateSarif(noRegionStart).ok);
  assert.not.ok(validateSarif({ version: '2.1.0' }).ok);
});

test('sarif describes every rule and points each result at its rule', () => {
  const log = sarifOf([dirty, clean]);
  assert.is(log.version, '2.1.0');
  assert.is(log.runs.length, 1);
  const run = log.runs[0];
  const rules = run.tool.driver.rules as { id: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }[];
  assert.is(run.tool.driver.name, 'provision');
  assert.equal(rules.map((r) => r.id), RULES.map((r) => r.id));
  for (const [i, rule] of RULES.entries()) {
    assert.is(rules[i]!.shortDescription.text, rule.description);
    assert.is(rules[i]!.defaultConfiguration.level, rule.severity);
  }
  assert.is(run.results.length, 3);
  for (const result of run.results) assert.is(rules[result.ruleIndex]!.id, result.ruleId);
  assert.equal(run.results.map((r: { level: string }) => r.level), ['warning', 'error', 'error']);
});

test('sarif locations are relative to %SRCROOT%, percent-encoded, with the region of the message', () => {
  const run = sarifOf([dirty]).runs[0];
  assert.equal(run.originalUriBaseIds, { '%SRCROOT%': { uri: `${pathToFileURL(cwd).href}/` } });
  assert.equal(run.results[1], {
    ruleId: 'inline-comment',
    ruleIndex: RULES.findIndex((r) => r.id === 'inline-comment'),
    level: 'error',
    message: { text: dirty.messages[1]!.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: 'envs/site%20a/DB_CONFIG', uriBaseId: '%SRCROOT%' },
          region: { startLine: 2, startColumn: 27, endLine: 2, endColumn: 34 },
        },
      },
    ],
    fixes: [
      {
        artifactChanges: [
          {
            artifactLocation: { uri: 'envs/site%20a/DB_CONFIG', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { byteOffset: 50, byteLength: 33 }, insertedContent: { text: '# cache\nset_cachesize 0 1048576 0' } }],
          },
        ],
      },
    ],
  });
  assert.is(run.results[0].fixes, undefined, 'a finding with no safe fix has no fixes');
  const oddLocation = sarifOf([odd]).runs[0].results[0].locations[0].physicalLocation.artifactLocation;
  assert.equal(oddLocation, { uri: 'sites/50%25%2Ca%3Ab/DB_CONFIG', uriBaseId: '%SRCROOT%' });
});

test('sarif gives files outside the working directory absolute file: URIs', () => {
  const outside = lintDbConfig(DIRTY, { filePath: path.resolve('/elsewhere/my env/DB_CONFIG') });
  const log = sarifOf([outside]);
  assert.equal(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation, { uri: 'file:///elsewhere/my%20env/DB_CONFIG' });
  assert.ok(validateSarif(log).ok, validateSarif(log).errors);
});

test('sarif keeps replacement bytes that are not UTF-8, as base64', () => {
  // A Latin-1 é in an inline comment: the moved comment is not valid UTF-8.
  const result = lintDbConfig(Buffer.from('set_cachesize 0 1048576 0 # caf\xe9\n', 'latin1'), { filePath: 'DB_CONFIG' });
  const log = sarifOf([result]);
  const inserted = log.runs[0].results[0].fixes[0].artifactChanges[0].replacements[0].insertedContent;
  assert.equal(inserted, { binary: Buffer.from('# caf\xe9\nset_cachesize 0 1048576 0', 'latin1').toString('base64') });
  assert.ok(validateSarif(log).ok, validateSarif(log).errors);
});

test('sarif describes the group rules a run reports with their own descriptions', () => {
  const withGroup: LintResult = {
    ...clean,
    messages: [
      { ruleId: 'group-no-master', severity: 2, line: 1, column: 1, message: 'No site can become master.' },
      // Reported as a warning when no site is a creator; the rule's default is still error.
      { ruleId: 'group-creator', severity: 1, line: 1, column: 1, message: 'No site is marked db_group_creator.' },
    ],
    errorCount: 1,
    warningCount: 1,
  };
  const log = sarifOf([withGroup, withGroup]);
  const rules = log.runs[0].tool.driver.rules;
  assert.is(rules.length, RULES.length + 2);
  for (const [i, id] of ['group-no-master', 'group-creator'].entries()) {
    const rule = GROUP_RULES.find((r) => r.id === id)!;
    assert.equal(rules[RULES.length + i], { id, shortDescription: { text: rule.description }, defaultConfiguration: { level: 'error' } });
    assert.is.not(rule.description, id);
  }
  assert.equal(log.runs[0].results.map((r: { ruleIndex: number }) => r.ruleIndex), [RULES.length, RULES.length + 1, RULES.length, RULES.length + 1]);
  assert.equal(log.runs[0].results.map((r: { level: string }) => r.level), ['error', 'warning', 'error', 'warning']);
  assert.ok(validateSarif(log).ok, validateSarif(log).errors);
});

test('sarif describes a rule it does not know by its ID', () => {
  const unknown: LintResult = { ...clean, messages: [{ ruleId: 'made-up', severity: 1, line: 1, column: 1, message: 'Something.' }], warningCount: 1 };
  const rules = sarifOf([unknown]).runs[0].tool.driver.rules;
  assert.equal(rules[RULES.length], { id: 'made-up', shortDescription: { text: 'made-up' }, defaultConfiguration: { level: 'warning' } });
});

test('no format depends on colour except stylish', () => {
  for (const name of FORMATS) {
    if (name === 'stylish') continue;
    assert.is(formatResults(name, [dirty, odd], { color: true, cwd }), formatResults(name, [dirty, odd], plain), name);
  }
});

test.run();
