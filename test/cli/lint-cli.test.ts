import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, tempDir } from '../helpers.js';
import { provision } from './run.js';

const CLEAN = 'rep_set_priority 1\nrepmgr_site 10.0.0.1 5010 db_local_site on db_group_creator on\nrepmgr_site 10.0.0.2 5010\n';
const BROKEN = 'rep_set_priority 1 # master\nrep-set-config DB_REP_CONF_BULK on\n';

function site(dir: string, name: string, text: string): string {
  fs.mkdirSync(path.join(dir, name), { recursive: true });
  const file = path.join(dir, name, 'DB_CONFIG');
  fs.writeFileSync(file, text);
  return file;
}

test('--version prints the package version and loads nothing else', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const r = provision(['--version']);
  assert.is(r.code, 0);
  assert.is(r.stdout, `${pkg.version}\n`);
});

test('--version needs nothing but package.json; a full device is exit 2 with one line, a closed pipe ends quietly', () => {
  const t = tempDir();
  try {
    // A package without its built command line still tells its version.
    fs.mkdirSync(path.join(t.dir, 'bin'));
    fs.copyFileSync(path.join(ROOT, 'bin', 'provision.js'), path.join(t.dir, 'bin', 'provision.js'));
    fs.copyFileSync(path.join(ROOT, 'bin', 'package.json'), path.join(t.dir, 'bin', 'package.json'));
    fs.writeFileSync(path.join(t.dir, 'package.json'), JSON.stringify({ name: 'provision', version: '9.8.7' }));
    const bin = path.join(t.dir, 'bin', 'provision.js');
    for (const flag of ['--version', '-v']) {
      const r = spawnSync(process.execPath, [bin, flag], { encoding: 'utf8' });
      assert.equal([r.status, r.stdout, r.stderr], [0, '9.8.7\n', ''], flag);
    }
    const full = fs.openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8', stdio: ['ignore', full, 'pipe'] });
      assert.equal([r.status, r.stderr], [2, 'provision: cannot write to standard output: ENOSPC\n']);
    } finally {
      fs.closeSync(full);
    }
    // The reader has gone before the version is written (a pipe closed at once): exit 0, nothing on stderr.
    const r = spawnSync('bash', ['-c', `exec 3>&1; node ${JSON.stringify(bin)} --version 2>&3 | (exec 0<&-; sleep 0)`], { encoding: 'utf8' });
    assert.equal([r.status, r.stdout], [0, '']);
  } finally {
    t.cleanup();
  }
});

test('--version waits for a slow reader of a full non-blocking pipe: the whole version, exit 0', async () => {
  const t = tempDir();
  try {
    const fifo = path.join(t.dir, 'out');
    execFileSync('mkfifo', [fifo]);
    // Both ends non-blocking, so that this process can fill the pipe and drain it without waiting.
    const reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const writer = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    try {
      const block = Buffer.alloc(4096, 0x2e);
      let filled = 0;
      for (;;) {
        try {
          filled += fs.writeSync(writer, block);
        } catch (error) {
          assert.is((error as NodeJS.ErrnoException).code, 'EAGAIN');
          break;
        }
      }
      // A spawned child's standard output is made blocking (libuv): perl (essential on Debian) sets O_NONBLOCK
      // again and runs the command line in its place, as a sibling in a shell pipeline that set it would leave it.
      const nonBlocking = 'fcntl(STDOUT, F_SETFL, fcntl(STDOUT, F_GETFL, 0) | O_NONBLOCK) or die; exec @ARGV';
      const child = spawn('perl', ['-MFcntl', '-e', nonBlocking, process.execPath, path.join(ROOT, 'bin', 'provision.js'), '--version'], {
        stdio: ['ignore', writer, 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      // The child meets a full pipe first; then the reader drains it.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const chunks: Buffer[] = [];
      const buffer = Buffer.alloc(65536);
      const drain = () => {
        for (;;) {
          try {
            const n = fs.readSync(reader, buffer);
            if (n === 0) return;
            chunks.push(Buffer.from(buffer.subarray(0, n)));
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'EAGAIN') return;
            throw error;
          }
        }
      };
      let code: number | null | undefined;
      void exited.then((c) => (code = c));
      const deadline = Date.now() + 10_000;
      while (code === undefined && Date.now() < deadline) {
        drain();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      drain();
      const out = Buffer.concat(chunks);
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
      assert.equal([code, stderr], [0, '']);
      assert.is(out.length, filled + pkg.version.length + 1);
      assert.is(out.subarray(filled).toString(), `${pkg.version}\n`);
    } finally {
      fs.closeSync(writer);
      fs.closeSync(reader);
    }
  } finally {
    t.cleanup();
  }
});

test('--help lists the commands; lint --help shows examples and exit codes', () => {
  const top = provision(['--help']);
  assert.is(top.code, 0);
  for (const c of ['lint', 'master', 'replicant', 'demo']) assert.match(top.stdout, new RegExp(`provision ${c}`));
  const lint = provision(['lint', '--help']);
  assert.match(lint.stdout, /Examples:/);
  assert.match(lint.stdout, /Exit codes: 0 no errors, 1 errors/);
});

test('an unknown command or option is a one-line usage error, exit 2', () => {
  for (const args of [['frobnicate'], ['lint', '--nope'], []]) {
    const r = provision(args);
    assert.is(r.code, 2, args.join(' '));
    assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('a clean file exits 0 and prints nothing', () => {
  const t = tempDir();
  try {
    const r = provision(['lint', site(t.dir, 'a', CLEAN)]);
    assert.is(r.code, 0);
    assert.is(r.stdout, '');
  } finally {
    t.cleanup();
  }
});

test('errors exit 1 with file:line:col, rule IDs and a summary', () => {
  const t = tempDir();
  try {
    site(t.dir, 'a', BROKEN);
    const r = provision(['lint', '.'], { cwd: t.dir });
    assert.is(r.code, 1);
    assert.match(r.stdout, /a\/DB_CONFIG/);
    assert.match(r.stdout, /1:20\s+error\s+Comment after a directive.*inline-comment/);
    assert.match(r.stdout, /2:1\s+error\s+Unknown directive "rep-set-config"; did you mean rep_set_config\?/);
    assert.match(r.stdout, /2 problems \(2 errors, 0 warnings\)/);
  } finally {
    t.cleanup();
  }
});

test('a missing file, or a directory with no DB_CONFIG, is exit 2 with one line', () => {
  const t = tempDir();
  try {
    const missing = provision(['lint', 'nope/DB_CONFIG'], { cwd: t.dir });
    assert.is(missing.code, 2);
    assert.is(missing.stderr, 'provision: no such file or directory: nope/DB_CONFIG\n');
    const empty = provision(['lint', '.'], { cwd: t.dir });
    assert.is(empty.code, 2);
    assert.match(empty.stderr, /no file named DB_CONFIG in \. or below it/);
  } finally {
    t.cleanup();
  }
});

test('a walk that fails half way prints no report, only its one-line error (exit 2), whatever the format', () => {
  const t = tempDir();
  try {
    // Enough files for the report to be made as lint goes (and for the reader thread), broken and clean, then a
    // DB_CONFIG that cannot be read, last in the walk.
    for (let i = 0; i < 1500; i++) site(t.dir, `g${String(Math.floor(i / 100)).padStart(2, '0')}/s${String(i % 100).padStart(3, '0')}`, i % 3 === 0 ? BROKEN : CLEAN);
    fs.mkdirSync(path.join(t.dir, 'zz'));
    fs.symlinkSync(path.join(t.dir, 'nowhere'), path.join(t.dir, 'zz', 'DB_CONFIG'));
    for (const format of ['stylish', 'json', 'sarif', 'github']) {
      const r = provision(['lint', '.', '--format', format], { cwd: t.dir });
      assert.is(r.code, 2, format);
      assert.is(r.stdout, '', `${format}: no report`);
      assert.match(r.stderr, /^provision: cannot read \/.*\/zz\/DB_CONFIG: no such file or directory\n$/, format);
    }
    // Without it, the report is there, whole.
    fs.rmSync(path.join(t.dir, 'zz'), { recursive: true });
    const json = provision(['lint', '.', '--format', 'json'], { cwd: t.dir });
    assert.is(json.code, 1);
    assert.is((JSON.parse(json.stdout) as unknown[]).length, 1500);
  } finally {
    t.cleanup();
  }
});

test('directories are searched, globs expanded, stdin read with its name', () => {
  const t = tempDir();
  try {
    site(t.dir, 'sites/a', CLEAN);
    site(t.dir, 'sites/b', BROKEN);
    // The JSON format writes absolute paths, as ESLint does.
    const json = (args: string[], input?: string) =>
      (JSON.parse(provision(['lint', '-f', 'json', ...args], { cwd: t.dir, ...(input ? { input } : {}) }).stdout) as { filePath: string; errorCount: number }[]).map((r) => ({
        ...r,
        filePath: path.relative(t.dir, r.filePath),
      }));
    assert.equal(json(['sites']).map((r) => [r.filePath, r.errorCount]), [['sites/a/DB_CONFIG', 0], ['sites/b/DB_CONFIG', 2]]);
    assert.equal(json(['sites/*/DB_CONFIG']).map((r) => r.filePath), ['sites/a/DB_CONFIG', 'sites/b/DB_CONFIG']);
    assert.equal(json(['**/b/DB_CONFIG']).map((r) => r.filePath), ['sites/b/DB_CONFIG']);
    assert.equal(json(['-', '--stdin-filename', 'from-pipe'], BROKEN).map((r) => [r.filePath, r.errorCount]), [['from-pipe', 2]]);
    const nothing = provision(['lint', 'sites/*/nothing'], { cwd: t.dir });
    assert.is(nothing.code, 2);
  } finally {
    t.cleanup();
  }
});

test('the directories a DB_CONFIG names are judged alike whether a walk found it or it was named', () => {
  const t = tempDir();
  try {
    const DIRS = 'set_data_dir data   \nset_lg_dir logs\n';
    // data/ and logs/ there; neither; data/ and logs as a symlink to a directory; a regular file named logs.
    site(t.dir, 'env/both', DIRS);
    for (const d of ['data', 'logs']) fs.mkdirSync(path.join(t.dir, 'env/both', d));
    site(t.dir, 'env/none', DIRS);
    site(t.dir, 'env/linked', DIRS);
    fs.mkdirSync(path.join(t.dir, 'env/linked/data'));
    fs.symlinkSync(path.join(t.dir, 'env/both/logs'), path.join(t.dir, 'env/linked/logs'));
    site(t.dir, 'env/file', DIRS);
    fs.writeFileSync(path.join(t.dir, 'env/file/logs'), '');
    const findings = (args: string[]) =>
      (JSON.parse(provision(['lint', '-f', 'json', ...args], { cwd: t.dir }).stdout) as { filePath: string; messages: { ruleId: string; fix?: unknown }[] }[]).map((r) => [
        path.relative(t.dir, r.filePath),
        r.messages.map((m) => `${m.ruleId}${m.fix ? ' (fix)' : ''}`),
      ]);
    const walked = findings(['env']);
    assert.equal(walked, [
      ['env/both/DB_CONFIG', ['string-value (fix)']],
      ['env/file/DB_CONFIG', ['string-value', 'log-dir-missing']],
      ['env/linked/DB_CONFIG', ['string-value (fix)']],
      ['env/none/DB_CONFIG', ['string-value', 'log-dir-missing']],
    ]);
    assert.equal(findings(['env/both/DB_CONFIG', 'env/file/DB_CONFIG', 'env/linked/DB_CONFIG', 'env/none/DB_CONFIG']), walked);
  } finally {
    t.cleanup();
  }
});

test('github annotations and --max-warnings', () => {
  const t = tempDir();
  try {
    site(t.dir, 'a', 'repmgr_site master.example.com 5010 db_local_site on\n');
    const gh = provision(['lint', '-f', 'github', 'a/DB_CONFIG'], { cwd: t.dir });
    assert.is(gh.code, 0);
    assert.match(gh.stdout, /^::warning file=a\/DB_CONFIG,line=1,col=13/m);
    const over = provision(['lint', '--max-warnings', '0', 'a/DB_CONFIG'], { cwd: t.dir });
    assert.is(over.code, 1);
    assert.match(over.stderr, /^provision: 1 warning, more than --max-warnings 0\n$/m);
    assert.is(provision(['lint', '--max-warnings', '-1', 'a/DB_CONFIG'], { cwd: t.dir }).code, 0);
    // An empty value (a shell variable that was not set) is an error, never a limit of 0.
    for (const [args, found] of [[['--max-warnings', 'abc'], '"abc"'], [['--max-warnings', '-2'], '-2'], [['--max-warnings', ''], 'an empty value'], [['--max-warnings='], 'an empty value']] as const) {
      const bad = provision(['lint', ...args, 'a/DB_CONFIG'], { cwd: t.dir });
      assert.is(bad.code, 2, args.join(' '));
      assert.is(bad.stderr, `provision: --max-warnings must be a whole number, -1 for no limit, found ${found}\n`);
    }
    // Given with no value at all, it was ignored: now it is a usage error too.
    const none = provision(['lint', 'a/DB_CONFIG', '--max-warnings'], { cwd: t.dir });
    assert.is(none.code, 2);
    assert.is(none.stderr, 'provision: Not enough arguments following: max-warnings (see provision --help)\n');
    // A usage error yargs words on two lines is one line too.
    const format = provision(['lint', '-f', 'xml', 'a/DB_CONFIG'], { cwd: t.dir });
    assert.is(format.code, 2);
    assert.is(format.stderr, 'provision: Invalid values: Argument: format, Given: "xml", Choices: "stylish", "json", "sarif", "github" (see provision --help)\n');
  } finally {
    t.cleanup();
  }
});

test('stdin that is a directory is a one-line error, exit 2, not an empty file', () => {
  const t = tempDir('provision-lint-stdin-dir-');
  const fd = fs.openSync(t.dir, 'r');
  try {
    for (const format of [[], ['-f', 'json']]) {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/provision.js'), 'lint', ...format, '-'], { cwd: t.dir, encoding: 'utf8', stdio: [fd, 'pipe', 'pipe'], timeout: 20_000 });
      assert.is(r.status, 2, r.stderr);
      assert.is(r.stdout, '');
      assert.is(r.stderr, 'provision: cannot read stdin: it is a directory\n');
    }
    // A regular file as stdin is read as before.
    fs.writeFileSync(path.join(t.dir, 'x'), BROKEN);
    const file = fs.openSync(path.join(t.dir, 'x'), 'r');
    try {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/provision.js'), 'lint', '-f', 'json', '-'], { cwd: t.dir, encoding: 'utf8', stdio: [file, 'pipe', 'pipe'], timeout: 20_000 });
      assert.is(r.status, 1, r.stderr);
      assert.is((JSON.parse(r.stdout) as { errorCount: number }[])[0]!.errorCount > 0, true);
    } finally {
      fs.closeSync(file);
    }
  } finally {
    fs.closeSync(fd);
    t.cleanup();
  }
});

test('a file over 8 MB is refused in one line naming it (exit 2), from a walk and from stdin; 8 MB is linted', () => {
  const t = tempDir();
  try {
    // Comment lines: quick to lint, so the size alone decides.
    const line = '# a comment of thirty-two bytes\n';
    const big = line.repeat(Math.ceil((8 * 1024 * 1024 + 1) / line.length));
    site(t.dir, 'big', big);
    const r = provision(['lint', '.'], { cwd: t.dir });
    assert.is(r.code, 2);
    assert.is(r.stderr, `provision: big/DB_CONFIG: ${(big.length / (1024 * 1024)).toFixed(1)} MB is too large for a DB_CONFIG (lint reads at most 8 MB); is this the right file?\n`);
    assert.is(r.stdout, '');
    const stdin = provision(['lint', '-', '--stdin-filename', 'piped'], { cwd: t.dir, input: big });
    assert.is(stdin.code, 2);
    assert.match(stdin.stderr, /^provision: piped: 8\.0 MB is too large for a DB_CONFIG/);
    // Exactly 8 MB is linted.
    fs.writeFileSync(path.join(t.dir, 'big', 'DB_CONFIG'), big.slice(0, 8 * 1024 * 1024));
    const ok = provision(['lint', '--format', 'json', 'big/DB_CONFIG'], { cwd: t.dir });
    assert.is(ok.stderr, '');
    assert.equal((JSON.parse(ok.stdout) as { filePath: string }[]).map((r) => r.filePath.endsWith('DB_CONFIG')), [true]);
  } finally {
    t.cleanup();
  }
});

test('--fix-dry-run prints the diff and writes nothing; --fix writes atomically with a backup, once', () => {
  const t = tempDir();
  try {
    const file = site(t.dir, 'a', BROKEN);
    const dry = provision(['lint', '--fix-dry-run', 'a'], { cwd: t.dir });
    assert.match(dry.stdout, /-rep_set_priority 1 # master\n-rep-set-config DB_REP_CONF_BULK on\n\+# master\n\+rep_set_priority 1\n\+rep_set_config DB_REP_CONF_BULK on\n/);
    assert.is(fs.readFileSync(file, 'utf8'), BROKEN);
    const fix = provision(['lint', '--fix', 'a'], { cwd: t.dir });
    assert.is(fix.code, 0);
    assert.is(fs.readFileSync(file, 'utf8'), '# master\nrep_set_priority 1\nrep_set_config DB_REP_CONF_BULK on\n');
    const backups = fs.readdirSync(path.join(t.dir, 'a')).filter((f) => f.endsWith('.bak'));
    assert.is(backups.length, 1);
    assert.is(fs.readFileSync(path.join(t.dir, 'a', backups[0]!), 'utf8'), BROKEN);
    assert.equal(fs.readdirSync(path.join(t.dir, 'a')).filter((f) => f.endsWith('.tmp')), []);
    const again = provision(['lint', '--fix', 'a'], { cwd: t.dir });
    assert.is(again.code, 0);
    assert.match(again.stderr, /Nothing to fix/);
    assert.is(fs.readdirSync(path.join(t.dir, 'a')).filter((f) => f.endsWith('.bak')).length, 1);
  } finally {
    t.cleanup();
  }
});

test('.provisionrc sets rule severities; a bad one is exit 2 naming file and line', () => {
  const t = tempDir();
  try {
    site(t.dir, 'a', 'repmgr_site master.example.com 5010 db_local_site on\n');
    fs.writeFileSync(path.join(t.dir, '.provisionrc'), '[rules]\nprefer-ipv4 = error\n');
    assert.is(provision(['lint', 'a'], { cwd: t.dir }).code, 1);
    fs.writeFileSync(path.join(t.dir, '.provisionrc'), '[rules]\nprefer-ipv4 = off\n');
    assert.is(provision(['lint', '--max-warnings', '0', 'a'], { cwd: t.dir }).code, 0);
    fs.writeFileSync(path.join(t.dir, '.provisionrc'), '# settings\n[rules]\nprefer-ipv6 = off\n');
    const bad = provision(['lint', 'a'], { cwd: t.dir });
    assert.is(bad.code, 2);
    assert.is(bad.stderr, 'provision: .provisionrc:3: unknown rule "prefer-ipv6" (see docs/rules.md)\n');
    // max-warnings follows the rule of --max-warnings: a whole number, -1 for no limit.
    fs.writeFileSync(path.join(t.dir, '.provisionrc'), '[lint]\nmax-warnings = -1\n');
    assert.is(provision(['lint', 'a'], { cwd: t.dir }).code, 0);
    for (const value of ['-5', '-2', '1.5', 'none']) {
      fs.writeFileSync(path.join(t.dir, '.provisionrc'), `[rules]\nprefer-ipv4 = warning\n[lint]\nmax-warnings = ${value}\n`);
      const r = provision(['lint', 'a'], { cwd: t.dir });
      assert.is(r.code, 2, value);
      assert.is(r.stderr, `provision: .provisionrc:4: max-warnings must be a whole number, -1 for no limit, found "${value}"\n`);
    }
  } finally {
    t.cleanup();
  }
});

test('--group checks that the sites name each other', () => {
  const t = tempDir();
  try {
    site(t.dir, 'm', CLEAN);
    site(t.dir, 'r', 'rep_set_priority 0\nrepmgr_site 10.0.0.2 5010 db_local_site on\nrepmgr_site 10.0.0.1 5010 db_bootstrap_helper on\n');
    assert.is(provision(['lint', '--group', 'm', 'r'], { cwd: t.dir }).code, 0);
    site(t.dir, 'r', 'rep_set_priority 0\nrepmgr_site 10.0.0.2 5010 db_local_site on\nrepmgr_site 10.0.0.1 5011 db_bootstrap_helper on\n');
    const r = provision(['lint', '--group', 'm', 'r'], { cwd: t.dir });
    assert.is(r.code, 1);
    assert.match(r.stdout, /Remote site 10\.0\.0\.1 5011 is not the local site of any file in the group.*group-unknown-remote/);
  } finally {
    t.cleanup();
  }
});

test('--group honours disable comments on group findings', () => {
  const t = tempDir();
  try {
    site(t.dir, 'm', `${CLEAN}# provision-disable-next-line group-unknown-remote -- planned\nrepmgr_site 10.0.0.2 5011\n`);
    site(t.dir, 'r', 'rep_set_priority 0\nrepmgr_site 10.0.0.2 5010 db_local_site on\nrepmgr_site 10.0.0.1 5010 db_bootstrap_helper on\n');
    const r = provision(['lint', '--group', '-f', 'json', 'm', 'r'], { cwd: t.dir });
    assert.is(r.code, 0, r.stdout);
    assert.equal((JSON.parse(r.stdout) as { messages: unknown[] }[]).flatMap((f) => f.messages), []);
    site(t.dir, 'm', `${CLEAN}# provision-disable-next-line group-creator -- planned\nrepmgr_site 10.0.0.2 5011\n`);
    const other = provision(['lint', '--group', 'm', 'r'], { cwd: t.dir });
    assert.is(other.code, 1);
    assert.match(other.stdout, /5:13 .*Remote site 10\.0\.0\.2 5011 is not the local site.*group-unknown-remote/);
  } finally {
    t.cleanup();
  }
});

test('--fix-dry-run with a machine format keeps stdout parseable; group findings use the fixed lines', () => {
  const t = tempDir();
  try {
    site(t.dir, 'm', CLEAN);
    site(t.dir, 'r', 'rep_set_priority 0 # replica\nrepmgr_site 10.0.0.2 5010 db_local_site on\nrepmgr_site 10.0.0.1 5011 db_bootstrap_helper on\n');
    const r = provision(['lint', '--group', '--fix-dry-run', '-f', 'json', 'm', 'r'], { cwd: t.dir });
    const json = JSON.parse(r.stdout) as { filePath: string; messages: { ruleId: string; line: number }[] }[];
    assert.match(r.stderr, /\+# replica/);
    const remote = json.flatMap((f) => f.messages).find((m) => m.ruleId === 'group-unknown-remote')!;
    assert.is(remote.line, 4, 'line after the fix moved the comment up');
  } finally {
    t.cleanup();
  }
});

test('a write error on stdout or stderr other than a closed pipe is exit 2, one line when stderr works', () => {
  const t = tempDir();
  const bin = path.join(ROOT, 'bin/provision.js');
  const full = fs.openSync('/dev/full', 'w');
  try {
    site(t.dir, 'a', CLEAN);
    site(t.dir, 'b', BROKEN);
    // stdout on a full device: a report (json, stylish) cannot be written.
    for (const args of [['lint', 'a/DB_CONFIG', '-f', 'json'], ['lint', 'b/DB_CONFIG'], ['lint', '--no-quiet', 'b/DB_CONFIG']]) {
      const r = spawnSync(process.execPath, [bin, ...args], { cwd: t.dir, encoding: 'utf8', stdio: ['ignore', full, 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
      assert.is(r.status, 2, args.join(' '));
      assert.is(r.stderr, 'provision: cannot write to standard output: ENOSPC\n', args.join(' '));
    }
    // stderr on a full device: the error line is lost, the exit code says it.
    const r = spawnSync(process.execPath, [bin, 'lint', 'nonexist'], { cwd: t.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', full] });
    assert.is(r.status, 2);
    assert.is(r.stdout, '');
  } finally {
    fs.closeSync(full);
    t.cleanup();
  }
});

test('the command makes stdout and stderr only when it uses them: a clean lint makes neither', () => {
  const t = tempDir();
  try {
    site(t.dir, 'a', CLEAN);
    site(t.dir, 'b', BROKEN);
    // Loaded before the command: records which of Node's two output streams were made (asked for), and says so at exit.
    const probe = path.join(t.dir, 'probe.cjs');
    fs.writeFileSync(
      probe,
      `const fs = require('node:fs');
const made = [];
for (const name of ['stdout', 'stderr']) {
  const d = Object.getOwnPropertyDescriptor(process, name);
  Object.defineProperty(process, name, { configurable: true, enumerable: d.enumerable, get() { if (!made.includes(name)) made.push(name); return d.get.call(process); } });
}
process.on('exit', () => fs.writeFileSync(process.env.MADE_FILE, made.sort().join(',')));
`,
    );
    const made = (args: string[]) => {
      const file = path.join(t.dir, 'made');
      const r = spawnSync(process.execPath, ['-r', probe, path.join(ROOT, 'bin/provision.js'), ...args], { cwd: t.dir, encoding: 'utf8', env: { ...process.env, MADE_FILE: file } });
      return { status: r.status, stdout: r.stdout, made: fs.readFileSync(file, 'utf8') };
    };
    assert.equal(made(['lint', 'a/DB_CONFIG']), { status: 0, stdout: '', made: '' });
    // The version is written with one system call, before the command line loads: no stream at all.
    assert.equal(made(['--version']), { status: 0, stdout: `${(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`, made: '' });
    const broken = made(['lint', 'b/DB_CONFIG']);
    assert.equal([broken.status, broken.made], [1, 'stdout']);
    assert.match(broken.stdout, /unknown-directive/);
    assert.equal(made(['lint', 'nope']).made, 'stderr');
    // Other commands may write through the streams themselves (help, prompts): both are made for them.
    assert.equal(made(['layout', '--help']).made, 'stderr,stdout');
  } finally {
    t.cleanup();
  }
});

test('a clean lint of one file loads none of Node beyond node:vm (start-up); a file with findings loads its output stream', () => {
  const t = tempDir();
  try {
    site(t.dir, 'a', CLEAN);
    site(t.dir, 'b', BROKEN);
    // Loaded before the command: writes the modules Node has loaded, at exit.
    const probe = path.join(t.dir, 'probe.cjs');
    fs.writeFileSync(probe, "process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADED_FILE, JSON.stringify(process.moduleLoadList)));\n");
    fs.writeFileSync(path.join(t.dir, 'empty.js'), '');
    const loaded = (args: string[]) => {
      const file = path.join(t.dir, 'loaded.json');
      const r = spawnSync(process.execPath, ['-r', probe, ...args], { cwd: t.dir, encoding: 'utf8', env: { ...process.env, LOADED_FILE: file } });
      return { status: r.status, loaded: JSON.parse(fs.readFileSync(file, 'utf8')) as string[] };
    };
    const bare = new Set(loaded(['empty.js']).loaded);
    const beyond = (args: string[]) => {
      const r = loaded([path.join(ROOT, 'bin/provision.js'), ...args]);
      return { status: r.status, beyond: r.loaded.filter((m) => !bare.has(m)) };
    };
    assert.equal(beyond(['lint', 'a/DB_CONFIG']), { status: 0, beyond: ['NativeModule vm'] });
    assert.equal(beyond(['--version']), { status: 0, beyond: [] });
    const broken = beyond(['lint', 'b/DB_CONFIG']);
    assert.is(broken.status, 1);
    assert.ok(broken.beyond.includes('NativeModule stream'), broken.beyond.join(' '));
  } finally {
    t.cleanup();
  }
});

test('a path stat refuses is one line and exit 2, beside a tree large enough for the reader thread too', () => {
  const t = tempDir();
  try {
    const file = site(t.dir, 'a', CLEAN);
    for (let i = 0; i < 700; i++) fs.mkdirSync(path.join(t.dir, 'tree', `g${i}`, 's'), { recursive: true });
    fs.writeFileSync(path.join(t.dir, 'tree', 'g0', 's', 'DB_CONFIG'), CLEAN);
    const long = 'a'.repeat(5000);
    fs.symlinkSync('loop', path.join(t.dir, 'loop'));
    for (const [args, message] of [
      [[long], `provision: cannot read ${long}: the name is too long\n`],
      [[path.join(file, 'x')], `provision: no such file or directory: ${path.join(file, 'x')}\n`],
      [['tree', long], `provision: cannot read ${long}: the name is too long\n`],
      [['loop'], 'provision: cannot read loop: too many levels of symbolic links\n'],
      [['tree', 'loop'], 'provision: cannot read loop: too many levels of symbolic links\n'],
    ] as const) {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/provision.js'), 'lint', ...args], { cwd: t.dir, encoding: 'utf8' });
      assert.equal([r.status, r.stdout, r.stderr], [2, '', message], args.join(' ').slice(0, 60));
    }
  } finally {
    t.cleanup();
  }
});

test('a reader that stops early ends the run quietly', () => {
  const t = tempDir();
  try {
    for (let i = 0; i < 200; i++) site(t.dir, `s${i}`, BROKEN);
    const r = spawnSync('bash', ['-c', `node ${JSON.stringify(path.join(ROOT, 'bin/provision.js'))} lint . | head -1`], { cwd: t.dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.is(r.stdout.split('\n').length, 2);
    assert.not.match(r.stderr, /Error|at /);
  } finally {
    t.cleanup();
  }
});

test.run();
