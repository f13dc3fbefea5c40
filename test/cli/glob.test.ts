/**
 * lint's globs: the paths one matches, and the directories a walk for it enters,
 * checked against every path of a small universe of names.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { globDirectories, globToRegExp, isGlob } from '../../src/cli/glob.js';
import { mustEnter } from './glob-expect.js';

const test = suite('glob');

/** Names a tree could hold: ones the globs below match, nearly match, or do not. */
const NAMES = ['DB_CONFIG', 'DB_CONFIG.bak', 'a', 'b', 'ab', 'a b', 'a.b', 'x', 'site-1', 'site-2', 'site-10', 'deeper', 'still', '[', '-'];

/** Every path of one to `depth` names from NAMES. */
function universe(depth: number): string[] {
  let level = [''];
  const all: string[] = [];
  for (let d = 0; d < depth; d++) {
    level = level.flatMap((p) => NAMES.map((n) => (p === '' ? n : `${p}/${n}`)));
    all.push(...level);
  }
  return all;
}

const PATHS = universe(4);
const DIRECTORIES = universe(3);

const GLOBS = [
  '*', '*/DB_CONFIG', 'site-?/DB_CONFIG', 'site-[12]/DB_CONFIG', 'site-[!2]*/DB_CONFIG', '[ab]/*/DB_CONFIG',
  'a/b/DB_CONFIG', '*/*/*', 'a/*/still/DB_CONFIG', '**/DB_CONFIG', '**', 'a/**', 'a/**/DB_CONFIG', '*/**/still/*',
  'site-1/deeper/**', 'a**', 'a/x**/DB_CONFIG', '**/a/**/DB_CONFIG', 'a[!x]b/DB_CONFIG', 'a[!x]deeper/DB_CONFIG',
  '[/DB_CONFIG', 'a[]/DB_CONFIG', 'DB_CONFIG.*', '?',
];

test('globToRegExp: what each element matches', () => {
  const matches = (glob: string, p: string) => globToRegExp(glob).test(p);
  assert.ok(matches('*/DB_CONFIG', 'a/DB_CONFIG'));
  assert.not.ok(matches('*/DB_CONFIG', 'a/b/DB_CONFIG'), '* stays within a name');
  assert.ok(matches('site-?/DB_CONFIG', 'site-1/DB_CONFIG'));
  assert.not.ok(matches('site-?/DB_CONFIG', 'site-10/DB_CONFIG'), '? is one character');
  assert.ok(matches('site-[12]/DB_CONFIG', 'site-2/DB_CONFIG'));
  assert.not.ok(matches('site-[!2]/DB_CONFIG', 'site-2/DB_CONFIG'));
  assert.ok(matches('**/DB_CONFIG', 'DB_CONFIG'), '**/ is also no directory');
  assert.ok(matches('**/DB_CONFIG', 'a/b/c/DB_CONFIG'));
  assert.ok(matches('a/**', 'a/b/c'));
  assert.not.ok(matches('DB_CONFIG.*', 'DB_CONFIGxbak'), '. is itself');
  assert.ok(matches('[/DB_CONFIG', '[/DB_CONFIG'), 'an unclosed [ is itself');
  // A ] first in a class (after a !) is itself, as in POSIX; a [ that closes no class is itself.
  assert.ok(matches('a[]]b', 'a]b') && !matches('a[]]b', 'axb'), '[]] is ]');
  assert.ok(matches('a[]x]b', 'axb') && matches('a[]x]b', 'a]b'));
  assert.ok(matches('a[!]]b', 'axb') && !matches('a[!]]b', 'a]b'), '[!]] is anything but ]');
  assert.ok(matches('a[!]', 'a[!]') && !matches('a[!]', 'ab'), '[!] closes no class');
  assert.ok(matches('a[\\]b', 'a\\b'), 'a backslash in a class is itself');
  assert.throws(() => globToRegExp('[z-a]/DB_CONFIG'), /Range out of order/);
  assert.throws(() => globDirectories('[z-a]/DB_CONFIG'), /Range out of order/);
  assert.ok(isGlob('a/[b]') && isGlob('a?') && isGlob('*') && !isGlob('a/b.c'));
});

test('globDirectories: a directory that holds a match is entered, for every glob and directory of the universe', () => {
  for (const glob of GLOBS) {
    const files = globToRegExp(glob);
    const enter = globDirectories(glob);
    const holding = new Set<string>();
    for (const p of PATHS) {
      if (!files.test(p)) continue;
      const names = p.split('/');
      for (let i = 1; i < names.length; i++) holding.add(names.slice(0, i).join('/'));
    }
    for (const d of holding) assert.ok(enter.test(`${d}/`), `${glob}: ${d}/ holds a match`);
  }
});

test('globDirectories: exactly the directories whose names match the glob, to its depth', () => {
  let entered = 0;
  let left = 0;
  for (const glob of GLOBS.filter((g) => !/[^/]\*\*|\*\*[^/]/.test(g))) {
    const enter = globDirectories(glob);
    for (const d of DIRECTORIES) {
      const expected = mustEnter(glob, d);
      assert.is(enter.test(`${d}/`), expected, `${glob}: ${d}/`);
      if (expected) entered++;
      else left++;
    }
  }
  assert.ok(entered > 1000 && left > 10_000, `${entered} entered, ${left} left out`);
});

test('globDirectories: examples', () => {
  const enters = (glob: string, dir: string) => globDirectories(glob).test(`${dir}/`);
  assert.ok(enters('site-?/DB_CONFIG', 'site-1'));
  assert.not.ok(enters('site-?/DB_CONFIG', 'site-1/x'), 'no deeper than the glob');
  assert.not.ok(enters('site-?/DB_CONFIG', 'site-10'), 'each name');
  assert.not.ok(enters('*/DB_CONFIG', 'a/b'));
  assert.ok(enters('**/DB_CONFIG', 'a/b/c/d/e'), '** enters everything');
  assert.ok(enters('a/**/DB_CONFIG', 'a/b/c/d'));
  assert.not.ok(enters('a/**/DB_CONFIG', 'b'), 'the names before ** still count');
  assert.ok(enters('a/x**/DB_CONFIG', 'a/xy/z'), 'from a ** on, anything');
  assert.not.ok(enters('a/x**/DB_CONFIG', 'a/y'));
  // A class is one character of a name: never /, negated or as a range across it.
  assert.not.ok(globToRegExp('a[!x]deeper/DB_CONFIG').test('a/deeper/DB_CONFIG'));
  assert.not.ok(globToRegExp('a[+-0]b/DB_CONFIG').test('a/b/DB_CONFIG'), '/ lies between + and 0');
  assert.ok(globToRegExp('a[+-0]b/DB_CONFIG').test('a.b/DB_CONFIG'));
  assert.not.ok(enters('a[!x]deeper/DB_CONFIG', 'a'));
  assert.ok(enters('a[!x]/DB_CONFIG', 'ab'));
  assert.not.ok(enters('a[]/DB_CONFIG', 'a'), '[] closes no class: it is itself');
  assert.ok(enters('a[]/DB_CONFIG', 'a[]'));
  assert.not.ok(enters('DB_CONFIG', 'a'), 'a file name alone: no directory');
});

test.run();
