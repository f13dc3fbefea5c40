import { MAX_LINE_BYTES } from '../../dbconfig/catalogue.js';
import type { Rule } from '../types.js';

export const lineTooLong: Rule = {
  id: 'line-too-long',
  severity: 'error',
  description: `A line longer than ${MAX_LINE_BYTES} bytes: Berkeley DB reads the rest as a separate line.`,
  perLine: true,
  check(ctx) {
    for (let i = 0; i < ctx.statements.length; i++) {
      const st = ctx.statements[i]!;
      // A blank continuation is just the line end past byte 255 (255 bytes + LF, 254 + CRLF): BDB reads the line whole.
      if (st.part === 0 || st.kind === 'blank') continue;
      const parsed = st.kind === 'directive';
      ctx.report({
        line: st.line,
        start: st.offset,
        message: parsed
          ? `Line is longer than ${MAX_LINE_BYTES} bytes; Berkeley DB reads bytes ${st.offset + 1} on as a separate line and fails on it. Shorten the line (put a long comment on several lines).`
          : `Line is longer than ${MAX_LINE_BYTES} bytes; Berkeley DB splits it at byte ${st.offset + 1}. It is harmless here, but fragile: shorten it.`,
        severity: parsed ? 'error' : 'warning',
      });
    }
  },
};
