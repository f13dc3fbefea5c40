#!/usr/bin/env node
// Runs every uvu suite under dist/test and ends with one line: "N passed, N failed".
// An argument narrows the run to the suites whose path under dist/test matches it:
// `node scripts/test.js lint/` or `node scripts/test.js "e2e/(migrate|topology)"` (build first).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const uvu = path.join(path.dirname(require.resolve('uvu')), '..', 'bin.js');
const only = process.argv[2];
if (only !== undefined && only.startsWith('-')) {
  console.error('usage: node scripts/test.js [PATTERN]   (a regular expression on the suite paths under dist/test)');
  process.exit(2);
}
const pattern = only === undefined ? '\\.test\\.js$' : `(${only.replace(/^(dist\/)?test\//, '').replace(/\.test\.ts$/, '')}).*\\.test\\.js$`;
const args = [uvu, 'dist/test', pattern];
const child = spawn(process.execPath, args, { stdio: ['inherit', 'pipe', 'inherit'] });
let out = '';
child.stdout.on('data', (chunk) => {
  out += chunk;
  process.stdout.write(chunk);
});
child.on('close', (code) => {
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0);
  const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? 0);
  const skipped = Number(/Skipped:\s+(\d+)/.exec(plain)?.[1] ?? 0);
  const failed = code === 0 ? total - passed - skipped : Math.max(1, total - passed - skipped);
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exitCode = code === 0 && total > 0 ? 0 : 1;
});
