import { CliError, EXIT } from './errors.js';
import { processIo, type Io } from './io.js';
import { packageVersion as version } from './package-root.js';


/**
 * Run the CLI; returns the exit code. Only this function catches: user errors
 * become one line on stderr, anything else is reported as a bug.
 */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  // NOTE: `--version` must not load yargs or the library: start-up time is measured (bench/).
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    io.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  try {
    if (argv[0] === 'lint') {
      const { parseLintArgsFast } = await import('./lint-options.js');
      const args = parseLintArgsFast(argv.slice(1));
      if (args) {
        const { runLint } = await import('./commands/lint.js');
        return await runLint(args, io);
      }
    }
    const { runCommand } = await import('./commands.js');
    return await runCommand(argv, io, version());
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`provision: ${error.message}\n`);
      return error.exitCode;
    }
    const name = (error as Error | undefined)?.name;
    if (name === 'ApplyError') {
      // Writing failed (permissions, a full disk, a file changed meanwhile): nothing half-written, exit 2.
      io.stderr.write(`provision: ${(error as Error).message}\n`);
      return EXIT.usage;
    }
    if (name === 'ExitPromptError') {
      io.stderr.write('provision: cancelled; nothing was written.\n');
      return EXIT.cancelled;
    }
    const e = error as Error;
    io.stderr.write(`provision: internal error (this is a bug in provision, please report it): ${e?.stack ?? String(error)}\n`);
    return EXIT.internal;
  }
}
