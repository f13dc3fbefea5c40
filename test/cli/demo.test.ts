import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lintDbConfig } from '../../src/index.js';
import { tempDir } from '../helpers.js';
import { provision } from './run.js';

test('the demo provisions a master and a replicant that lint clean as a group, and is idempotent', () => {
  const t = tempDir();
  try {
    const r = provision(['demo', 'demo'], { cwd: t.dir });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /provision lint --group:\n  2 files, no problems/);
    for (const site of ['master', 'replicant']) {
      const bytes = fs.readFileSync(path.join(t.dir, 'demo', site, 'DB_CONFIG'));
      assert.is(lintDbConfig(bytes).errorCount, 0, site);
    }
    const again = provision(['demo', 'demo'], { cwd: t.dir });
    assert.is(again.code, 0);
    assert.match(again.stdout, /master: unchanged/);
    assert.match(again.stdout, /replicant: unchanged/);
  } finally {
    t.cleanup();
  }
});

test('the demo refuses "-" and an empty name for its folder, in one line, exit 2, writing nothing', () => {
  const t = tempDir();
  try {
    for (const dir of ['-', '']) {
      const r = provision(['demo', dir], { cwd: t.dir });
      assert.is(r.code, 2, dir);
      assert.match(r.stderr, /^provision: demo writes into a folder, and .* is none; name one, as in provision demo \.\/demo( \(\.\/- is a folder named -\))?\n$/, dir);
      assert.is(r.stdout, '', dir);
    }
    assert.equal(fs.readdirSync(t.dir), []);
  } finally {
    t.cleanup();
  }
});

test.run();
