import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { emitJson, emitPs1, emitSh, emitTree, psQuote, shQuote } from '../../src/layout/emit.js';
import { LAYOUT_MANIFEST, parseLayoutManifest, renderLayoutManifest } from '../../src/layout/manifest.js';
import { parseLayout } from '../../src/layout/parse.js';
import { resolveLayout, type LayoutInput, type ResolvedLayout } from '../../src/layout/resolve.js';
import type { Target } from '../../src/layout/types.js';
import { provision } from '../cli/run.js';
import { ROOT, tempDir } from '../helpers.js';

function layoutOf(name: string, target: Target, roots: Partial<Pick<LayoutInput, 'root' | 'program' | 'data' | 'backup'>>): ResolvedLayout {
  const spec = parseLayout(fs.readFileSync(path.join(ROOT, 'templates/layouts', `${name}.ini`), 'utf8')).layout!;
  const r = resolveLayout({ layout: spec, source: `${name}.ini`, preset: name, target, ...roots }, false);
  assert.equal(r.refusals, []);
  return r.layout!;
}
const root = (value: string) => ({ root: { value, from: '--root' } });

test('tree: Windows paths for Windows, POSIX paths and modes for POSIX', () => {
  assert.fixture(emitTree(layoutOf('maitred', 'windows', {})), [
    'C:\\POSERA\\MAITRED\\',
    '├── PRG\\                      program root',
    '│   └── provision-layout.ini  layout manifest',
    '├── DATA\\                     data root, Berkeley DB environment',
    '└── BACKUP\\                   backup root',
    '',
  ].join('\n'));
  assert.fixture(emitTree(layoutOf('tapetrack', 'posix', root('/opt/tapetrack'))), [
    '/opt/tapetrack/' + ' '.repeat(11) + 'program root, mode 0755',
    '├── provision-layout.ini  layout manifest',
    '├── var/                  data root, mode 0750',
    '│   └── db/               Berkeley DB environment, mode 0750',
    '└── backup/               backup root, mode 0750',
    '',
  ].join('\n'));
  // Roots in different places: one tree each.
  assert.fixture(emitTree(layoutOf('generic', 'windows', { program: { value: 'C:\\App', from: '-' }, data: { value: 'D:\\AppData', from: '-' }, backup: { value: '\\\\nas\\backup\\app', from: '-' } })), [
    `${'C:\\App\\'.padEnd(24)}  program root`,
    '└── provision-layout.ini  layout manifest',
    `${'D:\\AppData\\'.padEnd(24)}  data root`,
    `${'└── env\\'.padEnd(24)}  Berkeley DB environment`,
    `${'\\\\nas\\backup\\app\\'.padEnd(24)}  backup root`,
    '',
  ].join('\n'));
});

test('json: roots, every folder with its mode, and the manifest', () => {
  const json = JSON.parse(emitJson(layoutOf('generic', 'posix', root('/srv/app')))) as Record<string, unknown>;
  assert.equal(json.roots, { program: '/srv/app/program', data: '/srv/app/data', backup: '/srv/app/backup' });
  assert.is(json.environment, '/srv/app/data/env');
  assert.equal((json.folders as { path: string; mode: string | null }[]).map((f) => [f.path, f.mode]), [
    ['/srv/app', null], ['/srv/app/program', '0755'], ['/srv/app/data', '0750'], ['/srv/app/data/env', '0750'], ['/srv/app/backup', '0750'],
  ]);
  assert.equal(json.manifest, { path: '/srv/app/program/provision-layout.ini', content: renderLayoutManifest({ program: '/srv/app/program', data: '/srv/app/data', backup: '/srv/app/backup', environment: '/srv/app/data/env', preset: 'generic', target: 'posix' }) });
});

test('quoting: a shell word and a PowerShell literal hold any name', () => {
  assert.is(shQuote("it's"), `'it'\\''s'`);
  assert.is(psQuote("C:\\it's \u2018x\u2019"), "'C:\\it''s \u2018\u2018x\u2019\u2019'");
});

/** Every folder below `dir` with its mode, and every file with its text. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        out.push(`${path.relative(dir, p)}/ ${(fs.statSync(p).mode & 0o7777).toString(8)}`);
        walk(p);
      } else out.push(`${path.relative(dir, p)}: ${fs.readFileSync(p, 'utf8')}`);
    }
  };
  walk(dir);
  return out;
}

/** Run the script as a user would, with a strict umask: modes come from chmod, not from the umask. */
const sh = (cwd: string) => spawnSync('sh', ['-c', 'umask 077 && sh ./layout.sh'], { cwd, encoding: 'utf8' });

test('sh: run for real, it creates exactly the tree with its modes and the manifest, also for a name full of shell syntax; run again, it changes nothing', () => {
  const t = tempDir();
  try {
    const site = path.join(t.dir, `it's a "$HOME" \`id\` $(id); * dir`);
    for (const name of ['maitred', 'tapetrack', 'generic']) {
      const base = path.join(site, name);
      const layout = layoutOf(name, 'posix', root(base));
      fs.writeFileSync(path.join(t.dir, 'layout.sh'), emitSh(layout));
      const r = sh(t.dir);
      assert.is(r.status, 0, r.stderr);
      assert.is(r.stderr, '');
      const expected = [
        ...layout.entries.filter((e) => e.path !== base).map((e) => `${path.relative(base, e.path)}/ ${(e.mode ?? 0o700).toString(8)}`),
        `${path.relative(base, layout.manifestPath)}: ${renderLayoutManifest(layout.manifest)}`,
      ].sort();
      assert.equal(snapshot(base).sort(), expected, name);
      assert.equal(parseLayoutManifest(fs.readFileSync(layout.manifestPath, 'utf8')).manifest, layout.manifest);
      const again = sh(t.dir);
      assert.is(again.status, 0, again.stderr);
      assert.equal(snapshot(base).sort(), expected);
    }
    assert.equal(fs.readdirSync(t.dir).sort(), ['it\'s a "$HOME" `id` $(id); * dir', 'layout.sh'], 'nothing created elsewhere');
  } finally {
    t.cleanup();
  }
});

test('sh: leaves an existing folder and its mode alone; refuses a symbolic link or a file where a folder goes', () => {
  const t = tempDir();
  try {
    const base = path.join(t.dir, 'site');
    const layout = layoutOf('maitred', 'posix', root(base));
    fs.writeFileSync(path.join(t.dir, 'layout.sh'), emitSh(layout));
    fs.mkdirSync(path.join(base, 'DATA'), { recursive: true, mode: 0o711 });
    fs.chmodSync(path.join(base, 'DATA'), 0o711);
    assert.is(sh(t.dir).status, 0);
    assert.is(fs.statSync(path.join(base, 'DATA')).mode & 0o7777, 0o711);

    fs.rmSync(base, { recursive: true });
    fs.mkdirSync(path.join(t.dir, 'elsewhere'));
    fs.mkdirSync(base);
    fs.symlinkSync(path.join(t.dir, 'elsewhere'), path.join(base, 'DATA'));
    const linked = sh(t.dir);
    assert.is(linked.status, 1);
    assert.is(linked.stderr, `provision layout: refused: ${path.join(base, 'DATA')} is a symbolic link; give the real path\n`);
    assert.equal(fs.readdirSync(path.join(t.dir, 'elsewhere')), []);

    fs.rmSync(path.join(base, 'DATA'));
    fs.writeFileSync(path.join(base, 'DATA'), 'a file');
    const file = sh(t.dir);
    assert.is(file.status, 1);
    assert.match(file.stderr, /DATA exists and is not a folder\n$/);
    assert.not.ok(fs.existsSync(path.join(base, 'BACKUP')), 'stops at the first refusal');
  } finally {
    t.cleanup();
  }
});

test('sh: refuses a symbolic link above the layout, as provision layout does, before it creates anything', () => {
  const t = tempDir();
  try {
    const real = path.join(t.dir, 'real');
    fs.mkdirSync(real);
    fs.symlinkSync(real, path.join(t.dir, 'sites'));
    const base = path.join(t.dir, 'sites', 'app');
    const layout = layoutOf('maitred', 'posix', root(base));
    fs.writeFileSync(path.join(t.dir, 'layout.sh'), emitSh(layout));
    const r = sh(t.dir);
    assert.is(r.status, 1);
    assert.is(r.stderr, `provision layout: refused: ${path.join(t.dir, 'sites')} is a symbolic link above the layout; give the real path, or remove the link\n`);
    assert.equal(fs.readdirSync(real), [], 'nothing created through the link');
    // The in-process command refuses the same layout for the same reason.
    const cli = provision(['layout', '--preset', 'maitred', '--root', base, '--yes']);
    assert.is(cli.code, 1, cli.stderr);
    assert.match(cli.stderr, /symbolic link/);
    assert.equal(fs.readdirSync(real), []);
  } finally {
    t.cleanup();
  }
});

test('ps1: New-Item for each folder, Windows paths as PowerShell literals, the manifest from a literal here-string', () => {
  const script = emitPs1(layoutOf('maitred', 'windows', {}));
  assert.fixture(script, [
    '# The maitred layout for a Windows machine, printed by provision layout (docs/layout.md).',
    '# Creates the folders that are missing and leaves those that exist;',
    '# refuses a link above the layout or where a folder goes, and a file where a folder goes;',
    '# records the roots in provision-layout.ini.',
    "$ErrorActionPreference = 'Stop'",
    '',
    'function Add-LayoutFolder([string] $Path) {',
    '  $item = Get-Item -LiteralPath $Path -Force -ErrorAction SilentlyContinue',
    '  if ($null -ne $item) {',
    '    if ($item.LinkType) { throw "provision layout: refused: $Path is a link ($($item.LinkType)); give the real path" }',
    '    if (-not $item.PSIsContainer) { throw "provision layout: refused: $Path exists and is not a folder" }',
    '    return',
    '  }',
    '  New-Item -ItemType Directory -Force -Path $Path | Out-Null',
    '}',
    '',
    'function Assert-NotLink([string] $Path) {',
    '  $item = Get-Item -LiteralPath $Path -Force -ErrorAction SilentlyContinue',
    '  if ($null -ne $item -and $item.LinkType) { throw "provision layout: refused: $Path is a link ($($item.LinkType)) above the layout; give the real path, or remove the link" }',
    '}',
    '',
    "Assert-NotLink 'C:\\POSERA'",
    "Add-LayoutFolder 'C:\\POSERA\\MAITRED'",
    "Add-LayoutFolder 'C:\\POSERA\\MAITRED\\PRG'",
    "Add-LayoutFolder 'C:\\POSERA\\MAITRED\\DATA'",
    "Add-LayoutFolder 'C:\\POSERA\\MAITRED\\BACKUP'",
    '',
    "$manifest = 'C:\\POSERA\\MAITRED\\PRG\\provision-layout.ini'",
    '$item = Get-Item -LiteralPath $manifest -Force -ErrorAction SilentlyContinue',
    'if ($null -ne $item -and ($item.LinkType -or $item.PSIsContainer)) { throw "provision layout: refused: $manifest is not a plain file" }',
    "$text = @'",
    "; Written by provision layout: where this site's roots are (docs/layout.md).",
    '; provision backup, restore and clean read it. Run provision layout again after moving a root.',
    'format = 1',
    'target = windows',
    'preset = maitred',
    'program = "C:\\\\POSERA\\\\MAITRED\\\\PRG"',
    'data = "C:\\\\POSERA\\\\MAITRED\\\\DATA"',
    'backup = "C:\\\\POSERA\\\\MAITRED\\\\BACKUP"',
    'environment = "C:\\\\POSERA\\\\MAITRED\\\\DATA"',
    '',
    "'@",
    "$partial = $manifest + '.tmp.' + $PID",
    '[System.IO.File]::WriteAllText($partial, $text)',
    'Move-Item -LiteralPath $partial -Destination $manifest -Force',
    '',
  ].join('\n'));
});

test('ps1: the manifest is written whole to a temporary file beside it, then moved over the old one', () => {
  const script = emitPs1(layoutOf('generic', 'windows', root('D:\\Sites\\App')));
  const lines = script.split('\n');
  const write = lines.findIndex((l) => l.startsWith('[System.IO.File]::WriteAllText('));
  assert.is(lines[write], '[System.IO.File]::WriteAllText($partial, $text)');
  assert.is(lines[write - 1], "$partial = $manifest + '.tmp.' + $PID");
  assert.is(lines[write + 1], 'Move-Item -LiteralPath $partial -Destination $manifest -Force');
  assert.not.ok(script.includes('WriteAllText($manifest'), 'never written in place');
  assert.ok(lines.indexOf("$text = @'") < write);
});

test('ps1 and sh: every existing folder above the layout is checked for a link before any folder is made', () => {
  const win = emitPs1(layoutOf('generic', 'windows', root('D:\\Sites\\App')));
  const winChecks = win.split('\n').filter((l) => l.startsWith('Assert-NotLink '));
  assert.equal(winChecks, ["Assert-NotLink 'D:\\Sites'"]);
  assert.ok(win.indexOf("Assert-NotLink 'D:\\Sites'") < win.indexOf('Add-LayoutFolder '));
  const unc = emitPs1(layoutOf('generic', 'windows', root('\\\\fs01\\share\\sites\\app')));
  assert.equal(unc.split('\n').filter((l) => l.startsWith('Assert-NotLink ')), ["Assert-NotLink '\\\\fs01\\share\\sites'"], 'the share root is not a folder to check');
  const posix = emitSh(layoutOf('generic', 'posix', root('/srv/sites/app')));
  const checks = posix.split('\n').filter((l) => l.startsWith('not_link '));
  assert.equal(checks, ["not_link '/srv'", "not_link '/srv/sites'"]);
  assert.ok(posix.indexOf("not_link '/srv/sites'") < posix.indexOf('\nmake_folder '));
  // Roots in different places: the folders above each, once, parents first; none of the layout's own.
  const apart = emitSh(layoutOf('generic', 'posix', { program: { value: '/opt/app/bin', from: '--program' }, data: { value: '/var/lib/app', from: '--data' }, backup: { value: '/mnt/backup/app', from: '--backup' } }));
  assert.equal(apart.split('\n').filter((l) => l.startsWith('not_link ')), ["not_link '/mnt'", "not_link '/opt'", "not_link '/var'", "not_link '/opt/app'", "not_link '/var/lib'", "not_link '/mnt/backup'"]);
});

test('ps1: quotes in names are doubled, $ and backticks stay literal, a UNC root stays a UNC root', () => {
  const layout = layoutOf('generic', 'windows', root("\\\\fs01\\it's \u2019$env:TEMP`n\\site"));
  const script = emitPs1(layout);
  assert.ok(script.includes("Add-LayoutFolder '\\\\fs01\\it''s \u2019\u2019$env:TEMP`n\\site\\data\\env'\n"), script);
  // Outside the literal strings and the here-string, no line names a path.
  const body = script.split('\n').filter((l) => l.startsWith('Add-LayoutFolder ') || l.startsWith('$manifest = '));
  for (const line of body) assert.match(line, /^(Add-LayoutFolder |\$manifest = )'(?:[^'\u2018\u2019\u201a\u201b]|''|\u2019\u2019)*'$/);
  // The here-string holds the manifest exactly (PowerShell drops the line end before '@), and nothing in it ends it early.
  const here = script.slice(script.indexOf("@'\n") + 3, script.indexOf("\n'@\n"));
  assert.is(here, renderLayoutManifest(layout.manifest));
  assert.not.match(here, /^['\u2018\u2019\u201a\u201b]@/m);
  assert.ok(script.includes(`$manifest = '\\\\fs01\\it''s \u2019\u2019$env:TEMP\`n\\site\\program\\${LAYOUT_MANIFEST}'`));
});

test.run();
