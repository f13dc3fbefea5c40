import { EXIT } from './errors.js';
import { processIo, type Io } from './io.js';
import { outcome, type MainOptions } from './outcome.js';
import { packageVersion as version } from './package-root.js';

export { outputQueued } from './io.js';
export type { MainOptions } from './outcome.js';

/**
 * Run the CLI; returns the exit code. Errors are reported by outcome: user
 * errors as one line, anything else as a bug.
 */
export async function main(argv: readonly string[], io: Io = processIo(), options: MainOptions = {}): Promise<number> {
  // NOTE: `--version` must not load yargs or the library: start-up time is measured (bench/).
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    io.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  return outcome(argv, io, options, async () => {
    if (argv[0] === 'lint') {
      const linted = await (await import('./lint-main.js')).lintFast(argv, io, options);
      if (linted !== undefined) return linted;
    }
    // The other commands may write through Node's own streams too (help, prompts): made here, with their error
    // handlers, so that outputQueued sees all they write.
    void io.stdout;
    void io.stderr;
    const { runCommand } = await import('./commands.js');
    return runCommand(argv, io, version());
  });
}
