/**
 * The Ansible example (examples/ansible) run by the real ansible-playbook
 * against three local hosts (ansible_connection=local, each with its own root
 * and loopback ports): --check writes nothing and shows the DB_CONFIG diffs,
 * a run provisions the group master first, a second run changes nothing, and
 * the three rendered environments replicate under the real Berkeley DB
 * (the master, then a replicant that keeps serving while the second joins). Every process is stopped in a finally.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { projectRoot, whyBdbUnavailable } from './bdb.js';
import { freePorts, leftoverRepsites, runClient, startMaster, startClient, type SiteRun } from './replication.js';

const test = suite('ansible');
const RECORDS = 50;
const RUN_MS = 15_000;
/** Bound on one ansible-playbook run (each takes a few seconds). */
const PLAYBOOK_MS = 120_000;
const HOSTS = ['db1', 'db2', 'db3'] as const;

/** Why ansible-playbook cannot be run here, or undefined when it can. */
function whyAnsibleUnavailable(): string | undefined {
  try {
    execFileSync('ansible-playbook', ['--version'], { stdio: 'ignore', timeout: 30_000 });
    return undefined;
  } catch (cause) {
    return `"ansible-playbook --version" failed (${(cause as Error).message.split('\n')[0]}); install Debian's ansible`;
  }
}

const unavailable = whyBdbUnavailable() ?? whyAnsibleUnavailable();

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface Group {
  readonly root: string;
  readonly inventory: string;
  readonly env: NodeJS.ProcessEnv;
  readonly ports: Record<(typeof HOSTS)[number], number>;
  readonly envDir: (host: (typeof HOSTS)[number]) => string;
}

/** A scratch folder holding the inventory, Ansible's home and temp folders, and one root per host. */
async function makeGroup(): Promise<Group> {
  const ports = await freePorts('127.0.0.1', 6);
  const scratch = join(projectRoot(), '.tmp', 'e2e');
  mkdirSync(scratch, { recursive: true });
  const root = mkdtempSync(join(scratch, 'ansible-'));
  for (const d of ['home', 'tmp']) mkdirSync(join(root, d));
  const line = (h: string, i: number) => `${h} provision_local=127.0.0.1:${ports[i]} provision_client_port=${ports[i + 3]} provision_root=${join(root, 'sites', h)}`;
  const inventory = join(root, 'inventory.ini');
  writeFileSync(
    inventory,
    [
      '[bdb_master]',
      line('db1', 0),
      '[bdb_replicants]',
      line('db2', 1),
      line('db3', 2),
      '[bdb_sites:children]',
      'bdb_master',
      'bdb_replicants',
      '[bdb_sites:vars]',
      'ansible_connection=local',
      'ansible_python_interpreter="{{ ansible_playbook_python }}"',
      // Replicants retry a lost connection after a second, so the test never waits long for a join.
      'provision_extra_args=["--connection-retry=1000000"]',
      '',
    ].join('\n'),
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: join(root, 'home'),
    ANSIBLE_CONFIG: join(projectRoot(), 'examples', 'ansible', 'ansible.cfg'),
    ANSIBLE_LOCAL_TEMP: join(root, 'tmp'),
    ANSIBLE_REMOTE_TEMP: join(root, 'tmp'),
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_FORCE_COLOR: '0',
    ANSIBLE_RETRY_FILES_ENABLED: '0',
    ANSIBLE_GATHERING: 'explicit',
    ANSIBLE_DEPRECATION_WARNINGS: '0',
    ANSIBLE_HOST_KEY_CHECKING: '0',
    ANSIBLE_PIPELINING: '1',
    PYTHONDONTWRITEBYTECODE: '1',
  };
  return {
    root,
    inventory,
    env,
    ports: { db1: ports[0]!, db2: ports[1]!, db3: ports[2]! },
    envDir: (h) => join(root, 'sites', h, 'data', 'env'),
  };
}

/** ansible-playbook on the example, with this checkout's bin as the provision command. */
function playbook(group: Group, ...extra: string[]): Promise<Run> {
  const command = JSON.stringify({ provision_command: [process.execPath, join(projectRoot(), 'bin', 'provision.js')] });
  const args = ['-i', group.inventory, join(projectRoot(), 'examples', 'ansible', 'site.yml'), '-e', command, ...extra];
  return new Promise((resolve) => {
    execFile('ansible-playbook', args, { cwd: group.root, env: group.env, encoding: 'utf8', timeout: PLAYBOOK_MS, killSignal: 'SIGKILL', maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = (error as { code?: unknown } | null)?.code;
      resolve({ status: error === null ? 0 : typeof code === 'number' ? code : null, stdout, stderr });
    });
  });
}

const show = (r: Run) => `exit ${r.status}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;

/** PLAY RECAP: host -> its counts. */
function recap(run: Run): Record<string, { ok: number; changed: number; failed: number; unreachable: number }> {
  const out: Record<string, { ok: number; changed: number; failed: number; unreachable: number }> = {};
  for (const m of run.stdout.matchAll(/^(\S+)\s*: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/gm)) {
    out[m[1]!] = { ok: Number(m[2]), changed: Number(m[3]), unreachable: Number(m[4]), failed: Number(m[5]) };
  }
  return out;
}

function assertRecap(run: Run, changed: (host: string, n: number) => boolean, what: string): void {
  const counts = recap(run);
  assert.equal(Object.keys(counts).sort(), [...HOSTS], `a recap line per host\n${show(run)}`);
  for (const [host, c] of Object.entries(counts)) {
    assert.is(c.failed + c.unreachable, 0, `${host} failed\n${show(run)}`);
    assert.ok(changed(host, c.changed), `${host}: changed=${c.changed}, expected ${what}\n${show(run)}`);
  }
}

const describeRun = (s: SiteRun | undefined) => (s === undefined ? 'not run' : `exit ${s.exitCode}${s.killed ? ' (had to be stopped)' : ''}\n${s.stdout}${s.stderr}`);

if (unavailable !== undefined) {
  if (process.env['PROVISION_E2E'] === 'required') {
    test('ansible-playbook and Berkeley DB are available (PROVISION_E2E=required)', () => {
      assert.unreachable(`PROVISION_E2E=required but the Ansible example cannot be tested: ${unavailable}`);
    });
  } else {
    console.log(`\n  NOTE: skipping the Ansible suite: ${unavailable}. Set PROVISION_E2E=required to make this a failure.\n`);
    test.skip('ansible (ansible-playbook or Berkeley DB not available)');
  }
} else {
  test('check mode, a run master first, a second run with nothing changed, and a group that replicates', async () => {
    const group = await makeGroup();
    let ok = false;
    try {
      const m = `127.0.0.1 ${group.ports.db1}`;

      const dry = await playbook(group, '--check', '--diff');
      assert.is(dry.status, 0, show(dry));
      assertRecap(dry, (_, n) => n === 2, 'layout and DB_CONFIG to change');
      assert.not.ok(existsSync(join(group.root, 'sites')), `--check wrote something\n${show(dry)}`);
      assert.match(dry.stdout, new RegExp(`\\+repmgr_site ${m} db_local_site on db_group_creator on\\n`));
      assert.match(dry.stdout, new RegExp(`\\+repmgr_site 127\\.0\\.0\\.1 ${group.ports.db3} db_local_site on\\n`));
      assert.match(dry.stdout, /create directory .*sites\/db2\/data\/env\n/);

      const first = await playbook(group);
      assert.is(first.status, 0, show(first));
      assertRecap(first, (_, n) => n === 2, 'layout and DB_CONFIG to change');
      // The master's play ends before any replicant's task starts.
      const lastMaster = first.stdout.lastIndexOf('[db1]');
      const firstReplicant = Math.min(first.stdout.indexOf('[db2]'), first.stdout.indexOf('[db3]'));
      assert.ok(lastMaster > 0 && lastMaster < firstReplicant, `master first\n${show(first)}`);
      for (const h of HOSTS) assert.ok(existsSync(join(group.envDir(h), 'DB_CONFIG')), `${h}'s DB_CONFIG`);
      assert.match(readFileSync(join(group.envDir('db2'), 'DB_CONFIG'), 'utf8'), new RegExp(`^repmgr_site ${m} db_bootstrap_helper on$`, 'm'));
      assert.match(readFileSync(join(group.envDir('db2'), 'DB_CONFIG'), 'utf8'), new RegExp(`^repmgr_site 127\\.0\\.0\\.1 ${group.ports.db3}$`, 'm'));
      assert.ok(existsSync(join(group.root, 'sites', 'db1', 'program', 'provision-layout.ini')));

      const second = await playbook(group);
      assert.is(second.status, 0, show(second));
      assertRecap(second, (_, n) => n === 0, 'changed=0');
      const files = (h: (typeof HOSTS)[number]) => readdirSync(group.envDir(h)).sort();
      assert.equal(files('db1'), ['DB_CONFIG'], 'no backup file: nothing was rewritten');

      const checkAgain = await playbook(group, '--check', '--diff');
      assert.is(checkAgain.status, 0, show(checkAgain));
      assertRecap(checkAgain, (_, n) => n === 0, 'changed=0');
      assert.not.match(checkAgain.stdout, /^\+repmgr_site/m);

      const master = await startMaster({ home: group.envDir('db1'), records: RECORDS, siteTimeoutMs: RUN_MS, readyMs: RUN_MS });
      let joined: SiteRun | undefined;
      let joining: SiteRun | undefined;
      let stopped: SiteRun;
      try {
        // NOTE: db2 keeps serving while db3 joins: a join needs a quorum of the group's members to acknowledge the
        // new membership, so with db2 gone (a member once it joined) db3 could never join. Servers keep running.
        const serving = await startClient({ home: group.envDir('db2'), records: RECORDS, siteTimeoutMs: RUN_MS, readyMs: RUN_MS });
        try {
          joining = await runClient({ home: group.envDir('db3'), records: RECORDS, siteTimeoutMs: RUN_MS / 2, timeoutMs: RUN_MS });
        } finally {
          joined = await serving.stop();
        }
      } finally {
        stopped = await master.stop();
      }
      const expected = { role: 'client', records: RECORDS, verified: true, writeRefused: true, status: 'client' };
      assert.equal(joined?.report, expected, `replicant db2: ${describeRun(joined)}\n--- master\n${describeRun(stopped)}`);
      assert.equal(joining?.report, expected, `replicant db3: ${describeRun(joining)}\n--- master\n${describeRun(stopped)}`);
      assert.is(stopped.report?.records, RECORDS, describeRun(stopped));
      ok = true;
    } finally {
      if (ok) rmSync(group.root, { recursive: true, force: true });
      else console.log(`\n  ansible: kept ${group.root}`);
    }
  });

  test('no repsite left running', () => {
    assert.equal(leftoverRepsites(), []);
  });
}

test.run();
