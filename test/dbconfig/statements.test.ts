import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDbConfig, readStatements } from '../../src/index.js';

const read = (text: string) => readStatements(parseDbConfig(Buffer.from(text, 'latin1')));

test('a line of 255 content bytes is read whole', () => {
  const line = `set_data_dir ${'d'.repeat(255 - 13)}`;
  assert.is(line.length, 255);
  const st = read(`${line}\n`).filter((s) => s.kind !== 'blank');
  assert.is(st.length, 1);
  assert.is(st[0]!.value!.text.length, 242);
});

test('a 256-byte line is read as two: the rest is a line of its own', () => {
  const line = `# ${'x'.repeat(241)} rep_set_priority 1`;
  const st = read(`${line}\n`);
  assert.is(st.length, 2);
  assert.is(st[1]!.part, 1);
  assert.is(st[1]!.offset, 255);
  assert.is(st[1]!.kind, 'directive');
});

test('a CRLF line of 255 content bytes is still read whole', () => {
  const line = `set_data_dir ${'d'.repeat(242)}`;
  const st = read(`${line}\r\n`).filter((s) => s.kind !== 'blank');
  assert.is(st.length, 1);
  assert.is(st[0]!.value!.text, 'd'.repeat(242));
});

test('a NUL byte ends what is read of the line', () => {
  const st = read('rep_set_priority 1\0garbage here\n');
  assert.is(st[0]!.nulAt, 18);
  assert.equal(st[0]!.tokens.map((t) => t.text), ['rep_set_priority', '1']);
});

test('one CR is stripped before LF; a lone CR at the end of the file too', () => {
  assert.equal(read('rep_set_priority 1\r\r\n')[0]!.tokens.map((t) => t.text), ['rep_set_priority', '1\r']);
  assert.equal(read('rep_set_priority 1\r')[0]!.tokens.map((t) => t.text), ['rep_set_priority', '1']);
});

test('string directives take the rest of the line verbatim', () => {
  const [a, b, c] = read('set_data_dir my data dir \t\nset_data_dir\nset_data_dir \n');
  assert.equal(a!.value, { text: 'my data dir \t', start: 13 });
  assert.is(b!.value, null);
  assert.equal(c!.value, { text: '', start: 13 });
});

test('simple names are case-sensitive, complex ones are not', () => {
  const [a, b, c] = read('REP_SET_PRIORITY 3\nREPMGR_SITE h 1\nSet_CacheSize 0 1 1\n');
  assert.is(a!.spec, undefined);
  assert.is(b!.spec?.name, 'repmgr_site');
  assert.is(c!.spec?.name, 'set_cachesize');
});

test.run();
