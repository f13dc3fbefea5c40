#!/usr/bin/env node
'use strict';
// The command line, bundled into one CommonJS file by scripts/bundle.js (start-up time).
const path = require('node:path');
const { loadBundle } = require('./load-bundle.cjs');

loadBundle(path.join(__dirname, '..', 'dist', 'cli', 'main.cjs'))
  .exports.main(process.argv.slice(2))
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
