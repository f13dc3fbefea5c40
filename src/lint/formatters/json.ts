import type { LintResult } from '../types.js';
import { absolutePath } from './paths.js';
import { fixTextLossy } from './text.js';
import type { FormatOptions } from './types.js';

/**
 * ESLint's JSON output: an array of results with absolute file paths, so
 * tools that read ESLint reports (annotators, dashboards) read these too.
 * Two differences a consumer may care about: columns and `fix.range` count
 * bytes (ESLint counts UTF-16 code units), and `fix.text` is UTF-8 decoded.
 */
export function formatJson(results: readonly LintResult[], options: FormatOptions): string {
  return JSON.stringify(
    results.map((r) => ({
      filePath: absolutePath(r.filePath, options.cwd),
      messages: r.messages.map((m) => ({
        ruleId: m.ruleId,
        severity: m.severity,
        line: m.line,
        column: m.column,
        ...(m.endLine !== undefined ? { endLine: m.endLine } : {}),
        ...(m.endColumn !== undefined ? { endColumn: m.endColumn } : {}),
        message: m.message,
        ...(m.fix ? { fix: { range: [m.fix.range[0], m.fix.range[1]], text: fixTextLossy(m.fix.text) } } : {}),
      })),
      errorCount: r.errorCount,
      warningCount: r.warningCount,
      fixableErrorCount: r.fixableErrorCount,
      fixableWarningCount: r.fixableWarningCount,
    })),
  );
}
