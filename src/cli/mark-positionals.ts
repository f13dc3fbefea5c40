import type { Argv } from 'yargs';

/**
 * NOTE: yargs fills a command's positionals (`plan <file>`, `completion [shell]`)
 * only from the arguments before `--`; those after it it keeps aside, so
 * `provision plan -- FILE` would say "Not enough non-option arguments" (on
 * purpose: yargs issues #1457, #2423). And it drops a lone `-` (stdin for lint)
 * from the positionals. So the CLI hands it those arguments with this mark in
 * front instead: no option starts with it, so yargs takes each as a positional,
 * and a command line cannot hold a NUL, so no argument a user types carries it.
 * The mark is taken off before yargs validates anything or a command sees its
 * arguments.
 */
const MARK = '\u0000arg:';

/**
 * A hidden flag that stands where `--` was. It ends what comes before it as
 * `--` does: an option that wants a value (`--out --`) gets none, and a
 * repeatable one (`--site a=x -- OLD NEW`) takes no more.
 */
const END_OF_OPTIONS = '\u0000end';

/**
 * `argv` with every argument after the first `--` marked as a positional (see
 * MARK), even one that starts with `-`, and a lone `-` before it marked too
 * (yargs would drop it; an option before it still takes it as its value).
 * Before the command's name, `--` and what follows are dropped: the command is
 * named before `--`, so yargs then asks for one (`provision -- lint` would
 * otherwise run no command, exit 0). A completion request is left as it is: it
 * must see the line as the shell typed it.
 */
export function markPositionals(argv: readonly string[]): string[] {
  if (argv.includes('--get-yargs-completions')) return [...argv];
  const end = argv.indexOf('--');
  const head = end === -1 ? argv : argv.slice(0, end);
  const marked = head.map((a) => (a === '-' ? MARK + a : a));
  if (end === -1 || !head.some((a) => !a.startsWith('-'))) return marked;
  return [...marked, `--${END_OF_OPTIONS}`, ...argv.slice(end + 1).map((a) => MARK + a)];
}

function unmark(value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith(MARK) ? value.slice(MARK.length) : value;
  return Array.isArray(value) ? value.map(unmark) : value;
}

/**
 * Declare the hidden flag and take the marks off (markPositionals), for every
 * command, before yargs checks choices and unknown arguments: its messages
 * then quote what the user typed.
 */
export function withPositionalMarks(parser: Argv): Argv {
  const strip = (values: Record<string, unknown>) => {
    delete values[END_OF_OPTIONS];
    for (const key of Object.keys(values)) values[key] = unmark(values[key]);
  };
  return parser
    .option(END_OF_OPTIONS, { type: 'boolean', hidden: true })
    .middleware(strip as unknown as Parameters<Argv['middleware']>[0], true);
}
