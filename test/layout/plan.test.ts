import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyLayoutPlan } from '../../src/layout/apply.js';
import { inspectLayout } from '../../src/layout/inspect.js';
import { parseLayoutManifest, renderLayoutManifest } from '../../src/layout/manifest.js';
import { parseLayout, type LayoutSpec } from '../../src/layout/parse.js';
import { planLayout, type DiskFacts, type PathFact } from '../../src/layout/plan.js';
import { resolveLayout, type ResolvedLayout } from '../../src/layout/resolve.js';
import type { Target } from '../../src/layout/types.js';
import { ROOT, tempDir } from '../helpers.js';

const preset = (name: string): LayoutSpec => parseLayout(fs.readFileSync(path.join(ROOT, 'templates/layouts', `${name}.ini`), 'utf8')).layout!;

function resolved(name: string, target: Target, root: string): ResolvedLayout {
  const r = resolveLayout({ layout: preset(name), source: `${name}.ini`, preset: name, target, root: { value: root, from: '--root' } }, false);
  assert.equal(r.refusals, []);
  return r.layout!;
}

function facts(paths: Record<string, PathFact>, manifest: DiskFacts['manifest'] = { state: 'missing', bytes: null }, devices?: DiskFacts['devices']): DiskFacts {
  return { paths: new Map(Object.entries(paths)), manifest, ...(devices ? { devices } : {}) };
}

const dir: PathFact = { state: 'dir' };

for (const [name, target, root, existing] of [
  ['maitred', 'posix', '/srv/maitred', '/srv'],
  ['maitred', 'windows', 'C:\\POSERA\\MAITRED', 'C:\\'],
  ['tapetrack', 'posix', '/opt/tapetrack', '/opt'],
  ['tapetrack', 'windows', 'C:\\TapeTrack\\Server', 'C:\\'],
  ['generic', 'posix', '/srv/app', '/srv'],
  ['generic', 'windows', '\\\\fs01\\sites\\app', '\\\\fs01\\sites\\'],
] as const) {
  test(`${name} for ${target}: an empty disk gets every folder and the manifest; then there is nothing to do`, () => {
    const layout = resolved(name, target, root);
    const first = planLayout(layout, facts({ [existing]: dir }));
    assert.equal(first.refusals, []);
    assert.is(first.nothingToDo, false);
    const mkdirs = first.plan.changes.filter((c) => c.kind === 'mkdir');
    const missingParents = target !== 'windows' ? [] : name === 'tapetrack' ? ['C:\\TapeTrack'] : name === 'maitred' ? ['C:\\POSERA'] : [];
    assert.equal(mkdirs.map((c) => c.path), [...missingParents, ...layout.entries.map((e) => e.path)]);
    for (const c of mkdirs) {
      const e = layout.entries.find((x) => x.path === c.path);
      assert.is(c.kind === 'mkdir' && c.mode, e?.mode, c.path);
      if (target === 'windows') assert.is(c.kind === 'mkdir' && c.mode, undefined, 'no POSIX modes on Windows');
    }
    const write = first.plan.changes.at(-1)!;
    assert.is(write.kind, 'write');
    assert.is(write.path, layout.manifestPath);
    assert.is(first.manifest.status, 'new');
    assert.equal(parseLayoutManifest(first.manifest.text).manifest, layout.manifest);

    // Everything there, manifest saying the same: nothing to do.
    const all = Object.fromEntries([existing, ...mkdirs.map((c) => c.path)].map((p) => [p, dir]));
    const again = planLayout(layout, facts(all, { state: 'file', bytes: Buffer.from(first.manifest.text) }));
    assert.is(again.nothingToDo, true);
    assert.equal(again.plan.changes.filter((c) => c.kind === 'mkdir'), []);
    assert.is(again.manifest.status, 'unchanged');
    assert.ok(again.entries.every((e) => e.exists));
  });
}

test('a missing parent above --root is created too, without a mode; what exists is left', () => {
  const layout = resolved('maitred', 'posix', '/srv/sites/maitred');
  const planned = planLayout(layout, facts({ '/srv': dir, '/srv/sites/maitred/DATA': dir }));
  assert.equal(planned.plan.changes.map((c) => `${c.kind} ${c.path}${c.kind === 'mkdir' && c.mode ? ` ${c.mode.toString(8)}` : ''}`), [
    'mkdir /srv/sites',
    'mkdir /srv/sites/maitred',
    'mkdir /srv/sites/maitred/PRG 755',
    'mkdir /srv/sites/maitred/BACKUP 750',
    'write /srv/sites/maitred/PRG/provision-layout.ini',
  ]);
  assert.equal(planned.entries.map((e) => [e.path, e.kind, e.exists]), [
    ['/srv/sites', 'parent', false],
    ['/srv/sites/maitred', 'parent', false],
    ['/srv/sites/maitred/PRG', 'root', false],
    ['/srv/sites/maitred/DATA', 'root', true],
    ['/srv/sites/maitred/BACKUP', 'root', false],
  ]);
});

test('a different manifest is updated, and the plan says how', () => {
  const layout = resolved('generic', 'posix', '/srv/app');
  const old = renderLayoutManifest({ ...layout.manifest, backup: '/old/backup' });
  const all = Object.fromEntries(layout.entries.map((e) => [e.path, dir]));
  const planned = planLayout(layout, facts(all, { state: 'file', bytes: Buffer.from(old) }));
  assert.is(planned.manifest.status, 'updated');
  assert.is(planned.nothingToDo, false);
  const write = planned.plan.changes[0]!;
  assert.ok(write.kind === 'write' && write.before?.toString() === old);
});

test('refused: a path through a symbolic link (once per link), onto a file, below a file; the manifest as a link or a folder', () => {
  const layout = resolved('generic', 'posix', '/srv/app');
  const link = { path: '/srv/app', target: '/mnt/elsewhere' };
  const linked = planLayout(layout, facts({ '/srv/app': { state: 'dir', link }, '/srv/app/program': { state: 'missing', link }, '/srv/app/data': { state: 'missing', link } }, { state: 'missing', bytes: null, link }));
  assert.equal(linked.refusals, [{ code: 'symlink', message: '/srv/app goes through a symbolic link, /srv/app -> /mnt/elsewhere; give the real path, or remove the link' }]);
  const file = planLayout(layout, facts({ '/srv': dir, '/srv/app': dir, '/srv/app/data': { state: 'file' } }));
  assert.equal(file.refusals, [{ code: 'not-a-directory', message: "/srv/app/data exists and is not a folder (the layout's data root)" }]);
  const below = planLayout(resolved('generic', 'posix', '/srv/app/x'), facts({ '/srv': dir, '/srv/app': { state: 'file' } }));
  assert.equal(below.refusals, [{ code: 'not-a-directory', message: '/srv/app/x cannot be created: /srv/app exists and is not a folder' }]);
  const all = Object.fromEntries(layout.entries.map((e) => [e.path, dir]));
  const manifestLink = planLayout(layout, facts(all, { state: 'file', bytes: null, link: { path: layout.manifestPath, target: '/etc/passwd' } }));
  assert.match(manifestLink.refusals[0]!.message, /provision-layout\.ini is a symbolic link \(to \/etc\/passwd\)/);
  assert.is(planLayout(layout, facts(all, { state: 'dir', bytes: null })).refusals[0]!.code, 'not-a-directory');
});

test('warns when the data root and the backup root share a file system, and when a folder has another mode', () => {
  const layout = resolved('maitred', 'posix', '/srv/maitred');
  const same = planLayout(layout, facts({ '/srv': dir }, undefined, { data: 7, backup: 7 }));
  assert.equal(same.warnings, ['the data root /srv/maitred/DATA and the backup root /srv/maitred/BACKUP are on the same file system: a backup on the same disk is not a backup. Put the backup root on another disk, or copy the backups off this machine.']);
  assert.equal(planLayout(layout, facts({ '/srv': dir }, undefined, { data: 7, backup: 8 })).warnings, []);
  const mode = planLayout(layout, facts({ '/srv': dir, '/srv/maitred': dir, '/srv/maitred/DATA': { state: 'dir', mode: 0o777 } }, undefined, { data: 1, backup: 2 }));
  assert.equal(mode.warnings, ['/srv/maitred/DATA exists with mode 0777; the layout says 0750 (left as it is: chmod 0750 it if it should be)']);
  assert.equal(mode.refusals, []);
});

test('on disk: apply creates the tree with exact modes (whatever the umask), and a second plan has nothing to do', () => {
  const t = tempDir();
  const umask = process.umask(0o027);
  try {
    const spec = parseLayout('[program]\nmode = 0755\n[data]\nmode = 0770\n[data/env]\n[backup]\nmode = 0700\n').layout!;
    const layout = resolveLayout({ layout: spec, source: 'x.ini', target: 'posix', root: { value: path.join(t.dir, 'a', 'site'), from: '--root' } }, true).layout!;
    const first = planLayout(layout, inspectLayout(layout));
    assert.equal(first.refusals, []);
    applyLayoutPlan(first);
    const mode = (p: string) => fs.statSync(path.join(t.dir, 'a', 'site', p)).mode & 0o7777;
    assert.is(mode('program'), 0o755);
    assert.is(mode('data'), 0o770);
    assert.is(mode('data/env'), 0o770);
    assert.is(mode('backup'), 0o700);
    assert.is(fs.readFileSync(layout.manifestPath, 'utf8'), first.manifest.text);
    const second = planLayout(layout, inspectLayout(layout));
    assert.is(second.nothingToDo, true);
    assert.equal(second.warnings.filter((w) => !w.includes('same file system')), []);
    assert.ok(second.entries.every((e) => e.exists));
  } finally {
    process.umask(umask);
    t.cleanup();
  }
});

test('on disk: a symbolic link on the way and a file in the way are found', () => {
  const t = tempDir();
  try {
    fs.mkdirSync(path.join(t.dir, 'real'));
    fs.symlinkSync(path.join(t.dir, 'real'), path.join(t.dir, 'link'));
    const layout = resolved('generic', 'posix', path.join(t.dir, 'link', 'site'));
    const linked = planLayout(layout, inspectLayout(layout));
    assert.equal(linked.refusals.map((r) => r.code), ['symlink']);
    assert.ok(linked.refusals[0]!.message.includes(`${path.join(t.dir, 'link')} -> ${path.join(t.dir, 'real')}`));
    fs.writeFileSync(path.join(t.dir, 'file'), 'x');
    const onFile = resolveLayout({ layout: preset('generic'), source: 'g', target: 'posix', program: { value: path.join(t.dir, 'p'), from: '--program' }, data: { value: path.join(t.dir, 'file'), from: '--data' }, backup: { value: path.join(t.dir, 'b'), from: '--backup' } }, true).layout!;
    assert.equal(planLayout(onFile, inspectLayout(onFile)).refusals.map((r) => r.code), ['not-a-directory']);
  } finally {
    t.cleanup();
  }
});

test.run();
