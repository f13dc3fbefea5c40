import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, tempDir } from '../helpers.js';
import { provision } from './run.js';

const test = suite('provision migrate --topology');
const F = path.join(ROOT, 'fixtures', 'topology');
const SITES = ['main', 'backup', 'reports'] as const;

/** The example topology and its rendered plan, copied: t.ini and plan/<site>/DB_CONFIG. */
function withPlan(body: (dir: string, ini: () => string, configs: () => Record<string, string>) => void): void {
  const { dir, cleanup } = tempDir();
  try {
    fs.copyFileSync(path.join(F, 'three-sites.ini'), path.join(dir, 't.ini'));
    fs.cpSync(path.join(F, 'three-sites.plan'), path.join(dir, 'plan'), { recursive: true });
    body(dir, () => fs.readFileSync(path.join(dir, 't.ini'), 'utf8'), () => Object.fromEntries(SITES.map((s) => [s, fs.readFileSync(path.join(dir, 'plan', s, 'DB_CONFIG'), 'utf8')])));
  } finally {
    cleanup();
  }
}

const original = fs.readFileSync(path.join(F, 'three-sites.ini'), 'utf8');
const originalConfigs = () => Object.fromEntries(SITES.map((s) => [s, fs.readFileSync(path.join(F, 'three-sites.plan', s, 'DB_CONFIG'), 'utf8')]));

test('takeover keeps the topology\'s role keys in step, line by line, and its priorities; restore-main brings every byte back', () => {
  withPlan((dir, ini, configs) => {
    const take = provision(['migrate', 'takeover', '--topology', 't.ini', '--group', 'plan', '--to', 'backup', '--confirm', 'backup', '--force'], { cwd: dir }); // --force: 10.0.0.1 is not probed
    assert.is(take.code, 0, take.stderr);
    assert.match(take.stdout, /wrote plan\/backup\/DB_CONFIG[^\n]*\nwrote t\.ini/, 'the topology is written last');
    const expected = original
      .replace('[site "main"]\nhost = 10.0.0.1\nrole = master\npriority = 100', '[site "main"]\nhost = 10.0.0.1\nrole = replicant\npriority = 100')
      .replace('[site "backup"]\nhost = 10.0.0.2\nrole = replicant', '[site "backup"]\nhost = 10.0.0.2\nrole = master');
    assert.is.not(expected, original);
    assert.is(ini(), expected, 'only the role values changed; comments and spacing stay');
    // The priorities the topology writes are the sites' own, whatever their role: main keeps 100 as a replicant.
    assert.match(configs().main!, /^rep_set_priority 100\r?$/m);
    assert.match(configs().backup!, /^rep_set_priority 50\r?$/m);
    assert.not.match(take.stderr, /durability/, 'no priority moved between 0 and non-zero');
    const lint = provision(['lint', '--topology', 't.ini'], { cwd: dir });
    assert.is(lint.code, 0, lint.stdout + lint.stderr);
    const back = provision(['migrate', 'restore-main', '--topology', 't.ini', '--group', 'plan', '--yes'], { cwd: dir });
    assert.is(back.code, 0, back.stderr);
    assert.is(ini(), original);
    assert.equal(configs(), originalConfigs());
    assert.match(provision(['migrate', 'restore-main', '--topology', 't.ini', '--group', 'plan', '--yes'], { cwd: dir }).stdout, /^Nothing to do/);
  });
});

test('failover without --to follows failover_order; without an order it asks for --to', () => {
  withPlan((dir, ini, configs) => {
    const over = provision(['migrate', 'failover', '--topology', 't.ini', '--group', 'plan', '--yes'], { cwd: dir });
    assert.is(over.code, 0, over.stderr);
    assert.match(over.stdout, /^backup takes over: the first site of failover_order in t\.ini that is not master \(--to SITE names another\)\.$/m);
    assert.match(over.stdout, /main: master -> replicant\nbackup: replicant -> master/);
    assert.match(ini(), /\[site "backup"\]\nhost = 10\.0\.0\.2\nrole = master/);
    assert.match(configs().backup!, /db_group_creator on/);
    // backup is master now and the only site of the order: nobody is left to take over.
    const again = provision(['migrate', 'failover', '--topology', 't.ini', '--group', 'plan', '--yes'], { cwd: dir });
    assert.is(again.code, 2, again.stdout + again.stderr);
    assert.match(again.stderr, /name the new master with --to SITE/);
  });
  withPlan((dir) => {
    fs.writeFileSync(path.join(dir, 't.ini'), original.replace(/^failover_order = .*\n/m, ''));
    const none = provision(['migrate', 'failover', '--topology', 't.ini', '--group', 'plan', '--dry-run'], { cwd: dir });
    assert.is(none.code, 2, none.stdout + none.stderr);
    assert.match(none.stderr, /name the new master with --to SITE/);
  });
});

test('rename-host renames the host key too; rollback restores the topology with the DB_CONFIGs', () => {
  withPlan((dir, ini, configs) => {
    const r = provision(['migrate', 'rename-host', '10.0.0.3', '10.0.0.30', '--topology', 't.ini', '--group', 'plan', '--yes'], { cwd: dir });
    assert.is(r.code, 0, r.stderr);
    assert.is(ini(), original.replace('host = 10.0.0.3\n', 'host = 10.0.0.30\n'));
    for (const s of SITES) assert.match(configs()[s]!, /^repmgr_site 10\.0\.0\.30 5011/m);
    const rb = provision(['migrate', 'rollback', '--group', 'plan', '--yes'], { cwd: dir });
    assert.is(rb.code, 0, rb.stderr);
    assert.is(ini(), original);
    assert.equal(configs(), originalConfigs());
  });
});

test('a topology with errors, or one that does not name a site of the group, is refused before anything is written', () => {
  withPlan((dir, ini, configs) => {
    fs.copyFileSync(path.join(F, 'broken-rules.ini'), path.join(dir, 'broken.ini'));
    const broken = provision(['migrate', 'failover', '--topology', 'broken.ini', '--group', 'plan', '--to', 'backup', '--yes'], { cwd: dir });
    assert.is(broken.code, 1);
    assert.match(broken.stderr, /^provision: refused: broken\.ini:\d+:\d+: .*fix the topology file first/);
    const renamed = original.replace('[site "reports"]', '[site "reporting"]').replace('failover_order = backup, reports', 'failover_order = backup, reporting');
    fs.writeFileSync(path.join(dir, 't.ini'), renamed);
    const unnamed = provision(['migrate', 'failover', '--topology', 't.ini', '--group', 'plan', '--to', 'backup', '--yes'], { cwd: dir });
    assert.is(unnamed.code, 1);
    assert.match(unnamed.stderr, /site reports of the group is not in the topology file/);
    assert.equal(configs(), originalConfigs());
    const missing = provision(['migrate', 'failover', '--topology', 'nope.ini', '--group', 'plan', '--to', 'backup', '--yes'], { cwd: dir });
    assert.is(missing.code, 2);
    assert.is(ini(), renamed);
  });
});

test.run();
