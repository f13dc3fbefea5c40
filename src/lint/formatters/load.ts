import type { FormatName } from './index.js';
import type { Formatter } from './types.js';

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
