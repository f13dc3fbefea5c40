import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inTemp, ROOT } from '../helpers.js';
import { provision } from './run.js';

const REPLICANT = ['replicant', '--env', 'env', '--local', '10.0.0.2:5010', '--master', '10.0.0.1:5010', '--yes'];

const backups = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.bak'));

test('without a terminal a missing answer is an error naming the flag and the answers-file key', () => {
  inTemp((dir) => {
    const r = provision(['replicant', '--env', 'env', '--local', '10.0.0.2:5010'], { cwd: dir });
    assert.is(r.code, 2);
    assert.is(r.stderr, 'provision: missing answer: the master: HOST:PORT of its replication port; give --master (answers file: master) (no prompts: not a terminal)\n');
    assert.not.ok(fs.existsSync(path.join(dir, 'env')));
  });
});

test('flags write a new DB_CONFIG; the same run again changes nothing and says so', () => {
  inTemp((dir) => {
    const first = provision(REPLICANT, { cwd: dir });
    assert.is(first.code, 0, first.stderr);
    assert.match(first.stdout, /wrote env\/DB_CONFIG/);
    assert.match(first.stdout, /Next steps:\n  1\. Stop the server/);
    const file = path.join(dir, 'env/DB_CONFIG');
    const written = fs.readFileSync(file);
    const mtime = fs.statSync(file).mtimeMs;
    const second = provision(REPLICANT, { cwd: dir });
    assert.is(second.code, 0);
    assert.match(second.stdout, /env\/DB_CONFIG is unchanged/);
    assert.ok(fs.readFileSync(file).equals(written));
    assert.is(fs.statSync(file).mtimeMs, mtime);
    assert.equal(backups(path.join(dir, 'env')), []);
  });
});

test('--dry-run shows the diff and writes nothing; --json emits the plan and next steps', () => {
  inTemp((dir) => {
    const dry = provision([...REPLICANT, '--dry-run'], { cwd: dir });
    assert.is(dry.code, 0);
    assert.match(dry.stdout, /\+repmgr_site 10\.0\.0\.1 5010 db_bootstrap_helper on\n/);
    assert.match(dry.stdout, /Dry run: nothing was written/);
    assert.not.ok(fs.existsSync(path.join(dir, 'env')));
    const json = JSON.parse(provision([...REPLICANT, '--dry-run', '--json'], { cwd: dir }).stdout) as {
      dryRun: boolean; changed: boolean; unchanged: boolean; changes: { kind: string; content?: string }[]; nextSteps: string[];
    };
    assert.is(json.dryRun, true);
    assert.is(json.unchanged, false);
    assert.is(json.changed, true, 'a dry run says what the real run would change');
    assert.equal(json.changes.map((c) => c.kind), ['mkdir', 'write']);
    assert.match(json.changes[1]!.content!, /^rep_set_priority 0$/m);
    assert.ok(json.nextSteps.length >= 4);
  });
});

test('--json says whether the run changed anything: true when it writes, false on the second run', () => {
  inTemp((dir) => {
    const first = provision([...REPLICANT, '--json'], { cwd: dir });
    assert.is(first.code, 0, first.stderr);
    assert.equal((JSON.parse(first.stdout) as { changed: boolean; unchanged: boolean }).changed, true);
    const second = JSON.parse(provision([...REPLICANT, '--json'], { cwd: dir }).stdout) as { changed: boolean; unchanged: boolean; applied: unknown[] };
    assert.is(second.changed, false);
    assert.is(second.unchanged, true);
    assert.equal(second.applied, []);
  });
});

test('an answers file gives the answers; flags win over it; its errors name file and line', () => {
  inTemp((dir) => {
    fs.writeFileSync(path.join(dir, 'site.ini'), 'env = env\nlocal = 10.0.0.2:5010\nmaster = 10.0.0.1:5010\npriority = 0\n');
    const r = provision(['replicant', '--answers', 'site.ini', '--master', '10.0.0.9:5010'], { cwd: dir });
    assert.is(r.code, 0, r.stderr);
    assert.match(fs.readFileSync(path.join(dir, 'env/DB_CONFIG'), 'utf8'), /^repmgr_site 10\.0\.0\.9 5010 db_bootstrap_helper on$/m);
    fs.writeFileSync(path.join(dir, 'bad.ini'), '; site\nenv = env\nlocal = 10.0.0.2\n');
    const bad = provision(['replicant', '--answers', 'bad.ini', '--yes'], { cwd: dir });
    assert.is(bad.code, 2);
    assert.is(bad.stderr, 'provision: bad.ini:3: local: "10.0.0.2" is not HOST:PORT\n');
  });
});

test('the shipped example answers file works', () => {
  inTemp((dir) => {
    const text = fs.readFileSync(path.join(ROOT, 'fixtures/answers/replicant.ini'), 'utf8').replace('/var/db/tapetrack', path.join(dir, 'env'));
    fs.writeFileSync(path.join(dir, 'replicant.ini'), text);
    const r = provision(['replicant', '--answers', 'replicant.ini', '--json'], { cwd: dir });
    assert.is(r.code, 0, r.stderr);
    assert.match(fs.readFileSync(path.join(dir, 'env/DB_CONFIG'), 'utf8'), /^rep_set_timeout DB_REP_CONNECTION_RETRY 1000000$/m);
  });
});

test('a value that would inject a directive is refused before anything is written', () => {
  inTemp((dir) => {
    for (const local of ['10.0.0.2\nrep_set_nsites 3:5010', '10.0.0.2 db_group_creator on:5010', '10.0.0.2#x:5010']) {
      const r = provision(['replicant', '--env', 'env', '--local', local, '--master', '10.0.0.1:5010', '--yes'], { cwd: dir });
      assert.is(r.code, 2, local);
      assert.match(r.stderr, /^provision: --local: /);
      assert.is(r.stderr.split('\n').length, 2, 'one line');
    }
    assert.not.ok(fs.existsSync(path.join(dir, 'env')));
  });
});

test('an existing vendor file is updated in place, with a backup of the old one', () => {
  inTemp((dir) => {
    fs.mkdirSync(path.join(dir, 'env'));
    const vendor = fs.readFileSync(path.join(ROOT, 'fixtures/vendor/tapetrack-shipped.DB_CONFIG'));
    fs.writeFileSync(path.join(dir, 'env/DB_CONFIG'), vendor);
    fs.writeFileSync(path.join(dir, 'env/__db.001'), '');
    const r = provision(REPLICANT, { cwd: dir });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: Region files __db\.001 exist/);
    assert.match(r.stdout, /remove the region files __db\.001/);
    const after = fs.readFileSync(path.join(dir, 'env/DB_CONFIG'), 'utf8');
    assert.match(after, /^#rep_set_priority 1$/m);
    assert.match(after, /^rep_set_priority 0$/m);
    const saved = backups(path.join(dir, 'env'));
    assert.is(saved.length, 1);
    assert.ok(fs.readFileSync(path.join(dir, 'env', saved[0]!)).equals(vendor));
  });
});

test('an existing file lint rejects is refused and left as it was', () => {
  inTemp((dir) => {
    fs.mkdirSync(path.join(dir, 'env'));
    const broken = 'frobnicate 1\nrep_set_priority 5\n';
    fs.writeFileSync(path.join(dir, 'env/DB_CONFIG'), broken);
    const r = provision(REPLICANT, { cwd: dir });
    assert.is(r.code, 1);
    assert.match(r.stderr, /line 1 "frobnicate 1": Unknown directive.*run provision lint/);
    assert.is(fs.readFileSync(path.join(dir, 'env/DB_CONFIG'), 'utf8'), broken);
  });
});

test('a user template that renders something lint rejects is never written', () => {
  inTemp((dir) => {
    fs.mkdirSync(path.join(dir, 'tpl'));
    fs.writeFileSync(path.join(dir, 'tpl/replicant.DB_CONFIG.hbs'), 'rep_set_priority {{priority}}\nrepmgr_site {{local.host}}:{{local.port}} db_local_site on\n');
    const r = provision([...REPLICANT, '--templates', 'tpl'], { cwd: dir });
    assert.is(r.code, 1);
    assert.match(r.stderr, /template tpl\/replicant\.DB_CONFIG\.hbs rendered line 2 "repmgr_site 10\.0\.0\.2:5010 db_local_site on": .*host-port-token/);
    assert.not.ok(fs.existsSync(path.join(dir, 'env')));
  });
});

test('a master lists its replicants and creates the group', () => {
  inTemp((dir) => {
    const r = provision(['master', '--env', 'm', '--local', '[::1]:5010', '--replicant', '[::1]:5011', '--replicant', '[::1]:5012', '--yes'], { cwd: dir });
    assert.is(r.code, 0, r.stderr);
    const text = fs.readFileSync(path.join(dir, 'm/DB_CONFIG'), 'utf8');
    assert.match(text, /^repmgr_site ::1 5010 db_local_site on db_group_creator on\nrepmgr_site ::1 5011\nrepmgr_site ::1 5012\n/m);
  });
});

test('lint warnings of the written file are shown; --json reports what was written and the backup', () => {
  inTemp((dir) => {
    const first = provision(['master', '--env', 'env', '--local', 'db1.example.com:5010', '--yes'], { cwd: dir });
    assert.is(first.code, 0, first.stderr);
    assert.match(first.stderr, /warning: env\/DB_CONFIG:5:13: Site "db1\.example\.com" is a host name.*\[prefer-ipv4\]/);
    const second = provision(['master', '--env', 'env', '--local', '10.0.0.1:5010', '--yes', '--json'], { cwd: dir });
    const json = JSON.parse(second.stdout) as { applied: { path: string; status: string; backup?: string }[] };
    assert.is(json.applied.length, 1);
    assert.is(json.applied[0]!.status, 'written');
    assert.match(json.applied[0]!.backup!, /^env\/DB_CONFIG\.\d{8}T\d{6}Z\.bak$/);
  });
});

test('a dry run with changes also prints the next steps; a bad --keep-backups is refused', () => {
  inTemp((dir) => {
    const dry = provision([...REPLICANT, '--dry-run'], { cwd: dir });
    assert.match(dry.stdout, /Next steps:/);
    const bad = provision([...REPLICANT, '--keep-backups', '0'], { cwd: dir });
    assert.is(bad.code, 2);
    assert.match(bad.stderr, /--keep-backups must be a whole number of at least 1/);
    const text = provision([...REPLICANT, '--keep-backups', 'abc'], { cwd: dir });
    assert.is(text.code, 2);
    assert.is(text.stderr, 'provision: --keep-backups must be a whole number of at least 1, found "abc"\n');
    const empty = provision([...REPLICANT, '--keep-backups', ''], { cwd: dir });
    assert.is(empty.code, 2, 'an empty --keep-backups is not 0 backups');
    assert.is(empty.stderr, 'provision: --keep-backups must be a whole number of at least 1, found an empty value\n');
  });
});

test('a symlinked DB_CONFIG is updated where it points, and keeps its owner and mode', () => {
  inTemp((dir) => {
    fs.mkdirSync(path.join(dir, 'real'));
    fs.mkdirSync(path.join(dir, 'env'));
    const real = path.join(dir, 'real/DB_CONFIG');
    fs.writeFileSync(real, 'rep_set_priority 5\n');
    fs.chmodSync(real, 0o600);
    const root = process.getuid?.() === 0;
    if (root) fs.chownSync(real, 65534, 65534);
    fs.symlinkSync('../real/DB_CONFIG', path.join(dir, 'env/DB_CONFIG'));
    const r = provision(REPLICANT, { cwd: dir });
    assert.is(r.code, 0, r.stderr);
    assert.ok(fs.lstatSync(path.join(dir, 'env/DB_CONFIG')).isSymbolicLink(), 'still a link');
    assert.match(fs.readFileSync(real, 'utf8'), /^rep_set_priority 0$/m);
    const st = fs.statSync(real);
    assert.is(st.mode & 0o777, 0o600);
    if (root) assert.equal([st.uid, st.gid], [65534, 65534]);
  });
});

test('--reset-state previews and applies the config change and the state cleanup as one plan', () => {
  inTemp((dir) => {
    fs.mkdirSync(path.join(dir, 'env'));
    fs.writeFileSync(path.join(dir, 'env/DB_CONFIG'), fs.readFileSync(path.join(ROOT, 'fixtures/vendor/tapetrack-shipped.DB_CONFIG')));
    for (const f of ['__db.001', '__db.002', '__db.rep.gen', 'app.db']) fs.writeFileSync(path.join(dir, 'env', f), f);
    const dry = provision([...REPLICANT, '--reset-state', '--dry-run'], { cwd: dir });
    assert.is(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /\+rep_set_priority 0/);
    assert.match(dry.stdout, /# and move 2 stale state files to quarantine \(provision clean\):\n  env\/__db\.001/);
    assert.not.match(dry.stderr, /Region files/);
    assert.ok(fs.existsSync(path.join(dir, 'env/__db.001')));
    const r = provision([...REPLICANT, '--reset-state'], { cwd: dir });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /moved 2 state files to .*undo: provision clean --env env --undo /);
    const left = fs.readdirSync(path.join(dir, 'env')).filter((f) => !f.endsWith('.bak')).sort();
    assert.equal(left, ['DB_CONFIG', '__db.rep.gen', 'app.db']);
    const again = provision([...REPLICANT, '--reset-state'], { cwd: dir });
    assert.match(again.stdout, /unchanged/);
  });
});

test.run();
