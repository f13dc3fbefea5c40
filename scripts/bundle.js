#!/usr/bin/env node
// Bundles the command line into one CommonJS file, dist/cli/main.cjs, and `provision lint` alone into
// dist/cli/lint.cjs, less than half its size: Node loads one CommonJS file much faster than ~70 ES modules,
// and start-up time counts for a linter. Dependencies stay external and are required from node_modules
// when a command needs them.
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';

rmSync('dist/cli', { recursive: true, force: true });
rmSync('dist/tools', { recursive: true, force: true });
/**
 * `import * as fs from 'node:fs'` becomes `const fs = require('node:fs')`: Node's own module object, where
 * esbuild would copy each of its properties into a namespace object for every module that imports it (about
 * 0.5 ms of a lint's start-up, which is measured). The modules only read these namespaces.
 * @type {import('esbuild').Plugin}
 */
const builtinNamespaces = {
  name: 'builtin-namespaces',
  setup(build) {
    build.onLoad({ filter: /\/src\/.*\.ts$/ }, async ({ path }) => ({
      contents: (await readFile(path, 'utf8')).replace(/^import \* as (\w+) from '(node:\w+)';$/gm, "const $1 = require('$2');"),
      loader: 'ts',
    }));
  },
};

/** @type {import('esbuild').BuildOptions} */
const options = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // The sources are ES modules; give them import.meta.url in CommonJS, made when first asked for (pathToFileURL
  // takes about 0.4 ms of a start-up that is measured, and a lint of one file never asks).
  define: { 'import.meta.url': '__importMeta.url' },
  banner: { js: 'const __importMeta = { get url() { const url = require("node:url").pathToFileURL(__filename).href; Object.defineProperty(this, "url", { value: url }); return url; } };' },
  logLevel: 'warning',
  // import() of a dependency becomes require() (handlebars and the prompts ship CommonJS too), so the
  // bundle needs no ES module loader: bin/load-bundle.cjs runs it as a vm.Script with its code cache.
  supported: { 'dynamic-import': false },
  plugins: [builtinNamespaces],
};
for (const [entry, outfile] of [['src/cli/main.ts', 'dist/cli/main.cjs'], ['src/cli/lint-main.ts', 'dist/cli/lint.cjs']]) {
  await build({ ...options, entryPoints: [entry], outfile });
  // Its last line names its content: bin/load-bundle.cjs takes a code cache only for the bundle whose length and
  // last bytes the cache recorded (scripts/code-cache.js).
  appendFileSync(outfile, `//# build sha256 ${createHash('sha256').update(readFileSync(outfile)).digest('hex')}\n`);
}
// The reader thread's start, in a small file of its own: bin/provision.js starts the thread for a lint of a
// directory before it loads the command line (src/cli/reader-start.ts). It has no import.meta.url, so no banner.
await build({ ...options, banner: {}, entryPoints: ['src/cli/reader-start.ts'], outfile: 'dist/cli/reader-start.cjs' });
// The generator of docs/cli-reference.md (scripts/cli-doc.js, test/docs.test.ts): the same declarations and the
// same CommonJS yargs as the command line, in a file of its own so the command does not load it (nor ship it).
await build({ ...options, entryPoints: ['src/cli/cli-reference.ts'], outfile: 'dist/tools/cli-reference.cjs' });
