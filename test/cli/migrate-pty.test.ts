import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, tempDir } from '../helpers.js';
import { converse, hasScript } from './pty.js';

/** A copy of the fixture group; `b` configured as master or not afterwards. */
function group(): { dir: string; bMaster: () => boolean; cleanup: () => void } {
  const t = tempDir();
  fs.cpSync(path.join(ROOT, 'fixtures', 'migrate', 'group'), path.join(t.dir, 'g'), { recursive: true });
  return { dir: path.join(t.dir, 'g'), bMaster: () => /db_group_creator on/.test(fs.readFileSync(path.join(t.dir, 'g', 'b', 'DB_CONFIG'), 'utf8')), cleanup: t.cleanup };
}

test('takeover in a terminal: the person types the date\'s code', async () => {
  if (!hasScript) {
    console.log('  (skipped: util-linux script is not installed)');
    return;
  }
  const g = group();
  try {
    // --force: the fixture's master, 10.0.0.1:5010, is not probed (the probe is tested on loopback in migrate-cli).
    const r = await converse(['migrate', 'takeover', '--group', g.dir, '--to', 'b', '--date', '2001-09-25', '--force'], [[/Type the takeover code for 2001-09-25/, '2926\r']]);
    assert.is(r.done, 1, r.transcript);
    assert.is(r.code, 0, r.transcript);
    assert.match(r.transcript, /journal entry \S+-takeover/);
    assert.ok(g.bMaster());
  } finally {
    g.cleanup();
  }
});

test('takeover in a terminal: a wrong code writes nothing, exit 1', async () => {
  if (!hasScript) return;
  const g = group();
  try {
    const r = await converse(['migrate', 'takeover', '--group', g.dir, '--to', 'b', '--date', '2001-11-15'], [[/Type the takeover code/, '2926\r']]);
    assert.is(r.code, 1, r.transcript);
    assert.match(r.transcript, /nothing was written/);
    assert.not.ok(g.bMaster());
  } finally {
    g.cleanup();
  }
});

test.run();
