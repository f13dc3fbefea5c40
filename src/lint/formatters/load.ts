import type { FormatName } from './index.js';
import type { Formatter, Writer } from './types.js';

/** Load only the formatter a run asks for (start-up time: the CLI should not parse all four). */
export async function loadFormatter(name: FormatName): Promise<Formatter> {
  switch (name) {
    case 'stylish':
      return (await import('./stylish.js')).formatStylish;
    case 'json':
      return (await import('./json.js')).formatJson;
    case 'sarif':
      return (await import('./sarif.js')).formatSarif;
    case 'github':
      return (await import('./github.js')).formatGithub;
  }
}

/**
 * The format a run asks for as a writer, which gives its text piece by piece:
 * stylish and json write as they go (the formats of large runs), sarif and
 * github give their whole text at once.
 */
export async function loadWriter(name: FormatName): Promise<Writer> {
  switch (name) {
    case 'stylish':
      return (await import('./stylish.js')).writeStylish;
    case 'json':
      return (await import('./json.js')).writeJson;
    default: {
      const format = await loadFormatter(name);
      return (results, options, emit) => emit(format(results, options));
    }
  }
}
