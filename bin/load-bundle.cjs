'use strict';
// Loads the bundled command line the way require() does, but compiled with the V8 code cache that
// scripts/code-cache.js writes beside it: Node's require() uses no code cache before Node 22, and
// compiling the bundle's functions is a large part of a short command's start-up.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { createRequire, wrap } = require('node:module');
const { isAscii } = require('node:buffer');
// CRC-32, as Node's own compile cache checks its entries: node:zlib loads in half the time node:crypto takes,
// and start-up is measured.
const { crc32 } = require('node:zlib');

const CHECK_BYTES = 4;
const check = (bytes) => {
  const out = Buffer.alloc(CHECK_BYTES);
  out.writeUInt32BE(crc32(bytes));
  return out;
};

/**
 * The V8 data of `${file}.cache` when it was written for exactly these bytes and
 * arrived whole. The cache is the CRC-32 of the bundle it was made from (V8
 * itself checks only the source's length, and would take a cache of another
 * bundle), the CRC-32 of the data (V8 does not check it: damaged data can crash
 * the process), then the data.
 */
function readCache(file, source) {
  let cache;
  try {
    cache = fs.readFileSync(`${file}.cache`);
  } catch {
    return undefined;
  }
  if (cache.length <= 2 * CHECK_BYTES || !check(source).equals(cache.subarray(0, CHECK_BYTES))) return undefined;
  const data = cache.subarray(2 * CHECK_BYTES);
  return check(data).equals(cache.subarray(CHECK_BYTES, 2 * CHECK_BYTES)) ? data : undefined;
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

/** Write the cache of `script`, compiled from `file` by loadBundle, with what it has compiled so far. */
function saveCache(file, script) {
  const data = script.createCachedData();
  fs.writeFileSync(`${file}.cache`, Buffer.concat([check(fs.readFileSync(file)), check(data), data]));
}

module.exports = { loadBundle, saveCache, check };
