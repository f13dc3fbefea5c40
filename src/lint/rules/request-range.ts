import type { Rule } from '../types.js';
import { numbers, validLines } from '../valid.js';

export const requestRange: Rule = {
  id: 'request-range',
  severity: 'error',
  description: 'rep_set_request with a zero minimum or a minimum above the maximum.',
  perLine: true,
  check(ctx) {
    const lines = validLines(ctx, 'rep_set_request');
    for (let i = 0; i < lines.length; i++) {
      const v = lines[i]!;
      const [min, max] = numbers(v);
      if (min! !== 0n && min! <= max!) continue;
      ctx.report({
        line: v.st.line,
        start: v.args[0]!.start,
        end: v.args[1]!.end,
        message: `rep_set_request ${min} ${max}: the minimum must be above 0 and not above the maximum; Berkeley DB refuses it (default 40000 1280000).`,
      });
    }
  },
};
