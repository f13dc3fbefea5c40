import { CliError, EXIT } from './errors.js';
import type { Io } from './io.js';
import { stopReader, type ReaderHandle } from './reader-start.js';

/** What the program that runs the command line may hand it. */
export interface MainOptions {
  /** A reader thread it started for `provision lint DIR` (see reader-start.ts); stopped when lint is done. */
  readonly reader?: ReaderHandle | undefined;
  /** Called when lint hands a walk to its reader thread: a long run has begun. */
  readonly onHandOff?: (() => void) | undefined;
}

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

/**
 * Run a command; returns its exit code, or undefined when `command` declines
 * the command line (another runs it, with the reader still going). Only this
 * catches: user errors become one line on stderr, anything else is reported
 * as a bug.
 */
export async function outcome<Code extends number | undefined>(argv: readonly string[], io: Io, options: MainOptions, command: () => Promise<Code>): Promise<Code | number> {
  let declined = false;
  try {
    const code = await command();
    declined = code === undefined;
    return code;
  } catch (error) {
    return report(error, argv, io);
  } finally {
    // Lint stops the reader it used; one it did not use (an error first, or lint's options read by yargs) stops here.
    if (options.reader !== undefined && !declined) stopReader(options.reader);
  }
}

/** An error as the user sees it (one line, or an internal error with its stack), and its exit code. */
function report(error: unknown, argv: readonly string[], io: Io): number {
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
}
