import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDbConfig } from '../../src/dbconfig/document.js';
import { lintDbConfig } from '../../src/lint/lint.js';
import { lintGroup } from '../../src/lint/group.js';
import { applyPlan, readIfExists } from '../../src/plan/apply.js';
import { effectiveChanges } from '../../src/plan/types.js';
import { renderTemplate } from '../../src/site/render.js';
import { buildSite } from '../../src/site/site.js';
import { topologySiteAnswers } from '../../src/topology/answers.js';
import { planTopology, RejectedTopology } from '../../src/topology/plan.js';
import type { ResolvedTopology } from '../../src/topology/sites.js';
import { filesBelow, ROOT, tempDir } from '../helpers.js';
import { CLEAN, groupText, lint, topologyFixture } from './load.js';

const template = (role: 'master' | 'replicant') => ({ name: `templates/${role}.DB_CONFIG.hbs`, text: fs.readFileSync(path.join(ROOT, 'templates', `${role}.DB_CONFIG.hbs`), 'utf8') });
const TEMPLATES = { master: template('master'), replicant: template('replicant') };
const EXPECTED = path.join(ROOT, 'fixtures/topology/three-sites.plan');

const example = () => lint(topologyFixture('three-sites.ini')).resolved!;
const plan = (resolved: ResolvedTopology, outDir: string) =>
  planTopology({ resolved, templates: TEMPLATES, outDir, read: readIfExists, exists: (d) => fs.existsSync(d), topologyName: 'three-sites.ini' });

test('a site becomes the generator\'s answers: role, env, local, the other sites, priority, group settings', () => {
  const resolved = example();
  assert.equal(topologySiteAnswers(resolved, 'main'), {
    role: 'master',
    answers: {
      ackPolicy: 'ONE', clientPort: '5000', connectionRetry: '1000000', env: 'C:\\POSERA\\MAITRED\\DATA', local: '10.0.0.1:5010',
      replicants: ['10.0.0.2:5010', '10.0.0.3:5011'], priority: '100',
    },
  });
  assert.equal(topologySiteAnswers(resolved, 'reports'), {
    role: 'replicant',
    answers: {
      ackPolicy: 'ONE', clientPort: '5000', connectionRetry: '1000000', env: '/srv/maitred/data/env', local: '10.0.0.3:5011',
      master: '10.0.0.1:5010', sites: ['10.0.0.2:5010'], priority: '0',
    },
  }, 'a replicant without priority gets the generator\'s default, 0');
  const site = buildSite('replicant', topologySiteAnswers(resolved, 'backup').answers).site!;
  assert.equal(site.remotes, [{ address: { host: '10.0.0.1', port: 5010 }, helper: true }, { address: { host: '10.0.0.3', port: 5011 }, helper: false }]);
  assert.is(site.priority, 50);
  assert.throws(() => topologySiteAnswers(resolved, 'nope'), /no placed site "nope"/);
});

test('the example\'s plan, byte for byte: DB_CONFIGs, layout scripts (ps1 for Windows paths), the runbook', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const planned = await plan(example(), dir);
    assert.equal(planned.warnings, []);
    applyPlan(planned.plan);
    const got = filesBelow(dir).map((f) => path.relative(dir, f)).sort();
    const want = filesBelow(EXPECTED).map((f) => path.relative(EXPECTED, f)).sort();
    assert.equal(got, want);
    assert.equal(want, ['backup/DB_CONFIG', 'backup/layout.ps1', 'main/DB_CONFIG', 'main/layout.ps1', 'reports/DB_CONFIG', 'reports/layout.sh', 'runbook.json', 'runbook.md'].map((f) => f.split('/').join(path.sep)));
    for (const f of want) assert.fixture(fs.readFileSync(path.join(dir, f), 'utf8'), fs.readFileSync(path.join(EXPECTED, f), 'utf8'), f);
  } finally {
    cleanup();
  }
});

test('every DB_CONFIG is what the generator renders for the site, lint-clean alone and as a group', async () => {
  const resolved = example();
  const { dir, cleanup } = tempDir();
  try {
    const planned = await plan(resolved, dir);
    for (const s of planned.sites) {
      const { role, answers } = topologySiteAnswers(resolved, s.name);
      assert.is(s.content.toString('utf8'), await renderTemplate(buildSite(role, answers).site!, TEMPLATES[role]), s.name);
      assert.equal(lintDbConfig(s.content).messages, [], s.name);
    }
    const group = lintGroup(planned.sites.map((s) => ({ filePath: s.name, doc: parseDbConfig(s.content) })));
    assert.equal([...group.values()].flat(), []);
  } finally {
    cleanup();
  }
});

test('re-running on an unchanged topology changes nothing; a hand-edited DB_CONFIG is merged, not replaced', async () => {
  const { dir, cleanup } = tempDir();
  try {
    applyPlan((await plan(example(), dir)).plan);
    const rerun = (await plan(example(), dir)).plan.changes;
    assert.equal(effectiveChanges({ changes: rerun }), [], 'nothing to do');
    const reasons = rerun.filter((c) => c.kind === 'write' && c.path.endsWith('DB_CONFIG')).map((c) => c.reason);
    assert.equal(reasons, ['unchanged DB_CONFIG of site "main" (master)', 'unchanged DB_CONFIG of site "backup" (replicant)', 'unchanged DB_CONFIG of site "reports" (replicant)']);
    const main = path.join(dir, 'main', 'DB_CONFIG');
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace('rep_set_priority 100\n', '# kept by hand\nrep_set_priority 100\nset_cachesize 0 1048576 1\n'));
    assert.equal(effectiveChanges((await plan(example(), dir)).plan), [], 'the settings the topology gives are still there');
    const changed = lint(topologyFixture('three-sites.ini').replace('priority = 100', 'priority = 90')).resolved!;
    const again = effectiveChanges((await plan(changed, dir)).plan);
    assert.equal(again.map((c) => path.relative(dir, c.path)), ['main/DB_CONFIG', 'runbook.md', 'runbook.json'].map((f) => f.split('/').join(path.sep)));
    const applied = applyPlan({ changes: again });
    assert.ok(applied[0]!.backup && fs.existsSync(applied[0]!.backup), 'the replaced file is kept');
    const text = fs.readFileSync(main, 'utf8');
    assert.match(text, /# kept by hand\nrep_set_priority 90\nset_cachesize 0 1048576 1\n/);
  } finally {
    cleanup();
  }
});

test('a topology with errors is refused with every error; warnings come with the plan', async () => {
  const text = groupText({ port: '5010' }, { ...CLEAN, b: { ...CLEAN.b, role: 'master' } });
  const resolved = lint(text, { 'topology-one-master': 'off' }).resolved!;
  try {
    await plan(resolved, '/nonexistent');
    assert.unreachable('refused');
  } catch (error) {
    assert.instance(error, RejectedTopology);
    assert.equal((error as RejectedTopology).problems.map((p) => p.ruleId), ['topology-one-master']);
  }
  const named = lint(groupText({ port: '5010' }, { ...CLEAN, a: { ...CLEAN.a, host: 'db1.example.com' } })).resolved!;
  const { dir, cleanup } = tempDir();
  try {
    const planned = await plan(named, dir);
    assert.equal(planned.warnings.map((w) => w.ruleId), ['topology-prefer-ipv4']);
    assert.equal(planned.sites[0]!.findings.map((f) => f.ruleId), ['prefer-ipv4'], 'the rendered file\'s own warning');
  } finally {
    cleanup();
  }
});

test('the runbook: stop replicants then the master, back up, layouts, configs, clean, master first, verify', () => {
  const steps = JSON.parse(fs.readFileSync(path.join(EXPECTED, 'runbook.json'), 'utf8')).steps as { phase: string; site: string; commands: string[] }[];
  assert.equal(steps.map((s) => `${s.phase} ${s.site}`), [
    'stop backup', 'stop reports', 'stop main', 'backup main',
    'layout main', 'layout backup', 'layout reports',
    'config main', 'config backup', 'config reports',
    'clean main', 'clean backup', 'clean reports',
    'start main', 'start backup', 'start reports',
    'verify main', 'verify backup', 'verify reports',
  ]);
  assert.match((steps[3] as unknown as { text: string }).text, /For a new group, whose data root does not exist yet, there is nothing to back up: skip this step\.$/);
  assert.equal(steps[3]!.commands, ['provision backup --data C:\\POSERA\\MAITRED\\DATA --to C:\\POSERA\\MAITRED\\BACKUP']);
  assert.equal(steps[9]!.commands, ['provision replicant --env /srv/maitred/data/env --local 10.0.0.3:5011 --master 10.0.0.1:5010 --site 10.0.0.2:5010 --priority 0 --ack-policy ONE --client-port 5000 --connection-retry 1000000 --yes']);
});

test('runbook commands quote what the shell would split', async () => {
  const text = groupText({ port: '5010' }, { a: { host: '::1', role: 'master', env: "/srv/it's here/env", backup: '/srv/bk' }, b: { host: '10.0.0.2', role: 'replicant', env: 'C:\\Program Files\\App\\env' } });
  const { dir, cleanup } = tempDir();
  try {
    const planned = await plan(lint(text).resolved!, dir);
    const config = planned.runbook.steps.filter((s) => s.phase === 'config').map((s) => s.commands[0]);
    assert.equal(config, [
      "provision master --env '/srv/it'\\''s here/env' --local '[::1]:5010' --replicant 10.0.0.2:5010 --priority 1 --ack-policy DB_REPMGR_ACKS_ONE --client-port 5000 --yes",
      "provision replicant --env 'C:\\Program Files\\App\\env' --local 10.0.0.2:5010 --master '[::1]:5010' --priority 0 --ack-policy DB_REPMGR_ACKS_ONE --client-port 5000 --yes",
    ]);
  } finally {
    cleanup();
  }
});

test.run();
