/**
 * lint's inputs: the walk and read in this thread, and the same walk handed to
 * the reader thread, against the way lint resolved every argument, then read
 * every file, before (kept below as the reference): the same files, bytes and
 * region files in the same order, and the same errors.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CliError } from '../../src/cli/errors.js';
import { ioReason } from '../../src/io-reason.js';
import { readInputs, type LintInput, type ReadInputsOptions } from '../../src/cli/files.js';
import { main } from '../../src/cli/main.js';
import { estimateEntries, lintsLargeTree, SLOTS, startReader } from '../../src/cli/reader-start.js';
import { ReaderThread, type ReadFile } from '../../src/cli/reader-thread.js';
import { createWalker } from '../../src/cli/walk.js';
import { prng, ROOT, tempDir } from '../helpers.js';

const test = suite('read-inputs');

interface Outcome {
  readonly files: { file: string; bytes?: string; nearby?: readonly string[] }[];
  readonly error?: { message: string; exitCode?: number; cli: boolean };
}

const dirOf = (file: string) => path.dirname(file);
/** What a walk reports of a directory for lint (Walker.nearby): region files, and every entry that is not a regular file, sorted. */
const nearbyIn = (entries: fs.Dirent[]) => entries.filter((e) => !e.isFile() || /^__db\.\d{3}$/.test(e.name)).map((e) => e.name).sort();
const nearbyOf = (dir: string) => {
  try {
    return nearbyIn(fs.readdirSync(dir, { withFileTypes: true }));
  } catch {
    return [];
  }
};

/** What lint did before: resolve every argument (walking directories), then read every file. */
function reference(args: readonly string[], cwd: string): Outcome {
  const seen = new Map<string, string[]>();
  const SKIP = new Set(['node_modules', '.git', '.hg', '.svn']);
  const globToRegExp = (glob: string): RegExp => {
    let re = '';
    for (let i = 0; i < glob.length; i++) {
      const c = glob[i]!;
      if (c === '*' && glob[i + 1] === '*') {
        re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
        i += glob[i + 2] === '/' ? 2 : 1;
      } else if (c === '*') re += '[^/]*';
      else if (c === '?') re += '[^/]';
      else if (c === '[') {
        const end = glob.indexOf(']', i);
        if (end === -1) re += '\\[';
        else {
          re += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
          i = end;
        }
      } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
    }
    return new RegExp(`^${re}$`);
  };
  const isGlob = (p: string) => /[*?[]/.test(p);
  // A symlink is kept when it leads to a regular file, or nowhere (reading it fails).
  const leadsToFile = (file: string) => fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? true;
  const walk = (dir: string, keep: (rel: string) => boolean, rel = ''): string[] => {
    const found: string[] = [];
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch (error) {
      throw new CliError(`cannot read directory ${path.join(dir, rel)}: ${ioReason(error)}`, 2);
    }
    seen.set(path.join(dir, rel), nearbyIn(entries));
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP.has(e.name)) found.push(...walk(dir, keep, child));
      } else if ((e.isFile() || (e.isSymbolicLink() && leadsToFile(path.join(dir, child)))) && keep(child)) found.push(path.join(dir, child));
    }
    return found;
  };
  const files: string[] = [];
  try {
    for (const arg of args) {
      if (arg === '-') {
        files.push('-');
        continue;
      }
      const abs = path.resolve(cwd, arg);
      if (!isGlob(arg) || fs.existsSync(abs)) {
        let stat: fs.Stats;
        try {
          stat = fs.statSync(abs);
        } catch {
          throw new CliError(`no such file or directory: ${arg}`, 2);
        }
        if (stat.isDirectory()) {
          const found = walk(abs, (rel) => path.posix.basename(rel) === 'DB_CONFIG');
          if (found.length === 0) throw new CliError(`no file named DB_CONFIG in ${arg} or below it`, 2);
          files.push(...found);
        } else files.push(abs);
        continue;
      }
      const parts = arg.replace(/\\/g, '/').split('/');
      const literal: string[] = [];
      while (parts.length > 1 && !isGlob(parts[0]!)) literal.push(parts.shift()!);
      const base = path.resolve(cwd, literal.join('/') || '.');
      const re = globToRegExp(parts.join('/'));
      const found = fs.existsSync(base) ? walk(base, (rel) => re.test(rel)) : [];
      if (found.length === 0) throw new CliError(`no files match ${arg}`, 2);
      files.push(...found);
    }
    const out: Outcome['files'] = [];
    for (const file of new Set(files)) {
      if (file === '-') {
        out.push({ file });
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(file);
      } catch (error) {
        throw new CliError(`cannot read ${file}: ${ioReason(error)}`, 2);
      }
      out.push({ file, bytes: bytes.toString('latin1'), nearby: seen.get(dirOf(file)) ?? nearbyOf(dirOf(file)) });
    }
    return { files: out };
  } catch (error) {
    return { files: [], error: describe(error) };
  }
}

function describe(error: unknown): Outcome['error'] {
  return error instanceof CliError ? { message: error.message, exitCode: error.exitCode, cli: true } : { message: String(error), cli: false };
}

interface Run extends Outcome {
  /** The walk's counts when it went to the reader thread, if it did. */
  readonly handedOff?: { listed: number; found: number };
}

/** readInputs one file at a time (it yields batches; none is empty). */
function* inputsOf(args: readonly string[], cwd: string, options: ReadInputsOptions): Generator<LintInput> {
  for (const batch of readInputs(args, cwd, options)) {
    assert.ok(batch.length > 0, 'an empty batch');
    yield* batch;
  }
}

/** readInputs, with region files as lint uses them (a file given by name has its directory listed). */
function run(args: readonly string[], cwd: string, options: ReadInputsOptions = {}): Run {
  let handedOff: { listed: number; found: number } | undefined;
  const files: Outcome['files'] = [];
  try {
    for (const input of inputsOf(args, cwd, { ...options, onHandOff: (walked, reader) => ((handedOff = walked), options.onHandOff?.(walked, reader)) })) {
      if (input.file === '-') files.push({ file: input.file });
      else files.push({ file: input.file, bytes: input.bytes!.toString('latin1'), nearby: input.nearby ?? nearbyOf(dirOf(input.file)) });
      // The reader thread's files come decoded too (a slice of their batch's text): the same bytes.
      if (input.source !== undefined && input.source !== input.bytes!.toString('latin1')) throw new Error(`${input.file}: the decoded text is not the bytes`);
    }
    return { files, ...(handedOff ? { handedOff } : {}) };
  } catch (error) {
    return { files: [], error: describe(error), ...(handedOff ? { handedOff } : {}) };
  }
}

/** In this thread only; and handed to the reader after `after` entries (it is waited for, so it always takes over). */
const inThread: ReadInputsOptions = { threshold: Infinity };
const threaded = (after: number): ReadInputsOptions => ({ threshold: after, waitForReader: true });

/** Check readInputs against the reference in this thread and handed to the reader after each of `handOffs` entries. */
function assertSame(args: readonly string[], cwd: string, handOffs: number[], what: string, walks = true): Outcome {
  const expected = reference(args, cwd);
  const here = run(args, cwd, inThread);
  assert.equal(here.handedOff, undefined, `${what}: no reader thread with threshold Infinity`);
  assert.equal(here.error, expected.error, `${what}: in this thread, error`);
  assert.equal(here.files, expected.error ? [] : expected.files, `${what}: in this thread`);
  for (const after of handOffs) {
    const there = run(args, cwd, threaded(after));
    assert.is(there.handedOff !== undefined, walks, `${what}: handed to the reader after ${after}`);
    assert.equal(there.error, expected.error, `${what}: reader thread after ${after}, error`);
    assert.equal(there.files, expected.error ? [] : expected.files, `${what}: reader thread after ${after}`);
  }
  return expected;
}

/**
 * A tree of `groups` x `sites` environments, with what a walk must skip or not follow:
 * node_modules and .git, a symlink to a directory, files not named DB_CONFIG; a
 * DB_CONFIG that is a symlink to a file; region files and names that sort by code unit.
 */
function makeTree(root: string, groups: number, sites: number, seed = 7): void {
  const random = prng(seed);
  const text = () => {
    const lines: string[] = [];
    for (let n = Math.floor(random() * 8); n > 0; n--) lines.push(`set_cachesize 0 ${Math.floor(random() * 1e6)} 1`);
    return lines.join(random() < 0.2 ? '\r\n' : '\n');
  };
  for (let g = 0; g < groups; g++) {
    for (let s = 0; s < sites; s++) {
      const dir = path.join(root, `group-${String(g).padStart(3, '0')}`, `site-${String(s).padStart(3, '0')}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'DB_CONFIG'), text());
      if (random() < 0.05) for (const region of ['__db.001', '__db.002', '__db.rep.gen', '__dbq.q.0']) fs.writeFileSync(path.join(dir, region), '');
      if (random() < 0.05) fs.writeFileSync(path.join(dir, 'DB_CONFIG.bak'), 'old');
    }
  }
  const odd = path.join(root, 'group-001');
  // Node lists a directory in byte order of the UTF-8 names; lint sorts by UTF-16 code unit, which puts
  // U+1F600 (a surrogate pair) before U+FF21 where UTF-8 puts it after.
  for (const name of ['B', 'a', 'Z', '_x', 'é', 'a b', 'a.b', 'a-b', '\uFF21', '\u{1F600}']) {
    fs.mkdirSync(path.join(odd, name, 'deeper', 'still'), { recursive: true });
    fs.writeFileSync(path.join(odd, name, 'DB_CONFIG'), `# ${name}\n`);
    fs.writeFileSync(path.join(odd, name, 'deeper', 'still', 'DB_CONFIG'), `# ${name} deep\n`);
  }
  fs.mkdirSync(path.join(odd, 'a', '__db.003'));
  fs.writeFileSync(path.join(odd, 'a', '__db.004'), '');
  fs.writeFileSync(path.join(odd, 'a', 'deeper', 'DB_CONFIG'), Buffer.alloc(1_500_000, 'x'));
  fs.writeFileSync(path.join(odd, 'a', 'deeper', 'still', '__db.001'), '');
  fs.writeFileSync(path.join(odd, 'B', 'DB_CONFIG'), '');
  for (const skipped of ['node_modules/pkg', '.git', 'group-002/.svn', 'group-002/site-000/.hg']) {
    fs.mkdirSync(path.join(root, skipped), { recursive: true });
    fs.writeFileSync(path.join(root, skipped, 'DB_CONFIG'), 'skipped\n');
  }
  fs.mkdirSync(path.join(root, 'elsewhere'));
  fs.writeFileSync(path.join(root, 'elsewhere', 'real.conf'), 'set_cachesize 0 1 1\n');
  fs.symlinkSync(path.join(root, 'group-000'), path.join(root, 'group-000-link'));
  fs.mkdirSync(path.join(root, 'group-003', 'linked'), { recursive: true });
  fs.symlinkSync(path.join(root, 'elsewhere', 'real.conf'), path.join(root, 'group-003', 'linked', 'DB_CONFIG'));
}

/** A directory whose path is longer than the system allows, so listing it fails (even for root). */
function makeTooDeep(parent: string): void {
  let dir = parent;
  const chain: string[] = [];
  for (let i = 0; i < 20; i++) {
    dir = path.join(dir, 'd');
    chain.push(dir);
  }
  fs.mkdirSync(dir, { recursive: true });
  // Rename from the deepest up, so every rename still names a short path.
  for (const d of chain.reverse()) fs.renameSync(d, path.join(path.dirname(d), 'd'.repeat(250)));
}

/** `rm -rf`: fs.rmSync cannot remove a path longer than the system allows. */
const removeAll = (dir: string) => execFileSync('rm', ['-rf', dir]);

let big: { dir: string; cleanup: () => void };
test.before(() => {
  big = tempDir('provision-read-');
  makeTree(big.dir, 12, 60);
});
test.after(() => big.cleanup());

test('the fixtures: the same files, bytes and region files in this thread and in the reader thread', () => {
  const expected = assertSame(['fixtures'], ROOT, [0, 5, 20], 'fixtures/');
  assert.ok(expected.files.length >= 10, `${expected.files.length} files`);
  assertSame(['fixtures/bdb-corpus/*.DB_CONFIG', 'fixtures/vendor/*'], ROOT, [0, 100], 'globs over the fixtures');
});

test('a tree larger than the threshold: order, skipped directories, symlinks, region files', () => {
  const expected = assertSame(['.'], big.dir, [0, 1, 300, 1000], 'the tree');
  const files = expected.files.map((f) => path.relative(big.dir, f.file));
  assert.ok(files.length > 720, `${files.length} files`);
  assert.ok(files.includes('group-003/linked/DB_CONFIG'), 'a DB_CONFIG that links to a file is read');
  assert.ok(!files.some((f) => /node_modules|\.git|\.svn|\.hg|-link/.test(f)), 'skipped directories and linked directories');
  const odd = files.filter((f) => f.startsWith('group-001/') && !f.startsWith('group-001/site-'));
  const sorted = ['B', 'Z', '_x', 'a', 'a b', 'a-b', 'a.b', 'é', '\u{1F600}', '\uFF21'].flatMap((d) => [`${d}/DB_CONFIG`, ...(d === 'a' ? ['a/deeper/DB_CONFIG'] : []), `${d}/deeper/still/DB_CONFIG`]);
  assert.equal(odd, sorted.map((f) => `group-001/${f}`), 'sorted by UTF-16 code unit, a directory before its later siblings');
  assert.ok(files.indexOf('group-001/a.b/deeper/still/DB_CONFIG') < files.indexOf('group-001/site-000/DB_CONFIG'));
  assert.ok(files.indexOf('group-001/site-059/DB_CONFIG') < files.indexOf('group-001/é/DB_CONFIG'));
  const a = expected.files.find((f) => f.file === path.join(big.dir, 'group-001', 'a', 'DB_CONFIG'))!;
  assert.equal(a.nearby, ['__db.003', '__db.004', 'deeper'], 'a directory named like a region file counts, as before, and every directory');
  assert.is(expected.files.find((f) => f.file.endsWith(path.join('a', 'deeper', 'DB_CONFIG')))!.bytes!.length, 1_500_000);
});

test('the reader thread takes the times of a file and of the region files beside it, as lint would read them', () => {
  let beside = 0;
  for (const [options, reader] of [[inThread, false], [threaded(0), true]] as const) {
    for (const input of inputsOf(['.'], big.dir, options)) {
      const regions = (input.nearby ?? []).filter((n) => /^__db\.\d{3}$/.test(n));
      if (!reader || regions.length === 0) {
        assert.ok(input.times == null, `${input.file}: no times`);
        continue;
      }
      beside++;
      const dir = path.dirname(input.file);
      assert.equal(input.times, [fs.statSync(input.file).mtimeMs, ...regions.map((n) => fs.statSync(path.join(dir, n)).mtimeMs)], input.file);
    }
  }
  assert.ok(beside >= 10, `${beside} files beside region files`);
});

test('the reader\'s times stay with their files: after one it cannot open, and none for a file lint judges no environment for', () => {
  const t = tempDir('provision-read-times-');
  const reader = ReaderThread.start()!;
  try {
    for (const d of ['a', 'b', 'c', 'd']) fs.mkdirSync(path.join(t.dir, d));
    fs.symlinkSync(path.join(t.dir, 'nowhere'), path.join(t.dir, 'a', 'DB_CONFIG'));
    for (const f of ['b/DB_CONFIG', 'b/__db.001', 'b/__db.002', 'c/DB_CONFIG', 'd/site.conf', 'd/__db.001']) fs.writeFileSync(path.join(t.dir, f), f);
    fs.utimesSync(path.join(t.dir, 'b', '__db.002'), 1000, 1000);
    reader.waitUntilReady();
    const walker = createWalker(fs, path, (message, cause) => new Error(message, { cause }));
    const files: ReadFile[] = [];
    for (const batch of reader.walk(walker.begin(t.dir, null, '^[^/]+/(?:DB_CONFIG|site\\.conf)$'))) files.push(...batch);
    const by = (rel: string) => files.find((f) => f.file === path.join(t.dir, rel))!;
    assert.equal(files.map((f) => path.relative(t.dir, f.file)), ['a/DB_CONFIG', 'b/DB_CONFIG', 'c/DB_CONFIG', 'd/site.conf']);
    assert.is(by('a/DB_CONFIG').failure?.message, `cannot read ${path.join(t.dir, 'a', 'DB_CONFIG')}: no such file or directory`, 'a DB_CONFIG that leads nowhere cannot be read');
    assert.ok(by('a/DB_CONFIG').times == null);
    const stat = (rel: string) => fs.statSync(path.join(t.dir, rel)).mtimeMs;
    assert.equal(by('b/DB_CONFIG').times, [stat('b/DB_CONFIG'), stat('b/__db.001'), 1_000_000]);
    assert.ok(by('c/DB_CONFIG').times == null, 'no region files');
    assert.ok(by('d/site.conf').times == null, 'not a DB_CONFIG: lint judges no environment for it');
  } finally {
    reader.close();
    t.cleanup();
  }
});

test('the default threshold: the same result whether or not the reader takes over in time', () => {
  const expected = reference(['.'], big.dir);
  for (let i = 0; i < 3; i++) assert.equal(run(['.'], big.dir, { threshold: 50 }).files, expected.files);
  assert.equal(run(['.'], big.dir).files, expected.files);
});

test('globs, and arguments naming the same file twice, in this thread and in the reader thread', () => {
  assertSame(['**/DB_CONFIG'], big.dir, [0, 200], '**/DB_CONFIG');
  assertSame(['group-00[0-2]/site-0?5/DB_CONFIG', 'group-001/*/DB_CONFIG'], big.dir, [0, 3], 'two globs');
  assertSame(['group-001/*/deeper/**'], big.dir, [0], 'a glob ending in **');
  // Each element, at the start, middle and end; a walk enters only the directories a match could lie in.
  for (const glob of ['*/site-01?/DB_CONFIG', 'group-00?/site-0[0-2]5/*', 'group-001/[!s]*/DB_CONFIG', 'group-001/[a-z]*/deeper/still/DB_CONFIG',
    '**/still/DB_CONFIG', 'group-001/**/still/*', 'group-00[13]/**', 'group-0*/**/DB_CONFIG.bak', '*/*/*', '*/linked/DB_CONFIG']) {
    assert.ok(assertSame([glob], big.dir, [0, 3], glob).files.length > 0, glob);
  }
  // A class is one character of a name: [!s] finds group-001/a/deeper/still/DB_CONFIG (one file, all in the
  // reader thread), and never stands for the / of a/deeper.
  const oneChar = assertSame(['group-001/[!s]/deeper/still/DB_CONFIG'], big.dir, [0], '[!s]').files.map((f) => path.relative(big.dir, f.file));
  assert.ok(oneChar.includes(path.join('group-001', 'a', 'deeper', 'still', 'DB_CONFIG')), oneChar.join());
  assert.ok(oneChar.every((f) => /^group-001\/[^s\/]\/deeper\/still\/DB_CONFIG$/.test(f)), oneChar.join());
  assert.match(run(['group-001/a[!x]deeper/still/DB_CONFIG'], big.dir).error?.message ?? '', /no files match/);
  const twice = assertSame(['group-002', 'group-002/site-001/DB_CONFIG', '.', 'group-002', '**/site-001/DB_CONFIG'], big.dir, [0, 40, 700], 'the same files again');
  const names = twice.files.map((f) => f.file);
  assert.is(new Set(names).size, names.length, 'each file once');
  assert.is(names[0], path.join(big.dir, 'group-002', 'site-000', 'DB_CONFIG'));
  assertSame(['group-000/site-000/DB_CONFIG', '-', 'group-000'], big.dir, [0], 'stdin among files');
});

test('errors: the same one-line message, exit 2, in this thread and in the reader thread, wherever they are in the walk', () => {
  const t = tempDir('provision-read-errors-');
  const deep = tempDir('provision-read-deep-');
  try {
    makeTree(t.dir, 3, 40);
    // The broken things sort last, so the reader thread is the one to meet them.
    const last = path.join(t.dir, 'zz');
    fs.mkdirSync(path.join(last, 'empty', 'deeper'), { recursive: true });
    fs.mkdirSync(path.join(last, 'linked-dir'));
    fs.symlinkSync(path.join(t.dir, 'group-000'), path.join(last, 'linked-dir', 'DB_CONFIG'));
    fs.mkdirSync(path.join(last, 'dangling'));
    fs.symlinkSync(path.join(t.dir, 'nowhere'), path.join(last, 'dangling', 'DB_CONFIG'));
    const long = path.join(deep.dir, 'long');
    makeTooDeep(long);

    const cases: [string[], RegExp, boolean][] = [
      [['zz/linked-dir'], /^no file named DB_CONFIG in zz\/linked-dir or below it$/, true],
      [['zz/dangling'], /^cannot read \/.*\/zz\/dangling\/DB_CONFIG: no such file or directory$/, true],
      [['zz/empty'], /^no file named DB_CONFIG in zz\/empty or below it$/, true],
      [['nope'], /^no such file or directory: nope$/, false],
      [[long], /^cannot read directory \/.*\/long\/d+(\/d+)+: the name is too long$/, true],
      [['zz/nothing-*'], /^no files match zz\/nothing-\*$/, true],
    ];
    for (const [args, message, walks] of cases) {
      const expected = assertSame(args, t.dir, [0], args.join(' '), walks);
      assert.match(expected.error?.message ?? '', message);
      assert.is(expected.error?.exitCode, 2);
    }
    // The same, met by the reader thread deep into a walk of the whole tree: the first file that cannot be read.
    assert.match(assertSame(['.'], t.dir, [0, 50], 'the whole tree').error!.message, /zz\/dangling\/DB_CONFIG: no such file or directory$/);
    assert.match(assertSame(['zz/linked-dir', '.'], t.dir, [0], 'linked-dir first').error!.message, /^no file named DB_CONFIG in zz\/linked-dir or below it$/);
    // An argument that cannot be resolved comes before a file that cannot be read, whatever their order.
    assert.match(assertSame(['.', 'nope'], t.dir, [0, 50], 'unreadable, then missing').error!.message, /^no such file or directory: nope$/);
    assert.match(assertSame(['zz/dangling', 'zz/empty'], t.dir, [0], 'unreadable, then nothing to lint').error!.message, /^no file named DB_CONFIG in zz\/empty/);
    assert.match(assertSame(['zz/dangling', long], t.dir, [0], 'an unreadable file, then an unreadable directory').error!.message, /the name is too long$/);
    // A dangling symlink named as an argument is a path that does not exist.
    assert.match(assertSame(['zz/dangling/DB_CONFIG'], t.dir, [0], 'a dangling symlink named', false).error!.message, /^no such file or directory: zz\/dangling\/DB_CONFIG$/);
    if (fs.existsSync('/proc/self/mem')) {
      // A file named as an argument that cannot be read (EIO: even root cannot read it this way).
      assert.match(assertSame(['/proc/self/mem'], t.dir, [], 'an unreadable file named').error!.message, /^cannot read \/proc\/self\/mem: an input\/output error$/);
      assert.match(assertSame(['/proc/self/mem', 'zz/empty'], t.dir, [0], 'an unreadable file named, then nothing to lint').error!.message, /^no file named DB_CONFIG in zz\/empty/);
    }
    // A file that cannot be read, named twice: read once, so reported once, as the first.
    assert.match(assertSame(['zz/dangling', 'zz/empty', 'zz/dangling'], t.dir, [0], 'unreadable, twice').error!.message, /^no file named DB_CONFIG in zz\/empty/);
    assert.match(assertSame(['zz/dangling', '.', 'zz/dangling'], t.dir, [0, 50], 'two unreadable').error!.message, /zz\/dangling\/DB_CONFIG: no such file or directory$/);
    // A directory that cannot be listed, last in the walk, after files that cannot be read.
    fs.renameSync(long, path.join(last, 'long'));
    assert.match(assertSame(['.'], t.dir, [0, 50], 'a directory too deep to list, last').error!.message, /the name is too long$/);
  } finally {
    removeAll(t.dir);
    removeAll(deep.dir);
  }
});

test('a glob lists only the directories a match could lie in: one it cannot reach that cannot be listed is no error', async () => {
  const t = tempDir('provision-read-pruned-');
  try {
    makeTree(t.dir, 3, 40);
    const globs = [['group-00?/site-0[0-3]?/DB_CONFIG'], ['*/a/*'], ['group-001/*/DB_CONFIG', 'group-00[!1]/site-00?/DB_CONFIG'], ['group-001/*/*/*/DB_CONFIG']];
    const before = globs.map((args) => assertSame(args, t.dir, [0, 5], args.join(' ')));
    const bin = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'provision.js'), 'lint', ...args, '--format', 'json'], { cwd: t.dir, encoding: 'utf8', timeout: 20_000 });
    const binBefore = bin(globs[0]!);
    // Below group-001/a/long/: a directory too deep to list, far below what the globs above reach.
    makeTooDeep(path.join(t.dir, 'group-001', 'a', 'long'));
    for (const [i, args] of globs.entries()) {
      assert.match(reference(args, t.dir).error?.message ?? '', /the name is too long$/, `${args.join(' ')}: walking the whole tree below the prefix fails`);
      for (const options of [inThread, threaded(0), threaded(5)]) {
        const now = run(args, t.dir, options);
        assert.is(now.error, undefined, `${args.join(' ')} (threshold ${options.threshold})`);
        // The same files and bytes; what their directories hold is what they hold now (group-001/a has long/).
        const expected = before[i]!.files.map((f) => ({ ...f, nearby: nearbyOf(dirOf(f.file)) }));
        assert.equal(now.files, expected, `${args.join(' ')} (threshold ${options.threshold})`);
        assert.is(now.handedOff !== undefined, options.threshold !== Infinity, 'the reader thread walks on with the same directories');
      }
    }
    const binAfter = bin(globs[0]!);
    assert.equal([binAfter.status, binAfter.stderr, binAfter.stdout], [binBefore.status, binBefore.stderr, binBefore.stdout], 'the bin: the same report');
    assert.is(binAfter.stderr, '');
    // A glob that can reach it lists it, and fails there as before, in both threads.
    assert.match(assertSame(['group-001/**/DB_CONFIG'], t.dir, [0, 5], 'a ** reaching it').error?.message ?? '', /^cannot read directory \/.*\/long\/d+(\/d+)+: the name is too long$/);
  } finally {
    removeAll(t.dir);
  }
});

test('a walk skips a DB_CONFIG that is a symlink to a FIFO, a device or a directory, as it skips those themselves', () => {
  const t = tempDir('provision-read-special-');
  try {
    makeTree(t.dir, 3, 40);
    const last = path.join(t.dir, 'zz');
    for (const d of ['fifo', 'link-to-fifo', 'link-to-zero', 'link-to-dir', 'dir', 'kept']) fs.mkdirSync(path.join(last, d), { recursive: true });
    execFileSync('mkfifo', [path.join(last, 'fifo', 'DB_CONFIG')]);
    execFileSync('mkfifo', [path.join(last, 'pipe')]);
    fs.symlinkSync('../pipe', path.join(last, 'link-to-fifo', 'DB_CONFIG'));
    fs.symlinkSync('/dev/zero', path.join(last, 'link-to-zero', 'DB_CONFIG'));
    fs.symlinkSync(path.join(t.dir, 'group-000'), path.join(last, 'link-to-dir', 'DB_CONFIG'));
    fs.mkdirSync(path.join(last, 'dir', 'DB_CONFIG'));
    fs.writeFileSync(path.join(last, 'kept', 'real'), 'set_cachesize 0 2 1\n');
    fs.symlinkSync('real', path.join(last, 'kept', 'DB_CONFIG'));
    // A symlink to a symlink to a FIFO: stat follows the whole chain.
    fs.symlinkSync('../link-to-fifo/DB_CONFIG', path.join(last, 'dir', 'chain'));

    const whole = assertSame(['.'], t.dir, [0, 50], 'the whole tree');
    const files = whole.files.map((f) => path.relative(t.dir, f.file)).filter((f) => f.startsWith('zz/'));
    assert.equal(files, ['zz/kept/DB_CONFIG'], 'only the symlink to a regular file is kept');
    assert.is(whole.files.at(-1)!.bytes, 'set_cachesize 0 2 1\n');
    for (const special of ['fifo', 'link-to-fifo', 'link-to-zero', 'link-to-dir', 'dir']) {
      const alone = assertSame([`zz/${special}`], t.dir, [0], special);
      assert.is(alone.error?.message, `no file named DB_CONFIG in zz/${special} or below it`, special);
      assert.is(alone.error?.exitCode, 2);
    }
    const globbed = assertSame(['zz/*/*'], t.dir, [0], 'a glob');
    assert.equal(globbed.files.map((f) => path.relative(t.dir, f.file)), ['zz/kept/DB_CONFIG', 'zz/kept/real']);
    assert.is(assertSame(['zz/dir/chain*'], t.dir, [0], 'a chain of symlinks to a FIFO').error?.message, 'no files match zz/dir/chain*');

    // The bin ends, and says the same, in this thread and with the reader thread.
    for (const args of [['zz/link-to-fifo'], ['zz/link-to-zero'], ['zz/link-to-dir']]) {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'provision.js'), 'lint', ...args], { cwd: t.dir, encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
      assert.is(r.status, 2, `${args.join(' ')}: ${r.signal ?? ''} ${r.stderr}`);
      assert.is(r.stderr, `provision: no file named DB_CONFIG in ${args[0]} or below it\n`);
    }
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'provision.js'), 'lint', '.', '--format', 'json'], { cwd: t.dir, encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL', maxBuffer: 64 << 20 });
    assert.is(r.signal, null, 'the whole tree: the process ends');
    assert.is(r.stderr, '');
    assert.is((JSON.parse(r.stdout) as unknown[]).length, whole.files.length);
  } finally {
    t.cleanup();
  }
});

/** The threads of this process (Linux). */
const threads = () => fs.readdirSync('/proc/self/task').length;

function waitForThreads(count: number): number {
  const until = Date.now() + 5000;
  while (threads() > count && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  return threads();
}

test('a reader thread that dies is a one-line error, exit 2, not a hang', () => {
  const before = threads();
  const started = Date.now();
  const died = run(['.'], big.dir, { ...threaded(5), onHandOff: (_walked, reader) => reader.close() });
  assert.ok(died.handedOff);
  assert.equal(died.error, { message: 'cannot read the files to lint: the thread reading them stopped unexpectedly', exitCode: 2, cli: true });
  assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
  assert.is(waitForThreads(before), before, 'no thread left');
});

test('no thread is left running when the caller stops early or throws', () => {
  const before = threads();
  let n = 0;
  for (const _input of inputsOf(['.'], big.dir, threaded(0))) if (++n === 50) break;
  assert.is(n, 50);
  assert.is(waitForThreads(before), before, 'after a break');
  assert.throws(() => {
    for (const input of inputsOf(['.'], big.dir, threaded(0))) if (input.file.includes('group-005')) throw new Error('linting failed');
  }, /linting failed/);
  assert.is(waitForThreads(before), before, 'after a throw');
  for (const _input of inputsOf(['.'], big.dir, threaded(0))) n++;
  assert.is(waitForThreads(before), before, 'after the end');
});

test('files of every size, empty to larger than a batch, read whole in either thread', () => {
  const t = tempDir('provision-read-sizes-');
  try {
    makeTree(t.dir, 2, 30, 5);
    const random = prng(9);
    const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
    // Empty, around the reader's first 64 KB, and over the 1 MB at which it sends a batch on.
    const sizes = [0, 65_535, 65_536, 65_537, 200_000, 1_500_000, 3];
    sizes.forEach((n, i) => fs.writeFileSync(path.join(t.dir, 'group-000', `site-${String(i * 4).padStart(3, '0')}`, 'DB_CONFIG'), bytes(n)));
    assertSame(['.'], t.dir, [0, 10], 'sizes');
  } finally {
    t.cleanup();
  }
});

test('a reader started before the walk takes it over at once, however small, and is stopped used or not', () => {
  const before = threads();
  const expected = reference(['.'], big.dir);
  const used = run(['.'], big.dir, { reader: startReader(), waitForReader: true });
  assert.equal(used.handedOff, { listed: 0, found: 0 }, 'handed over before this thread listed anything (the threshold is for a thread not yet started)');
  assert.equal(used.files, expected.files);
  assert.is(waitForThreads(before), before, 'stopped after the walk');
  // A small walk: still handed over, with the same result.
  const small = path.join(big.dir, 'group-001');
  const few = run(['.'], small, { reader: startReader(), waitForReader: true });
  assert.ok(few.handedOff);
  assert.equal(few.files, reference(['.'], small).files);
  // No walk (a file by name), and an error before any walk: the thread stops all the same.
  const file = expected.files[0]!.file;
  assert.equal(run([file], big.dir, { reader: startReader(), waitForReader: true }).files.map((f) => f.file), [file]);
  assert.is(run(['no-such-dir'], big.dir, { reader: startReader() }).error?.exitCode, 2);
  assert.is(waitForThreads(before), before, 'no thread left');
});

test('the command line hands lint its reader, and says when lint hands it the walk', async () => {
  const before = threads();
  const out: string[] = [];
  const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => out.push(s) }, cwd: big.dir, env: {}, stdin: process.stdin };
  const reader = startReader()!;
  // Ready before lint begins, so that lint's first look hands the walk over.
  const until = Date.now() + 10_000;
  while (Atomics.load(reader.shared, SLOTS.state) !== SLOTS.READY && Date.now() < until) Atomics.wait(reader.shared, SLOTS.state, SLOTS.STARTING, 10);
  let handOffs = 0;
  const code = await main(['lint', '.', '--format', 'json'], io as never, { reader, onHandOff: () => handOffs++ });
  assert.is(code, 1, 'the generated files repeat set_cachesize');
  assert.is(handOffs, 1);
  assert.is((JSON.parse(out.join('')) as unknown[]).length, reference(['.'], big.dir).files.length);
  assert.is(waitForThreads(before), before, 'no thread left');
});

test('the command line stops a reader it was handed and did not use', async () => {
  const before = threads();
  const out: string[] = [];
  const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => out.push(s) }, cwd: big.dir, env: {}, stdin: process.stdin };
  // An option lint's own parser refuses first: the error comes before any walk.
  const code = await main(['lint', '--max-warnings', 'many', '.'], io as never, { reader: startReader() });
  assert.is(code, 2, out.join(''));
  assert.is(waitForThreads(before), before, 'no thread left');
});

test('which command lines start the reader before the command line loads: lint of a large tree, on more than one processor', () => {
  const t = tempDir('provision-read-estimate-');
  try {
    makeTree(t.dir, 20, 60);
    const count = (dir: string): number => fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + 1 + (e.isDirectory() ? count(path.join(dir, e.name)) : 0), 0);
    const estimate = estimateEntries(t.dir, fs, Infinity);
    assert.ok(estimate > count(t.dir) / 2 && estimate < count(t.dir) * 2, `${estimate} entries estimated, ${count(t.dir)} in the tree`);
    assert.is(estimateEntries(path.join(t.dir, 'missing'), fs, Infinity), 0);
    assert.is(estimateEntries(t.dir, fs, 10), fs.readdirSync(t.dir).length, 'stops at enough');
    const tree = t.dir;
    const group = path.join(t.dir, 'group-000');
    const file = path.join(group, 'site-000', 'DB_CONFIG');
    assert.ok(lintsLargeTree(['lint', tree], fs, () => 2));
    assert.ok(lintsLargeTree(['lint', '--format', 'json', file, tree], fs, () => 4));
    assert.ok(lintsLargeTree(['lint', '--', tree], fs, () => 2));
    assert.not.ok(lintsLargeTree(['lint', group], fs, () => 2), 'a group of 60 sites: the walk starts the thread if it grows');
    assert.not.ok(lintsLargeTree(['lint', tree], fs, () => 1), 'one processor: lint starts no reader');
    assert.not.ok(lintsLargeTree(['lint', file], fs, () => 2));
    assert.not.ok(lintsLargeTree(['lint', path.join(t.dir, 'missing'), '-'], fs, () => 2));
    // Names stat refuses (a file on the way, too long a name) are no tree, and throw nothing: lint says why.
    assert.not.ok(lintsLargeTree(['lint', path.join(file, 'x'), 'a'.repeat(5000)], fs, () => 2));
    assert.ok(lintsLargeTree(['lint', 'a'.repeat(5000), tree], fs, () => 2));
    assert.not.ok(lintsLargeTree(['lint', tree, '--help'], fs, () => 2));
    assert.not.ok(lintsLargeTree(['check', tree], fs, () => 2));
    assert.not.ok(lintsLargeTree(['plan', 'lint', tree], fs, () => 2));
  } finally {
    t.cleanup();
  }
});

/** The bundled bin as a process, with NODE_DEBUG=provision to see the reader thread at work. */
function provisionDebug(args: readonly string[], cwd: string, prefix: string[] = []): Promise<{ status: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const command = [...prefix, process.execPath, path.join(ROOT, 'bin', 'provision.js'), ...args];
  return new Promise((resolve) => {
    execFile(command[0]!, command.slice(1), { cwd, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL', maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, NODE_DEBUG: 'provision' } }, (error, stdout, stderr) => {
      const code = (error as { code?: unknown } | null)?.code;
      resolve({ status: error === null ? 0 : typeof code === 'number' ? code : null, stdout, stderr, ms: Date.now() - started });
    });
  });
}

test('the bin on a large tree: the reader thread reads most files, the output is the same, the process ends', async () => {
  const t = tempDir('provision-read-bin-');
  try {
    makeTree(t.dir, 30, 100, 11);
    const debug = /^PROVISION \d+: .*\n/gm;
    const threadedRun = await provisionDebug(['lint', '.', '--format', 'json'], t.dir);
    // Exit 1: the generated files repeat set_cachesize.
    assert.is(threadedRun.status, 1, threadedRun.stderr);
    const read = /the reader thread read (\d+) files/.exec(threadedRun.stderr);
    assert.ok(read && Number(read[1]) > 0, `the bundled command line handed the walk over: ${threadedRun.stderr}`);
    assert.is(threadedRun.stderr.replace(debug, ''), '');
    const results = JSON.parse(threadedRun.stdout) as { filePath: string }[];
    assert.is(results.length, reference(['.'], t.dir).files.length);
    // One processor: no thread, the same output.
    const taskset = spawnSync('taskset', ['-c', '0', 'true']);
    if (taskset.status === 0) {
      const single = await provisionDebug(['lint', '.', '--format', 'json'], t.dir, ['taskset', '-c', '0']);
      assert.is(single.status, 1, single.stderr);
      assert.is(single.stderr, '', 'no reader thread on one processor');
      assert.is(single.stdout, threadedRun.stdout);
    }

    // A file the reader cannot read, late in the walk: one line, exit 2, nothing on stdout, and the process ends.
    fs.mkdirSync(path.join(t.dir, 'zz'));
    fs.symlinkSync(path.join(t.dir, 'nowhere'), path.join(t.dir, 'zz', 'DB_CONFIG'));
    const failed = await provisionDebug(['lint', '.', '--format', 'json'], t.dir);
    assert.is(failed.status, 2, failed.stderr);
    assert.is(failed.stdout, '');
    assert.ok(/the reader thread walks on/.test(failed.stderr), failed.stderr);
    assert.is(failed.stderr.replace(debug, ''), `provision: cannot read ${path.join(t.dir, 'zz', 'DB_CONFIG')}: no such file or directory\n`);
  } finally {
    t.cleanup();
  }
});

test.run();
