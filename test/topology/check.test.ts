import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { machineOf } from '../../src/topology/check.js';
import { TOPOLOGY_RULES } from '../../src/topology/rules.js';
import { CLEAN, groupText, lint, topologyFixture } from './load.js';

type Sites = Record<string, Record<string, string>>;
const GROUP = { port: '5010' };
/** The problems of a group, as "line:col rule" and the message. */
const found = (sites: Sites, group: Record<string, string> = GROUP) => lint(groupText(group, sites)).problems.map((p) => ({ at: `${p.line}:${p.column}`, rule: p.ruleId, severity: p.severity, message: p.message }));
const rules = (sites: Sites, group: Record<string, string> = GROUP) => found(sites, group).map((p) => `${p.at} ${p.rule}`);
/** CLEAN with some keys of some sites changed (a value of '' removes the key). */
function vary(changes: Sites): Sites {
  const out: Sites = {};
  for (const [name, keys] of Object.entries({ ...CLEAN, ...changes })) {
    out[name] = Object.fromEntries(Object.entries({ ...(CLEAN as Sites)[name], ...keys }).filter(([, v]) => v !== ''));
  }
  return out;
}

test('the example and a plain three-machine group pass every rule', () => {
  assert.equal(lint(topologyFixture('three-sites.ini')).problems, []);
  assert.equal(found(CLEAN), []);
});

test('every rule has a stable ID, a severity and a description', () => {
  for (const r of TOPOLOGY_RULES) {
    assert.match(r.id, /^topology-[a-z0-9-]+$/);
    assert.ok(r.description.endsWith('.') || r.description.endsWith(')'), r.id);
  }
  assert.is(new Set(TOPOLOGY_RULES.map((r) => r.id)).size, TOPOLOGY_RULES.length);
});

test('topology-one-master: none, or two', () => {
  assert.equal(rules(vary({ a: { role: 'replicant' } })), ['1:1 topology-one-master']);
  const two = found(vary({ b: { role: 'master' } }));
  assert.equal(two.map((p) => `${p.at} ${p.rule}`), ['11:8 topology-one-master']);
  assert.match(two[0]!.message, /site "b" is a master too \(site "a", line 6\)/);
});

test('topology-duplicate-address: the same host and port, loopback names counting as one machine', () => {
  assert.equal(rules(vary({ c: { host: '10.0.0.2' } })), ['15:8 topology-duplicate-address']);
  assert.equal(rules(vary({ c: { host: '10.0.0.2', port: '5011' } })), [], 'another port on the same machine is fine');
  const loop = found(vary({ a: { host: '127.0.0.1' }, b: { host: 'localhost', backup: '/srv/b/backup' }, c: { host: '10.0.0.3' } }));
  assert.equal(loop.map((p) => `${p.at} ${p.rule}`), ['10:8 topology-duplicate-address', '10:8 topology-prefer-ipv4']);
  assert.match(loop[0]!.message, /localhost:5010, the same machine and port as 127\.0\.0\.1:5010/);
});

test('topology-host-spelling: one host written two ways', () => {
  const sites = vary({ a: { host: 'DB1.example.com' }, b: { host: 'db1.example.com', port: '5011' }, c: { host: 'db1.example.com.', port: '5012' } });
  const p = found(sites).filter((x) => x.rule === 'topology-host-spelling');
  assert.equal(p.map((x) => x.at), ['10:8', '16:8']);
  assert.match(p[0]!.message, /host "db1\.example\.com" of site "b" is written "DB1\.example\.com" for site "a" \(line 5\); Berkeley DB compares host strings exactly/);
  assert.equal(rules(vary({ a: { host: 'db1.example.com' }, b: { host: 'db1.example.com', port: '5011' } })).filter((r) => r.includes('spelling')), []);
});

test('topology-prefer-ipv4: a DNS name is a warning; IPv4 and IPv6 literals are not', () => {
  const p = found(vary({ a: { host: 'db1.example.com' } }));
  assert.equal(p.map((x) => [x.at, x.rule, x.severity]), [['5:8', 'topology-prefer-ipv4', 'warning']]);
  assert.equal(found(vary({ a: { host: 'fd00::1' } })), []);
});

test('topology-backup-id: 1-31, each once', () => {
  assert.equal(rules(vary({ b: { backup_id: '1' }, c: { backup_id: '31' } })), []);
  assert.equal(rules(vary({ b: { backup_id: '0' }, c: { backup_id: '32' } })), ['13:13 topology-backup-id', '19:13 topology-backup-id']);
  assert.equal(rules(vary({ b: { backup_id: 'one' } })), ['13:13 topology-backup-id']);
  const twice = found(vary({ b: { backup_id: '7' }, c: { backup_id: '07' } }));
  assert.equal(twice.map((p) => `${p.at} ${p.rule}`), ['19:13 topology-backup-id']);
  assert.match(twice[0]!.message, /backup_id 7 of site "c" is also the ID of site "b" \(line 13\)/);
});

test('topology-failover-order: existing sites, each once', () => {
  const electable = vary({ b: { priority: '50' }, c: { priority: '10' } });
  assert.equal(rules(electable, { ...GROUP, failover_order: 'b, c' }), []);
  assert.equal(rules(electable, { ...GROUP, failover_order: 'b, x, b' }), ['3:21 topology-failover-order', '3:24 topology-failover-order']);
  assert.match(found(electable, { ...GROUP, failover_order: 'x' })[0]!.message, /names "x", which is not a site of this file; the sites are a, b, c/);
  assert.equal(rules(electable, { ...GROUP, failover_order: 'b, a' }), [], 'the master may stay listed: the order outlives a failover');
});

test('topology-failover-priority: a listed replicant of priority 0 is never elected', () => {
  const defaulted = found(CLEAN, { ...GROUP, failover_order: 'b' });
  assert.equal(defaulted.map((p) => `${p.at} ${p.rule} ${p.severity}`), ['3:18 topology-failover-priority warning']);
  assert.match(defaulted[0]!.message, /"b", which has no priority, and a replicant's default is 0: Berkeley DB never elects it master; give it priority = 1 or more/);
  const zero = found(vary({ b: { priority: '0' } }), { ...GROUP, failover_order: 'b' });
  assert.match(zero[0]!.message, /"b", which has priority = 0: Berkeley DB never elects it/);
  assert.equal(rules(vary({ b: { priority: '1' } }), { ...GROUP, failover_order: 'b' }), []);
});

test('topology-single-copy: a copy on another machine, or a backup root', () => {
  const alone = { a: { host: '10.0.0.1', role: 'master', env: '/srv/a/env' } };
  assert.equal(rules(alone), ['4:1 topology-single-copy']);
  assert.equal(rules({ a: { ...alone.a, backup: '/srv/a/backup' } }), [], 'a backup root beside the environment');
  assert.equal(rules({ a: { host: '10.0.0.1', role: 'master', layout: 'generic', root: '/srv/a' } }), [], 'a layout brings a backup root');
  // Two sites on one machine are one copy.
  const oneMachine = { a: { ...alone.a, host: '127.0.0.1' }, b: { host: 'localhost', port: '5011', role: 'replicant', env: '/srv/b/env' } };
  assert.equal(rules(oneMachine).filter((r) => r.includes('single-copy')), ['4:1 topology-single-copy', '9:1 topology-single-copy']);
  assert.match(found(alone)[0]!.message, /exists only once: no other machine in the group holds a replica/);
});

test('topology-shared-folder: two sites of one machine in one folder', () => {
  const sites = { a: { host: '10.0.0.1', role: 'master', env: '/srv/env', backup: '/srv/bk' }, b: { host: '10.0.0.1', port: '5011', role: 'replicant', env: '/srv/env', backup: '/srv/bk2' } };
  const p = found(sites).filter((x) => x.rule === 'topology-shared-folder');
  assert.equal(p.map((x) => x.at), ['14:7']);
  assert.match(p[0]!.message, /the environment of site "b", \/srv\/env, is also the environment of site "a" on the same machine/);
  assert.equal(rules({ ...sites, b: { ...sites.b, host: '10.0.0.2' } }), [], 'the same path on two machines is two folders');
});

test('topology-site-answers: what the generator refuses', () => {
  assert.equal(rules(vary({ a: { priority: '0' } })), ['8:12 topology-site-answers']);
  assert.match(found(vary({ a: { priority: '0' } }))[0]!.message, /site "a": a master needs a priority above 0/);
  assert.equal(rules(CLEAN, { ...GROUP, client_port: '5010' }), ['3:15 topology-site-answers', '3:15 topology-site-answers', '3:15 topology-site-answers']);
  assert.equal(rules(vary({ b: { client_port: '5010' } })), ['13:15 topology-site-answers']);
});

test('severities can be changed or a rule turned off', () => {
  const text = groupText(GROUP, vary({ a: { host: 'db1.example.com' } }));
  assert.equal(lint(text, { 'topology-prefer-ipv4': 'off' }).problems, []);
  assert.equal(lint(text, { 'topology-prefer-ipv4': 'error' }).problems.map((p) => p.severity), ['error']);
});

test('placing sites: layouts, env, targets, paths for another machine', () => {
  const place = (keys: Record<string, string>) => found(vary({ a: { env: '', ...keys } })).map((p) => `${p.at} ${p.rule} ${p.message}`);
  assert.equal(place({ layout: 'maitred', root: 'C:\\POSERA\\MAITRED' }), []);
  const placed = lint(groupText(GROUP, vary({ a: { env: '', layout: 'maitred', root: 'C:\\POSERA\\MAITRED' } }))).resolved!.sites[0]!;
  assert.equal([placed.target, placed.env, placed.dataRoot, placed.backupRoot], ['windows', 'C:\\POSERA\\MAITRED\\DATA', 'C:\\POSERA\\MAITRED\\DATA', 'C:\\POSERA\\MAITRED\\BACKUP']);
  assert.equal(place({ layout: 'nope', root: '/srv/a' }), ['7:10 topology-value unknown layout preset "nope"; the presets are generic, maitred, tapetrack']);
  assert.equal(place({ layout: 'generic' }), ['4:1 topology-missing site "a" uses the generic layout but gives no program, data, backup root; add root = DIR (one folder holding all three), or program, data and backup']);
  assert.equal(place({}), ['4:1 topology-missing site "a" has no environment directory; add env = DIR (where DB_CONFIG lives), or a layout (layout = PRESET, root = DIR)']);
  assert.equal(place({ env: 'relative/env' }), ['7:7 topology-value env: relative/env is not an absolute POSIX path (it must start with /); a relative path means nothing on another machine']);
  assert.equal(place({ root: '/srv/a', env: '/srv/a/other' }), ['7:7 topology-value env /srv/a/other is not the environment of the site\'s layout, /srv/a/data/env; remove env (the layout places it) or make them agree']);
  assert.equal(place({ root: '/srv/a', env: '/srv/a/data/env' }), [], 'env may repeat what the layout says');
  assert.match(place({ root: '/srv/a', target: 'windows' })[0]!, /^7:8 topology-value site "a": site "a" root \(line 7\): \/srv\/a is a POSIX path, and the target is Windows/);
  assert.match(place({ env: '/srv/a', backup: '/srv/a/bk' })[0]!, /backup \/srv\/a\/bk and env \/srv\/a are one inside the other/);
  assert.match(place({ program: '/opt/a', data: '/srv/a', backup: '/srv/a/backup' })[0]!, /the backup root \/srv\/a\/backup is inside the data root/);
});

test('machineOf: case, a trailing dot and every loopback name', () => {
  assert.equal(['DB1.Example.com.', '127.0.0.1', '127.1.2.3', 'LOCALHOST', '::1', '10.0.0.1'].map(machineOf), ['db1.example.com', 'loopback', 'loopback', 'loopback', 'loopback', '10.0.0.1']);
});

test.run();
