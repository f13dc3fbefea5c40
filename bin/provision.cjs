#!/usr/bin/env node
'use strict';
// The command line, bundled into one CommonJS file by scripts/bundle.js (start-up time).
require('../dist/cli/main.cjs')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
