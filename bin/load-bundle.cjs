'use strict';
// Loads the bundled command line the way require() does, but compiled with the V8 code cache that
// scripts/code-cache.js writes beside it: Node's require() uses no code cache before Node 22, and
// compiling the bundle's functions is a large part of a short command's start-up.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { createRequire, wrap } = require('node:module');

const HASH_BYTES = 32;
const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest();

/**
 * The V8 data of `${file}.cache` when it was written for exactly these bytes and
 * arrived whole. The cache is the SHA-256 of the bundle it was made from (V8
 * itself checks only the source's length, and would take a cache of another
 * bundle), the SHA-256 of the data (V8 does not check it: damaged data can crash
 * the process), then the data.
 */
function readCache(file, source) {
  let cache;
  try {
    cache = fs.readFileSync(`${file}.cache`);
  } catch {
    return undefined;
  }
  if (cache.length <= 2 * HASH_BYTES || !sha256(source).equals(cache.subarray(0, HASH_BYTES))) return undefined;
  const data = cache.subarray(2 * HASH_BYTES);
  return sha256(data).equals(cache.subarray(HASH_BYTES, 2 * HASH_BYTES)) ? data : undefined;
}

/**
 * Run the CommonJS file `file` and return its exports and the compiled script.
 * Its cache is used when it matches; one V8 rejects (another Node version or V8
 * flags) costs only the compile require() would have paid.
 */
function loadBundle(file) {
  const source = fs.readFileSync(file);
  const script = new vm.Script(wrap(source.toString('utf8')), { filename: file, cachedData: readCache(file, source) });
  const module = { exports: {}, filename: file, id: file, loaded: false };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  return { exports: module.exports, script };
}

/** Write the cache of `script`, compiled from `file` by loadBundle, with what it has compiled so far. */
function saveCache(file, script) {
  const data = script.createCachedData();
  fs.writeFileSync(`${file}.cache`, Buffer.concat([sha256(fs.readFileSync(file)), sha256(data), data]));
}

module.exports = { loadBundle, saveCache };
