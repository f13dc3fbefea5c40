import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from '../helpers.js';
import { provision, type Run } from './run.js';

const EQUALS = 'rep_set_priority=1\n';
const FIXED = 'rep_set_priority 1\n';

/** Three sites whose DB_CONFIG --fix would rewrite. */
function threeSites(dir: string): void {
  for (const d of ['target', 'other1', 'other2']) {
    fs.mkdirSync(path.join(dir, d));
    fs.writeFileSync(path.join(dir, d, 'DB_CONFIG'), EQUALS);
  }
}

function usageError(r: Run, pattern: RegExp, what: string): void {
  assert.is(r.code, 2, `${what}: exit code; stderr: ${r.stderr}`);
  assert.match(r.stderr, pattern, what);
  assert.is(r.stderr.trim().split('\n').length, 1, `${what}: one line`);
  assert.not.match(r.stderr, /internal error|\n\s+at /, `${what}: no stack trace`);
}

test('lint: paths after -- are the paths, on the fast parser and on yargs (--no-quiet makes it fall back)', () => {
  for (const extra of [[], ['--no-quiet']]) {
    const t = tempDir();
    try {
      threeSites(t.dir);
      const r = provision(['lint', '--fix', ...extra, '--', 'target'], { cwd: t.dir });
      assert.is(r.code, 0, `${extra.join(' ')}: ${r.stderr}`);
      assert.is(fs.readFileSync(path.join(t.dir, 'target', 'DB_CONFIG'), 'utf8'), FIXED);
      for (const other of ['other1', 'other2']) {
        assert.is(fs.readFileSync(path.join(t.dir, other, 'DB_CONFIG'), 'utf8'), EQUALS, `${other} untouched (${extra.join(' ')})`);
      }
      usageError(provision(['lint', ...extra, '--', 'nonexist'], { cwd: t.dir }), /no such file or directory: nonexist/, `-- nonexist ${extra.join(' ')}`);
      // A path before -- and one after: both are linted.
      const both = provision(['lint', '--format', 'json', ...extra, 'other1', '--', 'other2'], { cwd: t.dir });
      const files = (JSON.parse(both.stdout) as { filePath: string }[]).map((f) => path.basename(path.dirname(f.filePath))).sort();
      assert.equal(files, ['other1', 'other2']);
    } finally {
      t.cleanup();
    }
  }
});

test('an empty value for an option is a usage error naming it, for every command; clean --env "" cleans nothing', () => {
  const t = tempDir();
  try {
    const stale = path.join(t.dir, '__db.001');
    fs.writeFileSync(stale, 'region');
    const cases: [string[], string][] = [
      [['clean', '--env', '', '--yes'], 'env'],
      [['clean', '--answers=', '--yes'], 'answers'],
      [['lint', '--config', '', 'x'], 'config'],
      [['lint', 'x', '--config'], 'config'],
      [['lint', '-c', '', 'x'], 'config'],
      [['lint', '--topology', ''], 'topology'],
      [['lint', 'x', '-f'], 'format'],
      [['lint', '-f', '--no-quiet', 'x'], 'format'],
      [['lint', '--format='], 'format'],
      [['check', '--topology', ''], 'topology'],
      [['check', '--env', ''], 'env'],
      [['backup', '--data', '', '--to', 'b'], 'data'],
      [['backup', '--data', 'a', '--to', ''], 'to'],
      [['restore', '--from', 'x', '--data', ''], 'data'],
      [['plan', 'g.ini', '--out', ''], 'out'],
      [['layout', '--root', '', '--dry-run'], 'root'],
      [['master', '--env', '', '--yes'], 'env'],
      [['replicant', '--answers', '', '--yes'], 'answers'],
      [['migrate', 'list', '--group', ''], 'group'],
    ];
    for (const [args, option] of cases) {
      usageError(provision(args, { cwd: t.dir }), new RegExp(`^provision: --${option} needs a value`), args.join(' '));
    }
    assert.ok(fs.existsSync(stale), 'clean --env "" removed nothing from the working directory');
    // --undo and --verify alone still mean "the newest" and "every snapshot".
    assert.not.match(provision(['clean', '--env', t.dir, '--undo'], { cwd: t.dir }).stderr, /needs a value/);
    assert.not.match(provision(['backup', '--to', t.dir, '--verify'], { cwd: t.dir }).stderr, /needs a value/);
  } finally {
    t.cleanup();
  }
});

test('an option that takes one value, given twice, is a usage error on both of lint\'s parsers and in other commands', () => {
  const cases: [string[], string][] = [
    [['lint', '-f', 'json', '-f', 'sarif', 'x'], 'format'],
    [['lint', '-f', 'json', '-f', 'sarif', '--no-quiet', 'x'], 'format'],
    [['lint', '--config', 'a', '--config', 'b', 'x'], 'config'],
    [['lint', '--max-warnings', '1', '--max-warnings', '2', 'x'], 'max-warnings'],
    [['clean', '--env', 'a', '--env', 'b'], 'env'],
    [['backup', '--keep', '1', '--keep', '2'], 'keep'],
    [['check', '--expect', 'running', '--expect', 'stopped'], 'expect'],
  ];
  for (const [args, option] of cases) usageError(provision(args), new RegExp(`^provision: --${option} given more than once`), args.join(' '));
});

test('a glob that is not a valid pattern is a one-line error naming it', () => {
  const t = tempDir();
  try {
    fs.mkdirSync(path.join(t.dir, 'sites'));
    for (const extra of [[], ['--no-quiet']]) {
      const r = provision(['lint', ...extra, 'sites/[z-a]/DB_CONFIG'], { cwd: t.dir });
      usageError(r, /^provision: not a valid glob: sites\/\[z-a\]\/DB_CONFIG \(range out of order/, `bad glob ${extra.join(' ')}`);
    }
  } finally {
    t.cleanup();
  }
});


test('an option name with a dot is an unknown option, not an object whose value would be shown raw', () => {
  for (const args of [['lint', '--format.x', '-'], ['lint', '--config.x', '-', 'x'], ['clean', '--env.x', 'y', '--dry-run']]) {
    const r = provision(args, { input: '' });
    assert.is(r.code, 2, args.join(' '));
    assert.match(r.stderr, /^provision: Unknown argument: (format|config|env)\.x \(see provision --help\)\n$/, args.join(' '));
    assert.not.match(r.stderr, /\0|\[object Object\]/);
  }
});

test.run();
