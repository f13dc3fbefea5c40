import { CliError } from './errors.js';

/**
 * A numeric option's value, or a one-line usage error naming the option and
 * what it accepts. NOTE: yargs has already turned text into NaN, so the error
 * cannot quote the text; it must never echo "NaN" either.
 */
export function numberOption(option: string, value: unknown, accepted: string, ok: (n: number) => boolean): number {
  if (typeof value === 'number' && Number.isFinite(value) && ok(value)) return value;
  const found = typeof value === 'number' && !Number.isNaN(value) ? String(value) : 'a value that is not a number';
  throw new CliError(`--${option} must be ${accepted}, found ${found}`);
}

/** A whole number of at least `min`. */
export const wholeAtLeast = (min: number) => (n: number) => Number.isInteger(n) && n >= min;
