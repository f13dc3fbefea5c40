/**
 * Inputs far larger than any real DB_CONFIG: lint and the formatters must never
 * throw. How quick they are is measured by bench/, not here.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lintDbConfig, type LintMessage, type LintResult } from '../../src/index.js';
import { formatResults } from '../../src/lint/formatters/index.js';
import { closest, editDistance, suggestDirective } from '../../src/lint/suggest.js';

test('a 2 MB one-line comment lints as Berkeley DB reads it', () => {
  const text = Buffer.from(`#${'x'.repeat(2 * 1024 * 1024)}\n`, 'latin1');
  const result = lintDbConfig(text);
  // Berkeley DB reads each 255-byte chunk after the first as a line of its own.
  assert.ok(result.messages.some((m) => m.ruleId === 'unknown-directive'));
  assert.ok(result.messages.some((m) => m.ruleId === 'line-too-long'));
});

test('"did you mean" finds the same names with its work capped', () => {
  assert.is(editDistance('kitten', 'sitting'), 3);
  assert.is(editDistance('kitten', 'sitting', 1), 2, 'stops past the limit');
  assert.is(editDistance('x'.repeat(255), 'rep_set_priority', 63), 64);
  assert.is(suggestDirective('rep_set_priorty')?.name, 'rep_set_priority');
  assert.is(suggestDirective('set_lk_max_lock')?.name, 'set_lk_max_locks');
  assert.is(closest('DB_REPMGR_ACKS_AL', ['DB_REPMGR_ACKS_ALL', 'DB_REPMGR_ACKS_ONE']), 'DB_REPMGR_ACKS_ALL');
  assert.is(suggestDirective('x'.repeat(255)), undefined);
  assert.is(suggestDirective(`rep_set_priority${'x'.repeat(200)}`), undefined);
});

test('names that are Object.prototype members get no suggestion from the list of old names', () => {
  for (const name of ['constructor', '__proto__', 'hasOwnProperty']) {
    assert.is(suggestDirective(name), undefined, name);
  }
});

test('stylish formats 150,000 messages without overflowing the stack', () => {
  const messages: LintMessage[] = Array.from({ length: 150_000 }, (_, i) => ({
    ruleId: 'unknown-directive',
    severity: 2,
    line: i + 1,
    column: 1,
    message: 'Unknown directive "x".',
  }));
  const result: LintResult = { filePath: 'DB_CONFIG', messages, errorCount: messages.length, warningCount: 0, fixableErrorCount: 0, fixableWarningCount: 0 };
  const out = formatResults('stylish', [result], { color: false, cwd: process.cwd() });
  assert.ok(out.includes('150000 problems (150000 errors, 0 warnings)'));
  assert.ok(out.includes('  150000:1  error  Unknown directive "x"  unknown-directive\n'));
  assert.ok(out.includes('       1:1  error'), 'line numbers are right-aligned to the widest');
});

test.run();
