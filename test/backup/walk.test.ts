import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { walkTree } from '../../src/backup/walk.js';
import { tempDir } from '../helpers.js';

test('a walk never enters provision\'s quarantine folders: they are not data', () => {
  const t = tempDir();
  try {
    fs.mkdirSync(path.join(t.dir, 'db/.provision-quarantine/db/20261122T013000.000Z/0'), { recursive: true });
    fs.writeFileSync(path.join(t.dir, 'db/.provision-quarantine/db/20261122T013000.000Z/0/__db.001'), 'stale');
    fs.writeFileSync(path.join(t.dir, 'db/app.db'), 'data');
    assert.equal(walkTree(t.dir).map((e) => e.path), ['.', 'db', 'db/app.db']);
  } finally {
    t.cleanup();
  }
});

test.run();
