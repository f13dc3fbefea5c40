import * as fs from 'node:fs';
import { lintDbConfig } from '../src/index.js';
import { summarize, type Timing } from './measure.js';
import { findDbConfigs } from './tree.js';

export interface LibraryFigures {
  /** The first pass over the buffers: includes JIT warm-up and first-use costs. */
  readonly coldMs: number;
  /** Later passes, in the same process. */
  readonly warm: Timing;
  readonly perFileUs: number;
  readonly files: number;
  readonly errors: number;
  readonly warnings: number;
}

function lintAll(inputs: readonly { file: string; bytes: Buffer }[]) {
  let errors = 0;
  let warnings = 0;
  const start = process.hrtime.bigint();
  for (const { file, bytes } of inputs) {
    const r = lintDbConfig(bytes, { filePath: file });
    errors += r.errorCount;
    warnings += r.warningCount;
  }
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, errors, warnings };
}

/**
 * The library's own cost: `lintDbConfig` over buffers already in memory, so
 * no start-up, file system or output is counted. Runs in the bench process.
 */
export function measureLibrary(dir: string, runs: number): LibraryFigures {
  const inputs = findDbConfigs(dir).map((file) => ({ file, bytes: fs.readFileSync(file) }));
  const cold = lintAll(inputs);
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) warm.push(lintAll(inputs).ms);
  const timing = summarize(warm);
  return {
    coldMs: cold.ms,
    warm: timing,
    perFileUs: (timing.medianMs * 1000) / inputs.length,
    files: inputs.length,
    errors: cold.errors,
    warnings: cold.warnings,
  };
}
