import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { median, runOnce } from './measure.js';

/** What each step of `provision lint` loads, in the order the CLI loads it. */
const STEPS = [
  { name: 'cli/main.js (its own start)', module: 'dist/src/cli/main.js' },
  { name: 'yargs', module: 'yargs' },
  { name: 'cli/commands.js (command declarations)', module: 'dist/src/cli/commands.js' },
  { name: 'cli/commands/lint.js (lint and its imports)', module: 'dist/src/cli/commands/lint.js' },
  { name: 'index.js (rest of the library)', module: 'dist/src/index.js' },
] as const;

export interface ImportStep {
  readonly name: string;
  /** Median time to import this module after the steps above it (shared modules count once, where first loaded). */
  readonly medianMs: number;
}

/**
 * Time the imports of the CLI's modules in one fresh process, one after the
 * other, so each figure is what that step adds. Repeated `runs` times.
 */
export function measureImports(root: string, runs: number): ImportStep[] {
  const specifiers = STEPS.map((s) => (s.module.startsWith('dist/') ? pathToFileURL(path.join(root, s.module)).href : s.module));
  const code = `
    const out = [];
    for (const s of ${JSON.stringify(specifiers)}) {
      const t = performance.now();
      await import(s);
      out.push(performance.now() - t);
    }
    process.stdout.write(JSON.stringify(out));`;
  const samples: number[][] = STEPS.map(() => []);
  for (let i = 0; i < runs; i++) {
    const r = runOnce(process.execPath, ['--input-type=module', '-e', code], { cwd: root });
    if (r.status !== 0) throw new Error(`timing the imports failed:\n${r.stderr.trim()}`);
    (JSON.parse(r.stdout) as number[]).forEach((ms, j) => samples[j]!.push(ms));
  }
  return STEPS.map((s, j) => ({ name: s.name, medianMs: median(samples[j]!) }));
}
