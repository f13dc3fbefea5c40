import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseLayout, type LayoutSpec } from '../../src/layout/parse.js';
import { resolveLayout, type LayoutInput } from '../../src/layout/resolve.js';
import type { Target } from '../../src/layout/types.js';
import { ROOT } from '../helpers.js';

function spec(text: string): LayoutSpec {
  const { layout, problems } = parseLayout(text);
  assert.equal(problems, []);
  return layout!;
}
const preset = (name: string) => spec(fs.readFileSync(path.join(ROOT, 'templates/layouts', `${name}.ini`), 'utf8'));
const flag = (name: string, value: string) => ({ value, from: `--${name} ${value}` });

function resolve(layout: LayoutSpec, target: Target, roots: Partial<Pick<LayoutInput, 'root' | 'program' | 'data' | 'backup'>>, native = false) {
  return resolveLayout({ layout, source: 'site.ini', target, ...roots }, native);
}

function folders(layout: LayoutSpec, target: Target, roots: Partial<Pick<LayoutInput, 'root' | 'program' | 'data' | 'backup'>>): string[] {
  const r = resolve(layout, target, roots);
  assert.equal(r.refusals, []);
  assert.equal(r.missing, []);
  return r.layout!.entries.map((e) => `${e.path} ${e.kind}${e.root ? `:${e.root}` : ''}${e.environment ? ' env' : ''}${e.mode !== undefined ? ` ${e.mode.toString(8)}` : ''}`);
}

test('maitred: PRG, DATA (the environment) and BACKUP under the root, by POSIX and by Windows path rules', () => {
  assert.equal(folders(preset('maitred'), 'posix', { root: flag('root', '/srv/maitred/') }), [
    '/srv/maitred parent',
    '/srv/maitred/PRG root:program 755',
    '/srv/maitred/DATA root:data env 750',
    '/srv/maitred/BACKUP root:backup 750',
  ]);
  assert.equal(folders(preset('maitred'), 'windows', { root: flag('root', 'D:/POSERA/MAITRED') }), [
    'D:\\POSERA\\MAITRED parent',
    'D:\\POSERA\\MAITRED\\PRG root:program',
    'D:\\POSERA\\MAITRED\\DATA root:data env',
    'D:\\POSERA\\MAITRED\\BACKUP root:backup',
  ]);
});

test("maitred on Windows without a root: the vendor's C:\\POSERA\\MAITRED; on POSIX a root is needed", () => {
  const r = resolve(preset('maitred'), 'windows', {});
  assert.equal(r.layout!.roots, { program: 'C:\\POSERA\\MAITRED\\PRG', data: 'C:\\POSERA\\MAITRED\\DATA', backup: 'C:\\POSERA\\MAITRED\\BACKUP' });
  assert.is(r.layout!.manifestPath, 'C:\\POSERA\\MAITRED\\PRG\\provision-layout.ini');
  assert.equal(r.layout!.manifest, { program: 'C:\\POSERA\\MAITRED\\PRG', data: 'C:\\POSERA\\MAITRED\\DATA', backup: 'C:\\POSERA\\MAITRED\\BACKUP', environment: 'C:\\POSERA\\MAITRED\\DATA', target: 'windows' });
  assert.equal(resolve(preset('maitred'), 'posix', {}).missing, ['program', 'data', 'backup']);
  // A moved BACKUP root keeps the default for the others.
  const moved = resolve(preset('maitred'), 'windows', { backup: flag('backup', '\\\\nas\\backups\\maitred') });
  assert.equal(moved.layout!.roots.backup, '\\\\nas\\backups\\maitred');
  assert.equal(moved.layout!.roots.data, 'C:\\POSERA\\MAITRED\\DATA');
});

test('tapetrack: the server folder is the program root, var the data root, var/db the environment', () => {
  assert.equal(folders(preset('tapetrack'), 'posix', { root: flag('root', '/opt/tapetrack') }), [
    '/opt/tapetrack root:program 755',
    '/opt/tapetrack/var root:data 750',
    '/opt/tapetrack/var/db folder:data env 750',
    '/opt/tapetrack/backup root:backup 750',
  ]);
  assert.equal(folders(preset('tapetrack'), 'windows', { root: flag('root', 'C:\\Program Files\\TapeTrack\\TapeTrack Framework Server') }), [
    'C:\\Program Files\\TapeTrack\\TapeTrack Framework Server root:program',
    'C:\\Program Files\\TapeTrack\\TapeTrack Framework Server\\var root:data',
    'C:\\Program Files\\TapeTrack\\TapeTrack Framework Server\\var\\db folder:data env',
    'C:\\Program Files\\TapeTrack\\TapeTrack Framework Server\\backup root:backup',
  ]);
});

test('generic: program, data with data/env, backup; roots given one by one, on UNC shares too', () => {
  assert.equal(folders(preset('generic'), 'posix', { program: flag('program', '/opt/app'), data: flag('data', '/var/lib/app'), backup: flag('backup', '/mnt/backup/app') }), [
    '/opt/app root:program 755',
    '/var/lib/app root:data 750',
    '/var/lib/app/env folder:data env 750',
    '/mnt/backup/app root:backup 750',
  ]);
  assert.equal(folders(preset('generic'), 'windows', { root: flag('root', '\\\\fs01\\sites\\app') }), [
    '\\\\fs01\\sites\\app parent',
    '\\\\fs01\\sites\\app\\program root:program',
    '\\\\fs01\\sites\\app\\data root:data',
    '\\\\fs01\\sites\\app\\data\\env folder:data env',
    '\\\\fs01\\sites\\app\\backup root:backup',
  ]);
});

test('a root given on its own wins over the one --root places', () => {
  const r = resolve(preset('generic'), 'posix', { root: flag('root', '/srv/app'), backup: flag('backup', '/mnt/b') });
  assert.equal(r.layout!.roots, { program: '/srv/app/program', data: '/srv/app/data', backup: '/mnt/b' });
});

test('folders below folders inherit the mode of the nearest one above; missing middle folders are added', () => {
  const layout = spec('[program]\n[data]\nmode = 0750\n[data/env/logs]\n[data/tmp]\nmode = 0770\n[data/tmp/x]\n[backup]\n');
  assert.equal(folders(layout, 'posix', { root: flag('root', '/s') }), [
    '/s parent',
    '/s/program root:program',
    '/s/data root:data 750',
    '/s/data/tmp folder:data 770',
    '/s/data/tmp/x folder:data 770',
    '/s/data/env folder:data 750',
    '/s/data/env/logs folder:data 750',
    '/s/backup root:backup',
  ]);
});

test('relative roots are relative to where they were given, on this machine only', () => {
  const native = resolve(preset('generic'), 'posix', { root: { value: 'site', from: '--root site', base: '/home/me' } }, true);
  assert.is(native.layout!.roots.data, '/home/me/site/data');
  const foreign = resolve(preset('generic'), 'windows', { root: { value: 'site', from: '--root site', base: '/home/me' } }, false);
  assert.equal(foreign.refusals.map((r) => r.code), ['not-absolute']);
  assert.match(foreign.refusals[0]!.message, /^--root site: site is not an absolute Windows path: give the drive .*; a relative path means nothing on another machine$/);
});

const refusal = (layout: LayoutSpec, target: Target, roots: Partial<Pick<LayoutInput, 'root' | 'program' | 'data' | 'backup'>>) => {
  const r = resolve(layout, target, roots);
  assert.is(r.layout, undefined);
  return r.refusals;
};

test('refused: a backup root inside the data root, the data root inside the backup root, the same folder for both', () => {
  const g = preset('generic');
  const [inside] = refusal(g, 'posix', { program: flag('program', '/p'), data: flag('data', '/d'), backup: flag('backup', '/d/backup') });
  assert.equal(inside, { code: 'recursive-backup', message: 'the backup root /d/backup is inside the data root /d: every backup would copy the backups before it; put it beside the data root' });
  const [reverse] = refusal(g, 'posix', { program: flag('program', '/p'), data: flag('data', '/b/data'), backup: flag('backup', '/b') });
  assert.equal(reverse!.code, 'recursive-backup');
  assert.match(reverse!.message, /the data root \/b\/data is inside the backup root \/b: every backup would be written into what it copies/);
  assert.equal(refusal(g, 'posix', { program: flag('program', '/p'), data: flag('data', '/x'), backup: flag('backup', '/x/') }).map((r) => r.code), ['recursive-backup', 'recursive-backup']);
  // Windows compares names without case.
  const [win] = refusal(g, 'windows', { program: flag('program', 'C:\\P'), data: flag('data', 'C:\\Site\\DATA'), backup: flag('backup', 'c:\\site\\data\\Backup') });
  assert.is(win!.code, 'recursive-backup');
  // A layout that puts backup in data.
  assert.equal(refusal(spec('[program]\n[data]\n[backup]\npath = data/backups\n'), 'posix', { root: flag('root', '/s') }).map((r) => r.code), ['recursive-backup']);
});

test('refused: the program root inside the data root or the backup root', () => {
  const g = preset('generic');
  const [data] = refusal(g, 'posix', { program: flag('program', '/d/prg'), data: flag('data', '/d'), backup: flag('backup', '/b') });
  assert.is(data!.code, 'program-in-data');
  assert.match(data!.message, /a restore replaces the data root, and would take the program \(and the layout manifest\) with it/);
  const [backup] = refusal(g, 'posix', { program: flag('program', '/b'), data: flag('data', '/d'), backup: flag('backup', '/b') });
  assert.is(backup!.code, 'program-in-backup');
  assert.match(backup!.message, /the program root \/b is the same folder as the backup root \/b/);
});

test('refused: a layout path that leaves its root', () => {
  const [root] = refusal(spec('[program]\npath = ../prg\n[data]\n[backup]\n'), 'posix', { root: flag('root', '/srv/app') });
  assert.equal(root, { code: 'escapes-root', message: 'site.ini:2: the program root "../prg" leaves its root (..); a layout may only name folders inside it' });
  const [folder] = refusal(spec('[program]\n[data]\n[data/logs/../../../etc]\n[backup]\n'), 'windows', { root: flag('root', 'C:\\app') });
  assert.equal(folder, { code: 'escapes-root', message: 'site.ini:3: the folder "logs/../../../etc" leaves its root (..); a layout may only name folders inside it' });
  assert.match(refusal(spec('[layout]\nenvironment = data/../..\n[program]\n[data]\n[backup]\n'), 'posix', { root: flag('root', '/a') })[0]!.message, /site\.ini:2: the environment "\.\.\/\.\." leaves its root/);
  // Inside its root after all: allowed.
  assert.equal(resolve(spec('[program]\n[data]\n[data/a/../b]\n[backup]\n'), 'posix', { root: flag('root', '/a') }).refusals, []);
});

test('refused: a Windows path for a POSIX target, and the reverse', () => {
  const g = preset('generic');
  for (const value of ['C:\\POSERA\\MAITRED', 'C:/POSERA', '\\\\server\\share\\x', 'D:']) {
    const [r] = refusal(g, 'posix', { root: flag('root', value) });
    assert.is(r!.code, 'wrong-platform', value);
    assert.match(r!.message, /is a Windows path, and the target is POSIX \(--target posix\)/);
  }
  assert.match(refusal(g, 'posix', { root: flag('root', '/srv/a\\b') })[0]!.message, /contains a backslash, a Windows separator/);
  const [posix] = refusal(g, 'windows', { data: flag('data', '/var/lib/app'), program: flag('program', 'C:\\p'), backup: flag('backup', 'D:\\b') });
  assert.equal(posix, { code: 'wrong-platform', message: '--data /var/lib/app: /var/lib/app is a POSIX path, and the target is Windows (--target windows); give a path like C:\\POSERA\\MAITRED, or use --target posix' });
  assert.match(refusal(g, 'windows', { root: flag('root', '\\srv\\share') })[0]!.message, /not an absolute Windows path.*UNC path \\\\server\\share needs single quotes/);
  assert.is(refusal(g, 'windows', { root: flag('root', 'C:relative') })[0]!.code, 'not-absolute');
});

test('refused: names Windows cannot hold, for a Windows target only', () => {
  const layout = spec('[program]\npath = CON\n[data]\n[backup]\npath = back.\n');
  assert.equal(refusal(layout, 'windows', { root: flag('root', 'C:\\x') }).map((r) => r.code), ['bad-name', 'bad-name']);
  assert.match(refusal(layout, 'windows', { root: flag('root', 'C:\\x') })[0]!.message, /site\.ini:2: "CON" is a reserved device name on Windows/);
  assert.equal(resolve(layout, 'posix', { root: flag('root', '/x') }).refusals, []);
  assert.match(refusal(preset('generic'), 'windows', { root: flag('root', 'C:\\a|b') })[0]!.message, /contains a character Windows does not allow/);
  assert.is(refusal(preset('generic'), 'posix', { root: flag('root', '/a\nb') })[0]!.code, 'bad-name');
});

test('refused: the same folder twice', () => {
  // TapeTrack's program root is the server folder: a program folder "var" is the data root.
  const [same] = refusal(spec('[program]\npath = .\n[program/var]\n[data]\npath = var\n[backup]\n'), 'posix', { root: flag('root', '/t') });
  assert.equal(same, { code: 'duplicate', message: 'the folder of site.ini:3 and the data root are the same folder, /t/var' });
  // Windows names differ only in case: one folder.
  const [cased] = refusal(spec('[program]\n[data]\n[data/DB]\n[data/db]\n[backup]\n'), 'windows', { root: flag('root', 'C:\\x') });
  assert.equal(cased, { code: 'duplicate', message: 'site.ini:4: C:\\x\\data\\db is also declared on line 3' });
  assert.equal(resolve(spec('[program]\n[data]\n[data/DB]\n[data/db]\n[backup]\n'), 'posix', { root: flag('root', '/x') }).refusals, []);
  assert.is(refusal(spec('[program]\n[data]\n[data/.]\n[backup]\n'), 'posix', { root: flag('root', '/x') })[0]!.code, 'duplicate');
});

test('refused: a root that is the root of a file system', () => {
  assert.equal(refusal(preset('generic'), 'posix', { program: flag('program', '/'), data: flag('data', '/d'), backup: flag('backup', '/b') }).map((r) => r.code), ['file-system-root']);
  assert.equal(refusal(preset('generic'), 'windows', { program: flag('program', 'C:\\p'), data: flag('data', 'D:\\'), backup: flag('backup', 'E:\\b') }).map((r) => r.code), ['file-system-root']);
});

test('missing roots are named, not refused', () => {
  const r = resolve(preset('generic'), 'posix', { program: flag('program', '/p') });
  assert.equal(r.missing, ['data', 'backup']);
  assert.equal(r.refusals, []);
});

test.run();
