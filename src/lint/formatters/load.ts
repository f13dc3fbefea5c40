import type { FormatName } from './index.js';
import type { Formatter, OpenReport } from './types.js';
import type { LintResult } from '../types.js';

/** A format that gives its whole text at once, as a report: the results kept until the end. */
const whole =
  (format: Formatter): OpenReport =>
  (options, emit) => {
    const all: LintResult[] = [];
    return {
      add: (results) => {
        for (let i = 0; i < results.length; i++) all.push(results[i]!);
      },
      end: () => emit(format(all, options)),
    };
  };

/**
 * Load only the format a run asks for (start-up time: the CLI should not parse
 * all four), as a report that takes results as they come and gives its text
 * piece by piece: stylish and json make their text as results are added (the
 * formats of large runs), sarif and github all of it at the end.
 */
export async function loadReport(name: FormatName): Promise<OpenReport> {
  switch (name) {
    case 'stylish':
      return (await import('./stylish.js')).openStylish;
    case 'json':
      return (await import('./json.js')).openJson;
    case 'sarif':
      return whole((await import('./sarif.js')).formatSarif);
    case 'github':
      return whole((await import('./github.js')).formatGithub);
  }
}
