import type { Rule } from '../types.js';

export const nulByte: Rule = {
  id: 'nul-byte',
  severity: 'warning',
  description: 'A NUL byte: Berkeley DB ignores the rest of the line after it.',
  perLine: true,
  check(ctx) {
    for (let i = 0; i < ctx.statements.length; i++) {
      const st = ctx.statements[i]!;
      if (st.nulAt === undefined) continue;
      ctx.report({
        line: st.line,
        start: st.nulAt,
        end: st.nulAt + 1,
        message: 'NUL byte; Berkeley DB ignores everything after it on this line. Remove it (the file may have been saved as UTF-16: save it as UTF-8 or ANSI).',
      });
    }
  },
};
