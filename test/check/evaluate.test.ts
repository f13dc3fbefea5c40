import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { evaluateSite, expectedState, formatBytes, worstStatus } from '../../src/check/evaluate.js';
import { checkToJson, formatCheckTable, formatNagios, NAGIOS_EXIT } from '../../src/check/format.js';
import type { CheckResult, SiteFacts } from '../../src/check/types.js';

const test = suite('check/evaluate');

/** A healthy site before its first start; each test bends one fact. */
function facts(over: Partial<SiteFacts> = {}): SiteFacts {
  return {
    name: '/srv/env',
    env: { path: '/srv/env', exists: true, isDirectory: true, writable: true },
    config: { path: '/srv/env/DB_CONFIG', exists: true, mtimeMs: 1000, source: 'DB_CONFIG', local: { host: '10.0.0.1', port: 5010 }, remotes: [{ host: '10.0.0.2', port: 5010 }] },
    regions: [],
    replicationIdentity: false,
    resolved: { host: '10.0.0.1', addresses: [{ address: '10.0.0.1', family: 4 }] },
    localPort: { state: 'free' },
    remotes: [{ host: '10.0.0.2', port: 5010, probe: { state: 'listening' } }],
    clientPort: 5000,
    backup: { root: '/backup', source: 'manifest', dataRoot: '/data', dataBytes: 100, freeBytes: 1000 },
    timeoutMs: 2000,
    ...over,
  };
}

const byId = (f: SiteFacts, id: CheckResult['id']) => evaluateSite(f).results.filter((r) => r.id === id);
const one = (f: SiteFacts, id: CheckResult['id']) => {
  const found = byId(f, id);
  assert.is(found.length, 1, `one ${id} result`);
  return found[0]!;
};

test('a healthy site before its first start: every check OK, in a fixed order', () => {
  const report = evaluateSite(facts());
  assert.is(report.status, 'OK');
  assert.equal(report.results.map((r) => r.id), ['config', 'env-writable', 'host-resolves', 'local-port', 'remote-reachable', 'backup-space', 'client-port']);
  assert.ok(report.results.every((r) => r.status === 'OK'), JSON.stringify(report.results));
});

test('before or after the first start: region files or __db.rep.* mean running; --expect wins', () => {
  assert.is(expectedState(facts()).expect, 'stopped');
  assert.is(expectedState(facts({ regions: [{ name: '__db.001', mtimeMs: 2000 }] })).expect, 'running');
  assert.is(expectedState(facts({ replicationIdentity: true })).expect, 'running');
  assert.is(expectedState(facts({ replicationIdentity: true, expect: 'stopped' })).expect, 'stopped');
  assert.is(expectedState(facts({ expect: 'running' })).expect, 'running');
});

test('local-port: free before the first start is OK, listening then is CRITICAL', () => {
  assert.is(one(facts(), 'local-port').status, 'OK');
  const busy = one(facts({ localPort: { state: 'listening' } }), 'local-port');
  assert.is(busy.status, 'CRITICAL');
  assert.match(busy.message, /already listening/);
  const held = one(facts({ localPort: { state: 'unbindable', code: 'EADDRINUSE' } }), 'local-port');
  assert.is(held.status, 'CRITICAL');
  assert.match(held.message, /another process holds it/);
  assert.match(one(facts({ localPort: { state: 'unbindable', code: 'EACCES' } }), 'local-port').message, /below 1024/);
  assert.match(one(facts({ localPort: { state: 'unbindable', code: 'ENOTFOUND' } }), 'local-port').message, /cannot be bound \(ENOTFOUND\): 10\.0\.0\.1 does not resolve$/);
  const foreign = one(facts({ localPort: { state: 'unbindable', code: 'EADDRNOTAVAIL' } }), 'local-port');
  assert.match(foreign.message, /not an address of this machine/);
});

test('local-port: after the first start it must listen', () => {
  const started = { replicationIdentity: true, regions: [{ name: '__db.001', mtimeMs: 2000 }] };
  assert.is(one(facts({ ...started, localPort: { state: 'listening' } }), 'local-port').status, 'OK');
  const down = one(facts({ ...started, localPort: { state: 'free' } }), 'local-port');
  assert.is(down.status, 'CRITICAL');
  assert.match(down.message, /nothing listens on 10\.0\.0\.1:5010/);
  assert.is(one(facts({ expect: 'running', localPort: { state: 'listening' } }), 'local-port').status, 'OK');
});

test('local-port: a started site whose local host is not this machine\'s is not told to start its server here', () => {
  const started = { regions: [{ name: '__db.001', mtimeMs: 2000 }] };
  const foreign = one(facts({ ...started, localPort: { state: 'unbindable', code: 'EADDRNOTAVAIL' } }), 'local-port');
  assert.is(foreign.status, 'CRITICAL');
  assert.match(foreign.message, /10\.0\.0\.1 is not an address of this machine \(EADDRNOTAVAIL\)/);
  assert.match(foreign.message, /run provision check on that machine/);
  assert.not.match(foreign.message, /start the server/);
  const unresolved = one(facts({ ...started, localPort: { state: 'unbindable', code: 'ENOTFOUND' } }), 'local-port');
  assert.match(unresolved.message, /10\.0\.0\.1 does not resolve/);
  assert.not.match(unresolved.message, /start the server/);
  assert.match(one(facts({ ...started, localPort: { state: 'free' } }), 'local-port').message, /start the server/);
});

test('remote-reachable: one result per remote; unreachable is a WARNING that names a bootstrap helper', () => {
  const f = facts({
    remotes: [
      { host: '10.0.0.2', port: 5010, helper: true, probe: { state: 'unreachable', code: 'ETIMEDOUT' } },
      { host: '10.0.0.3', port: 5010, probe: { state: 'unreachable', code: 'ECONNREFUSED' } },
      { host: 'fe80::1', port: 5010, probe: { state: 'listening' } },
    ],
  });
  const results = byId(f, 'remote-reachable');
  assert.equal(results.map((r) => [r.subject, r.status]), [['10.0.0.2:5010', 'WARNING'], ['10.0.0.3:5010', 'WARNING'], ['[fe80::1]:5010', 'OK']]);
  assert.match(results[0]!.message, /no answer within 2000 ms.*bootstrap helper/);
  assert.match(results[1]!.message, /ECONNREFUSED/);
  assert.not.match(results[1]!.message, /helper/);
  assert.is(evaluateSite(f).status, 'WARNING');
});

test('host-resolves: unresolvable is CRITICAL, IPv6 only is a WARNING, a name resolving to IPv4 is OK', () => {
  assert.is(one(facts({ resolved: { host: 'nowhere.invalid', addresses: [], error: 'ENOTFOUND' } }), 'host-resolves').status, 'CRITICAL');
  const v6 = one(facts({ resolved: { host: 'db1', addresses: [{ address: '::1', family: 6 }] } }), 'host-resolves');
  assert.is(v6.status, 'WARNING');
  assert.match(v6.message, /IPv6 only.*IPv4/);
  const named = one(facts({ resolved: { host: 'localhost', addresses: [{ address: '::1', family: 6 }, { address: '127.0.0.1', family: 4 }] } }), 'host-resolves');
  assert.is(named.status, 'OK');
  assert.match(named.message, /localhost resolves to ::1, 127\.0\.0\.1/);
});

test('env-writable: missing, not a directory, read-only are CRITICAL', () => {
  assert.is(one(facts({ env: { path: '/x', exists: false, isDirectory: false, writable: false } }), 'env-writable').status, 'CRITICAL');
  assert.match(one(facts({ env: { path: '/x', exists: true, isDirectory: false, writable: false } }), 'env-writable').message, /not a directory/);
  assert.match(one(facts({ env: { path: '/x', exists: true, isDirectory: true, writable: false, error: 'EACCES' } }), 'env-writable').message, /not writable \(EACCES\)/);
});

test('region-files: older than DB_CONFIG is a WARNING naming provision clean; none means no result', () => {
  assert.is(byId(facts(), 'region-files').length, 0);
  const stale = one(facts({ expect: 'running', regions: [{ name: '__db.001', mtimeMs: 500 }, { name: '__db.002', mtimeMs: 1500 }] }), 'region-files');
  assert.is(stale.status, 'WARNING');
  assert.match(stale.message, /^__db\.001 is older than DB_CONFIG.*provision clean --env \/srv\/env/);
  assert.is(one(facts({ regions: [{ name: '__db.001', mtimeMs: 1500 }] }), 'region-files').status, 'OK');
});

test('backup-space: less free than the data is CRITICAL; skipped says why; unmeasurable is a WARNING', () => {
  const short = one(facts({ backup: { root: '/backup', source: 'flag', dataRoot: '/data', dataBytes: 5 * 1024 * 1024, freeBytes: 1024 } }), 'backup-space');
  assert.is(short.status, 'CRITICAL');
  assert.match(short.message, /1\.0 KiB free, less than one copy of the 5\.0 MiB of data in \/data/);
  const skipped = one(facts({ backup: { skipped: 'no layout manifest' } }), 'backup-space');
  assert.is(skipped.status, 'OK');
  assert.match(skipped.message, /^skipped: no layout manifest/);
  assert.is(one(facts({ backup: { root: '/backup', source: 'flag', dataRoot: '/data', error: 'EACCES' } }), 'backup-space').status, 'WARNING');
});

test('backup-space: a backup root that does not exist yet is a WARNING naming the folder measured', () => {
  const missing = one(facts({ backup: { root: '/mnt/backup/app', measuredAt: '/mnt', source: 'flag', dataRoot: '/data', dataBytes: 100, freeBytes: 1000 } }), 'backup-space');
  assert.is(missing.status, 'WARNING');
  assert.match(missing.message, /^the backup root \/mnt\/backup\/app does not exist yet \(provision backup creates it\); 1000 B free on the file system of \/mnt, its nearest existing folder/);
  assert.match(missing.message, /mount it/);
  const short = one(facts({ backup: { root: '/mnt/backup/app', measuredAt: '/mnt', source: 'flag', dataRoot: '/data', dataBytes: 2000, freeBytes: 1000 } }), 'backup-space');
  assert.is(short.status, 'CRITICAL');
  assert.match(short.message, /does not exist yet.*less than one copy/);
  assert.is(one(facts({ backup: { root: '/backup', measuredAt: '/backup', source: 'flag', dataRoot: '/data', dataBytes: 100, freeBytes: 1000 } }), 'backup-space').status, 'OK');
});

test('client-port: equal to the replication port is CRITICAL; unknown means no result', () => {
  assert.is(one(facts({ clientPort: 5010 }), 'client-port').status, 'CRITICAL');
  const { clientPort: _unused, ...rest } = facts();
  assert.is(byId(rest as SiteFacts, 'client-port').length, 0);
});

test('config: missing with no answers is CRITICAL; from answers is a WARNING; no local site is CRITICAL', () => {
  const none = evaluateSite(facts({ config: { path: '/srv/env/DB_CONFIG', exists: false, source: 'none', remotes: [] }, remotes: [] }));
  assert.is(none.status, 'CRITICAL');
  assert.match(none.results[0]!.message, /does not exist/);
  assert.is(one(facts({ config: { path: '/srv/env/DB_CONFIG', exists: false, source: 'answers', local: { host: '10.0.0.1', port: 5010 }, remotes: [] } }), 'config').status, 'WARNING');
  assert.match(one(facts({ config: { path: '/srv/env/DB_CONFIG', exists: true, source: 'DB_CONFIG', remotes: [] } }), 'config').message, /no local site/);
});

test('config: lint errors are CRITICAL and lint warnings a WARNING, naming the first finding as file:line:col', () => {
  const config = facts().config;
  const finding = { line: 2, column: 1, ruleId: 'local-site', message: 'Two different local sites' };
  const errors = one(facts({ config: { ...config, lint: { errors: 2, warnings: 1, first: finding } } }), 'config');
  assert.is(errors.status, 'CRITICAL');
  assert.is(errors.message, 'lint finds 2 errors and 1 warning in /srv/env/DB_CONFIG, the first /srv/env/DB_CONFIG:2:1: Two different local sites [local-site]; run provision lint /srv/env/DB_CONFIG');
  const warnings = one(facts({ config: { ...config, lint: { errors: 0, warnings: 1, first: { line: 3, column: 13, ruleId: 'prefer-ipv4', message: 'a host name' } } } }), 'config');
  assert.is(warnings.status, 'WARNING');
  assert.match(warnings.message, /^lint finds 1 warning in \/srv\/env\/DB_CONFIG, the first \/srv\/env\/DB_CONFIG:3:13: a host name \[prefer-ipv4\]/);
  assert.is(one(facts({ config: { ...config, lint: { errors: 0, warnings: 0 } } }), 'config').status, 'OK');
});

test('worstStatus, formatBytes', () => {
  assert.is(worstStatus([]), 'OK');
  assert.is(worstStatus(['OK', 'CRITICAL', 'WARNING']), 'CRITICAL');
  assert.is(formatBytes(512), '512 B');
  assert.is(formatBytes(1536), '1.5 KiB');
});

test('nagios: the status line comes first and names the worst checks; exit codes 0/1/2', () => {
  const report = evaluateSite(facts({ clientPort: 5010, remotes: [{ host: '10.0.0.2', port: 5010, probe: { state: 'unreachable', code: 'ECONNREFUSED' } }] }));
  const lines = formatNagios([report]).trimEnd().split('\n');
  assert.is(lines[0], 'PROVISION CHECK CRITICAL - client-port 5010 (1 critical, 1 warning, 5 ok)');
  assert.match(lines[1]!, /^CRITICAL: client-port 5010: /);
  assert.match(lines[2]!, /^WARNING: remote-reachable 10\.0\.0\.2:5010: /);
  assert.equal(NAGIOS_EXIT, { OK: 0, WARNING: 1, CRITICAL: 2 });
  assert.is(formatNagios([evaluateSite(facts())]).split('\n')[0], 'PROVISION CHECK OK - 7 checks ok');
});

test('table and JSON: several sites are named; the JSON carries status and counts', () => {
  const a = evaluateSite({ ...facts(), name: 'db1' });
  const b = evaluateSite({ ...facts({ clientPort: 5010 }), name: 'db2' });
  const table = formatCheckTable([a, b]);
  assert.match(table, /^db1 \(\/srv\/env\): OK\nSTATUS +CHECK +SUBJECT +MESSAGE\n/);
  assert.match(table, /db2 \(\/srv\/env\): CRITICAL/);
  assert.match(table, /CRITICAL: 13 ok, 0 warnings, 1 critical\n$/);
  const json = checkToJson([a, b]) as { status: string; counts: Record<string, number>; sites: { name: string }[] };
  assert.is(json.status, 'CRITICAL');
  assert.equal(json.counts, { OK: 13, WARNING: 0, CRITICAL: 1 });
  assert.equal(json.sites.map((s) => s.name), ['db1', 'db2']);
});

test.run();
