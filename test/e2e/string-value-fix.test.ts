/**
 * `provision lint --fix` on a directory value with trailing spaces, checked
 * with the real Berkeley DB: where the directory is named with the spaces the
 * file works as written and lint must leave it alone; where only the trimmed
 * name exists the file panics as written and the fix must make it open.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runProvision as provision, tempDir } from '../helpers.js';
import { buildHarness, whyBdbUnavailable } from './bdb.js';

const test = suite('string-value-fix-bdb');
const unavailable = whyBdbUnavailable();
const SITE = 'repmgr_site 10.0.0.1 5010 db_local_site on db_group_creator on\n';

/** Open `home` (its DB_CONFIG) with the harness; whether Berkeley DB accepted it, and what it said. */
function openEnv(harness: string, home: string): Promise<{ ok: boolean; said: string }> {
  return new Promise((resolve) => {
    execFile(harness, [home], { cwd: home, timeout: 5000, killSignal: 'SIGKILL', encoding: 'latin1' }, (error, stdout, stderr) => {
      resolve({ ok: error === null && stdout.includes('"ok":true'), said: `${stdout}${stderr}` });
    });
  });
}

/** Remove the region files an open left behind, so lint judges DB_CONFIG alone. */
function clearRegions(home: string): void {
  for (const name of readdirSync(home)) if (name.startsWith('__db')) rmSync(join(home, name), { force: true });
}

if (unavailable !== undefined) {
  if (process.env['PROVISION_E2E'] === 'required') {
    test('Berkeley DB is available (PROVISION_E2E=required)', () => {
      assert.unreachable(`PROVISION_E2E=required but the real Berkeley DB cannot be used: ${unavailable}`);
    });
  } else {
    console.log(`\n  NOTE: skipping the string-value fix suite: ${unavailable}. Set PROVISION_E2E=required to make this a failure.\n`);
    test.skip('string-value-fix-bdb (Berkeley DB not available)');
  }
} else {
  let harness = '';
  test.before(() => {
    harness = buildHarness();
  });

  test('a log directory named with trailing spaces works, and --fix leaves it as written', async () => {
    const t = tempDir();
    try {
      const home = join(t.dir, 'env');
      mkdirSync(join(home, 'logs  '), { recursive: true });
      const config = `set_lg_dir logs  \n${SITE}`;
      writeFileSync(join(home, 'DB_CONFIG'), config);
      const before = await openEnv(harness, home);
      assert.ok(before.ok, `Berkeley DB should open the file as written:\n${before.said}`);
      clearRegions(home);
      const lint = await provision(['lint', '-f', 'json', home]);
      const messages = (JSON.parse(lint.stdout) as { messages: { ruleId: string; fix?: unknown }[] }[])[0]!.messages;
      assert.equal(messages.map((m) => [m.ruleId, m.fix !== undefined]), [['string-value', false]]);
      const fix = await provision(['lint', '--fix', home]);
      assert.is(fix.status, 0, fix.stderr);
      assert.is(readFileSync(join(home, 'DB_CONFIG'), 'latin1'), config);
      const after = await openEnv(harness, home);
      assert.ok(after.ok, `Berkeley DB should still open it:\n${after.said}`);
    } finally {
      t.cleanup();
    }
  });

  test('trailing spaces naming no directory, where the trimmed one exists, are trimmed and the file then opens', async () => {
    const t = tempDir();
    try {
      const home = join(t.dir, 'env');
      mkdirSync(join(home, 'logs'), { recursive: true });
      writeFileSync(join(home, 'DB_CONFIG'), `set_lg_dir logs  \n${SITE}`);
      const before = await openEnv(harness, home);
      assert.not.ok(before.ok, 'Berkeley DB should panic: "logs  " does not exist');
      assert.match(before.said, /DB_RUNRECOVERY|BDB0061/);
      clearRegions(home);
      const fix = await provision(['lint', '--fix', home]);
      assert.is(fix.status, 0, `${fix.stdout}${fix.stderr}`);
      assert.is(readFileSync(join(home, 'DB_CONFIG'), 'latin1'), `set_lg_dir logs\n${SITE}`);
      const after = await openEnv(harness, home);
      assert.ok(after.ok, `Berkeley DB should open the fixed file:\n${after.said}`);
    } finally {
      t.cleanup();
    }
  });

  test('in a file not named DB_CONFIG lint cannot see the directories, so it offers no fix for a path', async () => {
    const t = tempDir();
    try {
      const file = join(t.dir, 'site.conf');
      writeFileSync(file, `set_lg_dir logs  \n${SITE}`);
      const r = await provision(['lint', '-f', 'json', file]);
      const messages = (JSON.parse(r.stdout) as { messages: { ruleId: string; fix?: unknown }[] }[])[0]!.messages;
      assert.equal(messages.map((m) => [m.ruleId, m.fix !== undefined]), [['string-value', false]]);
    } finally {
      t.cleanup();
    }
  });
}

test.run();
