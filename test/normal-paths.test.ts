import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { joinNormal, relativeInside } from '../src/normal-paths.js';
import { shownPath } from '../src/cli/io.js';

const DIRS = ['/', '/srv', '/srv/repo', '/srv/repo/', '/srv//repo', '/srv/./repo', '/srv/x/../repo', 'srv/repo', '/srv/repo/.', '/..'];
const PATHS = [
  'DB_CONFIG', 'a/DB_CONFIG', 'a/b/c', '.hidden/DB_CONFIG', '..foo/DB_CONFIG', 'a/..b', 'a..', '...', '.', '..', './a', 'a/./b', 'a/../b',
  '../a', 'a//b', 'a/', '/abs', '', 'a b/ü/DB_CONFIG', 'a\\b',
];

test('joinNormal gives what path.resolve gives, or leaves it to path.resolve', () => {
  let joined = 0;
  for (const dir of DIRS) {
    for (const rel of PATHS) {
      const quick = joinNormal(dir, rel);
      if (quick === undefined) continue;
      joined++;
      assert.is(quick, path.resolve(dir, rel), `${dir} + ${rel}`);
    }
  }
  // The shortcut is taken for the common case, not only refused.
  assert.ok(joined >= 20, `${joined} joined`);
  assert.is(joinNormal('/srv/repo', 'a/DB_CONFIG'), '/srv/repo/a/DB_CONFIG');
  assert.is(joinNormal('/', 'a'), '/a');
});

test('relativeInside gives what path.relative gives, or leaves it to path.relative', () => {
  let taken = 0;
  for (const dir of DIRS) {
    for (const rel of PATHS) {
      for (const p of [`${dir}/${rel}`, `${dir}${rel}`, rel]) {
        const quick = relativeInside(dir, p);
        if (quick === undefined) continue;
        taken++;
        assert.is(quick, path.relative(dir, p), `${p} from ${dir}`);
      }
    }
  }
  assert.ok(taken >= 20, `${taken} taken`);
  assert.is(relativeInside('/srv', '/srvx/a'), undefined);
  assert.is(relativeInside('/srv', '/srv'), undefined);
});

test('shownPath with the shortcut is what it was without it', () => {
  const before = (cwd: string, p: string) => {
    const rel = path.relative(cwd, p);
    return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? p : rel;
  };
  for (const dir of DIRS.filter((d) => path.isAbsolute(d))) {
    for (const rel of PATHS) {
      for (const p of [`${dir}/${rel}`, `${dir}${rel}`, `/elsewhere/${rel}`]) assert.is(shownPath(dir, p), before(dir, p), `${p} from ${dir}`);
    }
  }
});

test.run();
