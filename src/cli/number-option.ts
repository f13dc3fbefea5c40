import { CliError } from './errors.js';

/**
 * A numeric option's value, or a one-line usage error naming the option and
 * what it accepts. The options are declared without a yargs type and with
 * `requiresArg`: yargs turns a number into a number, leaves any other text as
 * it is (so the error can quote it, and an empty value is not read as 0), and
 * refuses an option given with no value at all.
 */
export function numberOption(option: string, value: unknown, accepted: string, ok: (n: number) => boolean): number {
  if (typeof value === 'number' && Number.isFinite(value) && ok(value)) return value;
  throw new CliError(`--${option} must be ${accepted}, found ${describeFound(value)}`);
}

function describeFound(value: unknown): string {
  if (typeof value === 'number' && !Number.isNaN(value)) return String(value);
  if (typeof value === 'string') return value.trim() === '' ? 'an empty value' : JSON.stringify(value);
  // An option given twice never gets here: the check every command runs first refuses it (option-values.ts).
  return 'a value that is not a number';
}

/** What the options that keep backups or snapshots accept. */
export const KEEP_AT_LEAST_ONE = 'a whole number of at least 1';
/** What `check --timeout` accepts. */
export const TIMEOUT_SECONDS = 'a number of seconds above 0 and at most 600';

/** A whole number of at least `min`. */
export const wholeAtLeast = (min: number) => (n: number) => Number.isInteger(n) && n >= min;
