#!/usr/bin/env node
// Writes dist/cli/main.cjs.cache, the V8 code cache bin/load-bundle.cjs compiles the command line
// with: a child process loads the bundle and runs what start-up matters most for (a lint of one file,
// clean and not, and of a directory of sites in JSON), so the functions those run are compiled, then saves
// them. The cache is tied to this Node version; another one rejects it and compiles as usual.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const BUNDLE = fileURLToPath(new URL('../dist/cli/main.cjs', import.meta.url));
const CACHE = `${BUNDLE}.cache`;
const CORPUS = fileURLToPath(new URL('../fixtures/bdb-corpus', import.meta.url));
// (`provision --version` is answered by bin/provision.js before the bundle loads.)
const TRAINING = [
  ['lint', `${CORPUS}/005-replica.DB_CONFIG`],
  ['lint', `${CORPUS}/014-inline-comment-spaced.DB_CONFIG`],
  ['lint', fileURLToPath(new URL('../fixtures/migrate', import.meta.url)), '--format', 'json'],
];

if (process.argv[2] === 'train') {
  const { loadBundle, saveCache } = createRequire(import.meta.url)('../bin/load-bundle.cjs');
  const { exports, script } = loadBundle(BUNDLE);
  for (const args of TRAINING) {
    // Findings (exit 1) are part of the training; a usage or I/O error (2) would train only the error's path.
    const code = await exports.main(args);
    if (code > 1) throw new Error(`training run \`provision ${args.join(' ')}\` exited ${code}`);
  }
  saveCache(BUNDLE, script);
  process.exitCode = 0;
} else {
  rmSync(CACHE, { force: true });
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), 'train'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (run.status !== 0) {
    // Without a cache the command line works as before, only slower to start: say so, do not fail the build.
    rmSync(CACHE, { force: true });
    process.stderr.write(`code-cache: no cache written (exit ${run.status}): ${run.stderr}`);
  }
}
