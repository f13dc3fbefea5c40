#!/usr/bin/env node
// Writes docs/rules.md from the rule definitions (run after `npm run build`).
// test/docs.test.ts fails when the file is out of date.
import { writeFileSync } from 'node:fs';
import { renderRulesDoc } from '../dist/src/lint/rules-doc.js';

writeFileSync(new URL('../docs/rules.md', import.meta.url), renderRulesDoc());
