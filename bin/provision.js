#!/usr/bin/env node
'use strict';
// The command line, bundled into CommonJS files by scripts/bundle.js (start-up time).
const path = require('node:path');

const argv = process.argv.slice(2);

// The version needs none of the command line: it is printed before the bundle loads (start-up is measured,
// bench/README.md). Written with one system call, as the command line's own stdout would: a reader gone
// (EPIPE) ends quietly, any other failure is one line on stderr and exit 2. A pipe left non-blocking by whoever
// made it takes what it has room for (EAGAIN or a short write, while its reader is slow): the rest goes through
// process.stdout, which waits for the reader.
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const fs = require('node:fs');
  const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  const text = `${version}\n`;
  const failed = (error) => {
    if (error.code === 'EPIPE') return;
    try {
      fs.writeSync(2, `provision: cannot write to standard output: ${error.code ?? error.message}\n`);
    } catch {
      // stderr cannot be written either: the exit code says it.
    }
    process.exitCode = 2;
  };
  let written = 0;
  try {
    written = fs.writeSync(1, text);
  } catch (error) {
    if (error.code !== 'EAGAIN') return failed(error);
  }
  // The version is ASCII: a count of bytes is a count of characters.
  if (written < text.length) process.stdout.on('error', failed).write(text.slice(written));
  return;
}

const { loadBundle } = require('./load-bundle.cjs');
// A lint of a large tree starts the thread that reads its files first, so that the thread starts while the
// command line loads (dist/cli/reader-start.cjs is small; the command line takes the thread over). Only a
// directory can be a large tree: that file loads for those alone, and a lint of files starts about 1 ms sooner.
const fs = require('node:fs');
const isDirectory = (arg) => {
  try {
    return !arg.startsWith('-') && fs.statSync(arg, { throwIfNoEntry: false })?.isDirectory() === true;
  } catch {
    return false; // a name stat refuses (too long, a file on the way): lint says why
  }
};
let reader;
if (argv[0] === 'lint' && argv.some((arg, i) => i > 0 && isDirectory(arg))) {
  const start = require('../dist/cli/reader-start.cjs');
  if (start.lintsLargeTree(argv, fs, () => require('node:os').availableParallelism())) reader = start.startReader();
}

// A lint of a large tree runs its hot functions a few thousand times each: the time TurboFan takes to compile them
// counts more than how fast its code runs. Without inlining, loop peeling, escape analysis and load elimination it
// compiles in about a third of the time (bench/README.md). Set once lint hands its walk to the reader thread: not
// before the bundle is loaded (its code cache is made and checked under V8's default flags), nor while that thread
// starts, nor for a short run (after a change of flags, Node's own modules load without their code cache).
let tuned = false;
const tune = () => {
  if (!tuned) require('node:v8').setFlagsFromString('--no-turbo-inlining --no-turbo-loop-peeling --no-turbo-escape --no-turbo-load-elimination');
  tuned = true;
};

const options = { reader, onHandOff: reader && tune };
const bundleFile = (name) => path.join(__dirname, '..', 'dist', 'cli', name);
// `provision lint` loads a bundle of lint alone, less than half the full one (start-up is measured); what it
// declines (help, an unknown option) the full command line reads, with yargs' messages.
const run = async () => {
  if (argv[0] === 'lint') {
    const lint = loadBundle(bundleFile('lint.cjs'));
    const code = await lint.exports.main(argv, undefined, options);
    if (code !== undefined) return { code, bundle: lint };
  }
  const bundle = loadBundle(bundleFile('main.cjs'));
  return { code: await bundle.exports.main(argv, undefined, options), bundle };
};

run().then(({ code, bundle }) => {
  process.exitCode = code;
  // Every command has finished its work when main resolves. Once all it wrote has gone out, leave without
  // the natural exit's teardown (it waits for lint's reader thread to stop and frees the whole heap, ~50 ms
  // after a large tree). One turn later, so that a write error reported after the write (a full disk on
  // stdout) still sets the exit code first; output still queued (a pipe is asynchronous on some systems)
  // gets the natural exit. (A stream the command never made has nothing queued: asking process.stdout would
  // make it.)
  setImmediate(() => {
    if (!bundle.exports.outputQueued()) process.exit();
  });
});
