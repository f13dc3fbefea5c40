import type { Rule } from '../types.js';

export const strayCr: Rule = {
  id: 'stray-cr',
  severity: 'error',
  description: 'A carriage return that is not part of a CRLF line end (CR-only files, \\r\\r\\n).',
  check(ctx) {
    for (const st of ctx.statements) {
      if (st.kind !== 'directive') continue;
      const base = st.offset;
      const at = st.text.indexOf('\r');
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
