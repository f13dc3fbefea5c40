#!/usr/bin/env node
// Writes docs/cli-reference.md from the command declarations (run after `npm run build`).
// It runs the CommonJS bundle of the declarations, so the help is laid out exactly as `provision <command> --help` shows it.
// test/docs.test.ts fails when the file is out of date.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const { renderCliReference } = createRequire(import.meta.url)('../dist/tools/cli-reference.cjs');
writeFileSync(new URL('../docs/cli-reference.md', import.meta.url), await renderCliReference());
