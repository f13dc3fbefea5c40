/** `provision check` run as a process: what it reads, its output formats and its exit codes. Loopback only. */
import * as fs from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from '../helpers.js';
import { provision } from './run.js';

const test = suite('cli/check');

/** Ports nothing listens on (each was bound a moment ago, then released). */
async function closedPorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((resolve) => {
    const s = createServer();
    s.listen({ host: '127.0.0.1', port: 0 }, () => resolve(s));
  })));
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

const parse = (stdout: string) => JSON.parse(stdout) as { status: string; counts: Record<string, number>; sites: { results: { id: string; status: string; subject?: string; message: string }[] }[] };

test('a site before its first start: OK and warnings only exit 0; --json and --nagios agree', async () => {
  const t = tempDir('provision-check-cli-');
  try {
    const [local, remote] = await closedPorts(2);
    const env = path.join(t.dir, 'env');
    assert.is(provision(['master', '--env', env, '--local', `127.0.0.1:${local}`, '--replicant', `127.0.0.1:${remote}`, '--yes']).code, 0);
    const table = provision(['check', '--env', env, '--timeout', '1']);
    assert.is(table.code, 0, table.stderr);
    assert.match(table.stdout, /^STATUS +CHECK +SUBJECT +MESSAGE\n/);
    assert.match(table.stdout, new RegExp(`WARNING +remote-reachable +127\\.0\\.0\\.1:${remote} `));
    assert.match(table.stdout, /\nWARNING: 5 ok, 1 warning, 0 critical\n$/);

    const json = provision(['check', path.join(env, 'DB_CONFIG'), '--json', '--timeout', '1']);
    assert.is(json.code, 0, json.stderr);
    const report = parse(json.stdout);
    assert.is(report.status, 'WARNING');
    assert.equal(report.sites[0]!.results.map((r) => [r.id, r.status]), [['config', 'OK'], ['env-writable', 'OK'], ['host-resolves', 'OK'], ['local-port', 'OK'], ['remote-reachable', 'WARNING'], ['backup-space', 'OK']]);

    const nagios = provision(['check', env, '--nagios', '--timeout', '1']);
    assert.is(nagios.code, 1, 'Nagios WARNING');
    assert.is(nagios.stdout.split('\n')[0], `PROVISION CHECK WARNING - remote-reachable 127.0.0.1:${remote} (0 critical, 1 warning, 5 ok)`);
  } finally {
    t.cleanup();
  }
});

test('a failed check: exit 1, or 2 with --nagios; the answers file gives the client port and, before DB_CONFIG, the addresses', async () => {
  const t = tempDir('provision-check-cli-');
  try {
    const [local, master] = await closedPorts(2);
    const env = path.join(t.dir, 'env');
    fs.mkdirSync(env);
    const answers = path.join(t.dir, 'site.ini');
    fs.writeFileSync(answers, `role = replicant\nenv = ${env}\nlocal = 127.0.0.1:${local}\nmaster = 127.0.0.1:${master}\nclient_port = ${local}\n`);
    const r = provision(['check', '--answers', answers, '--json', '--timeout', '1']);
    assert.is(r.code, 1, r.stdout + r.stderr);
    const results = parse(r.stdout).sites[0]!.results;
    assert.equal(results.find((x) => x.id === 'config')?.status, 'WARNING', 'not written yet');
    assert.equal(results.find((x) => x.id === 'client-port')?.status, 'CRITICAL');
    assert.equal(results.find((x) => x.id === 'remote-reachable')?.subject, `127.0.0.1:${master}`);
    const n = provision(['check', '--answers', answers, '--nagios', '--timeout', '1']);
    assert.is(n.code, 2);
    assert.match(n.stdout, /^PROVISION CHECK CRITICAL - client-port \d+ /);
    const flag = provision(['check', '--answers', answers, '--client-port', '5000', '--timeout', '1']);
    assert.is(flag.code, 0, 'the flag wins over the answers file');
  } finally {
    t.cleanup();
  }
});

test('config: DB_CONFIG is linted; an error is CRITICAL naming file:line:col, a warning is a WARNING; .provisionrc applies', async () => {
  const t = tempDir('provision-check-cli-');
  try {
    const [a, b] = await closedPorts(2);
    const env = path.join(t.dir, 'env');
    fs.mkdirSync(env);
    const config = path.join(env, 'DB_CONFIG');
    fs.writeFileSync(config, `repmgr_site 127.0.0.1 ${a} db_local_site on\nrepmgr_site 127.0.0.1 ${b} db_local_site on\n`);
    const two = provision(['check', '--env', env, '--json', '--timeout', '1'], { cwd: t.dir });
    assert.is(two.code, 1, two.stdout + two.stderr);
    const result = parse(two.stdout).sites[0]!.results.find((r) => r.id === 'config')!;
    assert.is(result.status, 'CRITICAL');
    assert.ok(result.message.includes(`${config}:2:`) && result.message.includes('[local-site]'), result.message);

    fs.writeFileSync(config, `repmgr_site 127.0.0.1 ${a} db_local_site on\nset_lk_max_locks 1000\nset_lk_max_locks 2000\n`);
    const dup = provision(['check', '--env', env, '--json', '--timeout', '1'], { cwd: t.dir });
    assert.is(dup.code, 0, dup.stdout + dup.stderr);
    assert.match(parse(dup.stdout).sites[0]!.results.find((r) => r.id === 'config')!.message, /^lint finds 1 warning in .*:2:1: .*\[duplicate-setting\]/);
    fs.writeFileSync(path.join(t.dir, '.provisionrc'), '[rules]\nduplicate-setting = off\n');
    const quiet = provision(['check', '--env', env, '--json', '--timeout', '1'], { cwd: t.dir });
    assert.is(parse(quiet.stdout).sites[0]!.results.find((r) => r.id === 'config')!.status, 'OK', quiet.stdout);
  } finally {
    t.cleanup();
  }
});

test('a bad --timeout is a one-line usage error naming the option and what it accepts, never NaN', () => {
  for (const [value, found] of [['abc', '"abc"'], ['-1', '-1'], ['0', '0'], ['601', '601'], ['', 'an empty value']] as const) {
    const r = provision(['check', '--env', '/tmp', '--timeout', value]);
    assert.is(r.code, 2, `--timeout ${value}`);
    assert.is(r.stderr, `provision: --timeout must be a number of seconds above 0 and at most 600, found ${found}\n`);
    assert.is(r.stdout, '');
  }
  const none = provision(['check', '--env', '/tmp', '--timeout']);
  assert.is(none.code, 2);
  assert.is(none.stderr, 'provision: Not enough arguments following: timeout (see provision --help)\n');
});

test('--nagios: an error that stops the check is UNKNOWN (exit 3) with a status line; a topology with errors is refused (1 without --nagios, as lint and plan)', () => {
  const t = tempDir('provision-check-cli-');
  try {
    const timeout = provision(['check', '--env', t.dir, '--nagios', '--timeout', 'abc']);
    assert.is(timeout.code, 3);
    assert.is(timeout.stdout, 'PROVISION CHECK UNKNOWN - --timeout must be a number of seconds above 0 and at most 600, found "abc"\n');
    assert.match(timeout.stderr, /^provision: --timeout must be/);
    assert.is(provision(['check', '--nagios']).code, 3, 'no site named');
    const unknown = provision(['check', '--env', t.dir, '--nagios', '--bogus']);
    assert.is(unknown.code, 3, 'an unknown option');
    assert.match(unknown.stdout, /^PROVISION CHECK UNKNOWN - Unknown argument: bogus/);
    assert.is(provision(['check', '--answers', path.join(t.dir, 'missing.ini'), '--nagios']).code, 3, 'an unreadable answers file');
    fs.writeFileSync(path.join(t.dir, 'group.ini'), '[group]\nport = 5010\n\n[site "a"]\nhost = 10.0.0.1\nrole = master\nenv = /srv/a\n\n[site "b"]\nhost = 10.0.0.1\nrole = replicant\nenv = /srv/b\n');
    const lint = provision(['lint', '--topology', path.join(t.dir, 'group.ini')]);
    const plan = provision(['plan', path.join(t.dir, 'group.ini'), '--out', path.join(t.dir, 'plan')]);
    const check = provision(['check', '--topology', path.join(t.dir, 'group.ini')]);
    assert.equal([lint.code, plan.code, check.code], [1, 1, 1], check.stderr);
    assert.is(provision(['check', '--topology', path.join(t.dir, 'group.ini'), '--nagios']).code, 3);
    assert.is(provision(['check', '--topology', path.join(t.dir, 'missing.ini')]).code, 2, 'an unreadable topology');
  } finally {
    t.cleanup();
  }
});

test('usage errors exit 2 with one line; a topology with errors is refused', () => {
  const none = provision(['check']);
  assert.is(none.code, 2);
  assert.match(none.stderr, /name the site: give its DB_CONFIG/);
  const both = provision(['check', '--env', '/tmp', '--json', '--nagios']);
  assert.is(both.code, 3, 'a usage error with --nagios is UNKNOWN');
  assert.match(both.stderr, /--json or --nagios, not both/);
  const t = tempDir('provision-check-cli-');
  try {
    fs.writeFileSync(path.join(t.dir, 'bad.ini'), 'env = /x\nlocal = nowhere\n');
    const bad = provision(['check', '--answers', path.join(t.dir, 'bad.ini')]);
    assert.is(bad.code, 2);
    assert.match(bad.stderr, /bad\.ini:2: local: "nowhere" is not HOST:PORT/);
    assert.is(provision(['check', '--env', t.dir, '--timeout', '0']).code, 2);
    assert.match(provision(['check', '--site', 'a']).stderr, /--site names a site of a topology file; give --topology FILE too/);
    fs.writeFileSync(path.join(t.dir, 'group.ini'), '[group]\nport = 5010\n\n[site "a"]\nhost = 10.0.0.1\nrole = master\nenv = /srv/a\n\n[site "b"]\nhost = 10.0.0.1\nrole = replicant\nenv = /srv/b\n');
    const broken = provision(['check', '--topology', path.join(t.dir, 'group.ini')]);
    assert.is(broken.code, 1, 'refused, as provision plan refuses it');
    assert.match(broken.stderr, /group\.ini:\d+:\d+: .*\[topology-[a-z-]+\]; run provision lint --topology /);
    assert.match(provision(['check', '--topology', path.join(t.dir, 'group.ini'), '--env', t.dir]).stderr, /--topology FILE or one site/);
    const wrongName = provision(['check', path.join(t.dir, 'bad.ini')]);
    assert.is(wrongName.code, 2);
    assert.match(wrongName.stderr, /only a file named DB_CONFIG/);
  } finally {
    t.cleanup();
  }
});

test.run();
