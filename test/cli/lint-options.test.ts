import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseLintArgsFast } from '../../src/cli/lint-options.js';

test('paths alone read as parseArgs reads them after `--`: stdin, empty, dashed and dotted names', () => {
  const words = ['DB_CONFIG', '-', '', '.', 'a-b', 'site/DB_CONFIG', '**/DB_CONFIG', 'C:\\db\\DB_CONFIG', 'x=y', '-q', '--quiet', '--format=json'];
  let seed = 11;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  let shortcut = 0;
  for (let i = 0; i < 2_000; i++) {
    const argv = Array.from({ length: next() % 4 }, () => words[next() % words.length]!);
    const fast = parseLintArgsFast(argv);
    if (argv.some((a) => a.startsWith('-') && a !== '-')) continue;
    shortcut++;
    assert.equal(fast, parseLintArgsFast(['--', ...argv]), JSON.stringify(argv));
  }
  assert.ok(shortcut > 500, `${shortcut}`);
  assert.equal(parseLintArgsFast(['-', 'a'])?.paths, ['-', 'a']);
  assert.equal(parseLintArgsFast([])?.paths, ['.']);
  // Options still go the long way.
  assert.is(parseLintArgsFast(['a', '-q'])?.quiet, true);
  assert.is(parseLintArgsFast(['a', '--nope']), undefined);
});

test.run();
