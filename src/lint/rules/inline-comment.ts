import { dominantEol } from '../../dbconfig/document.js';
import type { Rule } from '../types.js';
import { inlineCommentAt } from '../views.js';

/** The finding's message. */
export const INLINE_COMMENT_MESSAGE = 'Comment after a directive; Berkeley DB has no inline comments and reads it as more values. Put the comment on its own line, starting with #.';

/**
 * A line's text (without its line end) with the comment from `at` to `end`
 * moved to a line of its own above it, indented as the line is and ended by
 * `eol`: the text of the fix, which replaces the line's text.
 */
export function commentAbove(text: string, indent: string, at: number, end: number, eol: string): string {
  let cut = at;
  while (cut > 0 && (text[cut - 1] === ' ' || text[cut - 1] === '\t')) cut--;
  return `${indent}${text.slice(at, end).replace(/[ \t]+$/, '')}${eol}${text.slice(0, cut)}`;
}

export const inlineComment: Rule = {
  id: 'inline-comment',
  severity: 'error',
  description: 'A `#` after a directive: DB_CONFIG has no inline comments, only whole-line ones.',
  perLine: true,
  check(ctx) {
    for (let i = 0; i < ctx.directives.length; i++) {
      const v = ctx.directives[i]!;
      const at = inlineCommentAt(v.st);
      if (at === undefined) continue;
      const line = ctx.doc.lines[v.st.line - 1]!;
      const start = ctx.offset(v.st.line);
      // The last line may have no line end: the new line break follows the rest of the file.
      const eol = line.eol === '' ? dominantEol(ctx.doc) : line.eol;
      const safe = v.st.part === 0 && v.st.nulAt === undefined && !line.text.slice(at).includes('\r');
      ctx.report({
        line: v.st.line,
        start: at,
        end: v.st.offset + v.st.text.length,
        message: INLINE_COMMENT_MESSAGE,
        // The fix moves the comment to a line of its own above the directive.
        ...(safe ? { fix: { range: [start, start + line.text.length] as const, text: commentAbove(line.text, line.indent, at, v.st.offset + v.st.text.length, eol) } } : {}),
      });
    }
  },
};
