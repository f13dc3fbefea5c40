/**
 * The walk behind lint's directories and globs: a glob's walk lists only the
 * directories a match could lie in, and keeps the same files, in the same order,
 * as a walk of the whole tree below the glob's prefix.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { globDirectories, globToRegExp } from '../../src/cli/glob.js';
import { mustEnter } from './glob-expect.js';
import { createWalker, type WalkState } from '../../src/cli/walk.js';
import { tempDir } from '../helpers.js';

const test = suite('walk');

const walker = createWalker(fs, path, (what, cause) => new Error(`${what}: ${(cause as NodeJS.ErrnoException).code}`, { cause }));

/** The files a walk keeps, below `root`, and the directories it listed. */
function walk(root: string, glob: string, prune: boolean): { files: string[]; listed: number } {
  const state = walker.begin(root, null, globToRegExp(glob).source, prune ? globDirectories(glob).source : null);
  return { files: drain(state, root), listed: state.listed };
}

function drain(state: WalkState, root: string): string[] {
  const files: string[] = [];
  for (let file = walker.next(state); file !== undefined; file = walker.next(state)) files.push(path.relative(root, file));
  return files;
}

/**
 * Sites with a DB_CONFIG each, data and log directories below them (site-3's data a
 * large tree), a deeper DB_CONFIG, names that sort by code unit, and what a walk
 * skips: node_modules, .git, a symlink to a directory.
 */
function makeSites(root: string): void {
  for (const site of ['site-1', 'site-2', 'site-3', 'site-10', 'site-11', 'a b', 'B', '\u{1F600}', '\uFF21']) {
    const dir = path.join(root, site);
    fs.mkdirSync(path.join(dir, 'data', 'part-0'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'logs'));
    fs.writeFileSync(path.join(dir, 'DB_CONFIG'), `# ${site}\n`);
    fs.writeFileSync(path.join(dir, 'data', 'part-0', 'table.db'), '');
  }
  fs.mkdirSync(path.join(root, 'site-1', 'deeper', 'still'), { recursive: true });
  fs.writeFileSync(path.join(root, 'site-1', 'deeper', 'still', 'DB_CONFIG'), '# deep\n');
  fs.writeFileSync(path.join(root, 'site-1', 'deeper', 'DB_CONFIG.bak'), '# old\n');
  for (let i = 0; i < 20; i++) for (let j = 0; j < 20; j++) fs.mkdirSync(path.join(root, 'site-3', 'data', `d${i}`, `e${j}`), { recursive: true });
  fs.writeFileSync(path.join(root, 'site-3', 'data', 'd7', 'e7', 'DB_CONFIG'), '# buried\n');
  for (const skipped of ['node_modules/pkg', 'site-2/.git']) {
    fs.mkdirSync(path.join(root, skipped), { recursive: true });
    fs.writeFileSync(path.join(root, skipped, 'DB_CONFIG'), 'skipped\n');
  }
  fs.symlinkSync(path.join(root, 'site-1'), path.join(root, 'site-link'));
  fs.symlinkSync(path.join(root, 'site-1', 'DB_CONFIG'), path.join(root, 'B', 'linked'));
}

/** Every directory below `root` a walk can reach (no node_modules or .git, no symlinks), with `/`. */
function directoriesBelow(root: string, rel = ''): string[] {
  const found: string[] = [];
  for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    if (!e.isDirectory() || e.name === 'node_modules' || e.name === '.git') continue;
    const child = rel === '' ? e.name : `${rel}/${e.name}`;
    found.push(child, ...directoriesBelow(root, child));
  }
  return found;
}

let tree: { dir: string; cleanup: () => void };
test.before(() => {
  tree = tempDir('provision-walk-');
  makeSites(tree.dir);
});
test.after(() => tree.cleanup());

const GLOBS = [
  '*/DB_CONFIG', 'site-?/DB_CONFIG', 'site-[12]/DB_CONFIG', 'site-[!1]*/DB_CONFIG', '[aB]*/*', 'site-1/deeper/still/DB_CONFIG',
  '**/DB_CONFIG', '**', '**/still/DB_CONFIG', 'site-1/**', 'site-1/**/DB_CONFIG*', '*/data/**/DB_CONFIG', '*/*/*/*/DB_CONFIG',
  '*/*', 'site-3/data/d?/e7/*',
];

test('a glob keeps the same files, in the same order, as a walk of the whole tree, and lists no more directories', () => {
  let kept = 0;
  for (const glob of [...GLOBS, 'site-1[!x]deeper/still/DB_CONFIG', 'site-3/d**/DB_CONFIG']) {
    const pruned = walk(tree.dir, glob, true);
    const whole = walk(tree.dir, glob, false);
    assert.equal(pruned.files, whole.files, glob);
    assert.ok(pruned.listed <= whole.listed, `${glob}: ${pruned.listed} <= ${whole.listed}`);
    kept += pruned.files.length;
  }
  assert.ok(kept > 50, `${kept} files kept`);
  // A class is one character of a name, never the / of site-1/deeper.
  assert.equal(walk(tree.dir, 'site-1[!x]deeper/still/DB_CONFIG', true).files, []);
  assert.equal(walk(tree.dir, 'site-[!2-9]/deeper/still/DB_CONFIG', true).files, ['site-1/deeper/still/DB_CONFIG']);
  assert.equal(walk(tree.dir, 'B/*', true).files, ['B/DB_CONFIG', 'B/linked'], 'a symlink to a file is kept, one to a directory is not entered');
  assert.equal(walk(tree.dir, '*/DB_CONFIG', true).files.slice(0, 3), ['B/DB_CONFIG', 'a b/DB_CONFIG', 'site-1/DB_CONFIG'], 'in code unit order');
});

test('a glob lists exactly the directories whose names match it, to its depth, and every one below a **', () => {
  const all = directoriesBelow(tree.dir);
  assert.ok(all.length > 400, `${all.length} directories`);
  for (const glob of GLOBS) {
    const expected = 1 + all.filter((d) => mustEnter(glob, d)).length;
    assert.is(walk(tree.dir, glob, true).listed, expected, glob);
  }
  // The large tree below site-3/data: a glob of two names lists the root and the sites, nothing below.
  assert.is(walk(tree.dir, '*/DB_CONFIG', true).listed, 1 + fs.readdirSync(tree.dir, { withFileTypes: true }).filter((e) => e.isDirectory() && e.name !== 'node_modules').length);
  assert.ok(walk(tree.dir, '*/DB_CONFIG', false).listed > 400, 'the whole tree');
  assert.is(walk(tree.dir, 'site-3/data/d?/e7/*', true).listed, 1 + 1 + 1 + 10 + 10, 'site-3/, data/, d0..d9/, and e7/ in each');
});

test('a glob never lists a directory it cannot enter, so one that cannot be listed there is no error', () => {
  const t = tempDir('provision-walk-unlistable-');
  try {
    const data = path.join(t.dir, 'site-1', 'data');
    const config = path.join(t.dir, 'site-1', 'DB_CONFIG');
    fs.mkdirSync(data, { recursive: true });
    fs.writeFileSync(config, '');
    // site-1/data/ goes away after site-1/ is listed, before a walk would list it (ENOENT).
    const pruned = walker.begin(t.dir, null, globToRegExp('*/DB_CONFIG').source, globDirectories('*/DB_CONFIG').source);
    assert.is(walker.next(pruned), config);
    fs.rmSync(data, { recursive: true });
    assert.is(walker.next(pruned), undefined, 'never stacked, never listed');
    assert.is(pruned.listed, 2);
    fs.mkdirSync(data);
    const whole = walker.begin(t.dir, null, globToRegExp('*/DB_CONFIG').source, null);
    assert.is(walker.next(whole), config);
    fs.rmSync(data, { recursive: true });
    assert.throws(() => walker.next(whole), /^cannot read directory .*site-1\/data: ENOENT$/, 'a walk of the whole tree lists it');
  } finally {
    t.cleanup();
  }
});

test('a walk state is plain data: a copy, as the reader thread gets it, goes on the same', () => {
  for (const glob of ['*/DB_CONFIG', '**/DB_CONFIG', 'site-3/data/d?/e7/*']) {
    const expected = walk(tree.dir, glob, true);
    const state = walker.begin(tree.dir, null, globToRegExp(glob).source, globDirectories(glob).source);
    const first = [path.relative(tree.dir, walker.next(state)!)];
    const copy = structuredClone(state);
    assert.equal([...first, ...drain(copy, tree.dir)], expected.files, glob);
    assert.is(copy.listed, expected.listed, glob);
  }
});

test.run();
