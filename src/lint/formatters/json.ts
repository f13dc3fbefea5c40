import { toText } from '../../dbconfig/text.js';
import type { LintMessage, LintResult } from '../types.js';
import { absolutePath } from './paths.js';
import { collect, Pieces, writerOf, type FormatOptions, type OpenReport, type Writer } from './types.js';

/** A message as ESLint's JSON output writes it (keys in ESLint's order; no spreads, each of which costs a copy). */
function toJsonMessage(m: LintMessage): object {
  const out: Record<string, unknown> = { ruleId: m.ruleId, severity: m.severity, line: m.line, column: m.column };
  if (m.endLine !== undefined) out.endLine = m.endLine;
  if (m.endColumn !== undefined) out.endColumn = m.endColumn;
  out.message = m.message;
  if (m.fix) out.fix = { range: [m.fix.range[0], m.fix.range[1]], text: toText(m.fix.text) };
  return out;
}

/** The rest of a result with no messages (most of a fleet's). */
const CLEAN = ',"messages":[],"errorCount":0,"warningCount":0,"fixableErrorCount":0,"fixableWarningCount":0}';

/**
 * ESLint's JSON output: an array of results with absolute file paths, so
 * tools that read ESLint reports (annotators, dashboards) read these too.
 * Two differences a consumer may care about: columns and `fix.range` count
 * bytes (ESLint counts UTF-16 code units), and `fix.text` is UTF-8 decoded.
 *
 * The text is what `JSON.stringify` gives for the whole array, made one
 * result at a time: most results of a fleet have no messages, and building an
 * object for each just to serialise it was most of the cost. It is given to
 * `emit` in pieces of about CHUNK_CHARS.
 */
export const openJson: OpenReport = (options, emit) => {
  const out = new Pieces(emit);
  out.add('[');
  let first = true;
  return {
    add(results) {
      for (let i = 0; i < results.length; i++) {
        const r = results[i]!;
        const head = `${first ? '' : ','}{"filePath":${JSON.stringify(absolutePath(r.filePath, options.cwd))}`;
        first = false;
        if (r.messages.length === 0 && r.errorCount + r.warningCount + r.fixableErrorCount + r.fixableWarningCount === 0) out.add(head + CLEAN);
        else {
          out.add(`${head},"messages":${JSON.stringify(r.messages.map(toJsonMessage))},"errorCount":${r.errorCount},"warningCount":${r.warningCount},"fixableErrorCount":${r.fixableErrorCount},"fixableWarningCount":${r.fixableWarningCount}}`);
        }
      }
    },
    end() {
      out.add(']');
      out.flush();
    },
  };
};

/** The JSON output, given to `emit` piece by piece (see openJson). */
export const writeJson: Writer = writerOf(openJson);

/** The JSON output as one string (see writeJson). */
export function formatJson(results: readonly LintResult[], options: FormatOptions): string {
  return collect(writeJson, results, options);
}
