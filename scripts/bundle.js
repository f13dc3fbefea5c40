#!/usr/bin/env node
// Bundles the command line into dist/cli/ (one file per lazily loaded command),
// so `provision lint FILE` loads a few files instead of ~70 modules.
// Dependencies stay external and load from node_modules when a command needs them.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist/cli', { recursive: true, force: true });

await build({
  entryPoints: { main: 'src/cli/main.ts' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outdir: 'dist/cli',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
