import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDbConfig, renderDbConfig } from '../../src/dbconfig/document.js';
import { lintDbConfig } from '../../src/lint/lint.js';
import { checkResult } from '../../src/migrate/check.js';
import { planFailover } from '../../src/migrate/failover.js';
import { moderniseDocument, planModernise } from '../../src/migrate/modernise.js';
import { readGroupDir, readSite } from '../../src/migrate/read-group.js';
import { planRenameHost } from '../../src/migrate/rename-host.js';
import { MigrationError, PRIORITY_WARNING } from '../../src/migrate/role.js';
import { configuredRole, describeDocument } from '../../src/migrate/site-edit.js';
import { planDemote, planPromote } from '../../src/migrate/single-site.js';
import { planRestoreMain, planTakeover } from '../../src/migrate/takeover.js';
import type { GroupSite, MigrationPlan } from '../../src/migrate/types.js';
import { effectiveChanges } from '../../src/plan/types.js';
import { ROOT } from '../helpers.js';

const test = suite('migrate plans');
const F = path.join(ROOT, 'fixtures', 'migrate');
const expected = (...p: string[]) => fs.readFileSync(path.join(F, 'expected', ...p));
const group = () => readGroupDir(path.join(F, 'group'));

/** The group as it would be after the plan. */
function after(sites: readonly GroupSite[], mp: MigrationPlan): GroupSite[] {
  return sites.map((s) => {
    const c = mp.plan.changes.find((ch) => ch.path === s.path);
    return c && c.kind === 'write' ? { ...s, bytes: c.after, doc: parseDbConfig(c.after) } : s;
  });
}

const roles = (sites: readonly GroupSite[]) => Object.fromEntries(sites.map((s) => [s.name, configuredRole(describeDocument(s.doc))]));

/** Crossing CRLF: the same group with every LF made CRLF. */
function crlf(sites: readonly GroupSite[]): GroupSite[] {
  return sites.map((s) => {
    const bytes = Buffer.from(s.bytes.toString('latin1').replace(/\n/g, '\r\n'), 'latin1');
    return { ...s, bytes, doc: parseDbConfig(bytes) };
  });
}

test('the fixture group has one master, a', () => {
  assert.equal(roles(group()), { a: 'master', b: 'replicant', c: 'replicant' });
});

test('failover --to b: byte-exact files, demoted master first, promoted last', () => {
  const sites = group();
  const mp = planFailover(sites, { to: 'b' });
  assert.equal(mp.siteOf, ['a', 'c', 'b']);
  for (const c of mp.plan.changes) {
    assert.ok(c.kind === 'write');
    const site = path.basename(path.dirname(c.path));
    assert.equal(c.after.toString('latin1'), expected('failover-to-b', site, 'DB_CONFIG').toString('latin1'), site);
    assert.is(lintDbConfig(c.after).errorCount, 0);
  }
  assert.equal(roles(after(sites, mp)), { a: 'replicant', b: 'master', c: 'replicant' });
  assert.ok(mp.warnings.includes(PRIORITY_WARNING));
  // The priorities the role changes replace, for the journal: a change back gives them back.
  assert.equal(mp.details, { master: 'b', previousMaster: 'a', 'priorityBefore:a': '1', 'priorityBefore:b': '0' });
});

test('failover: at no step of the apply order are two masters configured', () => {
  const sites = group();
  const mp = planFailover(sites, { to: 'c' });
  let current = sites;
  for (const c of mp.plan.changes) {
    current = after(current, { ...mp, plan: { changes: [c] } });
    const masters = Object.values(roles(current)).filter((r) => r === 'master').length;
    assert.ok(masters <= 1, `after writing ${c.path}: ${masters} masters`);
  }
  assert.equal(roles(current), { a: 'replicant', b: 'replicant', c: 'master' });
});

test('failover a second time has nothing to do', () => {
  const sites = group();
  const once = after(sites, planFailover(sites, { to: 'b' }));
  const again = planFailover(once, { to: 'b' });
  assert.is(effectiveChanges(again.plan).length, 0);
  assert.equal(again.warnings, []);
});

test('failover to the current master has nothing to do', () => {
  assert.is(planFailover(group(), { to: 'a' }).plan.changes.length, 0);
});

test('failover keeps CRLF files CRLF', () => {
  const sites = crlf(group());
  const mp = planFailover(sites, { to: 'b' });
  for (const c of mp.plan.changes) {
    assert.ok(c.kind === 'write');
    const site = path.basename(path.dirname(c.path));
    assert.is(c.after.toString('latin1'), expected('failover-to-b', site, 'DB_CONFIG').toString('latin1').replace(/\n/g, '\r\n'));
  }
});

test('failover adds the new master to a replicant that does not list it, as its bootstrap helper', () => {
  const sites = group().map((s) => {
    if (s.name !== 'c') return s;
    const bytes = Buffer.from(s.bytes.toString('latin1').replace('repmgr_site 10.0.0.2 5010\n', ''), 'latin1');
    return { ...s, bytes, doc: parseDbConfig(bytes) };
  });
  const c = planFailover(sites, { to: 'b' }).plan.changes.find((ch) => ch.path.endsWith('/c/DB_CONFIG'))!;
  assert.ok(c.kind === 'write');
  assert.match(c.after.toString(), /^repmgr_site 10\.0\.0\.1 5010\nrepmgr_site 10\.0\.0\.2 5010 db_bootstrap_helper on\nrepmgr_set_ack_policy/m);
});

test('failover to an unknown site names the sites there are', () => {
  assert.throws(() => planFailover(group(), { to: 'z' }), (e: Error) => e instanceof MigrationError && /--to z: no such site.*a, b, c/.test(e.message));
});

test('promote b alone: byte-exact, warns about the priority and the old master', () => {
  const mp = planPromote(group()[1]!);
  const c = mp.plan.changes[0]!;
  assert.ok(c.kind === 'write');
  assert.is(c.after.toString('latin1'), expected('promote-b.DB_CONFIG').toString('latin1'));
  assert.ok(mp.warnings.includes(PRIORITY_WARNING));
  assert.ok(mp.warnings.some((w) => /demote the old master first/.test(w)));
});

test('promote a master, demote a replicant: nothing to do', () => {
  const [a, b] = group();
  assert.is(planPromote(a!).plan.changes.length, 0);
  assert.is(planDemote(b!).plan.changes.length, 0);
});

test('demote a with a helper: byte-exact', () => {
  const mp = planDemote(group()[0]!, { helper: { host: '10.0.0.2', port: 5010 } });
  const c = mp.plan.changes[0]!;
  assert.ok(c.kind === 'write');
  assert.is(c.after.toString('latin1'), expected('demote-a.DB_CONFIG').toString('latin1'));
});

test('demote with a priority above 0 and no helper is refused: it would still read as master', () => {
  assert.throws(() => planDemote(group()[0]!, { priority: 5n }), /still read as a master/);
});

test('a helper that is the site itself is refused', () => {
  assert.throws(() => planDemote(group()[0]!, { helper: { host: '10.0.0.1', port: 5010 } }), /the site itself/);
});

test('takeover with the whole group is a failover recorded as a takeover', () => {
  const sites = group();
  const mp = planTakeover(sites, { to: 'b' });
  assert.is(mp.migration, 'takeover');
  assert.equal(mp.siteOf, ['a', 'c', 'b']);
  assert.equal(mp.details.previousMaster, 'a');
  assert.equal(mp.details.backup, 'b');
});

test('takeover --to b with the whole group: byte-exact files, CRLF kept', () => {
  for (const [label, sites] of [['LF', group()], ['CRLF', crlf(group())]] as const) {
    const mp = planTakeover(sites, { to: 'b' });
    assert.is(mp.plan.changes.length, 3, label);
    for (const c of mp.plan.changes) {
      assert.ok(c.kind === 'write');
      const site = path.basename(path.dirname(c.path));
      const want = expected('takeover-to-b', site, 'DB_CONFIG').toString('latin1');
      assert.is(c.after.toString('latin1'), label === 'LF' ? want : want.replace(/\n/g, '\r\n'), `${label} ${site}`);
    }
  }
});

test('takeover on the backup\'s file alone: byte-exact', () => {
  const mp = planTakeover([group()[1]!]);
  const c = mp.plan.changes[0]!;
  assert.ok(c.kind === 'write');
  assert.is(c.after.toString('latin1'), expected('takeover-b-alone.DB_CONFIG').toString('latin1'));
  assert.is(lintDbConfig(c.after).errorCount, 0);
});

test('takeover with only the backup\'s file warns that the old master still says master', () => {
  const b = group()[1]!;
  const mp = planTakeover([b]);
  assert.equal(mp.siteOf, ['b']);
  assert.is(mp.details.previousMasterAddress, '10.0.0.1:5010');
  assert.ok(mp.warnings.some((w) => /10\.0\.0\.1:5010.*still says master/.test(w)));
});

test('restore-main hands the role back: the files are the originals again', () => {
  const sites = group();
  const taken = after(sites, planTakeover(sites, { to: 'b' }));
  const back = planRestoreMain(taken, { main: 'a', backupPriority: { b: 0n } });
  assert.match(back.warnings[0]!, /a must hold every record b wrote while it was master: run a as a replicant of b/);
  const restored = after(taken, back);
  restored.forEach((s, i) => assert.ok(s.bytes.equals(sites[i]!.bytes), s.name));
});

test('rename-host changes the host on every file: byte-exact', () => {
  const mp = planRenameHost(group(), '10.0.0.2', 'db2.example.com');
  assert.is(mp.plan.changes.length, 3);
  for (const c of mp.plan.changes) {
    assert.ok(c.kind === 'write');
    const site = path.basename(path.dirname(c.path));
    assert.is(c.after.toString('latin1'), expected('rename-host', site, 'DB_CONFIG').toString('latin1'), site);
  }
});

test('rename-host: a second run has nothing to do; an unknown host is refused', () => {
  const sites = group();
  const renamed = after(sites, planRenameHost(sites, '10.0.0.2', 'db2.example.com'));
  assert.is(planRenameHost(renamed, '10.0.0.2', 'db2.example.com').plan.changes.length, 0);
  assert.throws(() => planRenameHost(sites, '10.9.9.9', 'x.example.com'), /names host "10\.9\.9\.9"/);
});

test('rename-host refuses a NEW host that would inject a line or is not a host', () => {
  for (const bad of ['db2\nrep_set_priority 9', 'db2 5010', 'db2\r', '', 'a_b!c', '[::1]']) {
    assert.throws(() => planRenameHost(group(), '10.0.0.2', bad), (e: Error) => e instanceof MigrationError && /new host/.test(e.message), JSON.stringify(bad));
  }
});

test('rename-host onto an address another site already uses is refused by the group rules', () => {
  assert.throws(() => planRenameHost(group(), '10.0.0.2', '10.0.0.3'), /group-duplicate-address/);
});

test('rename-host matches hosts exactly (case counts)', () => {
  assert.throws(() => planRenameHost(group(), '10.0.0.2 ', 'x.example.com'), /names host/);
});

test('modernise: byte-exact on a legacy CRLF file with a BOM', () => {
  const site = readSite('legacy', path.join(F, 'modernise', 'legacy-crlf.DB_CONFIG'));
  const mp = planModernise([site]);
  const c = mp.plan.changes[0]!;
  assert.ok(c.kind === 'write');
  assert.is(c.after.toString('latin1'), expected('modernise-legacy-crlf.DB_CONFIG').toString('latin1'));
  assert.is(c.after[0], '#'.charCodeAt(0), 'the BOM is gone');
  assert.not.match(c.after.toString('latin1'), /[^\r]\n/, 'every line stays CRLF');
  assert.is(lintDbConfig(c.after).errorCount, 0);
});

test('modernise is idempotent and leaves a modern file alone', () => {
  const legacy = readSite('legacy', path.join(F, 'modernise', 'legacy-crlf.DB_CONFIG'));
  const once = moderniseDocument(legacy.doc);
  assert.ok(renderDbConfig(moderniseDocument(once)).equals(renderDbConfig(once)));
  for (const s of group()) assert.is(planModernise([s]).plan.changes.length, 0);
});

test('modernise keeps rep_set_nsites in a base-replication file (no Replication Manager lines)', () => {
  const doc = parseDbConfig('rep_set_nsites 3\nrep_set_priority 1\n');
  assert.is(renderDbConfig(moderniseDocument(doc)).toString(), 'rep_set_nsites 3\nrep_set_priority 1\n');
});

test('modernise leaves hyphenated hosts alone', () => {
  const doc = parseDbConfig('repmgr_set_local_site db-host-1 5010\nrepmgr-site db-host-2 5010 db-bootstrap-helper on\n');
  assert.is(renderDbConfig(moderniseDocument(doc)).toString(), 'repmgr_site db-host-1 5010 db_local_site on\nrepmgr_site db-host-2 5010 db_bootstrap_helper on\n');
});

test('a result with two masters is refused', () => {
  const [a, b] = group();
  const promoted = planPromote(b!).plan.changes[0]!;
  assert.ok(promoted.kind === 'write');
  assert.throws(() => checkResult([a!, b!], new Map([['b', parseDbConfig(promoted.after)]])), /2 masters \(a, b\)/);
});

test('a demoted master with a priority above 0 still reads as a replicant: it has a bootstrap helper', () => {
  const sites = group();
  const mp = planFailover(sites, { to: 'b', demotedPriority: { a: 1n } });
  assert.equal(roles(after(sites, mp)), { a: 'replicant', b: 'master', c: 'replicant' });
});

test.run();
