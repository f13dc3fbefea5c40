/**
 * `provision completion`: yargs' bash and zsh scripts, and the completions
 * provision answers through them. The bash script is also run in a real bash
 * with a `provision` on PATH, as a shell would run it when Tab is pressed.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, tempDir } from '../helpers.js';
import { provision } from './run.js';

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

test('completion bash prints a bash script that asks provision for its completions', () => {
  const r = provision(['completion', 'bash'], { env: { SHELL: '/bin/zsh' } });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
  assert.match(r.stdout, /^###-begin-provision-completions-###$/m);
  assert.match(r.stdout, /SHELL=bash provision --get-yargs-completions "\$\{args\[@\]\}"/);
  assert.match(r.stdout, /^complete -o bashdefault -o default -F _provision_yargs_completions provision$/m);
  assert.match(r.stdout, /###-end-provision-completions-###\n$/);
  assert.not.match(r.stdout, /compdef/);
});

test('completion zsh prints a zsh script; without a shell named, $SHELL decides', () => {
  const zsh = provision(['completion', 'zsh'], { env: { SHELL: '/bin/bash' } });
  assert.is(zsh.code, 0, zsh.stderr);
  assert.match(zsh.stdout, /^#compdef provision$/m);
  assert.match(zsh.stdout, /SHELL=zsh provision --get-yargs-completions "\$\{words\[@\]\}"/);
  assert.match(zsh.stdout, /^compdef _provision_yargs_completions provision$/m);
  assert.is(provision(['completion'], { env: { SHELL: '/usr/bin/zsh' } }).stdout, zsh.stdout);
  assert.is(provision(['completion'], { env: { SHELL: '/bin/bash' } }).stdout, provision(['completion', 'bash']).stdout);
});

test('completion of another shell is a usage error naming the choices', () => {
  const r = provision(['completion', 'fish']);
  assert.is(r.code, 2);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /Choices: "bash", "zsh"/);
});

test('provision li completes to lint; every command is offered; the fast paths do not swallow completion', () => {
  const li = provision(['--get-yargs-completions', 'provision', 'li'], { env: { SHELL: 'bash' } });
  assert.is(li.code, 0, li.stderr);
  const offered = lines(li.stdout);
  assert.ok(offered.includes('lint'), li.stdout);
  const all = lines(provision(['--get-yargs-completions', 'provision', ''], { env: { SHELL: 'bash' } }).stdout);
  for (const command of ['lint', 'master', 'replicant', 'clean', 'layout', 'backup', 'restore', 'demo', 'completion']) {
    assert.ok(all.includes(command), `${command} in ${all.join(' ')}`);
  }
  // A command's options, after the lint fast path would have seen "lint".
  const options = lines(provision(['--get-yargs-completions', 'provision', 'lint', '--'], { env: { SHELL: 'bash' } }).stdout);
  for (const option of ['--format', '--fix', '--group', '--max-warnings']) assert.ok(options.includes(option), `${option} in ${options.join(' ')}`);
  // zsh gets each command with its description.
  const zsh = lines(provision(['--get-yargs-completions', 'provision', 'li'], { env: { SHELL: 'zsh' } }).stdout);
  assert.ok(zsh.some((l) => l.startsWith('lint:') && l.length > 'lint:'.length), zsh.join('\n'));
});

test('in a real bash, the script completes "provision li" to lint and "provision lint --gr" to --group', () => {
  const t = tempDir();
  try {
    const bin = path.join(t.dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'provision'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'bin', 'provision.js')}" "$@"\n`, { mode: 0o755 });
    const script = path.join(t.dir, 'provision.bash');
    fs.writeFileSync(script, provision(['completion', 'bash']).stdout);
    const complete = (words: readonly string[]) => {
      const r = spawnSync(
        'bash',
        ['--norc', '--noprofile', '-c', `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _provision_yargs_completions; printf '%s\\n' "\${COMPREPLY[@]}"`, 'complete', script, ...words],
        { encoding: 'utf8', env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, SHELL: '/bin/zsh' }, timeout: 30_000 },
      );
      assert.is(r.status, 0, r.stderr);
      return lines(r.stdout);
    };
    assert.equal(complete(['provision', 'li']), ['lint']);
    assert.equal(complete(['provision', 're']).sort(), ['replicant', 'restore']);
    assert.equal(complete(['provision', 'lint', '--gr']), ['--group']);
  } finally {
    t.cleanup();
  }
});

test.run();
