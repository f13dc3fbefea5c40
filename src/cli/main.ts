import { CliError, EXIT } from './errors.js';
import { processIo, type Io } from './io.js';

export { outputQueued } from './io.js';
import { packageVersion as version } from './package-root.js';
import { stopReader, type ReaderHandle } from './reader-start.js';

/**
 * Whether this is `provision check ... --nagios`: monitoring reads its exit
 * code, so an error must be UNKNOWN (3), never 2 (CRITICAL). Read from argv,
 * since an error may come before the options are parsed (an unknown option).
 */
function isNagiosCheck(argv: readonly string[]): boolean {
  // After `--` an argument is a positional, `--nagios` too (mark-positionals.ts).
  const end = argv.indexOf('--');
  const options = end === -1 ? argv : argv.slice(0, end);
  return options.find((a) => !a.startsWith('-')) === 'check' && options.some((a) => a === '--nagios' || a === '--nagios=true');
}

/** What the program that runs the command line may hand it. */
export interface MainOptions {
  /** A reader thread it started for `provision lint DIR` (see reader-start.ts); stopped when lint is done. */
  readonly reader?: ReaderHandle | undefined;
  /** Called when lint hands a walk to its reader thread: a long run has begun. */
  readonly onHandOff?: (() => void) | undefined;
}

/**
 * Run the CLI; returns the exit code. Only this function catches: user errors
 * become one line on stderr, anything else is reported as a bug.
 */
export async function main(argv: readonly string[], io: Io = processIo(), options: MainOptions = {}): Promise<number> {
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
        return await runLint(args, io, { reader: options.reader, onHandOff: options.onHandOff });
      }
    }
    // The other commands may write through Node's own streams too (help, prompts): made here, with their error
    // handlers, so that outputQueued sees all they write.
    void io.stdout;
    void io.stderr;
    const { runCommand } = await import('./commands.js');
    return await runCommand(argv, io, version());
  } catch (error) {
    const nagios = isNagiosCheck(argv);
    if (error instanceof CliError) {
      io.stderr.write(`provision: ${error.message}\n`);
      if (!nagios) return error.exitCode;
      io.stdout.write(`PROVISION CHECK UNKNOWN - ${error.message}\n`);
      return EXIT.nagiosUnknown;
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
    if (!nagios) return EXIT.internal;
    io.stdout.write(`PROVISION CHECK UNKNOWN - internal error (a bug in provision): ${e?.message ?? String(error)}\n`);
    return EXIT.nagiosUnknown;
  } finally {
    // Lint stops the reader it used; one it did not use (an error first, or lint's options read by yargs) stops here.
    if (options.reader !== undefined) stopReader(options.reader);
  }
}
