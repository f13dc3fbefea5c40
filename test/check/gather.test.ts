/** Gathering on loopback only: real listening sockets, a closed port, a real environment directory and layout manifest. */
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:net';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { evaluateSite } from '../../src/check/evaluate.js';
import { gatherSiteFacts, treeSize } from '../../src/check/gather.js';
import { probeBind, probeConnect, probeLocalPort, resolveHost } from '../../src/check/probe.js';
import { renderLayoutManifest } from '../../src/layout/manifest.js';
import { tempDir } from '../helpers.js';

const test = suite('check/gather');

function listen(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer((s) => s.destroy());
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** A port that was free a moment ago and that nothing listens on now. */
async function closedPort(): Promise<number> {
  const { server, port } = await listen();
  await close(server);
  return port;
}

test('probeConnect: a listening socket is listening, a closed port is refused', async () => {
  const { server, port } = await listen();
  try {
    assert.equal(await probeConnect('127.0.0.1', port, 2000), { state: 'listening' });
  } finally {
    await close(server);
  }
  assert.equal(await probeConnect('127.0.0.1', await closedPort(), 2000), { state: 'unreachable', code: 'ECONNREFUSED' });
});

test('probeLocalPort: listening, free, and an address that is not this machine\'s', async () => {
  const { server, port } = await listen();
  try {
    assert.equal(await probeLocalPort('127.0.0.1', port, 2000), { state: 'listening' });
  } finally {
    await close(server);
  }
  assert.equal(await probeLocalPort('127.0.0.1', await closedPort(), 2000), { state: 'free' });
  // 192.0.2.1 (TEST-NET-1) is never a local address: binding it fails without sending anything.
  assert.equal(await probeBind('192.0.2.1', await closedPort()), { state: 'unbindable', code: 'EADDRNOTAVAIL' });
});

test('resolveHost: an IPv4 literal is itself; an .invalid name does not resolve', async () => {
  assert.equal(await resolveHost('127.0.0.1'), { host: '127.0.0.1', addresses: [{ address: '127.0.0.1', family: 4 }] });
  const bad = await resolveHost('no-such-host.invalid');
  assert.equal(bad.addresses, []);
  assert.ok(bad.error !== undefined);
});

test('gatherSiteFacts: a site whose remote listens and whose other remote is closed, with a layout manifest and stale region files', async () => {
  const t = tempDir('provision-check-');
  const { server, port: remote } = await listen();
  try {
    const [local, closed] = [await closedPort(), await closedPort()];
    const env = path.join(t.dir, 'data', 'env');
    fs.mkdirSync(env, { recursive: true });
    fs.mkdirSync(path.join(t.dir, 'prg'));
    fs.mkdirSync(path.join(t.dir, 'backup'));
    fs.writeFileSync(path.join(t.dir, 'prg', 'provision-layout.ini'), renderLayoutManifest({ program: path.join(t.dir, 'prg'), data: path.join(t.dir, 'data'), backup: path.join(t.dir, 'backup'), environment: env, target: 'posix' }));
    fs.writeFileSync(path.join(env, 'DB_CONFIG'), `repmgr_site 127.0.0.1 ${local} db_local_site on\nrepmgr_site 127.0.0.1 ${remote} db_bootstrap_helper on\nrepmgr_site 127.0.0.1 ${closed}\n`);
    fs.writeFileSync(path.join(env, '__db.001'), Buffer.alloc(1000));
    fs.writeFileSync(path.join(env, 'log.0000000001'), Buffer.alloc(3000));
    fs.mkdirSync(path.join(env, '.provision-quarantine'));
    fs.writeFileSync(path.join(env, '.provision-quarantine', 'old'), Buffer.alloc(50_000));
    const old = new Date(Date.now() - 3600_000);
    fs.utimesSync(path.join(env, '__db.001'), old, old);

    const facts = await gatherSiteFacts({ name: 'db1', env, clientPort: local }, { timeoutMs: 2000 });
    assert.is(facts.config.source, 'DB_CONFIG');
    assert.equal(facts.config.local, { host: '127.0.0.1', port: local });
    assert.equal(facts.remotes.map((r) => [r.port, r.helper === true, r.probe.state]), [[remote, true, 'listening'], [closed, false, 'unreachable']]);
    assert.equal(facts.regions.map((r) => r.name), ['__db.001']);
    assert.is(facts.env.writable, true);
    assert.ok('root' in facts.backup && facts.backup.source === 'manifest' && facts.backup.root === path.join(t.dir, 'backup'), JSON.stringify(facts.backup));
    // The quarantine is not data: a backup never copies it.
    assert.is('dataBytes' in facts.backup ? facts.backup.dataBytes : -1, fs.statSync(path.join(env, 'DB_CONFIG')).size + 4000);

    const report = evaluateSite(facts);
    const status = Object.fromEntries(report.results.map((r) => [`${r.id} ${r.subject ?? ''}`, r.status]));
    assert.equal(status, {
      [`config ${path.join(env, 'DB_CONFIG')}`]: 'OK',
      [`env-writable ${env}`]: 'OK',
      'host-resolves 127.0.0.1': 'OK',
      // Region files mean the site has been started, and nothing listens on its port.
      [`local-port 127.0.0.1:${local}`]: 'CRITICAL',
      [`remote-reachable 127.0.0.1:${remote}`]: 'OK',
      [`remote-reachable 127.0.0.1:${closed}`]: 'WARNING',
      [`region-files ${env}`]: 'WARNING',
      [`backup-space ${path.join(t.dir, 'backup')}`]: 'OK',
      [`client-port ${local}`]: 'CRITICAL',
    });
    const before = await gatherSiteFacts({ name: 'db1', env, expect: 'stopped' }, { timeoutMs: 2000 });
    assert.is(evaluateSite(before).results.find((r) => r.id === 'local-port')?.status, 'OK');
  } finally {
    await close(server);
    t.cleanup();
  }
});

test('gatherSiteFacts: a missing environment, addresses from answers, no backup root', async () => {
  const t = tempDir('provision-check-');
  try {
    const env = path.join(t.dir, 'nope');
    const facts = await gatherSiteFacts({ name: env, env, planned: { local: { host: '127.0.0.1', port: await closedPort() }, remotes: [] } }, { timeoutMs: 500 });
    assert.is(facts.config.source, 'answers');
    assert.is(facts.env.exists, false);
    assert.ok('skipped' in facts.backup);
    const report = evaluateSite(facts);
    assert.is(report.status, 'CRITICAL');
    assert.equal(report.results.filter((r) => r.status !== 'OK').map((r) => [r.id, r.status]), [['config', 'WARNING'], ['env-writable', 'CRITICAL']]);
  } finally {
    t.cleanup();
  }
});

test('gatherSiteFacts: a backup root that does not exist is measured on its nearest existing folder', async () => {
  const t = tempDir('provision-check-');
  try {
    const env = path.join(t.dir, 'env');
    fs.mkdirSync(env);
    fs.writeFileSync(path.join(env, 'DB_CONFIG'), `repmgr_site 127.0.0.1 ${await closedPort()} db_local_site on\n`);
    const root = path.join(t.dir, 'mnt', 'backup', 'app');
    const facts = await gatherSiteFacts({ name: env, env, backupRoot: root }, { timeoutMs: 500 });
    assert.ok('root' in facts.backup && facts.backup.root === root && facts.backup.measuredAt === t.dir && facts.backup.freeBytes! > 0, JSON.stringify(facts.backup));
    const result = evaluateSite(facts).results.find((r) => r.id === 'backup-space')!;
    assert.is(result.status, 'WARNING', result.message);
    assert.match(result.message, /does not exist yet \(provision backup creates it\)/);
    fs.mkdirSync(root, { recursive: true });
    const made = await gatherSiteFacts({ name: env, env, backupRoot: root }, { timeoutMs: 500 });
    assert.is('root' in made.backup ? made.backup.measuredAt : undefined, root);
    assert.is(evaluateSite(made).results.find((r) => r.id === 'backup-space')?.status, 'OK');
    // Written with a trailing separator, an existing root is still the root.
    const slashed = await gatherSiteFacts({ name: env, env, backupRoot: `${root}${path.sep}` }, { timeoutMs: 500 });
    assert.is(evaluateSite(slashed).results.find((r) => r.id === 'backup-space')?.status, 'OK');
  } finally {
    t.cleanup();
  }
});

test('gatherSiteFacts: DB_CONFIG is linted (two local sites is an error; region files are left to region-files)', async () => {
  const t = tempDir('provision-check-');
  try {
    const env = path.join(t.dir, 'env');
    fs.mkdirSync(env);
    const [a, b] = [await closedPort(), await closedPort()];
    fs.writeFileSync(path.join(env, 'DB_CONFIG'), `repmgr_site 127.0.0.1 ${a} db_local_site on\nrepmgr_site 127.0.0.1 ${b} db_local_site on\n`);
    const facts = await gatherSiteFacts({ name: env, env, expect: 'stopped' }, { timeoutMs: 500 });
    assert.is(facts.config.lint?.errors, 1, JSON.stringify(facts.config.lint));
    assert.is(facts.config.lint?.first?.ruleId, 'local-site');
    assert.is(facts.config.lint?.first?.line, 2);
    const config = evaluateSite(facts).results.find((r) => r.id === 'config')!;
    assert.is(config.status, 'CRITICAL');
    assert.match(config.message, new RegExp(`${path.join(env, 'DB_CONFIG').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:\\d+: .*\\[local-site\\]`));

    // A duplicate setting is a lint warning; stale region files are region-files' to report, not the config's.
    fs.writeFileSync(path.join(env, 'DB_CONFIG'), `repmgr_site 127.0.0.1 ${a} db_local_site on\nset_lk_max_locks 1000\nset_lk_max_locks 2000\n`);
    const old = new Date(Date.now() - 3600_000);
    fs.writeFileSync(path.join(env, '__db.001'), '');
    fs.utimesSync(path.join(env, '__db.001'), old, old);
    const warned = await gatherSiteFacts({ name: env, env, expect: 'stopped' }, { timeoutMs: 500 });
    assert.equal([warned.config.lint?.errors, warned.config.lint?.warnings, warned.config.lint?.first?.ruleId], [0, 1, 'duplicate-setting']);
    assert.is(evaluateSite(warned).results.find((r) => r.id === 'config')?.status, 'WARNING');
    assert.is(evaluateSite(warned).results.find((r) => r.id === 'region-files')?.status, 'WARNING');
    // .provisionrc's rule settings apply, as they do for provision lint.
    const quiet = await gatherSiteFacts({ name: env, env, expect: 'stopped' }, { timeoutMs: 500, rules: { 'duplicate-setting': 'off' } });
    assert.equal(quiet.config.lint, { errors: 0, warnings: 0 });
    assert.is(evaluateSite(quiet).results.find((r) => r.id === 'config')?.status, 'OK');
  } finally {
    t.cleanup();
  }
});

test('treeSize: regular files below, links not followed', () => {
  const t = tempDir('provision-check-');
  try {
    fs.mkdirSync(path.join(t.dir, 'a', 'b'), { recursive: true });
    fs.writeFileSync(path.join(t.dir, 'a', 'x'), 'abc');
    fs.writeFileSync(path.join(t.dir, 'a', 'b', 'y'), '12345');
    fs.symlinkSync(path.join(t.dir, 'a'), path.join(t.dir, 'link'));
    assert.is(treeSize(t.dir), 8);
  } finally {
    t.cleanup();
  }
});

test.run();
