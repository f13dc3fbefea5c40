'use strict';
// Loads the bundled command line the way require() does, but compiled with the V8 code cache that
// scripts/code-cache.js writes beside it: Node's require() uses no code cache before Node 22, and
// compiling the bundle's functions is a large part of a short command's start-up.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
// The CommonJS loader's class, which node:module exports: loading node:module itself also loads Node's ES module
// loader and source maps, about 0.4 ms of a start-up that is measured.
const { createRequire, wrap } = module.constructor;
const { isAscii } = require('node:buffer');

/**
 * `${file}.cache` is MAGIC, the length of the bundle it was made from and of
 * V8's data (32-bit little-endian), the bundle's last TAIL_BYTES bytes, then
 * the data twice. The build ends a bundle with a line naming its content's
 * hash (scripts/bundle.js), so its length and last bytes name the bundle: V8
 * itself checks only the length, and would take a cache of another bundle.
 * V8 does not check its data either (damaged data can crash the process): the
 * copies must agree. Comparing bytes costs a fraction of a millisecond, where
 * a checksum would load node:zlib and the stream modules, about 3 ms of a
 * start-up that is measured (bench/README.md).
 */
const MAGIC = Buffer.from('PVCACHE2');
const HEAD_BYTES = MAGIC.length + 8;
const TAIL_BYTES = 96;

/** The cache file for V8's `data`, made from the bundle `source`. */
function cacheBytes(source, data) {
  const head = Buffer.alloc(HEAD_BYTES);
  MAGIC.copy(head);
  head.writeUInt32LE(source.length, MAGIC.length);
  head.writeUInt32LE(data.length, MAGIC.length + 4);
  return Buffer.concat([head, source.subarray(Math.max(0, source.length - TAIL_BYTES)), data, data]);
}

/** The V8 data of `${file}.cache` when it was written whole for a bundle of these bytes' length and ending. */
function readCache(file, source) {
  let cache;
  try {
    cache = fs.readFileSync(`${file}.cache`);
  } catch {
    return undefined;
  }
  if (cache.length < HEAD_BYTES || !cache.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const tail = Math.min(TAIL_BYTES, source.length);
  const start = HEAD_BYTES + tail;
  const size = cache.readUInt32LE(MAGIC.length + 4);
  if (cache.readUInt32LE(MAGIC.length) !== source.length || cache.length !== start + 2 * size) return undefined;
  if (!cache.subarray(HEAD_BYTES, start).equals(source.subarray(source.length - tail))) return undefined;
  const data = cache.subarray(start, start + size);
  return data.equals(cache.subarray(start + size)) ? data : undefined;
}

/**
 * Run the CommonJS file `file` and return its exports and the compiled script.
 * Its cache is used when it matches; one V8 rejects (another Node version or V8
 * flags) costs only the compile require() would have paid.
 */
function loadBundle(file) {
  const source = fs.readFileSync(file);
  // An ASCII bundle (esbuild escapes what is not) decodes as Latin-1 to the same text, in half the time.
  const script = new vm.Script(wrap(source.toString(isAscii(source) ? 'latin1' : 'utf8')), { filename: file, cachedData: readCache(file, source) });
  const module = { exports: {}, filename: file, id: file, loaded: false };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  return { exports: module.exports, script };
}

/** Write the cache of `script`, compiled from `file` by loadBundle, with what it has compiled so far: whole or not at all. */
function saveCache(file, script) {
  const temp = `${file}.cache.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temp, cacheBytes(fs.readFileSync(file), script.createCachedData()));
    fs.renameSync(temp, `${file}.cache`);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

module.exports = { loadBundle, saveCache, cacheBytes };
