#!/usr/bin/env node
// Writes dist/cli/lint.cjs.cache and dist/cli/main.cjs.cache, the V8 code caches bin/load-bundle.cjs compiles
// the command line with: for each bundle, a child process loads it and runs what start-up matters most for,
// so the functions those run are compiled, then saves them. For lint: a lint of one file, clean and not, and of
// a directory of sites in JSON; for the full command line: help, which every command's start goes through.
// A cache is tied to this Node version; another one rejects it and compiles as usual.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const CORPUS = fileURLToPath(new URL('../fixtures/bdb-corpus', import.meta.url));
// (`provision --version` is answered by bin/provision.js before a bundle loads.)
const TRAINING = {
  'lint.cjs': [
    ['lint', `${CORPUS}/005-replica.DB_CONFIG`],
    ['lint', `${CORPUS}/014-inline-comment-spaced.DB_CONFIG`],
    ['lint', fileURLToPath(new URL('../fixtures/migrate', import.meta.url)), '--format', 'json'],
  ],
  'main.cjs': [['master', '--help'], ['lint', '--help']],
};
const bundle = (name) => fileURLToPath(new URL(`../dist/cli/${name}`, import.meta.url));

if (process.argv[2] === 'train') {
  const name = process.argv[3];
  const { loadBundle, saveCache } = createRequire(import.meta.url)('../bin/load-bundle.cjs');
  const { exports, script } = loadBundle(bundle(name));
  for (const args of TRAINING[name]) {
    // Findings (exit 1) are part of the training; a usage or I/O error (2), or a command line the lint bundle
    // declines (undefined), would train only that path.
    const code = await exports.main(args);
    if (code === undefined || code > 1) throw new Error(`training run \`provision ${args.join(' ')}\` in ${name} exited ${code}`);
  }
  saveCache(bundle(name), script);
  process.exitCode = 0;
} else {
  // What a build stopped while saving a cache left behind (package.json's files leave it out too).
  const dir = fileURLToPath(new URL('../dist/cli/', import.meta.url));
  for (const name of readdirSync(dir)) if (/\.cache\.\d+\.tmp$/.test(name)) rmSync(dir + name, { force: true });
  for (const name of Object.keys(TRAINING)) {
    const cache = `${bundle(name)}.cache`;
    rmSync(cache, { force: true });
    const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), 'train', name], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (run.status !== 0) {
      // Without a cache the command line works as before, only slower to start: say so, do not fail the build.
      rmSync(cache, { force: true });
      process.stderr.write(`code-cache: no cache written for ${name} (exit ${run.status}): ${run.stderr}`);
    }
  }
}
