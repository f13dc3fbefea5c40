import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { Io } from '../io.js';

/** What every command declaration gets: the streams, and where to report its exit code. */
export interface DeclareContext {
  readonly io: Io;
  readonly done: (code: number) => void;
}

/**
 * One command: its usage, its options and its handler. The handler's argument
 * types follow from the builder, as in yargs' positional `.command()` form.
 */
export function declare<U>(
  command: string,
  describe: string,
  builder: (y: Argv) => Argv<U>,
  handler: (args: ArgumentsCamelCase<U>) => Promise<void>,
): CommandModule<object, U> {
  return { command, describe, builder, handler };
}
