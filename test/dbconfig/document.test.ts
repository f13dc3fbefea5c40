import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { constants } from 'node:buffer';
import { lintDbConfig, MAX_DOCUMENT_BYTES, parseDbConfig, renderDbConfig } from '../../src/index.js';
import { filesBelow, prng, ROOT } from '../helpers.js';

const roundTrip = (bytes: Buffer) => renderDbConfig(parseDbConfig(bytes));

test('every fixture renders back to its exact bytes', () => {
  const files = filesBelow(path.join(ROOT, 'fixtures'));
  assert.ok(files.length >= 5, `expected fixtures, found ${files.length}`);
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    assert.ok(roundTrip(bytes).equals(bytes), `round trip changed ${path.relative(ROOT, file)}`);
  }
});

test('input larger than one string can hold is a RangeError saying so, not a V8 error', () => {
  assert.is(MAX_DOCUMENT_BYTES, constants.MAX_STRING_LENGTH);
  // A view that says it is that large (allocating 512 MiB in a test would be the test's own problem).
  const huge = new Uint8Array(4);
  Object.defineProperty(huge, 'byteLength', { value: MAX_DOCUMENT_BYTES + 1 });
  for (const call of [() => parseDbConfig(huge), () => lintDbConfig(huge)]) {
    assert.throws(call, (e: unknown) => e instanceof RangeError && /larger than a document can hold/.test(e.message));
  }
  // At the limit and below, nothing is refused for its size.
  const small = new Uint8Array(4);
  Object.defineProperty(small, 'byteLength', { value: 4 });
  assert.is(renderDbConfig(parseDbConfig(small)).length, 4);
});

test('random bytes render back unchanged (5000 seeded cases)', () => {
  const rand = prng(20261122);
  // Bias towards the bytes that matter: separators, CR, LF, #, NUL, BOM pieces, high bytes.
  const alphabet = [0x20, 0x09, 0x0d, 0x0a, 0x23, 0x00, 0x0b, 0x0c, 0xef, 0xbb, 0xbf, 0xc2, 0xa0, 0x61, 0x5f, 0x31, 0x3d, 0x3a, 0xff];
  for (let i = 0; i < 5000; i++) {
    const length = Math.floor(rand() * 300);
    const bytes = Buffer.alloc(length);
    for (let j = 0; j < length; j++) bytes[j] = rand() < 0.6 ? alphabet[Math.floor(rand() * alphabet.length)]! : Math.floor(rand() * 256);
    if (i % 7 === 0) bytes.set([0xef, 0xbb, 0xbf].slice(0, Math.min(3, length)), 0);
    const out = roundTrip(bytes);
    assert.ok(out.equals(bytes), `case ${i}: ${bytes.toString('hex')}`);
  }
});

test('a large file round-trips', () => {
  const line = 'repmgr_site 10.0.0.1 5010 db_local_site on\r\n';
  const bytes = Buffer.from(line.repeat(50000));
  assert.ok(roundTrip(bytes).equals(bytes));
});

test('lines keep their own line endings and the final newline state', () => {
  const doc = parseDbConfig(Buffer.from('a 1\r\nb 2\nc 3'));
  assert.equal(doc.lines.map((l) => l.eol), ['\r\n', '\n', '']);
  assert.equal(doc.lines.map((l) => l.text), ['a 1', 'b 2', 'c 3']);
});

test('a BOM is kept apart from the first line', () => {
  const doc = parseDbConfig(Buffer.from('\xef\xbb\xbf# x\n', 'latin1'));
  assert.ok(doc.bom);
  assert.is(doc.lines[0]!.kind, 'comment');
});

test('\\r\\r\\n keeps one CR in the text, as Berkeley DB sees it', () => {
  const doc = parseDbConfig(Buffer.from('rep_set_priority 4\r\r\n'));
  assert.is(doc.lines[0]!.text, 'rep_set_priority 4\r');
  assert.is(doc.lines[0]!.eol, '\r\n');
});

test('lines are classified as Berkeley DB does: indented directives are directives', () => {
  const doc = parseDbConfig('\t\trep_set_priority 7\n  # note\n \v \n');
  assert.equal(doc.lines.map((l) => l.kind), ['directive', 'comment', 'blank']);
  assert.is(doc.lines[0]!.indent, '\t\t');
  assert.equal(doc.lines[0]!.tokens.map((t) => [t.text, t.start]), [['rep_set_priority', 2], ['7', 19]]);
});

test('only space and tab separate tokens', () => {
  const doc = parseDbConfig('rep_set_priority\v1 x\fy\n');
  assert.equal(doc.lines[0]!.tokens.map((t) => t.text), ['rep_set_priority\v1', 'x\fy']);
});

test('an empty input is an empty document', () => {
  const doc = parseDbConfig(Buffer.alloc(0));
  assert.is(doc.lines.length, 0);
  assert.is(renderDbConfig(doc).length, 0);
});

test.run();
