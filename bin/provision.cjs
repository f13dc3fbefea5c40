#!/usr/bin/env node
'use strict';
// The command line, bundled into one CommonJS file by scripts/bundle.js (start-up time).
const path = require('node:path');
const { loadBundle } = require('./load-bundle.cjs');

const argv = process.argv.slice(2);
// A lint of a directory starts the thread that reads its files first, so that the thread starts while the
// command line loads (dist/cli/reader-start.cjs is small; the command line takes the thread over).
let reader;
if (argv[0] === 'lint') {
  const start = require('../dist/cli/reader-start.cjs');
  if (start.lintsDirectory(argv, require('node:fs'), require('node:os').availableParallelism())) reader = start.startReader();
}

loadBundle(path.join(__dirname, '..', 'dist', 'cli', 'main.cjs'))
  .exports.main(argv, undefined, { reader })
  .then((code) => {
    process.exitCode = code;
    // Every command has finished its work when main resolves. Once all it wrote has gone out, leave without
    // the natural exit's teardown (it waits for lint's reader thread to stop and frees the whole heap, ~50 ms
    // after a large tree). One turn later, so that a write error reported after the write (a full disk on
    // stdout) still sets the exit code first; output still queued (a pipe is asynchronous on some systems)
    // gets the natural exit.
    setImmediate(() => {
      if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
    });
  });
