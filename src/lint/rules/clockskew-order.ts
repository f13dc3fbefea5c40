import type { Rule } from '../types.js';
import { numbers, validLines } from '../valid.js';

export const clockskewOrder: Rule = {
  id: 'clockskew-order',
  severity: 'error',
  description: 'rep_set_clockskew with the fast clock value smaller than the slow one.',
  check(ctx) {
    for (const v of validLines(ctx, 'rep_set_clockskew')) {
      const [fast, slow] = numbers(v);
      if (fast! === 0n && slow! === 0n) continue;
      if (fast! >= slow!) continue;
      ctx.report({
        line: v.st.line,
        start: v.args[0]!.start,
        end: v.args[1]!.end,
        message: `rep_set_clockskew fast value ${fast} is smaller than slow value ${slow}; Berkeley DB refuses it. Write the larger (fast) value first.`,
      });
    }
  },
};
