import { MAX_LINE_BYTES } from '../../dbconfig/catalogue.js';
import type { Statement } from '../../dbconfig/statements.js';
import { isCSpace } from '../../dbconfig/text.js';
import { isSkippedSpace } from '../skipped-space.js';
import type { DirectiveView, Rule, RuleContext } from '../types.js';

/**
 * In a comment line, the first CR after which text other than white space
 * or another comment follows: with CR-only line ends, that text is a line
 * Berkeley DB never reads. A CR that only ends the comment is harmless.
 */
function hiddenLineAt(st: Statement): number | undefined {
  let cr = st.text.indexOf('\r');
  while (cr !== -1) {
    let at = cr + 1;
    while (at < st.text.length && isCSpace(st.text[at])) at++;
    if (at < st.text.length && st.text[at] !== '#') return cr;
    cr = st.text.indexOf('\r', at);
  }
  return undefined;
}

function checkComment(ctx: RuleContext, st: Statement): void {
  const at = hiddenLineAt(st);
  if (at === undefined) return;
  // A CR-only file is one physical line: the comment swallows the rest of the file.
  const line = ctx.doc.lines[st.line - 1]!;
  const toEnd = st.line === ctx.doc.lines.length && st.offset + MAX_LINE_BYTES >= line.text.length + line.eol.length;
  ctx.report({
    line: st.line,
    start: st.offset + at,
    end: st.offset + at + 1,
    message: `CR-only line ends: Berkeley DB reads the rest of the ${toEnd ? 'file' : 'line'} as part of this comment and silently ignores the settings in it. Save the file with LF or CRLF line ends.`,
  });
}

export const strayCr: Rule = {
  id: 'stray-cr',
  severity: 'error',
  description: 'A carriage return that is not part of a CRLF line end (CR-only files, \\r\\r\\n), including one that makes a comment swallow the lines after it.',
  perLine: true,
  check(ctx) {
    let views: Map<Statement, DirectiveView> | undefined;
    for (let i = 0; i < ctx.statements.length; i++) {
      const st = ctx.statements[i]!;
      // The line end's CR is not in the text: most lines have none.
      let at = st.text.indexOf('\r');
      if (at === -1) continue;
      if (st.kind === 'comment') checkComment(ctx, st);
      if (st.kind !== 'directive') continue;
      const base = st.offset;
      views ??= new Map(ctx.directives.map((v) => [v.st, v]));
      const v = views.get(st);
      // A CR that Berkeley DB skips as white space (in the indent, before a number) is harmless.
      while (at !== -1 && v !== undefined && isSkippedSpace(v, base + at)) at = st.text.indexOf('\r', at + 1);
      if (at === -1) continue;
      const line = ctx.doc.lines[st.line - 1]!;
      const doubled = at === st.text.length - 1 && line.eol === '\r\n' && line.text.endsWith('\r');
      ctx.report({
        line: st.line,
        start: base + at,
        end: base + at + 1,
        message: doubled
          ? 'Line ends with \\r\\r\\n; Berkeley DB strips one CR only and reads the other as part of the last value. End lines with LF or CRLF.'
          : 'Carriage return (CR) inside a line; Berkeley DB ends lines at LF only, so a CR-only file is one long line. Save the file with LF or CRLF line ends.',
        ...(doubled ? { fix: { range: [ctx.offset(st.line) + line.text.length - 1, ctx.offset(st.line) + line.text.length] as const, text: '' } } : {}),
      });
    }
  },
};
