import type { FormatName } from './index.js';
import type { Formatter, Writer } from './types.js';

/** A format that gives its whole text at once, as a writer. */
const whole =
  (format: Formatter): Writer =>
  (results, options, emit) =>
    emit(format(results, options));

/**
 * Load only the format a run asks for (start-up time: the CLI should not parse
 * all four), as a writer, which gives its text piece by piece: stylish and json
 * write as they go (the formats of large runs), sarif and github give their
 * whole text at once.
 */
export async function loadWriter(name: FormatName): Promise<Writer> {
  switch (name) {
    case 'stylish':
      return (await import('./stylish.js')).writeStylish;
    case 'json':
      return (await import('./json.js')).writeJson;
    case 'sarif':
      return whole((await import('./sarif.js')).formatSarif);
    case 'github':
      return whole((await import('./github.js')).formatGithub);
  }
}
