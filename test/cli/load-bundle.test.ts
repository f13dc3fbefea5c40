import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, tempDir } from '../helpers.js';

const BUNDLE = path.join(ROOT, 'dist', 'cli', 'main.cjs');
const LOADER = path.join(ROOT, 'bin', 'load-bundle.cjs');
const { loadBundle, check } = createRequire(import.meta.url)(LOADER) as {
  loadBundle(file: string): { exports: Record<string, unknown>; script: { cachedDataRejected?: boolean } };
  check(bytes: Buffer): Buffer;
};
/** The cache's check of some bytes: their CRC-32, big-endian (as zlib.crc32 gives it). */
const crc = (bytes: Buffer) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(zlib.crc32(bytes));
  return out;
};

test('the build writes a code cache of the bundle that this Node accepts', () => {
  assert.ok(fs.statSync(`${BUNDLE}.cache`).size > 10_000, 'dist/cli/main.cjs.cache is written by npm run build');
  // Headed by the CRC-32 of the bundle, then of the data that follows.
  const cache = fs.readFileSync(`${BUNDLE}.cache`);
  assert.equal(cache.subarray(0, 4), crc(fs.readFileSync(BUNDLE)));
  assert.equal(cache.subarray(4, 8), check(cache.subarray(8)));
  // A fresh process, as the command line is: the cache is checked against its V8 version and flags.
  const probe = `const { loadBundle } = require(${JSON.stringify(LOADER)}); const { exports, script } = loadBundle(${JSON.stringify(BUNDLE)}); process.stdout.write(JSON.stringify({ rejected: script.cachedDataRejected, main: typeof exports.main }));`;
  const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), { rejected: false, main: 'function' });
});

test('without a cache, with one made for other bytes, or with one V8 rejects, the bundle loads as require() would', () => {
  const t = tempDir();
  try {
    // Each case compiles other source text: V8 would otherwise reuse its in-process compilation.
    const file = path.join(t.dir, 'main.cjs');
    const write = (n: number) => fs.writeFileSync(file, `exports.where = __filename; exports.dir = __dirname; exports.self = this === exports; exports.n = ${n};\n`);
    write(1);
    const plain = loadBundle(file);
    assert.equal(plain.exports, { where: file, dir: t.dir, self: true, n: 1 });
    assert.is(plain.script.cachedDataRejected, undefined, 'no cache given to V8');
    // A cache of a bundle of the same length is not given to V8, which checks only the length.
    write(2);
    const junk = Buffer.alloc(256, 7);
    fs.writeFileSync(`${file}.cache`, Buffer.concat([crc(Buffer.from('another bundle')), crc(junk), junk]));
    const stale = loadBundle(file);
    assert.is(stale.script.cachedDataRejected, undefined, 'a cache of other bytes is not used');
    assert.is(stale.exports['n'], 2);
    write(3);
    fs.writeFileSync(`${file}.cache`, Buffer.concat([crc(fs.readFileSync(file)), crc(junk), junk]));
    const rejected = loadBundle(file);
    assert.is(rejected.script.cachedDataRejected, true, 'V8 refuses data that is not its cache');
    assert.is(rejected.exports['n'], 3);
  } finally {
    t.cleanup();
  }
});

test('the bundle is ASCII (read as Latin-1, the faster decoding); a bundle that is not is read as UTF-8', () => {
  assert.ok(fs.readFileSync(BUNDLE).every((b) => b < 0x80), 'dist/cli/main.cjs holds only ASCII bytes');
  const t = tempDir();
  try {
    const file = path.join(t.dir, 'main.cjs');
    fs.writeFileSync(file, 'exports.text = "caf\u00e9 \u00b9\u00b2\u00b3 \u2714";\n');
    assert.is(loadBundle(file).exports['text'], 'caf\u00e9 \u00b9\u00b2\u00b3 \u2714');
    fs.writeFileSync(file, 'exports.text = "plain";\n');
    assert.is(loadBundle(file).exports['text'], 'plain');
  } finally {
    t.cleanup();
  }
});

test('a damaged cache is not given to V8, which would crash on it: the command runs without it', () => {
  const t = tempDir();
  try {
    const root = path.join(t.dir, 'provision');
    fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
    fs.cpSync(path.join(ROOT, 'bin'), path.join(root, 'bin'), { recursive: true });
    fs.cpSync(path.join(ROOT, 'dist', 'cli'), path.join(root, 'dist', 'cli'), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'));
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(root, 'package.json'));
    const cache = path.join(root, 'dist', 'cli', 'main.cjs.cache');
    const bytes = fs.readFileSync(cache);
    // Past both hashes: flip bytes all through V8's data, as a bad disk or a cut copy would.
    for (let i = 200; i < bytes.length; i += 97) bytes[i]! ^= 0x5a;
    fs.writeFileSync(cache, bytes);
    const file = path.join(t.dir, 'DB_CONFIG');
    fs.writeFileSync(file, 'rep_set_priority 1 # master\n');
    const r = spawnSync(process.execPath, [path.join(root, 'bin', 'provision.js'), 'lint', file], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.is(r.status, 1, `exit ${r.status} ${r.signal ?? ''}: ${r.stderr.slice(0, 300)}`);
    assert.match(r.stdout, /inline-comment/);
  } finally {
    t.cleanup();
  }
});

test('the command line loaded this way still imports its ES-module dependencies (handlebars for master)', () => {
  const t = tempDir();
  try {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'provision.js'), 'master', '--env', t.dir, '--local', '127.0.0.1:5010', '--replicant', '127.0.0.1:5011', '--dry-run', '--yes'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, /repmgr_site 127\.0\.0\.1 5010 db_local_site on/);
  } finally {
    t.cleanup();
  }
});

test.run();
