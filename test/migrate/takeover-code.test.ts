import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { confirmsTakeover, parseLocalDate, takeoverCode } from '../../src/migrate/takeover.js';

const test = suite('takeover code');
const day = (y: number, m: number, d: number) => new Date(y, m - 1, d);

test('the two examples of the runbook', () => {
  assert.is(takeoverCode(day(2001, 9, 25)), '2926');
  assert.is(takeoverCode(day(2001, 11, 15)), '3116');
});

test('more dates: century + month, then year + day, two digits each', () => {
  assert.is(takeoverCode(day(2026, 11, 22)), '3148');
  assert.is(takeoverCode(day(2000, 1, 1)), '2101');
  assert.is(takeoverCode(day(1999, 12, 31)), '31130');
  assert.is(takeoverCode(day(2030, 2, 28)), '2258');
});

test('the date is the local calendar date', () => {
  const d = parseLocalDate('2001-09-25')!;
  assert.is(d.getDate(), 25);
  assert.is(takeoverCode(d), '2926');
  assert.is(parseLocalDate('2001-02-30'), undefined);
  assert.is(parseLocalDate('25/09/2001'), undefined);
});

test('the code or the site name confirms; anything else does not', () => {
  const d = day(2001, 9, 25);
  assert.ok(confirmsTakeover('2926', 'backup1', d));
  assert.ok(confirmsTakeover(' backup1 ', 'backup1', d));
  assert.not.ok(confirmsTakeover('2925', 'backup1', d));
  assert.not.ok(confirmsTakeover('', 'backup1', d));
  assert.not.ok(confirmsTakeover('3116', 'backup1', d));
});

test.run();
