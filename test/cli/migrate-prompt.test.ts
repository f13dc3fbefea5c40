import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Asker } from '../../src/cli/ask.js';
import { runMigrate, type MigrateArgs } from '../../src/cli/commands/migrate.js';
import type { Io } from '../../src/cli/io.js';
import { takeoverCode } from '../../src/migrate/takeover.js';
import { ROOT, tempDir } from '../helpers.js';

const test = suite('provision migrate at a terminal');

/** runMigrate in-process on a pretend terminal whose person answers `typed` (or yes/no). */
async function atTerminal(args: Partial<MigrateArgs>, answer: { typed?: string; yes?: boolean }) {
  const { dir, cleanup } = tempDir();
  fs.cpSync(path.join(ROOT, 'fixtures', 'migrate', 'group'), path.join(dir, 'g'), { recursive: true });
  const out: string[] = [];
  const err: string[] = [];
  const asked: { expected?: string | readonly string[]; message: string }[] = [];
  const tty = (sink: string[]) => ({ isTTY: true, write: (t: string) => sink.push(t) });
  const io: Io = { cwd: dir, env: {}, stdin: Object.assign(new PassThrough(), { isTTY: true }), stdout: tty(out), stderr: tty(err) };
  const asker: Asker = {
    ask: async () => assert.unreachable('no questions') as never,
    confirm: async (message) => (asked.push({ message }), answer.yes === true),
    confirmByTyping: async (expected, message) => {
      asked.push({ expected, message });
      const typed = answer.typed ?? '';
      return typeof expected === 'string' ? typed === expected : expected.includes(typed);
    },
  };
  const full: MigrateArgs = { migration: 'failover', args: [], group: 'g', sites: [], clean: true, dryRun: false, json: false, yes: false, ...args };
  try {
    const code = await runMigrate(full, io, async () => asker);
    const b = fs.readFileSync(path.join(dir, 'g', 'b', 'DB_CONFIG'), 'latin1');
    return { code, out: out.join(''), err: err.join(''), asked, bMaster: /db_group_creator on/.test(b) };
  } finally {
    cleanup();
  }
}

test('takeover asks for today\'s code or the site\'s name; the code goes ahead', async () => {
  const today = takeoverCode(new Date());
  // force: the fixture's master, 10.0.0.1:5010, is not probed (the probe is tested on loopback in migrate-cli).
  const r = await atTerminal({ migration: 'takeover', to: 'b', force: true }, { typed: today });
  assert.is(r.code, 0, r.err);
  assert.equal(r.asked[0]!.expected, [today, 'b']);
  assert.match(r.asked[0]!.message, /Type the takeover code for today, or the site's name "b"/);
  assert.ok(r.bMaster);
});

test('takeover: the site\'s name typed back goes ahead; --date sets the code', async () => {
  const r = await atTerminal({ migration: 'takeover', to: 'b', date: '2001-09-25', force: true }, { typed: 'b' });
  assert.is(r.code, 0, r.err);
  assert.equal(r.asked[0]!.expected, ['2926', 'b']);
});

test('takeover: a wrong answer writes nothing, exit 1', async () => {
  const r = await atTerminal({ migration: 'takeover', to: 'b', date: '2001-11-15' }, { typed: '2926' });
  assert.is(r.code, 1);
  assert.equal(r.asked[0]!.expected, ['3116', 'b']);
  assert.match(r.err, /nothing was written/);
  assert.not.ok(r.bMaster);
});

test('failover asks yes/no; no writes nothing, exit 1', async () => {
  const no = await atTerminal({ to: 'b' }, { yes: false });
  assert.is(no.code, 1);
  assert.match(no.asked[0]!.message, /Apply failover \(3 file\(s\)\)\?/);
  assert.not.ok(no.bMaster);
  const yes = await atTerminal({ to: 'b' }, { yes: true });
  assert.is(yes.code, 0, yes.err);
  assert.ok(yes.bMaster);
});

test('--yes does not stand in for the takeover code', async () => {
  const r = await atTerminal({ migration: 'takeover', to: 'b', yes: true }, { typed: 'nope' });
  assert.is(r.code, 1);
  assert.is(r.asked.length, 1, 'still asked');
});

test.run();
