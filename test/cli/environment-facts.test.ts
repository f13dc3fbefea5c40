/**
 * What lint learns of the environment directory a DB_CONFIG sits in: its
 * region files (from the walk or a listing) and the directories it names.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { environmentFacts } from '../../src/cli/files.js';
import { directoryExistsFrom } from '../../src/env/directories.js';
import { tempDir } from '../helpers.js';

test('an environment directory: its region files with their times, and the directories its DB_CONFIG names', () => {
  const t = tempDir();
  try {
    const env = path.join(t.dir, 'env');
    fs.mkdirSync(path.join(env, 'logs'), { recursive: true });
    fs.writeFileSync(path.join(env, 'DB_CONFIG'), 'set_lg_dir logs\n');
    fs.writeFileSync(path.join(env, '__db.001'), 'r');
    fs.utimesSync(path.join(env, '__db.001'), 1000, 1000);
    fs.writeFileSync(path.join(env, 'data'), 'a file, not a directory');
    const file = path.join(env, 'DB_CONFIG');
    // As the walk gives them, as a listing finds them, and for a path whose directory path.dirname must find.
    for (const facts of [environmentFacts(file, ['__db.001', 'logs']), environmentFacts(file), environmentFacts(path.join(t.dir, 'env', '.', 'DB_CONFIG'))]) {
      assert.ok(facts);
      assert.equal(facts.regionFiles, [{ name: '__db.001', mtimeMs: 1_000_000 }]);
      assert.is(facts.configMtimeMs, fs.statSync(file).mtimeMs);
      assert.ok(facts.directoryExists('logs'));
      assert.ok(facts.directoryExists(path.join(env, 'logs')));
      assert.not.ok(facts.directoryExists('data'), 'a file is not a directory');
      assert.not.ok(facts.directoryExists('nope'));
    }
    // Times the reader thread took (the file's, then each region file's) are used as they are: no stat.
    const taken = environmentFacts(file, ['__db.001', 'logs'], [5, 7]);
    assert.equal([taken?.configMtimeMs, taken?.regionFiles], [5, [{ name: '__db.001', mtimeMs: 7 }]]);
    // None, or not one for each region file: the times are read here.
    for (const times of [null, undefined, [5], [5, 7, 9]]) {
      const asked = environmentFacts(file, ['__db.001', 'logs'], times);
      assert.equal([asked?.configMtimeMs, asked?.regionFiles], [fs.statSync(file).mtimeMs, [{ name: '__db.001', mtimeMs: 1_000_000 }]], String(times));
    }
    // No region files: no time is read, and the directories are still those of the environment.
    fs.rmSync(path.join(env, '__db.001'));
    const plain = environmentFacts(file, ['logs']);
    assert.ok(plain);
    assert.equal([plain.configMtimeMs, plain.regionFiles], [0, []]);
    assert.ok(plain.directoryExists('logs'));
    assert.not.ok(environmentFacts(file)!.directoryExists('nope'));
  } finally {
    t.cleanup();
  }
});

test('a walk\'s listing answers for a plain name it does not hold; anything else is asked of the file system', () => {
  const t = tempDir();
  try {
    const env = path.join(t.dir, 'env');
    for (const d of ['logs', 'LOGS', 'data', 'sub/deeper', 'data.', '.hidden', 'DATA~1']) fs.mkdirSync(path.join(env, d), { recursive: true });
    // As if listed before the others were made: the listing is what the walk saw, and it answers for plain names.
    const exists = directoryExistsFrom(env, ['logs', 'sub']);
    assert.ok(exists('logs'));
    assert.not.ok(exists('data'), 'a plain name the listing does not hold: no stat');
    assert.not.ok(exists('data   '));
    assert.ok(exists('LOGS'), 'another case of a listed name: asked (a case-insensitive file system would find it)');
    assert.ok(exists('sub/deeper'), 'a path below is asked of the file system');
    assert.ok(exists('./data') && exists(path.join(env, 'data')), 'so are ./name and an absolute path');
    assert.ok(exists('.') && exists('..'), '. and .. are no names to look up');
    // Names some file systems read as others (FAT drops a trailing dot and knows short names; a snapshot
    // directory may be hidden from listings): asked.
    for (const name of ['data.', '.hidden', 'DATA~1']) assert.ok(exists(name), name);
    assert.ok(directoryExistsFrom(env, ['caf\u00e9'])('data'), 'a listed name outside ASCII: asked, a file system may fold it');
    assert.ok(directoryExistsFrom(env)('data'), 'no listing: asked');
    assert.ok(exists('C:\\ProgramData\\db'), 'a Windows path is taken to be there');
  } finally {
    t.cleanup();
  }
});

test.run();
