/**
 * After `--` every argument is a positional, for every command, even one that
 * starts with `-`; a lone `-` is one too, before or after `--`
 * (src/cli/mark-positionals.ts, docs/cli.md "Options").
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inTemp, ROOT } from '../helpers.js';
import { provision, type Run } from './run.js';

const TOPOLOGY = path.join(ROOT, 'fixtures', 'topology', 'three-sites.ini');
const GROUP = path.join(ROOT, 'fixtures', 'migrate', 'group');
const EQUALS = 'rep_set_priority=1\n';
const FIXED = 'rep_set_priority 1\n';

function ok(r: Run, what: string): void {
  assert.is(r.code, 0, `${what}: exit code; stderr: ${r.stderr}`);
}

function usageError(r: Run, pattern: RegExp, what: string): void {
  assert.is(r.code, 2, `${what}: exit code; stderr: ${r.stderr}`);
  assert.match(r.stderr, pattern, what);
  assert.is(r.stderr.trim().split('\n').length, 1, `${what}: one line`);
  assert.not.match(r.stderr, /internal error|\n\s+at |\u0000/, `${what}: no stack trace, no internal mark`);
}

test('plan: the topology file after --, a name that starts with - too, plans as it does before --', () => {
  inTemp((dir) => {
    fs.copyFileSync(TOPOLOGY, path.join(dir, 'group.ini'));
    fs.copyFileSync(TOPOLOGY, path.join(dir, '-odd-name.ini'));
    const before = provision(['plan', 'group.ini', '--out', 'plan', '--dry-run', '--json'], { cwd: dir });
    ok(before, 'plan FILE');
    const after = provision(['plan', '--out', 'plan', '--dry-run', '--json', '--', 'group.ini'], { cwd: dir });
    ok(after, 'plan -- FILE');
    assert.equal(JSON.parse(after.stdout), JSON.parse(before.stdout));
    const odd = provision(['plan', '--out', 'plan', '--dry-run', '--json', '--', '-odd-name.ini'], { cwd: dir });
    ok(odd, 'plan -- -odd-name.ini');
    const plan = JSON.parse(odd.stdout) as { topology: string; changes: { path: string }[] };
    assert.is(plan.topology, '-odd-name.ini');
    assert.ok(plan.changes.some((c) => c.path === path.join('plan', 'main', 'DB_CONFIG')), odd.stdout);
    assert.not.ok(fs.existsSync(path.join(dir, 'plan')), 'dry run wrote nothing');
    // An option's name after -- is a positional too: here the topology file.
    usageError(provision(['plan', '--out', 'plan', '--', '--dry-run'], { cwd: dir }), /cannot read the topology file --dry-run/, 'plan -- --dry-run');
    assert.not.ok(fs.existsSync(path.join(dir, 'plan')), 'plan -- --dry-run wrote nothing');
  });
});

test('check: the DB_CONFIG or its directory after --, one named -odd too', () => {
  inTemp((dir) => {
    for (const d of ['site', '-odd']) {
      fs.mkdirSync(path.join(dir, d));
      fs.writeFileSync(path.join(dir, d, 'DB_CONFIG'), FIXED);
    }
    for (const d of ['site', '-odd']) {
      const r = provision(['check', '--json', '--timeout', '1', '--', d], { cwd: dir });
      const sites = (JSON.parse(r.stdout) as { sites: { env: string; results: { id: string; subject?: string }[] }[] }).sites;
      assert.equal(sites.map((s) => path.basename(s.env)), [d], r.stdout);
      const config = sites[0]!.results.find((c) => c.id === 'config');
      assert.is(config?.subject, path.join(dir, d, 'DB_CONFIG'));
    }
    // --nagios after -- is a path, not the option: a usage error is exit 2, with no Nagios line.
    const nagios = provision(['check', '--', '--nagios'], { cwd: dir });
    usageError(nagios, /^provision: --nagios: Berkeley DB reads only a file named DB_CONFIG/, 'check -- --nagios');
    assert.is(nagios.stdout, '');
  });
});

test('migrate: the migration and its arguments after --; a dash-leading one is an argument, not an option', () => {
  inTemp((dir) => {
    fs.cpSync(GROUP, path.join(dir, 'g'), { recursive: true });
    const before = provision(['migrate', 'rename-host', '--group', 'g', '--dry-run', '--json', '10.0.0.2', 'db2.example.com'], { cwd: dir });
    ok(before, 'migrate rename-host OLD NEW');
    const after = provision(['migrate', '--group', 'g', '--dry-run', '--json', '--', 'rename-host', '10.0.0.2', 'db2.example.com'], { cwd: dir });
    ok(after, 'migrate -- rename-host OLD NEW');
    assert.equal(JSON.parse(after.stdout), JSON.parse(before.stdout));
    assert.match(after.stdout, /repmgr_site db2\.example\.com 5010/);
    // --site takes several values, but not those after --: they stay the migration's arguments.
    const sites = ['--site', 'a=g/a', '--site', 'b=g/b', '--site', 'c=g/c'];
    const repeated = provision(['migrate', 'rename-host', '--dry-run', ...sites, '--', '10.0.0.2', 'db2.example.com'], { cwd: dir });
    ok(repeated, 'migrate rename-host --site ... -- OLD NEW');
    assert.match(repeated.stdout, /^\+repmgr_site db2\.example\.com 5010$/m);
    const dashed = provision(['migrate', 'rename-host', '--group', 'g', '--dry-run', '--', '10.0.0.2', '-db2'], { cwd: dir });
    assert.is(dashed.code, 1, dashed.stderr);
    assert.match(dashed.stderr, /refused: new host "-db2"/);
    usageError(provision(['migrate', '--group', 'g', '--', '-list'], { cwd: dir }), /Argument: migration, Given: "-list", Choices:/, 'migrate -- -list');
    const rollback = provision(['migrate', 'rollback', '--group', 'g', '--', '-x'], { cwd: dir });
    assert.is(rollback.code, 1, rollback.stderr);
    assert.match(rollback.stderr, /refused: no journal entry -x /);
  });
});

test('demo: the scratch folder after --, one named -odd-dir too', () => {
  inTemp((dir) => {
    const r = provision(['demo', '--', '-odd-dir'], { cwd: dir });
    ok(r, 'demo -- -odd-dir');
    for (const site of ['master', 'replicant']) assert.ok(fs.existsSync(path.join(dir, '-odd-dir', site, 'DB_CONFIG')), site);
    assert.equal(fs.readdirSync(dir), ['-odd-dir']);
  });
});

test('completion: the shell after -- is the shell; a dash-leading one is refused as a shell, not read as an option', () => {
  const bash = provision(['completion', 'bash'], { env: { SHELL: '/bin/zsh' } });
  ok(bash, 'completion bash');
  const after = provision(['completion', '--', 'bash'], { env: { SHELL: '/bin/zsh' } });
  ok(after, 'completion -- bash');
  assert.is(after.stdout, bash.stdout);
  assert.not.match(after.stdout, /compdef/);
  assert.is(provision(['completion', '--', 'zsh'], { env: { SHELL: '/bin/bash' } }).stdout, provision(['completion', 'zsh']).stdout);
  usageError(provision(['completion', '--', '-bash']), /Argument: shell, Given: "-bash", Choices: "bash", "zsh"/, 'completion -- -bash');
});

test('lint: a path that starts with - after --, on the fast parser and on yargs (--no-quiet)', () => {
  for (const extra of [[], ['--no-quiet']]) {
    inTemp((dir) => {
      for (const d of ['-odd', 'other']) {
        fs.mkdirSync(path.join(dir, d));
        fs.writeFileSync(path.join(dir, d, 'DB_CONFIG'), EQUALS);
      }
      const r = provision(['lint', '--fix', ...extra, '--', '-odd'], { cwd: dir });
      ok(r, `lint --fix ${extra.join(' ')} -- -odd`);
      assert.is(fs.readFileSync(path.join(dir, '-odd', 'DB_CONFIG'), 'utf8'), FIXED);
      assert.is(fs.readFileSync(path.join(dir, 'other', 'DB_CONFIG'), 'utf8'), EQUALS, 'other untouched');
      // `-` after -- is still standard input.
      const stdin = provision(['lint', '--format', 'json', ...extra, '--', '-'], { cwd: dir, input: EQUALS });
      assert.equal((JSON.parse(stdin.stdout) as { filePath: string }[]).map((f) => f.filePath), ['<stdin>']);
    });
  }
});

test('a command that takes one positional refuses a second one after --, dash-leading or not, and does nothing', () => {
  inTemp((dir) => {
    fs.copyFileSync(TOPOLOGY, path.join(dir, 'group.ini'));
    const cases: string[][] = [
      ['plan', 'group.ini', '--out', 'plan'],
      ['check', 'group.ini'],
      ['demo', 'first'],
      ['completion', 'bash'],
    ];
    for (const args of cases) {
      for (const extra of ['second', '-second']) {
        const r = provision([...args, '--', extra], { cwd: dir });
        usageError(r, /^provision: Unknown argument: /, `${args.join(' ')} -- ${extra}`);
        assert.is(r.stderr, `provision: Unknown argument: ${extra} (see provision --help)\n`);
        assert.is(r.stdout, '', `${args[0]}: nothing printed`);
      }
      // The same as two positionals before --.
      const plain = provision([...args, 'second'], { cwd: dir });
      assert.is(plain.stderr, provision([...args, '--', 'second'], { cwd: dir }).stderr, `${args[0]}: as without --`);
    }
    assert.equal(fs.readdirSync(dir), ['group.ini'], 'nothing written');
  });
});

test('an option before -- that wants a value gets none from after it; -- before any command names none', () => {
  inTemp((dir) => {
    fs.copyFileSync(TOPOLOGY, path.join(dir, 'group.ini'));
    usageError(provision(['plan', '--out', '--', 'group.ini'], { cwd: dir }), /^provision: --out needs a value, found an empty one\n$/, 'plan --out -- FILE');
    usageError(provision(['check', '--env', '--', 'dir'], { cwd: dir }), /^provision: --env needs a value, found an empty one\n$/, 'check --env -- DIR');
    usageError(provision(['--', 'lint', 'group.ini'], { cwd: dir }), /^provision: Name a command: /, '-- lint');
    assert.equal(fs.readdirSync(dir), ['group.ini'], 'nothing written');
  });
});

test('a lone - reaches every command as -, before and after --; both lint parsers name stdin alike', () => {
  inTemp((dir) => {
    for (const args of [['plan', '-', '--out', 'plan'], ['plan', '--out', 'plan', '--', '-']]) {
      usageError(provision(args, { cwd: dir }), /^provision: cannot read the topology file -: /, args.join(' '));
    }
    for (const args of [['check', '-'], ['check', '--', '-']]) {
      usageError(provision(args, { cwd: dir }), /^provision: -: Berkeley DB reads only a file named DB_CONFIG/, args.join(' '));
    }
    const named = [[], ['--no-quiet']].map((extra) => {
      const r = provision(['lint', '--format', 'json', '--stdin-filename', '-', ...extra, '-'], { cwd: dir, input: EQUALS });
      return (JSON.parse(r.stdout) as { filePath: string }[]).map((f) => f.filePath);
    });
    assert.equal(named[0], [path.join(dir, '-')], 'fast parser');
    assert.equal(named[1], named[0], 'yargs names it as the fast parser does');
  });
  // Completing a word that is a lone -: the options of the command.
  const options = provision(['--get-yargs-completions', 'provision', 'lint', '-'], { env: { SHELL: 'bash' } }).stdout.split('\n');
  assert.ok(options.includes('--format'), options.join(' '));
});

test.run();
