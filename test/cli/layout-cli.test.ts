import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Asker } from '../../src/cli/ask.js';
import { runLayout } from '../../src/cli/commands/layout.js';
import type { Io } from '../../src/cli/io.js';
import { findLayoutManifest, readLayoutManifest } from '../../src/layout/manifest.js';
import { inTemp, tempDir } from '../helpers.js';
import { provision } from './run.js';

/** Every folder and file below `dir`, relative, folders with their mode. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        out.push(`${path.relative(dir, p)}/ ${(fs.statSync(p).mode & 0o777).toString(8)}`);
        walk(p);
      } else out.push(path.relative(dir, p));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out.sort();
}

const SAME_DISK = /^warning: the data root .* and the backup root .* are on the same file system: a backup on the same disk is not a backup\./m;

test('--dry-run prints the tree it would create and creates nothing', () => {
  inTemp((dir) => {
    const r = provision(['layout', '--preset', 'maitred', '--root', 'site', '--dry-run'], { cwd: dir });
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stdout, [
      'site/                         new',
      '├── PRG/                      program root, mode 0755, new',
      '│   └── provision-layout.ini  layout manifest, new',
      '├── DATA/                     data root, Berkeley DB environment, mode 0750, new',
      '└── BACKUP/                   backup root, mode 0750, new',
      'Dry run: nothing was created.',
      '',
    ].join('\n'));
    assert.match(r.stderr, SAME_DISK);
    assert.equal(fs.readdirSync(dir), []);
  });
});

test('apply creates what is missing with its modes and writes the manifest; a second run has nothing to do', () => {
  inTemp((dir) => {
    fs.mkdirSync(path.join(dir, 'site', 'DATA'), { recursive: true, mode: 0o700 });
    fs.chmodSync(path.join(dir, 'site', 'DATA'), 0o700);
    fs.writeFileSync(path.join(dir, 'site', 'DATA', 'app.db'), 'records');
    const r = provision(['layout', '--preset', 'maitred', '--root', 'site'], { cwd: dir });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /├── DATA\/ +data root, Berkeley DB environment, mode 0750, exists\n/);
    assert.match(r.stdout, /Created 2 folders; wrote site\/PRG\/provision-layout\.ini\.\n$/);
    assert.match(r.stderr, /^warning: .*site\/DATA exists with mode 0700; the layout says 0750 \(left as it is/m);
    assert.equal(tree(path.join(dir, 'site')), ['BACKUP/ 750', 'DATA/ 700', 'DATA/app.db', 'PRG/ 755', 'PRG/provision-layout.ini']);
    const manifest = readLayoutManifest(path.join(dir, 'site', 'PRG'));
    assert.equal(manifest, {
      program: path.join(dir, 'site', 'PRG'), data: path.join(dir, 'site', 'DATA'), backup: path.join(dir, 'site', 'BACKUP'),
      environment: path.join(dir, 'site', 'DATA'), preset: 'maitred', target: 'posix',
    });
    assert.equal(findLayoutManifest(path.join(dir, 'site', 'DATA'))?.manifest, manifest);
    const mtime = fs.statSync(path.join(dir, 'site', 'PRG', 'provision-layout.ini')).mtimeMs;

    const again = provision(['layout', '--preset', 'maitred', '--root', 'site'], { cwd: dir });
    assert.is(again.code, 0, again.stderr);
    assert.match(again.stdout, /provision-layout\.ini +layout manifest, unchanged\n/);
    assert.match(again.stdout, /\nNothing to do: every folder exists and the manifest already says this\.\n$/);
    assert.is(fs.statSync(path.join(dir, 'site', 'PRG', 'provision-layout.ini')).mtimeMs, mtime);
    assert.equal(tree(path.join(dir, 'site')), ['BACKUP/ 750', 'DATA/ 700', 'DATA/app.db', 'PRG/ 755', 'PRG/provision-layout.ini']);
  });
});

test('moving a root updates the manifest, shows the change, and keeps the old one', () => {
  inTemp((dir) => {
    assert.is(provision(['layout', '--preset', 'generic', '--root', 'app'], { cwd: dir }).code, 0);
    const r = provision(['layout', '--preset', 'generic', '--root', 'app', '--backup', 'offsite'], { cwd: dir });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /^offsite\/ +backup root, mode 0750, new$/m);
    assert.match(r.stdout, /^-backup = ".*\/app\/backup"\n\+backup = ".*\/offsite"$/m);
    assert.match(r.stdout, /Created 1 folder; updated app\/program\/provision-layout\.ini \(the old one is app\/program\/provision-layout\.ini\.\d{8}T\d{6}Z\.bak\)\.\n$/);
    assert.is(readLayoutManifest(path.join(dir, 'app', 'program'))!.backup, path.join(dir, 'offsite'));
  });
});

test('--json: the plan, then what was applied; a second run says nothing to do', () => {
  inTemp((dir) => {
    const args = ['layout', '--preset', 'tapetrack', '--root', 'tt', '--json'];
    const dry = JSON.parse(provision([...args, '--dry-run'], { cwd: dir }).stdout) as Record<string, unknown>;
    assert.is(dry.dryRun, true);
    assert.is(dry.nothingToDo, false);
    assert.is(dry.changed, true);
    assert.is(dry.applied, null);
    assert.equal((dry.changes as { kind: string; path: string }[]).map((c) => `${c.kind} ${path.relative(dir, c.path)}`), ['mkdir tt', 'mkdir tt/var', 'mkdir tt/var/db', 'mkdir tt/backup', 'write tt/provision-layout.ini']);
    assert.is(dry.environment, path.join(dir, 'tt', 'var', 'db'));
    assert.equal(dry.refusals, []);
    assert.ok((dry.warnings as string[]).some((w) => w.includes('a backup on the same disk is not a backup')));
    assert.not.ok(fs.existsSync(path.join(dir, 'tt')));

    const run = provision(args, { cwd: dir });
    assert.is(run.code, 0, run.stderr);
    assert.is(run.stderr, '', 'warnings are in the JSON');
    const applied = JSON.parse(run.stdout) as { applied: { path: string; status: string }[] };
    assert.equal(applied.applied.map((a) => `${a.status} ${path.relative(dir, a.path)}`), ['created tt', 'created tt/var', 'created tt/var/db', 'created tt/backup', 'created tt/provision-layout.ini']);
    const again = JSON.parse(provision(args, { cwd: dir }).stdout) as { changed: boolean; nothingToDo: boolean; folders: { exists: boolean }[]; manifest: { status: string } };
    assert.is(again.nothingToDo, true);
    assert.is(again.changed, false);
    assert.ok(again.folders.every((f) => f.exists));
    assert.is(again.manifest.status, 'unchanged');
  });
});

test('--emit prints the layout for another machine and creates nothing', () => {
  inTemp((dir) => {
    const tree = provision(['layout', '--preset', 'maitred', '--target', 'windows', '--emit', 'tree'], { cwd: dir });
    assert.is(tree.code, 0, tree.stderr);
    assert.match(tree.stdout, /^C:\\POSERA\\MAITRED\\\n├── PRG\\ +program root\n/);
    const ps1 = provision(['layout', '--preset', 'maitred', '--target', 'windows', '--root', 'D:\\Sites\\Maitre\'D', '--emit', 'ps1'], { cwd: dir });
    assert.is(ps1.code, 0, ps1.stderr);
    assert.match(ps1.stdout, /^Add-LayoutFolder 'D:\\Sites\\Maitre''D\\DATA'$/m);
    assert.match(ps1.stdout, /^  New-Item -ItemType Directory -Force -Path \$Path \| Out-Null$/m);
    const sh = provision(['layout', '--preset', 'generic', '--target', 'posix', '--root', '/srv/app', '--emit', 'sh'], { cwd: dir });
    assert.is(sh.code, 0, sh.stderr);
    assert.match(sh.stdout, /^#!\/bin\/sh\n/);
    assert.match(sh.stdout, /^make_folder '\/srv\/app\/data\/env' 0750$/m);
    const json = JSON.parse(provision(['layout', '--preset', 'generic', '--root', 'rel', '--emit', 'json'], { cwd: dir }).stdout) as { roots: { data: string } };
    assert.is(json.roots.data, path.join(dir, 'rel', 'data'), 'a relative root is relative to the working directory, on this machine');
    assert.equal(fs.readdirSync(dir), []);
  });
});

test('usage errors exit 2: a Windows layout created here, a script for the other platform, --emit with --json, no roots, an unknown preset', () => {
  inTemp((dir) => {
    const cases: [string[], RegExp][] = [
      [['--preset', 'maitred', '--target', 'windows'], /^provision: this machine is posix, so a windows layout cannot be created here; print it with --emit tree, json or ps1/],
      [['--preset', 'maitred', '--target', 'windows', '--emit', 'sh'], /^provision: --emit sh writes a script for a POSIX machine, and the target is windows: use --emit ps1, or --target posix/],
      [['--preset', 'maitred', '--root', 'x', '--emit', 'tree', '--json'], /^provision: --json prints the plan for this machine; for the layout as JSON, use --emit json alone/],
      [['--preset', 'maitred'], /^provision: missing roots?; give --root DIR \(one folder holding all three\), or --program, --data and --backup, or --answers FILE/],
      [['--program', 'p'], /^provision: missing roots: --data, --backup; give --root DIR/],
      [['--preset', 'oracle', '--root', 'x'], /^provision: unknown preset "oracle"; the presets are generic, maitred, tapetrack/],
      [['--preset', 'generic', '--layout', 'x.ini', '--root', 'x'], /^provision: give --preset or --layout, not both/],
      [['--layout', 'missing.ini', '--root', 'x'], /^provision: cannot read layout file missing\.ini: no such file or directory\n$/],
      // yargs' two-line message, as one line.
      [['--root', 'x', '--emit', 'yaml'], /^provision: Invalid values: Argument: emit, Given: "yaml", Choices: .*\(see provision --help\)\n$/],
    ];
    for (const [args, message] of cases) {
      const r = provision(['layout', ...args], { cwd: dir });
      assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.is(r.stdout, '');
    }
    assert.equal(fs.readdirSync(dir), []);
  });
});

test('a layout file with a mistake is an error naming file:line (exit 2); one that leaves its root is refused (exit 1)', () => {
  inTemp((dir) => {
    fs.writeFileSync(path.join(dir, 'mine.ini'), '[layout]\nenvironment = data/env\n[program]\n[data]\nmode = 0750\n[data/env]\nowner = db\n[backup]\n');
    const bad = provision(['layout', '--layout', 'mine.ini', '--root', 'x'], { cwd: dir });
    assert.is(bad.code, 2);
    assert.is(bad.stderr, 'provision: mine.ini:7: unknown key "owner" in [data/env]; the keys there are mode\n');
    fs.writeFileSync(path.join(dir, 'mine.ini'), '[program]\n[data]\n[data/../../etc]\n[backup]\n');
    const escape = provision(['layout', '--layout', 'mine.ini', '--root', 'x'], { cwd: dir });
    assert.is(escape.code, 1);
    assert.is(escape.stderr, 'provision: refused: mine.ini:3: the folder "../../etc" leaves its root (..); a layout may only name folders inside it\n');
    fs.writeFileSync(path.join(dir, 'mine.ini'), '[program]\npath = bin\n[data]\npath = srv/db\n[data/tmp]\nmode = 0770\n[backup]\npath = srv/backup\n');
    const good = provision(['layout', '--layout', 'mine.ini', '--root', 'x'], { cwd: dir });
    assert.is(good.code, 0, good.stderr);
    assert.equal(tree(path.join(dir, 'x')), ['bin/ 755', 'bin/provision-layout.ini', 'srv/ 755', 'srv/backup/ 755', 'srv/db/ 755', 'srv/db/tmp/ 770'].map((l) => l.replace(/ 755$/, ` ${(0o777 & ~process.umask()).toString(8)}`)));
  });
});

test('refused with exit 1: a backup inside the data root, the reverse, a Windows path for this POSIX machine', () => {
  inTemp((dir) => {
    const cases: [string[], string][] = [
      [['--root', 'x', '--backup', 'x/data/backup'], `provision: refused: the backup root ${dir}/x/data/backup is inside the data root ${dir}/x/data: every backup would copy the backups before it; put it beside the data root\n`],
      [['--root', 'x', '--data', 'x/backup/data'], `provision: refused: the data root ${dir}/x/backup/data is inside the backup root ${dir}/x/backup: every backup would be written into what it copies; put it beside the backup root\n`],
      [['--root', 'C:\\POSERA\\MAITRED'], 'provision: refused: --root C:\\POSERA\\MAITRED: C:\\POSERA\\MAITRED is a Windows path, and the target is POSIX (--target posix); give a path like /srv/site, or use --target windows\n'],
      [['--target', 'windows', '--root', '/srv/app', '--emit', 'ps1'], 'provision: refused: --root /srv/app: /srv/app is a POSIX path, and the target is Windows (--target windows); give a path like C:\\POSERA\\MAITRED, or use --target posix\n'],
    ];
    for (const [args, stderr] of cases) {
      const r = provision(['layout', '--preset', 'generic', ...args], { cwd: dir });
      assert.is(r.code, 1, args.join(' '));
      assert.is(r.stderr, stderr);
      assert.is(r.stdout, '');
    }
    const json = provision(['layout', '--preset', 'generic', '--root', 'x', '--backup', 'x/data/b', '--json'], { cwd: dir });
    assert.is(json.code, 1);
    assert.equal((JSON.parse(json.stdout) as { refusals: { code: string }[] }).refusals.map((r) => r.code), ['recursive-backup']);
    assert.equal(fs.readdirSync(dir), []);
  });
});

test('refused with exit 1: a path through a symbolic link, a folder where a file is, and nothing is created', () => {
  inTemp((dir) => {
    fs.mkdirSync(path.join(dir, 'real'));
    fs.symlinkSync('real', path.join(dir, 'link'));
    const linked = provision(['layout', '--preset', 'generic', '--root', 'link/app'], { cwd: dir });
    assert.is(linked.code, 1);
    assert.is(linked.stderr, `provision: refused: ${dir}/link/app goes through a symbolic link, ${dir}/link -> real; give the real path, or remove the link\n`);
    assert.equal(fs.readdirSync(path.join(dir, 'real')), []);

    fs.mkdirSync(path.join(dir, 'site'));
    fs.writeFileSync(path.join(dir, 'site', 'DATA'), 'not a folder');
    const file = provision(['layout', '--preset', 'maitred', '--root', 'site'], { cwd: dir });
    assert.is(file.code, 1);
    assert.is(file.stderr, `provision: refused: ${dir}/site/DATA exists and is not a folder (the layout's data root, the Berkeley DB environment)\n`);
    assert.equal(fs.readdirSync(path.join(dir, 'site')), ['DATA']);

    fs.rmSync(path.join(dir, 'site', 'DATA'));
    fs.mkdirSync(path.join(dir, 'site', 'PRG'));
    fs.symlinkSync('/etc/hostname', path.join(dir, 'site', 'PRG', 'provision-layout.ini'));
    const manifest = provision(['layout', '--preset', 'maitred', '--root', 'site'], { cwd: dir });
    assert.is(manifest.code, 1);
    assert.match(manifest.stderr, /provision-layout\.ini is a symbolic link \(to \/etc\/hostname\); provision writes the layout manifest only as a plain file\n$/);
    assert.equal(fs.readdirSync(path.join(dir, 'site')), ['PRG']);
  });
});

test('--answers: roots from an answers file, relative to it; the generator\'s keys are left alone; flags win; unknown keys name file:line', () => {
  inTemp((dir) => {
    fs.mkdirSync(path.join(dir, 'conf'));
    fs.writeFileSync(path.join(dir, 'conf', 'site.ini'), 'env = /var/db/app\nlocal = 10.0.0.1:5010\nroot = ../sites/app\nbackup = ../offsite\n');
    const r = provision(['layout', '--preset', 'generic', '--answers', 'conf/site.ini', '--json', '--dry-run'], { cwd: dir });
    assert.is(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { roots: unknown }).roots, { program: path.join(dir, 'sites/app/program'), data: path.join(dir, 'sites/app/data'), backup: path.join(dir, 'offsite') });
    const flags = provision(['layout', '--preset', 'generic', '--answers', 'conf/site.ini', '--backup', 'b2', '--json', '--dry-run'], { cwd: dir });
    assert.is((JSON.parse(flags.stdout) as { roots: { backup: string } }).roots.backup, path.join(dir, 'b2'));
    fs.appendFileSync(path.join(dir, 'conf', 'site.ini'), 'colour = blue\n');
    const bad = provision(['layout', '--preset', 'generic', '--answers', 'conf/site.ini'], { cwd: dir });
    assert.is(bad.code, 2);
    assert.is(bad.stderr, 'provision: conf/site.ini:5: unknown key "colour"; provision layout reads root, program, data, backup\n');
    fs.writeFileSync(path.join(dir, 'conf', 'site.ini'), 'data = /d\n');
    const missing = provision(['layout', '--preset', 'generic', '--answers', 'conf/site.ini'], { cwd: dir });
    assert.is(missing.code, 2);
    assert.match(missing.stderr, /^provision: missing roots: --program, --backup; give --root DIR .*\(answers-file keys root, program, data, backup\)\n$/);
  });
});

/** A terminal whose person answers the confirmation with `yes`; what was asked is recorded. */
function terminal(cwd: string, yes: boolean): { io: Io; asked: string[]; out: string[]; err: string[]; makeAsker: () => Promise<Asker> } {
  const asked: string[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const tty = (sink: string[]) => ({ isTTY: true, write: (t: string) => sink.push(t) });
  const io: Io = { cwd, env: {}, stdin: Object.assign(new PassThrough(), { isTTY: true }), stdout: tty(out), stderr: tty(err) };
  const asker: Asker = {
    ask: async () => {
      throw new Error('layout asks no questions');
    },
    confirm: async (message) => {
      asked.push(message);
      return yes;
    },
    confirmByTyping: async () => false,
  };
  return { io, asked, out, err, makeAsker: async () => asker };
}

test('on a terminal it asks before creating; no means nothing is created (exit 1); --yes does not ask', async () => {
  const t = tempDir();
  try {
    const args = { preset: 'maitred', root: 'site', dryRun: false, json: false, yes: false };
    const no = terminal(t.dir, false);
    assert.is(await runLayout(args, no.io, no.makeAsker), 1);
    assert.equal(no.asked, ['Create 4 folders and write the manifest?']);
    assert.match(no.err.join(''), /Nothing was created\.\n$/);
    assert.equal(fs.readdirSync(t.dir), []);
    const given = terminal(t.dir, false);
    assert.is(await runLayout({ ...args, yes: true }, given.io, given.makeAsker), 0);
    assert.equal(given.asked, []);
    assert.match(given.out.join(''), /Created 4 folders; wrote site\/PRG\/provision-layout\.ini\.\n$/);
    const again = terminal(t.dir, true);
    assert.is(await runLayout(args, again.io, again.makeAsker), 0);
    assert.equal(again.asked, [], 'nothing to do: nothing to ask');
  } finally {
    t.cleanup();
  }
});

test('--help explains the command, with examples and exit codes', () => {
  const r = provision(['layout', '--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /--emit +Print the layout for another machine instead of creating it/);
  assert.match(r.stdout, /Examples:\n  provision layout --preset maitred --root \/srv\/maitred --dry-run\n/);
  assert.match(r.stdout, /Exit codes: 0 created, printed or nothing to do, 1 refused \(or not confirmed\), 2 usage or I\/O error\./);
  assert.match(provision(['--help']).stdout, /provision layout +Create the program, data and backup roots/);
});

test.run();
