import type { LintMessage, LintResult } from '../types.js';
import { absolutePath } from './paths.js';
import { fixTextLossy } from './text.js';
import type { FormatOptions } from './types.js';

/** A message as ESLint's JSON output writes it (keys in ESLint's order). */
function toJsonMessage(m: LintMessage): object {
  return {
    ruleId: m.ruleId,
    severity: m.severity,
    line: m.line,
    column: m.column,
    ...(m.endLine !== undefined ? { endLine: m.endLine } : {}),
    ...(m.endColumn !== undefined ? { endColumn: m.endColumn } : {}),
    message: m.message,
    ...(m.fix ? { fix: { range: [m.fix.range[0], m.fix.range[1]], text: fixTextLossy(m.fix.text) } } : {}),
  };
}

/**
 * ESLint's JSON output: an array of results with absolute file paths, so
 * tools that read ESLint reports (annotators, dashboards) read these too.
 * Two differences a consumer may care about: columns and `fix.range` count
 * bytes (ESLint counts UTF-16 code units), and `fix.text` is UTF-8 decoded.
 *
 * The text is what `JSON.stringify` gives for the whole array, written one
 * result at a time: most results of a fleet have no messages, and building an
 * object for each just to serialise it was most of the cost.
 */
export function formatJson(results: readonly LintResult[], options: FormatOptions): string {
  let out = '[';
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    const messages = r.messages.length === 0 ? '[]' : JSON.stringify(r.messages.map(toJsonMessage));
    out += `${i === 0 ? '' : ','}{"filePath":${JSON.stringify(absolutePath(r.filePath, options.cwd))},"messages":${messages},"errorCount":${r.errorCount},"warningCount":${r.warningCount},"fixableErrorCount":${r.fixableErrorCount},"fixableWarningCount":${r.fixableWarningCount}}`;
  }
  return `${out}]`;
}
