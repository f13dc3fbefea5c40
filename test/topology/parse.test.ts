import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseTopology } from '../../src/topology/parse.js';
import { checkSiteName } from '../../src/topology/sections.js';
import { topologyFixture } from './load.js';

const problems = (text: string) => parseTopology(text).problems.map((p) => `${p.line}:${p.column} ${p.ruleId} ${p.message}`);

test('the example parses: the group, three sites, every value with its line and column', () => {
  const { topology, problems: found } = parseTopology(topologyFixture('three-sites.ini'));
  assert.equal(found, []);
  assert.is(topology.group.name!.value, 'maitred');
  assert.equal(topology.group.port, { value: 5010, line: 7, column: 8 });
  assert.equal(Object.keys(topology.group.answers), ['ackPolicy', 'clientPort', 'connectionRetry']);
  assert.equal(topology.group.failoverOrder!.map((f) => [f.value, f.line, f.column]), [['backup', 10, 18]]);
  assert.equal(topology.sites.map((s) => s.name), ['main', 'backup', 'reports']);
  const backup = topology.sites[1]!;
  assert.equal(backup.host, { value: '10.0.0.2', line: 20, column: 8 });
  assert.is(backup.role!.value, 'replicant');
  assert.is(backup.backupId!.value, '1');
  assert.is(backup.paths.root!.value, 'D:\\POSERA\\MAITRED');
  assert.is(topology.sites[2]!.port!.value, 5011);
  assert.is(topology.sites[0]!.port, undefined, 'the group default applies later');
});

test('syntax: unknown keys and sections, keys outside a section, keys twice, __proto__, unquoted site names', () => {
  const text = [
    'name = x', // 1
    '[group]', // 2
    'nmae = g', // 3
    'host = 10.0.0.1', // 4
    '[site "a"]', // 5
    'host = 10.0.0.1', // 6
    'host = 10.0.0.2', // 7
    '__proto__ = 1', // 8
    'ack_policy = ONE', // 9
    'role = master', // 10
    'port = 5010', // 11
    'env = /srv/a', // 12
    '[site b]', // 13
    'host = 10.0.0.3', // 14
    '[sites "c"]', // 15
    'what is this', // 16
  ].join('\n');
  assert.equal(problems(text), [
    '1:1 topology-syntax "name" is outside a section; put it under [group] or a [site "NAME"] section',
    '3:1 topology-syntax unknown key "nmae" in [group]; the keys there are name, port, ack_policy, client_port, connection_retry, ack_timeout, heartbeat_send, heartbeat_monitor, election_timeout, election_retry, failover_order',
    '4:1 topology-syntax unknown key "host" in [group] (it belongs in a [site "NAME"] section); the keys there are name, port, ack_policy, client_port, connection_retry, ack_timeout, heartbeat_send, heartbeat_monitor, election_timeout, election_retry, failover_order',
    '7:1 topology-syntax "host" is also set on line 6 of [site "a"]; keep one',
    '8:1 topology-syntax "__proto__" is not allowed as a key',
    '9:1 topology-syntax unknown key "ack_policy" in [site "a"] (it belongs in [group]); the keys there are host, port, role, priority, client_port, env, layout, target, root, program, data, backup, backup_id',
    '13:1 topology-syntax write the site\'s name in double quotes: [site "b"]',
    '15:1 topology-syntax unknown section [sites "c"]; a topology file has a [group] section and one [site "NAME"] section per site',
    '16:1 topology-syntax expected "key = value", found "what is this"',
  ]);
});

test('values are checked with the generator\'s own validators, at the value\'s column', () => {
  const text = [
    '[group]', // 1
    'port = 70000', // 2
    'ack_policy = SOME', // 3
    'connection_retry = 1s', // 4
    'failover_order = ', // 5
    '[site "a"]', // 6
    'host = db one', // 7
    'role = primary', // 8
    'priority = -1', // 9
    'client_port = 0', // 10
    'layout = My Layout', // 11
    'target = macos', // 12
    'port = 5010', // 13
  ].join('\n');
  assert.equal(problems(text), [
    '2:8 topology-value port: port 70000 is outside 1-65535',
    '3:14 topology-value ack_policy: "SOME" is not an ack policy; use one of ALL, ALL_AVAILABLE, ALL_PEERS, NONE, ONE, ONE_PEER, QUORUM',
    '4:20 topology-value connection_retry: "1s" is not a number of microseconds (0-4294967295)',
    '5:18 topology-value failover_order is empty; list site names separated by commas, or remove the line',
    '7:8 topology-value host: the host contains a space',
    '8:8 topology-value role: "primary" is not a role; write master or replicant',
    '9:12 topology-value priority: "-1" is not a priority (a whole number 0-4294967295)',
    '10:15 topology-value client_port: "0" is not a port (1-65535)',
    '11:10 topology-value layout: "My Layout" is not a layout preset name (maitred, tapetrack, generic)',
    '12:10 topology-value target: "macos" is not a target; write posix or windows (or leave it out: the paths tell)',
  ]);
});

test('missing: a site without host, role or port; a file without sites', () => {
  assert.equal(problems('[group]\nname = g\n'), ['1:1 topology-missing the file names no site; add a [site "NAME"] section (host, port, role, env) for each site of the group']);
  assert.equal(problems('[site "a"]\nenv = /srv/a\n'), [
    '1:1 topology-missing site "a" has no host; add host = ADDRESS (an IPv4 address is best)',
    '1:1 topology-missing site "a" has no role; add role = master or role = replicant',
    '1:1 topology-missing site "a" has no replication port; add port = N here, or a default port = N in [group]',
  ]);
  assert.equal(problems('[group]\nport = 5010\n  [site "a"]\nhost = h1\nrole = master\n'), [], 'the group\'s port is the default');
});

test('sites: names that make folders, each once (case-insensitively)', () => {
  const base = 'host = 10.0.0.1\nrole = master\nport = 1\n';
  assert.equal(problems(`[site "a"]\n${base}[site "a"]\n${base}`), ['5:1 topology-syntax site "a" is also on line 1; each site has one section']);
  assert.equal(problems(`[site "Main"]\n${base}[site "main"]\n${base}`), ['5:1 topology-syntax site "main" and site "Main" (line 1) differ only in case, and their folders in the plan would be one on Windows; rename one']);
  assert.match(problems(`[site "../x"]\n${base}`)[0]!, /^1:1 topology-value site name "\.\.\/x" must be 1-63 letters/);
  assert.match(problems(`[group]\n[group]\n[site "a"]\n${base}`)[0]!, /^2:1 topology-syntax \[group\] is also on line 1/);
  assert.is(checkSiteName('runbook.md') !== undefined, true, 'no dots: runbook.md is a file of the plan');
  assert.is(checkSiteName('nul') !== undefined, true);
  assert.is(checkSiteName('east_2'), undefined);
  assert.match(problems('[group]\nfailover_order = a, b/c\n[site "a"]\n' + base)[0]!, /^2:21 topology-value failover_order: site name "b\/c"/);
});

test('CRLF files and a BOM parse the same, with the same lines', () => {
  const lf = topologyFixture('three-sites.ini');
  const crlf = `\ufeff${lf.replace(/\n/g, '\r\n')}`;
  assert.equal(parseTopology(crlf), parseTopology(lf));
});

test.run();
