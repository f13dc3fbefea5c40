import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { convertNumber } from '../../src/index.js';

const ok = (token: string, kind: Parameters<typeof convertNumber>[1] = 'uint') => {
  const r = convertNumber(token, kind);
  return r.ok ? r.value : r.problem;
};

test('decimal only, as strtol/strtoul base 10', () => {
  assert.is(ok('010'), 10n);
  assert.is(ok('+5'), 5n);
  assert.is(ok('0x10'), 'invalid');
  assert.is(ok('1.0'), 'invalid');
  assert.is(ok('5s'), 'invalid');
  assert.is(ok('one'), 'invalid');
  assert.is(ok('-'), 'invalid');
});

test('unsigned fields wrap negatives, so -1 is above the maximum and -0 is 0', () => {
  assert.is(ok('-1'), 'above-max');
  assert.is(ok('-0'), 0n);
  assert.is(ok('4294967295'), 4294967295n);
  assert.is(ok('4294967296'), 'above-max');
  assert.is(ok('18446744073709551616'), 'overflow');
});

test('int fields refuse negatives and stop at INT_MAX', () => {
  assert.is(ok('-1', 'int'), 'below-min');
  assert.is(ok('2147483647', 'int'), 2147483647n);
  assert.is(ok('2147483648', 'int'), 'above-max');
  assert.is(ok('9223372036854775808', 'long'), 'overflow');
});

test('leading C white space is skipped, trailing is not', () => {
  assert.is(ok('\v5'), 5n);
  assert.is(ok('5\v'), 'invalid');
  assert.is(ok('4\r'), 'invalid');
});

test.run();
