import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseLayout, parseMode } from '../../src/layout/parse.js';
import { ROOT } from '../helpers.js';

const preset = (name: string) => fs.readFileSync(path.join(ROOT, 'templates/layouts', `${name}.ini`), 'utf8');

test('the presets parse: roots, folders, environment, modes, the Maitre\'D default root', () => {
  const maitred = parseLayout(preset('maitred'));
  assert.equal(maitred.problems, []);
  assert.equal(maitred.layout!.roots.program, { path: 'PRG', mode: 0o755, line: 11 });
  assert.is(maitred.layout!.roots.data.path, 'DATA');
  assert.is(maitred.layout!.roots.backup.path, 'BACKUP');
  assert.equal(maitred.layout!.environment, { rel: '', line: 7 });
  assert.equal(maitred.layout!.defaultRoot, { windows: { path: 'C:\\POSERA\\MAITRED', line: 8 } });
  const tapetrack = parseLayout(preset('tapetrack')).layout!;
  assert.is(tapetrack.roots.program.path, '.');
  assert.is(tapetrack.roots.data.path, 'var');
  assert.equal(tapetrack.folders.map((f) => [f.root, f.rel, f.mode]), [['data', 'db', 0o750]]);
  assert.is(tapetrack.environment!.rel, 'db');
  const generic = parseLayout(preset('generic')).layout!;
  assert.is(generic.environment!.rel, 'env');
  assert.equal(generic.defaultRoot, {});
});

test('a folder section needs no keys; a root section\'s path defaults to its name', () => {
  const { layout, problems } = parseLayout('[program]\n[data]\nmode = 750\n[data/logs]\n[data/env/tmp]\nmode = 0700\n[backup]\n');
  assert.equal(problems, []);
  assert.equal(layout!.roots.program, { path: 'program', line: 1 });
  assert.equal(layout!.roots.data, { path: 'data', mode: 0o750, line: 2 });
  assert.equal(layout!.folders, [{ root: 'data', rel: 'logs', line: 4 }, { root: 'data', rel: 'env/tmp', mode: 0o700, line: 5 }]);
  assert.is(layout!.environment, undefined);
});

test('every problem of a layout file has its line', () => {
  const text = [
    'oops = 1', // 1
    '[layout]', // 2
    'environment = program/x', // 3
    'colour = red', // 4
    '[program]', // 5
    'path = C:\\PRG', // 6
    'mode = 0644', // 7
    '[data]', // 8
    'path = DATA\\DB', // 9
    'path = again', // 10
    '[backup]', // 11
    'mode = rwx', // 12
    '[logs]', // 13
    '[data]', // 14
    '[data/]', // 15
    '__proto__ = 1', // 16
    '[program//etc/x]', // 17
  ].join('\n');
  const { layout, problems } = parseLayout(text);
  assert.is(layout, undefined);
  const byLine = Object.fromEntries(problems.map((p) => [p.line, p.message]));
  assert.match(byLine[1]!, /"oops" is outside a section/);
  assert.match(byLine[3]!, /environment must be the data root or a folder below it \(data or data\/FOLDER\), found "program\/x": backups copy the data root/);
  assert.match(byLine[4]!, /unknown key "colour" in \[layout\]; the keys there are description, environment, windows_root, posix_root/);
  assert.match(byLine[6]!, /write \/ between folder names, found "C:\\PRG"/);
  assert.match(byLine[7]!, /mode 0644 leaves the owner without read, write and search/);
  assert.match(byLine[9]!, /write \/ between folder names, found "DATA\\DB"/);
  assert.match(byLine[10]!, /"path" is also set on line 9/);
  assert.match(byLine[12]!, /mode must be octal like 0750, found "rwx"/);
  assert.match(byLine[13]!, /unknown section \[logs\]; the sections are \[layout\], \[program\], \[data\], \[backup\], and \[program\/FOLDER\]/);
  assert.match(byLine[14]!, /section \[data\] is also on line 8/);
  assert.match(byLine[15]!, /\[data\/\] names no folder/);
  assert.match(byLine[16]!, /"__proto__" is not allowed as a key/);
  assert.match(byLine[17]!, /"\/etc\/x" must be relative to its root; give absolute roots with --root, --program, --data and --backup/);
});

test('a layout without a root section says which', () => {
  assert.match(parseLayout('[program]\n[data]\n').problems[0]!.message, /missing section \[backup\]/);
});

test('modes: octal, owner rwx required', () => {
  assert.equal(parseMode('0750'), { mode: 0o750 });
  assert.equal(parseMode('2770'), { mode: 0o2770 });
  assert.ok(parseMode('0500').problem);
  assert.ok(parseMode('0800').problem);
  assert.ok(parseMode('75').problem);
});

test.run();
