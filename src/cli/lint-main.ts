import { runLint } from './commands/lint.js';
import { processIo, type Io } from './io.js';
import { parseLintArgsFast } from './lint-options.js';
import { outcome, type MainOptions } from './outcome.js';

export { outputQueued } from './io.js';

/**
 * `provision lint ...` given options the fast parser takes (no yargs): its
 * exit code, or undefined for anything else (help, an unknown option), which
 * the full command line then reads. bin/provision.js loads this module's
 * bundle for lint, less than half of the full one (start-up is measured).
 */
export async function lintFast(argv: readonly string[], io: Io, options: MainOptions): Promise<number | undefined> {
  if (argv[0] !== 'lint') return undefined;
  const args = parseLintArgsFast(argv.slice(1));
  if (!args) return undefined;
  return runLint(args, io, { reader: options.reader, onHandOff: options.onHandOff });
}

/** Run `provision lint ...` as main does; undefined when only the full command line can (see lintFast). */
export async function main(argv: readonly string[], io: Io = processIo(), options: MainOptions = {}): Promise<number | undefined> {
  return outcome(argv, io, options, () => lintFast(argv, io, options));
}
