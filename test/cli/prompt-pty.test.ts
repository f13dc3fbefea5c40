import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from '../helpers.js';
import { converse, hasScript } from './pty.js';

test('a person answers the prompts of provision replicant in a terminal, and a wrong answer is asked again', async () => {
  if (!hasScript) {
    console.log('  (skipped: util-linux script is not installed)');
    return;
  }
  const t = tempDir();
  try {
    const env = path.join(t.dir, 'env');
    const r = await converse(
      ['replicant', '--env', env],
      [
        [/This site, as HOST:PORT/, '10.0.0.2\r'],
        // The answer stays on the line with the message under it; the person adds the port.
        [/"10\.0\.0\.2" is not HOST:PORT/, ':5010\r'],
        [/The master site, as HOST:PORT/, '10.0.0.1:5010\r'],
        [/Other replicants/, '\r'],
        [/Election priority/, '\r'],
        [/Acknowledgement policy/, '\r'],
        [/Port clients connect to/, '\r'],
        [/Write .*DB_CONFIG\?/, 'y\r'],
      ],
    );
    assert.is(r.done, 8, `stopped after ${r.done} answers:\n${r.transcript}`);
    assert.is(r.code, 0, r.transcript);
    assert.match(r.transcript, /Next steps:/);
    const written = fs.readFileSync(path.join(env, 'DB_CONFIG'), 'utf8');
    assert.match(written, /^rep_set_priority 0$/m);
    assert.match(written, /^repmgr_site 10\.0\.0\.2 5010 db_local_site on$/m);
    assert.match(written, /^repmgr_site 10\.0\.0\.1 5010 db_bootstrap_helper on$/m);
  } finally {
    t.cleanup();
  }
});

test('with --yes a terminal gets no prompt: a missing answer is an error naming its flag', async () => {
  if (!hasScript) return;
  const r = await converse(['replicant', '--env', '/nonexistent-provision-test', '--yes'], []);
  assert.is(r.code, 2);
  assert.match(r.transcript, /missing answer: this site: HOST:PORT .*--local \(answers file: local\)/);
  assert.not.match(r.transcript, /\?/);
});

test('Ctrl-C at a prompt cancels cleanly: exit 130, nothing written, no stack trace', async () => {
  if (!hasScript) return;
  const t = tempDir();
  try {
    const r = await converse(['replicant', '--env', path.join(t.dir, 'env')], [[/This site, as HOST:PORT/, '\x03']]);
    assert.is(r.code, 130, r.transcript);
    assert.match(r.transcript, /cancelled; nothing was written/);
    assert.not.match(r.transcript, /internal error|\n\s+at /);
    assert.not.ok(fs.existsSync(path.join(t.dir, 'env')));
  } finally {
    t.cleanup();
  }
});

test.run();
