import { parseDbConfig, renderDbConfigText } from '../dbconfig/document.js';
import { toBytes } from '../dbconfig/text.js';
import { lintDbConfig } from './lint.js';
import type { Fix, LintOptions, LintResult } from './types.js';

/** Apply non-overlapping fixes to a binary string; returns the new text and how many were applied. */
export function applyFixes(source: string, fixes: readonly Fix[]): { text: string; applied: number } {
  const sorted = [...fixes].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  let out = '';
  let at = 0;
  let applied = 0;
  for (const f of sorted) {
    if (f.range[0] < at) continue; // overlaps one already applied: the next pass gets it
    out += source.slice(at, f.range[0]) + f.text;
    at = f.range[1];
    applied++;
  }
  return { text: out + source.slice(at), applied };
}

const MAX_PASSES = 10;

/**
 * Apply every safe fix, re-linting after each pass (a fix can expose or
 * remove other findings). Returns the fixed bytes and the findings that remain.
 */
export function fixDbConfig(input: Uint8Array, options: LintOptions = {}): { output: Buffer; result: LintResult; fixed: number } {
  let text = renderDbConfigText(parseDbConfig(input));
  let fixed = 0;
  let result = lintDbConfig(toBytes(text), options);
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const fixes = result.messages.flatMap((m) => (m.fix ? [m.fix] : []));
    if (fixes.length === 0) break;
    const next = applyFixes(text, fixes);
    if (next.applied === 0 || next.text === text) break;
    text = next.text;
    fixed += next.applied;
    result = lintDbConfig(toBytes(text), options);
  }
  return { output: toBytes(text), result, fixed };
}
