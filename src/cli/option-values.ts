import type { Argv } from 'yargs';
import { CliError } from './errors.js';

/** Options whose empty value has a meaning: given alone, `--undo` and `--verify` mean "the newest" / "every one". */
const OPTIONAL_VALUE = new Set(['undo', 'verify']);

interface ParsedOptions {
  readonly key: Record<string, boolean>;
  readonly alias: Record<string, readonly string[]>;
  readonly boolean: readonly string[];
  readonly string: readonly string[];
  readonly array: readonly string[];
  readonly count: readonly string[];
}

/** Whether `name` (or one of its one-letter aliases) is named as an option in `argv`, before any `--`. */
function named(argv: readonly string[], name: string, aliases: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const tokens = end === -1 ? argv : argv.slice(0, end);
  const spellings = [name, ...aliases].map((n) => (n.length === 1 ? `-${n}` : `--${n}`));
  return tokens.some((t) => spellings.some((s) => t === s || t.startsWith(`${s}=`)));
}

/**
 * The rules every command's options follow, checked once for all commands
 * (docs/cli.md, "Options"): an option that takes one value may be given only
 * once (yargs would make a list of the values), and its value may not be empty
 * (`--env ""`, or `--config` at the end of the line: an empty path would mean
 * the working directory).
 */
export function checkOptionValues(argv: readonly string[], values: Record<string, unknown>, options: ParsedOptions): void {
  const aliasOf = new Set(Object.values(options.alias).flat());
  const flags = new Set([...options.boolean, ...options.array, ...options.count]);
  // Numeric options have their own message for an empty value (number-option.ts); choices, yargs' own.
  const strings = new Set(options.string);
  for (const name of Object.keys(options.key)) {
    if (aliasOf.has(name) || flags.has(name) || !(name in values)) continue;
    const value = values[name];
    const aliases = options.alias[name] ?? [];
    if (Array.isArray(value)) throw new CliError(`--${name} given more than once; give it once`);
    if (value === '' && strings.has(name) && !OPTIONAL_VALUE.has(name) && named(argv, name, aliases)) {
      throw new CliError(`--${name} needs a value, found an empty one`);
    }
  }
}

/** Install the check as middleware that runs for every command, before yargs validates choices. */
export function withOptionChecks(parser: Argv, argv: readonly string[]): Argv {
  const check = (values: Record<string, unknown>, y: Argv) => {
    checkOptionValues(argv, values, (y as unknown as { getOptions(): ParsedOptions }).getOptions());
  };
  return parser.middleware(check as unknown as Parameters<Argv['middleware']>[0], true);
}
