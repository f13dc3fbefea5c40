#!/usr/bin/env node
'use strict';
// The command line, bundled into one CommonJS file by scripts/bundle.js (start-up time).
const path = require('node:path');
const { loadBundle } = require('./load-bundle.cjs');

loadBundle(path.join(__dirname, '..', 'dist', 'cli', 'main.cjs'))
  .exports.main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
