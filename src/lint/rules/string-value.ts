import { display, toText } from '../../dbconfig/text.js';
import type { EnvironmentFacts, Report, Rule } from '../types.js';

/** The one rest-of-line directive whose value is no path: a mode, which Berkeley DB refuses with trailing spaces. */
const MODE = 'set_intermediate_dir_mode';

/** What lint can tell of a directory value with trailing spaces (`trimmed` without them), from the environment. */
function judgeTrailing(env: EnvironmentFacts | undefined, value: string, trimmed: string): 'slip' | 'meant' | 'unknown' {
  if (env === undefined) return 'unknown';
  const exists = (dir: string) => env.directoryExists(toText(dir));
  if (exists(value)) return 'meant';
  return exists(trimmed) ? 'slip' : 'unknown';
}

/**
 * The finding for a rest-of-line value (`text`, at column `start` of line
 * `line`, whose first byte is at `lineStart` of the file) that ends in spaces
 * or tabs, `trimmed` bytes long without them; `name` is the directive as
 * written, `mode` whether it is set_intermediate_dir_mode, `whole` whether the
 * line is read in one piece (only then is there a fix).
 */
export function trailingBlanksReport(
  env: EnvironmentFacts | undefined,
  name: string,
  mode: boolean,
  value: { readonly text: string; readonly start: number },
  trimmed: number,
  line: number,
  lineStart: number,
  whole: boolean,
): Report {
  const text = value.text;
  const judged = mode ? 'slip' : judgeTrailing(env, text, text.slice(0, trimmed));
  const written = display(text);
  const message = mode
    ? `${name} value ends with spaces or tabs, which Berkeley DB keeps as part of the mode (and then refuses it). Remove them.`
    : judged === 'meant'
      ? `${name} value ends with spaces or tabs, which Berkeley DB keeps as part of the directory name; "${written}" exists, so this works, but the name is easy to break. Rename the directory and remove the spaces together.`
      : judged === 'slip'
        ? `${name} value ends with spaces or tabs, which Berkeley DB keeps as part of the directory name: "${written}" does not exist, "${display(text.slice(0, trimmed))}" does. Remove them.`
        : `${name} value ends with spaces or tabs, which Berkeley DB keeps as part of the directory name. Remove them, unless the directory is named with them.`;
  return {
    line,
    start: value.start + trimmed,
    end: value.start + text.length,
    message,
    ...(judged === 'slip' && whole ? { fix: { range: [lineStart + value.start + trimmed, lineStart + value.start + text.length] as const, text: '' } } : {}),
  };
}

/** A value's length without the spaces and tabs it ends with. */
export function trimmedLength(value: string): number {
  return value.replace(/[ \t]+$/, '').length;
}

// NOTE: not a per-line rule: whether trimming is safe depends on the environment, which differs from file to file.
export const stringValue: Rule = {
  id: 'string-value',
  severity: 'warning',
  description:
    'A directory value that is empty, ends in spaces or holds a `#`: Berkeley DB keeps it verbatim. ' +
    'The fix trims trailing spaces only where that is certainly meant, as a directory named with the spaces can be what a working ' +
    'environment uses: from a mode (set_intermediate_dir_mode, refused with them), or from a directory that does not exist ' +
    'while the trimmed one does (so never without the environment: standard input, or a file not named DB_CONFIG).',
  check(ctx) {
    for (let i = 0; i < ctx.directives.length; i++) {
      const v = ctx.directives[i]!;
      const value = v.st.value;
      if (!value) continue;
      if (value.text.length === 0) {
        ctx.report({ line: v.st.line, start: v.name.start, end: v.name.end, message: `${v.name.text} has an empty value. Give it a directory, or delete the line.` });
        continue;
      }
      const trimmed = trimmedLength(value.text);
      if (trimmed < value.text.length && trimmed > 0) {
        const mode = (v.spec?.aliasOf ?? v.spec?.name) === MODE;
        ctx.report(trailingBlanksReport(ctx.environment, v.name.text, mode, value, trimmed, v.st.line, ctx.offset(v.st.line), v.st.part === 0));
      }
      const hash = value.text.indexOf('#');
      if (hash !== -1) {
        ctx.report({
          line: v.st.line,
          start: value.start + hash,
          message: `${v.name.text} value contains "#", which Berkeley DB keeps as part of the directory name (there are no inline comments). Move the comment to its own line.`,
        });
      }
    }
  },
};
