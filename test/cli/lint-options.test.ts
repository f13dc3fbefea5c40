import { PassThrough } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Io } from '../../src/cli/io.js';
import { main as lintMain } from '../../src/cli/lint-main.js';
import { parseLintArgsFast } from '../../src/cli/lint-options.js';
import type { ReaderHandle } from '../../src/cli/reader-start.js';
import { ROOT } from '../helpers.js';

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


test('the lint bundle runs what the fast parser takes and declines the rest, leaving the reader to the full command line', async () => {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { cwd: ROOT, env: { NO_COLOR: '1' }, stdin: new PassThrough(), stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } };
  let stopped = 0;
  const reader = { worker: { terminate: async () => void stopped++ }, port: { close: () => undefined } } as unknown as ReaderHandle;
  for (const argv of [['lint', '--help'], ['lint', '--nope'], ['master', '--help'], []]) {
    assert.is(await lintMain(argv, io, { reader }), undefined, argv.join(' '));
  }
  assert.equal([out, err, stopped], [[], [], 0], 'declined: nothing written, the reader left running');
  assert.is(await lintMain(['lint', 'fixtures/bdb-corpus/014-inline-comment-spaced.DB_CONFIG'], io, { reader }), 1);
  assert.match(out.join(''), /inline-comment/);
  assert.is(await lintMain(['lint', 'nowhere/DB_CONFIG'], io), 2);
  assert.equal(err, ['provision: no such file or directory: nowhere/DB_CONFIG\n']);
  assert.ok(stopped > 0, 'a run given the reader stops it (stopping twice is harmless)');
});

test.run();
