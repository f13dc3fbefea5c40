import type { LintResult } from '../types.js';
import { displayPath } from './paths.js';
import type { FormatOptions } from './types.js';

/** Escaping for a command's message, as GitHub's own toolkit does it (`escapeData`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping for a property value (`escapeProperty`): `:` and `,` separate properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * GitHub Actions workflow commands, one line per message, which GitHub shows
 * as annotations on the pull request:
 * `::error file=PATH,line=L,col=C,endLine=L,endColumn=C,title=RULE::MESSAGE`.
 * Paths are relative to the working directory, which in a workflow is the
 * checkout. Colour never applies.
 */
export function formatGithub(results: readonly LintResult[], options: FormatOptions): string {
  let out = '';
  for (const result of results) {
    const file = displayPath(result.filePath, options.cwd);
    for (const m of result.messages) {
      const props: [string, string | number | undefined][] = [
        ['file', file],
        ['line', m.line],
        ['col', m.column],
        ['endLine', m.endLine],
        ['endColumn', m.endColumn],
        ['title', m.ruleId],
      ];
      const list = props
        .filter((p): p is [string, string | number] => p[1] !== undefined)
        .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
        .join(',');
      out += `::${m.severity === 2 ? 'error' : 'warning'} ${list}::${escapeData(m.message)}\n`;
    }
  }
  return out;
}
