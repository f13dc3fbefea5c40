#!/usr/bin/env node
// Bundles the command line into one CommonJS file, dist/cli/main.cjs: Node loads one
// CommonJS file much faster than ~70 ES modules, and start-up time counts for a linter.
// Dependencies stay external and are required from node_modules when a command needs them.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist/cli', { recursive: true, force: true });
await build({
  entryPoints: ['src/cli/main.ts'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outfile: 'dist/cli/main.cjs',
  // The sources are ES modules; give them import.meta.url in CommonJS.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: 'warning',
});
