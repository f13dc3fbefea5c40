import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isOutside, joinNormal, relativeInside, resolvesToItself } from '../src/normal-paths.js';
import { absolutePath, displayPath } from '../src/lint/formatters/paths.js';
import { shownPath } from '../src/cli/io.js';

const DIRS = ['/', '/srv', '/srv/repo', '/srv/repo/', '/srv//repo', '/srv/./repo', '/srv/x/../repo', 'srv/repo', '/srv/repo/.', '/..'];
const PATHS = [
  'DB_CONFIG', 'a/DB_CONFIG', 'a/b/c', '.hidden/DB_CONFIG', '..foo/DB_CONFIG', 'a/..b', 'a..', '...', '.', '..', './a', 'a/./b', 'a/../b',
  '../a', 'a//b', 'a/', '/abs', '', 'a b/ü/DB_CONFIG', 'a\\b',
];

/** Each directory of DIRS with each path made from PATHS below it, beside it and (with `elsewhere`) outside it. */
function* cases(elsewhere = false): Generator<[dir: string, p: string]> {
  for (const dir of DIRS) {
    for (const rel of PATHS) {
      for (const p of [`${dir}/${rel}`, `${dir}${rel}`, rel, ...(elsewhere ? [`/elsewhere/${rel}`, `/srvx/${rel}`] : [])]) yield [dir, p];
    }
  }
}

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
  for (const [dir, p] of cases()) {
    const quick = relativeInside(dir, p);
    if (quick === undefined) continue;
    taken++;
    assert.is(quick, path.relative(dir, p), `${p} from ${dir}`);
  }
  assert.ok(taken >= 20, `${taken} taken`);
  assert.is(relativeInside('/srv', '/srvx/a'), undefined);
  assert.is(relativeInside('/srv', '/srv'), undefined);
});

test('isOutside says a path is outside a directory only where path.relative climbs out of it', () => {
  let outside = 0;
  for (const [dir, p] of cases(true)) {
    if (!isOutside(dir, p)) continue;
    outside++;
    assert.ok(path.relative(dir, p).startsWith('..'), `${p} from ${dir}: ${path.relative(dir, p)}`);
  }
  // The shortcut is taken for the common case, not only refused.
  assert.ok(outside >= 20, `${outside} outside`);
  assert.is(isOutside('/srv', '/srvx/a'), true);
  assert.is(isOutside('/srv/repo', '/srv'), true);
  assert.is(isOutside('/srv', '/srv'), false);
  assert.is(isOutside('/srv', '/srv/a'), false);
  assert.is(isOutside('/', '/srv'), false);
});

test('resolvesToItself only for paths path.resolve gives back unchanged', () => {
  let same = 0;
  for (const [, p] of cases(true)) {
    if (!resolvesToItself(p)) continue;
    same++;
    assert.is(path.resolve('/somewhere/else', p), p, p);
  }
  assert.ok(same >= 20, `${same} taken`);
});

test('displayPath and absolutePath with the shortcuts are what path.resolve and path.relative give', () => {
  const display = (cwd: string, filePath: string) => {
    const absolute = path.resolve(cwd, filePath);
    const relative = path.relative(cwd, absolute);
    return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
  };
  for (const [dir, p] of cases(true)) {
    if (!path.isAbsolute(dir)) continue;
    assert.is(displayPath(p, dir), display(dir, p), `display ${p} from ${dir}`);
    assert.is(absolutePath(p, dir), path.resolve(dir, p), `absolute ${p} from ${dir}`);
  }
});

test('shownPath with the shortcut is what it was without it', () => {
  const before = (cwd: string, p: string) => {
    const rel = path.relative(cwd, p);
    return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? p : rel;
  };
  for (const [dir, p] of cases(true)) if (path.isAbsolute(dir) && path.isAbsolute(p)) assert.is(shownPath(dir, p), before(dir, p), `${p} from ${dir}`);
});

test.run();
