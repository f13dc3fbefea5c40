import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, tempDir } from '../helpers.js';

const LOADER = path.join(ROOT, 'bin', 'load-bundle.cjs');
const { loadBundle, saveCache, cacheBytes } = createRequire(import.meta.url)(LOADER) as {
  loadBundle(file: string): { exports: Record<string, unknown>; script: { cachedDataRejected?: boolean; createCachedData(): Buffer } };
  saveCache(file: string, script: unknown): void;
  cacheBytes(source: Buffer, data: Buffer): Buffer;
};

for (const name of ['main.cjs', 'lint.cjs']) {
  test(`the build ends ${name} with its hash and writes a code cache of it that this Node accepts`, () => {
    const file = path.join(ROOT, 'dist', 'cli', name);
    const bundle = fs.readFileSync(file);
    const last = /\/\/# build sha256 ([0-9a-f]{64})\n$/.exec(bundle.toString('latin1'));
    assert.ok(last, 'the last line names the build');
    assert.is(last[1], createHash('sha256').update(bundle.subarray(0, bundle.length - last[0].length)).digest('hex'));
    const cache = fs.readFileSync(`${file}.cache`);
    assert.ok(cache.length > 20_000, `dist/cli/${name}.cache is written by npm run build`);
    // Its head: the magic, the bundle's length, the data's length, the bundle's last 96 bytes; then the data twice.
    assert.is(cache.subarray(0, 8).toString(), 'PVCACHE2');
    assert.is(cache.readUInt32LE(8), bundle.length);
    const size = cache.readUInt32LE(12);
    assert.equal(cache.subarray(16, 16 + 96), bundle.subarray(bundle.length - 96));
    assert.is(cache.length, 16 + 96 + 2 * size);
    assert.equal(cache.subarray(112, 112 + size), cache.subarray(112 + size));
    // A fresh process, as the command line is: the cache is checked against its V8 version and flags.
    const probe = `const { loadBundle } = require(${JSON.stringify(LOADER)}); const { exports, script } = loadBundle(${JSON.stringify(file)}); process.stdout.write(JSON.stringify({ rejected: script.cachedDataRejected, main: typeof exports.main }));`;
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout), { rejected: false, main: 'function' });
  });
}

test('without a cache, with one made for other bytes, cut short, or one V8 rejects, the bundle loads as require() would', () => {
  const t = tempDir();
  try {
    // Each case compiles other source text: V8 would otherwise reuse its in-process compilation.
    const file = path.join(t.dir, 'main.cjs');
    const write = (n: number) => fs.writeFileSync(file, `exports.where = __filename; exports.dir = __dirname; exports.self = this === exports; exports.n = ${n};\n`);
    write(1);
    const plain = loadBundle(file);
    assert.equal(plain.exports, { where: file, dir: t.dir, self: true, n: 1 });
    assert.is(plain.script.cachedDataRejected, undefined, 'no cache given to V8');
    // saveCache writes a cache the next load of the same bytes uses (in a fresh process: V8 would otherwise
    // reuse its in-process compilation).
    saveCache(file, plain.script);
    assert.equal(fs.readdirSync(t.dir).sort(), ['main.cjs', 'main.cjs.cache'], 'no temporary file left');
    // A cache that cannot be put in place (a directory holds its name) leaves no temporary file either.
    const other = path.join(t.dir, 'other.cjs');
    fs.writeFileSync(other, 'exports.n = 0;\n');
    fs.mkdirSync(`${other}.cache`);
    assert.throws(() => saveCache(other, loadBundle(other).script), (error: NodeJS.ErrnoException) => error.code === 'EISDIR');
    assert.equal(fs.readdirSync(t.dir).sort(), ['main.cjs', 'main.cjs.cache', 'other.cjs', 'other.cjs.cache']);
    fs.rmSync(other);
    fs.rmdirSync(`${other}.cache`);
    const probe = `const { loadBundle } = require(${JSON.stringify(LOADER)}); const { exports, script } = loadBundle(${JSON.stringify(file)}); process.stdout.write(JSON.stringify([script.cachedDataRejected, exports.n]));`;
    const fresh = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    assert.equal(JSON.parse(fresh.stdout), [false, 1], fresh.stderr);
    // A cache of a bundle of the same length is not given to V8, which checks only the length.
    const data = plain.script.createCachedData();
    write(2);
    fs.writeFileSync(`${file}.cache`, cacheBytes(Buffer.from(fs.readFileSync(file, 'latin1').replace('n = 2', 'n = 7'), 'latin1'), data));
    const stale = loadBundle(file);
    assert.is(stale.script.cachedDataRejected, undefined, 'a cache of other bytes is not used');
    assert.is(stale.exports['n'], 2);
    // One cut short, or whose copies disagree, is not given to V8 either.
    write(3);
    const whole = cacheBytes(fs.readFileSync(file), data);
    const differing = Buffer.from(whole);
    differing[differing.length - 1]! ^= 1;
    for (const [bytes, what] of [[whole.subarray(0, whole.length - 1), 'cut short'], [differing, 'copies that differ'], [Buffer.from('PVCACHE'), 'no head']] as const) {
      fs.writeFileSync(`${file}.cache`, bytes);
      const r = loadBundle(file);
      assert.is(r.script.cachedDataRejected, undefined, what);
      assert.is(r.exports['n'], 3);
    }
    write(4);
    const junk = Buffer.alloc(256, 7);
    fs.writeFileSync(`${file}.cache`, cacheBytes(fs.readFileSync(file), junk));
    const rejected = loadBundle(file);
    assert.is(rejected.script.cachedDataRejected, true, 'V8 refuses data that is not its cache');
    assert.is(rejected.exports['n'], 4);
  } finally {
    t.cleanup();
  }
});

test('the bundle is ASCII (read as Latin-1, the faster decoding); a bundle that is not is read as UTF-8', () => {
  for (const name of ['main.cjs', 'lint.cjs']) assert.ok(fs.readFileSync(path.join(ROOT, 'dist', 'cli', name)).every((b) => b < 0x80), `dist/cli/${name} holds only ASCII bytes`);
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
    for (const name of ['main.cjs', 'lint.cjs']) {
      const cache = path.join(root, 'dist', 'cli', `${name}.cache`);
      const bytes = fs.readFileSync(cache);
      // Past the head: flip bytes all through V8's data (both copies), as a bad disk would.
      for (let i = 200; i < bytes.length; i += 97) bytes[i]! ^= 0x5a;
      fs.writeFileSync(cache, bytes);
    }
    const file = path.join(t.dir, 'DB_CONFIG');
    fs.writeFileSync(file, 'rep_set_priority 1 # master\n');
    const r = spawnSync(process.execPath, [path.join(root, 'bin', 'provision.js'), 'lint', file], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.is(r.status, 1, `exit ${r.status} ${r.signal ?? ''}: ${r.stderr.slice(0, 300)}`);
    assert.match(r.stdout, /inline-comment/);
    // Help: the lint bundle declines it and the full command line reads it, both with damaged caches.
    const help = spawnSync(process.execPath, [path.join(root, 'bin', 'provision.js'), 'lint', '--help'], { encoding: 'utf8' });
    assert.is(help.status, 0, `exit ${help.status} ${help.signal ?? ''}: ${help.stderr.slice(0, 300)}`);
    assert.match(help.stdout, /provision lint \[paths\.\.\]/);
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
