import { parseArgs } from 'node:util';
import type { FormatName } from '../lint/formatters/index.js';
import type { LintArgs } from './commands/lint.js';
import { numberOption, wholeAtLeast } from './number-option.js';

/** What --max-warnings accepts, as its error says it. */
export const MAX_WARNINGS = 'a whole number, -1 for no limit';

const FORMAT_CHOICES: readonly FormatName[] = ['stylish', 'json', 'sarif', 'github'];

/**
 * The options of `provision lint`, declared once: yargs reads them for
 * --help and errors, and the fast path below for an ordinary run.
 */
export const LINT_OPTIONS = {
  // The string options' defaults are only described: with a default, yargs would read `-f` given no value as
  // the default, where it is a usage error (toLintArgs fills the defaults in).
  format: { alias: 'f', describe: 'Output format', type: 'string', choices: FORMAT_CHOICES, defaultDescription: 'stylish' },
  group: { describe: 'Lint the files as one replication group', type: 'boolean', default: false },
  topology: { describe: 'Lint a topology file (docs/topology.md) and its group rules', type: 'string' },
  fix: { describe: 'Apply the safe fixes in place (atomically, with a backup)', type: 'boolean' },
  'fix-dry-run': { describe: 'Print the diff the safe fixes would make; write nothing', type: 'boolean' },
  'max-warnings': { describe: 'Exit 1 when there are more warnings than this (-1: no limit; default: .provisionrc, else no limit)', requiresArg: true },
  quiet: { alias: 'q', describe: 'Report errors only', type: 'boolean', default: false },
  config: { alias: 'c', describe: 'Rule settings file (default: the nearest .provisionrc)', type: 'string' },
  'stdin-filename': { describe: 'Name to show for input read from stdin', type: 'string', defaultDescription: '<stdin>' },
} as const;

/** LintArgs from parsed option values (yargs' or the fast path's). */
export function toLintArgs(values: Record<string, unknown>, paths: readonly string[]): LintArgs {
  return {
    // With --topology alone, no DB_CONFIG is linted; otherwise the default is the working directory.
    paths: paths.length > 0 ? paths : values.topology !== undefined ? [] : ['.'],
    ...(values.topology !== undefined ? { topology: String(values.topology) } : {}),
    format: (values.format ?? 'stylish') as FormatName,
    group: values.group === true,
    fix: values.fix === true,
    fixDryRun: values['fix-dry-run'] === true,
    ...(values['max-warnings'] !== undefined ? { maxWarnings: numberOption('max-warnings', values['max-warnings'], MAX_WARNINGS, wholeAtLeast(-1)) } : {}),
    quiet: values.quiet === true,
    ...(values.config !== undefined ? { config: String(values.config) } : {}),
    stdinFilename: String(values['stdin-filename'] ?? '<stdin>'),
  };
}

/** Whether parseArgs reads `arg` as a positional wherever it stands (before any `--`). */
const isPositional = (arg: string): boolean => arg === '-' || !arg.startsWith('-');

/**
 * Parse `provision lint ...` without loading yargs (start-up time counts for
 * a linter run once per file by editors and hooks). Anything unusual (help,
 * an unknown option, a bad value) returns undefined, and yargs handles it
 * with its full messages.
 */
export function parseLintArgsFast(argv: readonly string[]): LintArgs | undefined {
  // Paths alone (`-` is stdin): what parseArgs would make of them, without loading it (about 1 ms of start-up).
  if (argv.every(isPositional)) return toLintArgs({}, argv);
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, o] of Object.entries(LINT_OPTIONS)) {
    options[name] = { type: 'type' in o && o.type === 'boolean' ? 'boolean' : 'string', ...('alias' in o ? { short: o.alias } : {}) };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true, tokens: true });
  } catch {
    return undefined;
  }
  // An option that takes a value given twice, or with an empty value: yargs' path says so (src/cli/option-values.ts).
  const seen = new Set<string>();
  for (const t of parsed.tokens) {
    if (t.kind !== 'option' || options[t.name]?.type !== 'string') continue;
    if (seen.has(t.name) || t.value === '') return undefined;
    seen.add(t.name);
  }
  const v = parsed.values as Record<string, unknown>;
  if (v.format !== undefined && !FORMAT_CHOICES.includes(v.format as FormatName)) return undefined;
  if (v['max-warnings'] !== undefined) {
    if (!/^-?\d+$/.test(String(v['max-warnings']))) return undefined;
    v['max-warnings'] = Number(v['max-warnings']);
  }
  if (v.fix === true && v['fix-dry-run'] === true) return undefined;
  return toLintArgs(v, parsed.positionals);
}
