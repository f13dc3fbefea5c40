import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDbConfig, readStatements } from '../../src/index.js';
import { parseAnswersFile } from '../../src/site/answers-file.js';
import { renderTemplate } from '../../src/site/render.js';
import { buildSite, type Site } from '../../src/site/site.js';
import type { RawAnswers } from '../../src/site/questions.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../helpers.js';

const template = (role: string) => ({ name: `${role}.DB_CONFIG.hbs`, text: fs.readFileSync(path.join(ROOT, 'templates', `${role}.DB_CONFIG.hbs`), 'utf8') });

const REPLICANT: RawAnswers = { env: '/var/db/app', local: '10.0.0.2:5010', master: '10.0.0.1:5010', priority: '0', ackPolicy: 'one', clientPort: '5000' };
const MASTER: RawAnswers = { env: '/var/db/app', local: '10.0.0.1:5010', replicants: ['10.0.0.2:5010'], priority: '1', ackPolicy: 'DB_REPMGR_ACKS_ONE', clientPort: '5000' };

test('answers become a replicant site whose master is the bootstrap helper', () => {
  const { site, problems } = buildSite('replicant', REPLICANT);
  assert.equal(problems, []);
  assert.equal(site!.remotes, [{ address: { host: '10.0.0.1', port: 5010 }, helper: true }]);
  assert.is(site!.ackPolicy, 'DB_REPMGR_ACKS_ONE');
  assert.is(site!.groupCreator, false);
});

test('the master template renders a group creator and lists its replicants', async () => {
  const { site } = buildSite('master', MASTER);
  const text = await renderTemplate(site!, template('master'));
  assert.fixture(
    text,
    '# Berkeley DB replication: master site 10.0.0.1 port 5010.\n# Clients connect on port 5000; replication uses port 5010.\n# Start this master before its replicants.\nrep_set_priority 1\nrepmgr_site 10.0.0.1 5010 db_local_site on db_group_creator on\nrepmgr_site 10.0.0.2 5010\nrepmgr_set_ack_policy DB_REPMGR_ACKS_ONE\n',
  );
});

test('the replicant template renders the helper, extra sites and timeouts', async () => {
  const { site } = buildSite('replicant', { ...REPLICANT, sites: ['10.0.0.3:5010'], connectionRetry: '1000000' });
  const text = await renderTemplate(site!, template('replicant'));
  assert.fixture(
    text.split('\n').filter((l) => !l.startsWith('#')).join('\n'),
    'rep_set_priority 0\nrepmgr_site 10.0.0.2 5010 db_local_site on\nrepmgr_site 10.0.0.1 5010 db_bootstrap_helper on\nrepmgr_site 10.0.0.3 5010\nrepmgr_set_ack_policy DB_REPMGR_ACKS_ONE\nrep_set_timeout DB_REP_CONNECTION_RETRY 1000000\n',
  );
});

test('IPv6 addresses are written without brackets in DB_CONFIG', async () => {
  const { site } = buildSite('replicant', { ...REPLICANT, local: '[::1]:5011', master: '[::1]:5010' });
  const text = await renderTemplate(site!, template('replicant'));
  assert.ok(text.includes('repmgr_site ::1 5010 db_bootstrap_helper on'));
});

const problem = (role: 'master' | 'replicant', answers: RawAnswers) => {
  const { site, problems } = buildSite(role, answers);
  assert.is(site, undefined);
  return problems.map((p) => `${p.where}: ${p.message}`).join('\n');
};

test('every validation error names the flag and the answers-file key', () => {
  assert.match(problem('replicant', { ...REPLICANT, local: '10.0.0.2' }), /--local \(answers file: local\): "10.0.0.2" is not HOST:PORT/);
  assert.match(problem('replicant', { ...REPLICANT, master: '10.0.0.1:70000' }), /--master .*outside 1-65535/);
  assert.match(problem('replicant', { ...REPLICANT, master: REPLICANT.local! }), /this site's own address/);
  assert.match(problem('replicant', { ...REPLICANT, clientPort: '5010' }), /--client-port .*also the replication port/);
  assert.match(problem('master', { ...MASTER, priority: '0' }), /--priority .*a master needs a priority above 0/);
  assert.match(problem('replicant', { ...REPLICANT, priority: '-1' }), /--priority .*not a priority/);
  assert.match(problem('replicant', { ...REPLICANT, ackPolicy: 'most' }), /--ack-policy .*not an ack policy/);
  assert.match(problem('master', { ...MASTER, replicants: ['10.0.0.2:5010', '10.0.0.2:5010'] }), /named twice/);
  assert.match(problem('replicant', { ...REPLICANT, master: 'MASTER:5010', local: 'master:5011' }), /differs only in case/);
  assert.match(problem('replicant', { ...REPLICANT, connectionRetry: '1s' }), /--connection-retry .*microseconds/);
  assert.match(problem('replicant', { ...REPLICANT, master: undefined }), /--master \(answers file: master\): missing/);
});

test('values that could inject a line never reach a template', () => {
  const attacks = ['10.0.0.1\nrep_set_nsites 2:5010', '10.0.0.1 db_local_site on:5010', 'host#x:5010', 'ho\rst:5010', 'h\u0000:5010', 'h\tx:5010', '[::1]\n:5010'];
  for (const local of attacks) {
    assert.match(problem('replicant', { ...REPLICANT, local }), /--local/, `accepted ${JSON.stringify(local)}`);
  }
});

test('whatever is rendered from valid answers is a single line per directive', async () => {
  const { site } = buildSite('master', MASTER);
  const text = await renderTemplate(site as Site, template('master'));
  const directives = readStatements(parseDbConfig(text)).filter((s) => s.kind === 'directive');
  assert.equal(directives.map((s) => s.spec?.name), ['rep_set_priority', 'repmgr_site', 'repmgr_site', 'repmgr_set_ack_policy']);
});

test('a strict template refuses a misspelt field', async () => {
  const { site } = buildSite('master', MASTER);
  try {
    await renderTemplate(site!, { name: 'mine.hbs', text: 'rep_set_priority {{priorty}}\n' });
    assert.unreachable('rendered');
  } catch (error) {
    assert.match((error as Error).message, /template mine\.hbs: "priorty" not defined/);
  }
});

test('answers files: every key with its line, lists, and errors with line numbers', () => {
  const text = fs.readFileSync(path.join(ROOT, 'fixtures/answers/replicant.ini'), 'utf8');
  const { answers, problems } = parseAnswersFile(text, 'replicant');
  assert.equal(problems, []);
  assert.equal(answers.sites, ['10.0.0.3:5010']);
  assert.is(answers.connectionRetry, '1000000');
  const bad = parseAnswersFile('env = /x\nlokal = 1.2.3.4:1\n__proto__ = 1\nmaster = nope\nlocal = a:1\nlocal = b:2\n[x]\ny = 1\n', 'replicant');
  assert.equal(bad.problems.map((p) => p.line), [2, 3, 4, 6, 8]);
  assert.match(bad.problems[0]!.message, /unknown key "lokal"/);
  assert.match(bad.problems[3]!.message, /also set on line 5/);
  assert.match(parseAnswersFile('role = master\n', 'replicant').problems[0]!.message, /for a master, not a replicant/);
  assert.match(parseAnswersFile('replicants = a:1\n', 'replicant').problems[0]!.message, /does not apply to a replicant/);
  assert.equal(parseAnswersFile('root = /srv/app\ndata = /srv/data\n', 'master').problems, [], 'provision layout keys are left to it');
});

test.run();
