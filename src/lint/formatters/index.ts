import type { LintResult } from '../types.js';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatSarif } from './sarif.js';
import { formatStylish } from './stylish.js';
import type { FormatOptions, Formatter } from './types.js';

export type { FormatOptions, Formatter } from './types.js';

/** Every output format of `provision lint --format`, by name. */
export const FORMATTERS = {
  stylish: formatStylish,
  json: formatJson,
  sarif: formatSarif,
  github: formatGithub,
} as const satisfies Readonly<Record<string, Formatter>>;

export type FormatName = keyof typeof FORMATTERS;

/** The format names, default first. */
export const FORMATS: readonly FormatName[] = ['stylish', 'json', 'sarif', 'github'];

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(FORMATTERS, name);
}

/** Render results in the named format. */
export function formatResults(name: FormatName, results: readonly LintResult[], options: FormatOptions): string {
  return FORMATTERS[name](results, options);
}
