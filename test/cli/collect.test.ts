import { PassThrough } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Asker } from '../../src/cli/ask.js';
import { collectAnswers, type GenerateArgs } from '../../src/cli/commands/generate.js';
import type { Io } from '../../src/cli/io.js';
import type { Question } from '../../src/site/questions.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers.js';

/** A terminal whose person gives the scripted answers, and a record of what was asked. */
function terminal(script: Record<string, string[]>): { io: Io; asked: string[]; said: string[]; makeAsker: () => Promise<Asker> } {
  const asked: string[] = [];
  const said: string[] = [];
  const tty = (sink: string[]) => ({ isTTY: true, write: (t: string) => sink.push(t) });
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  const io: Io = { cwd: process.cwd(), env: {}, stdin, stdout: tty([]), stderr: tty(said) };
  const asker: Asker = {
    async ask(q: Question) {
      asked.push(q.flag);
      const next = script[q.flag]?.shift();
      if (next === undefined) throw new Error(`unexpected question --${q.flag}`);
      return q.multiple ? next.split(',').filter(Boolean) : next;
    },
    async confirm() {
      return true;
    },
    async confirmByTyping() {
      return true;
    },
  };
  return { io, asked, said, makeAsker: async () => asker };
}

const base: GenerateArgs = { role: 'replicant', flags: {}, dryRun: true, json: false, yes: false, keepBackups: 5 };

test('flags win over the answers file, which wins over prompts; prompts ask only for the rest', async () => {
  const t = tempDir();
  try {
    fs.writeFileSync(path.join(t.dir, 'a.ini'), 'env = from-file\nlocal = 10.0.0.2:5010\npriority = 7\n');
    const term = terminal({ master: ['10.0.0.1:5010'], site: [''], priority: [], 'ack-policy': ['one'], 'client-port': ['5000'] });
    const answers = await collectAnswers({ ...base, answers: path.join(t.dir, 'a.ini'), flags: { env: 'from-flag' } }, { ...term.io, cwd: t.dir }, term.makeAsker);
    assert.is(answers.env, 'from-flag');
    assert.is(answers.local, '10.0.0.2:5010');
    assert.is(answers.priority, '7');
    assert.is(answers.master, '10.0.0.1:5010');
    assert.equal(term.asked, ['master', 'site', 'ack-policy', 'client-port']);
  } finally {
    t.cleanup();
  }
});

test('answers that are wrong together are asked again at the prompt', async () => {
  const term = terminal({ env: ['e'], local: ['10.0.0.2:5010'], master: ['10.0.0.2:5010', '10.0.0.1:5010'], site: [''], priority: ['0'], 'ack-policy': ['one'], 'client-port': ['5010', '5000'] });
  const answers = await collectAnswers(base, term.io, term.makeAsker);
  assert.is(answers.master, '10.0.0.1:5010');
  assert.is(answers.clientPort, '5000');
  assert.ok(term.said.some((s) => /this site's own address/.test(s)));
  assert.ok(term.said.some((s) => /also the replication port/.test(s)));
});

test('with --yes nothing is asked, even on a terminal', async () => {
  const term = terminal({});
  try {
    await collectAnswers({ ...base, yes: true, flags: { env: 'e', local: '10.0.0.2:5010' } }, term.io, term.makeAsker);
    assert.unreachable('no error');
  } catch (error) {
    assert.match((error as Error).message, /missing answer: the master.*--master \(answers file: master\) \(no prompts: --yes\)/);
  }
  assert.equal(term.asked, []);
});

test.run();
