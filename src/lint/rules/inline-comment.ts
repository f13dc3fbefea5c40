import { dominantEol } from '../../dbconfig/document.js';
import type { Rule } from '../types.js';
import { inlineCommentAt } from '../views.js';

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
      // The fix moves the comment to a line of its own above the directive.
      let cut = at;
      while (cut > 0 && (line.text[cut - 1] === ' ' || line.text[cut - 1] === '\t')) cut--;
      const comment = line.text.slice(at, v.st.offset + v.st.text.length).replace(/[ \t]+$/, '');
      const start = ctx.offset(v.st.line);
      // The last line may have no line end: the new line break follows the rest of the file.
      const eol = line.eol === '' ? dominantEol(ctx.doc) : line.eol;
      const safe = v.st.part === 0 && v.st.nulAt === undefined && !line.text.slice(at).includes('\r');
      ctx.report({
        line: v.st.line,
        start: at,
        end: v.st.offset + v.st.text.length,
        message: 'Comment after a directive; Berkeley DB has no inline comments and reads it as more values. Put the comment on its own line, starting with #.',
        ...(safe ? { fix: { range: [start, start + line.text.length] as const, text: `${line.indent}${comment}${eol}${line.text.slice(0, cut)}` } } : {}),
      });
    }
  },
};
