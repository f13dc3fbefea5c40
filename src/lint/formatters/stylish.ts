import { count } from '../../count.js';
import type { LintMessage, LintResult } from '../types.js';
import { displayPath } from './paths.js';
import { collect, Pieces, writerOf, type FormatOptions, type OpenReport, type Writer } from './types.js';

/** The few ANSI styles stylish uses; each closes with its own reset so styles nest. */
const STYLES = {
  bold: ['\x1b[1m', '\x1b[22m'],
  dim: ['\x1b[2m', '\x1b[22m'],
  underline: ['\x1b[4m', '\x1b[24m'],
  red: ['\x1b[31m', '\x1b[39m'],
  yellow: ['\x1b[33m', '\x1b[39m'],
} as const;
type Style = keyof typeof STYLES;

/** Control characters would move the cursor or restyle the terminal: show them as escapes instead. */
const visible = (text: string) =>
  text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/** A character outside the Basic Multilingual Plane: two UTF-16 code units, one code point. */
const PAIRS = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/**
 * Width in terminal columns, near enough: one per code point. Counted without
 * splitting the text into an array (`[...text]`), which made it most of the
 * formatter's time on a fleet's thousands of messages.
 */
const width = (text: string) => {
  let n = text.length;
  PAIRS.lastIndex = 0;
  while (PAIRS.exec(text) !== null) n--;
  return n;
};
const padEnd = (text: string, to: number) => text + ' '.repeat(Math.max(0, to - width(text)));

/**
 * ESLint's "stylish" output: each file with problems, one aligned row per
 * message (`line:col  severity  message  rule-id`), then a summary. A clean
 * run prints nothing, so scripts and people see silence for success.
 */
export const openStylish: OpenReport = (options, emit) => {
  const paint = (style: Style, text: string) => (options.color ? `${STYLES[style][0]}${text}${STYLES[style][1]}` : text);
  let errors = 0;
  let warnings = 0;
  let fixableErrors = 0;
  let fixableWarnings = 0;
  const out = new Pieces(emit);
  // A blank line first, once there is anything to show.
  let shown = false;
  return {
    add(results) {
      for (const result of results) {
        errors += result.errorCount;
        warnings += result.warningCount;
        fixableErrors += result.fixableErrorCount;
        fixableWarnings += result.fixableWarningCount;
        if (result.messages.length === 0) continue;
        if (!shown) {
          out.add('\n');
          shown = true;
        }
        out.add(`${paint('underline', visible(displayPath(result.filePath, options.cwd)))}\n${formatRows(result.messages, paint)}\n`);
      }
    },
    end() {
      const total = errors + warnings;
      if (total === 0) return;
      if (!shown) out.add('\n');
      const color: Style = errors > 0 ? 'red' : 'yellow';
      const summary = (text: string) => paint(color, paint('bold', text));
      out.add(`${summary(`\u2716 ${count(total, 'problem')} (${count(errors, 'error')}, ${count(warnings, 'warning')})`)}\n`);
      if (fixableErrors > 0 || fixableWarnings > 0) {
        out.add(`${summary(`  ${count(fixableErrors, 'error')} and ${count(fixableWarnings, 'warning')} potentially fixable with the --fix option.`)}\n`);
      }
      out.flush();
    },
  };
};

/** The stylish output, given to `emit` piece by piece (see openStylish). */
export const writeStylish: Writer = writerOf(openStylish);

/** The stylish output as one string (see writeStylish). */
export function formatStylish(results: readonly LintResult[], options: FormatOptions): string {
  return collect(writeStylish, results, options);
}

function withoutFullStop(text: string): string {
  return text.length > 1 && text.endsWith('.') && text.charCodeAt(text.length - 2) !== 0x20 ? text.slice(0, -1) : text;
}

function formatRows(messages: readonly LintMessage[], paint: (style: Style, text: string) => string): string {
  const rows = messages.map((m) => ({
    line: String(m.line),
    column: String(m.column),
    severity: m.severity === 2 ? 'error' : 'warning',
    // Like ESLint, drop the final full stop (one after a non-space): the rule ID follows on the same line.
    message: withoutFullStop(visible(m.message)),
    ruleId: m.ruleId,
  }));
  // NOTE: a loop, not Math.max(...rows): spreading 100k+ arguments overflows the call stack.
  let lineWidth = 0;
  let columnWidth = 0;
  let severityWidth = 0;
  let messageWidth = 0;
  for (const r of rows) {
    lineWidth = Math.max(lineWidth, r.line.length);
    columnWidth = Math.max(columnWidth, r.column.length);
    severityWidth = Math.max(severityWidth, r.severity.length);
    messageWidth = Math.max(messageWidth, width(r.message));
  }
  return rows
    .map((r) => {
      // Line numbers right-aligned and columns left-aligned, so the colons line up.
      const position = `${r.line.padStart(lineWidth)}:${r.column.padEnd(columnWidth)}`;
      const severity = paint(r.severity === 'error' ? 'red' : 'yellow', r.severity) + ' '.repeat(severityWidth - r.severity.length);
      return `  ${paint('dim', position)}  ${severity}  ${padEnd(r.message, messageWidth)}  ${paint('dim', r.ruleId)}\n`;
    })
    .join('');
}
