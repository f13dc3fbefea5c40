import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  findLayoutManifest, LAYOUT_MANIFEST, LayoutManifestError, parseLayoutManifest, readLayoutManifest, renderLayoutManifest, type LayoutManifest,
} from '../../src/layout/manifest.js';
import { tempDir } from '../helpers.js';

const WINDOWS: LayoutManifest = {
  program: 'C:\\POSERA\\MAITRED\\PRG', data: 'C:\\POSERA\\MAITRED\\DATA', backup: '\\\\nas\\backups\\maitred', environment: 'C:\\POSERA\\MAITRED\\DATA', preset: 'maitred', target: 'windows',
};

test('a manifest renders as INI and reads back exactly, UNC paths and ; # in names included', () => {
  const text = renderLayoutManifest(WINDOWS);
  assert.match(text, /^program = "C:\\\\POSERA\\\\MAITRED\\\\PRG"$/m);
  assert.equal(parseLayoutManifest(text), { manifest: WINDOWS, problems: [] });
  const posix: LayoutManifest = { program: '/srv/a;b/prg', data: '/srv/a#b/data', backup: '/backup/x "y"', target: 'posix' };
  assert.equal(parseLayoutManifest(renderLayoutManifest(posix)).manifest, posix);
  assert.not.match(renderLayoutManifest(posix), /\d{8}T/, 'no timestamp: the same layout gives the same bytes');
});

test('a broken manifest is a list of problems with lines', () => {
  const { manifest, problems } = parseLayoutManifest('format = 1\ntarget = posix\nprogram = "relative"\ndata = "/d"\nbackup = "C:\\\\b"\ncolour = red\n__proto__ = x\n');
  assert.is(manifest, undefined);
  assert.equal(problems.map((p) => p.line), [3, 5, 6, 7]);
  assert.match(problems[0]!.message, /program: relative is not an absolute POSIX path/);
  assert.match(problems[1]!.message, /backup: C:\\b is a Windows path, and the target is POSIX/);
  assert.match(problems[2]!.message, /unknown key "colour"/);
  assert.match(problems[3]!.message, /"__proto__" is not allowed/);
  assert.match(parseLayoutManifest('target = posix\nprogram = "/p"\ndata = "/d"\n').problems[0]!.message, /missing "backup"/);
  assert.match(parseLayoutManifest('format = 2\ntarget = posix\nprogram = "/p"\ndata = "/d"\nbackup = "/b"\n').problems[0]!.message, /format 2 is not one this provision reads/);
});

function site(dir: string): LayoutManifest {
  const m: LayoutManifest = { program: path.join(dir, 'PRG'), data: path.join(dir, 'DATA'), backup: path.join(dir, 'BACKUP'), environment: path.join(dir, 'DATA'), target: 'posix' };
  for (const d of [m.program, m.data, m.backup, path.join(m.data, 'sub', 'deeper')]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(m.program, LAYOUT_MANIFEST), renderLayoutManifest(m));
  return m;
}

test('readLayoutManifest: the manifest of a program root, undefined without one, an error naming the file when wrong or moved', () => {
  const t = tempDir();
  try {
    const m = site(path.join(t.dir, 'site'));
    assert.equal(readLayoutManifest(m.program), m);
    assert.is(readLayoutManifest(m.data), undefined);
    fs.renameSync(path.join(t.dir, 'site'), path.join(t.dir, 'moved'));
    const moved = path.join(t.dir, 'moved', 'PRG');
    try {
      readLayoutManifest(moved);
      assert.unreachable();
    } catch (error) {
      assert.instance(error, LayoutManifestError);
      assert.match((error as Error).message, /provision-layout\.ini: says the program root is .*\/site\/PRG, but it is in .*\/moved\/PRG; run provision layout again/);
    }
    fs.writeFileSync(path.join(moved, LAYOUT_MANIFEST), 'target = posix\nprogram = /x\nwhat\n');
    assert.throws(() => readLayoutManifest(moved), (e: Error) => /provision-layout\.ini:3: expected "key = value"/.test(e.message));
  } finally {
    t.cleanup();
  }
});

test('findLayoutManifest finds the manifest from the data root, a folder below it, the backup root or the program root', () => {
  const t = tempDir();
  try {
    const m = site(path.join(t.dir, 'site'));
    const file = path.join(m.program, LAYOUT_MANIFEST);
    for (const start of [m.data, path.join(m.data, 'sub', 'deeper'), m.backup, m.program]) assert.equal(findLayoutManifest(start), { file, manifest: m }, start);
    assert.is(findLayoutManifest(t.dir), undefined, 'the folder above the roots belongs to no root');
    // Another site's manifest beside it does not count.
    const other = site(path.join(t.dir, 'other'));
    assert.equal(findLayoutManifest(other.data)?.manifest, other);
    assert.equal(findLayoutManifest(m.data)?.manifest, m);
  } finally {
    t.cleanup();
  }
});

test('findLayoutManifest reports a broken manifest only when no good one holds the folder', () => {
  const t = tempDir();
  try {
    const m = site(path.join(t.dir, 'site'));
    fs.mkdirSync(path.join(t.dir, 'site', 'OLD'));
    fs.writeFileSync(path.join(t.dir, 'site', 'OLD', LAYOUT_MANIFEST), 'nonsense\n');
    assert.equal(findLayoutManifest(m.data)?.manifest, m);
    fs.rmSync(path.join(m.program, LAYOUT_MANIFEST));
    assert.throws(() => findLayoutManifest(m.data), (e: Error) => e instanceof LayoutManifestError && /OLD\/provision-layout\.ini:1:/.test(e.message));
  } finally {
    t.cleanup();
  }
});

test.run();
