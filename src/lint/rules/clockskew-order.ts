import type { Rule } from '../types.js';
import { numbers, validLines } from '../valid.js';

export const clockskewOrder: Rule = {
  id: 'clockskew-order',
  severity: 'error',
  description: 'rep_set_clockskew with the fast clock value smaller than the slow one, or with only one of them 0.',
  perLine: true,
  check(ctx) {
    const lines = validLines(ctx, 'rep_set_clockskew');
    for (let i = 0; i < lines.length; i++) {
      const v = lines[i]!;
      const [fast, slow] = numbers(v);
      if (fast! === 0n && slow! === 0n) continue;
      const oneZero = fast! === 0n || slow! === 0n;
      if (!oneZero && fast! >= slow!) continue;
      ctx.report({
        line: v.st.line,
        start: v.args[0]!.start,
        end: v.args[1]!.end,
        message: oneZero
          ? `rep_set_clockskew ${fast} ${slow}: 0 is only allowed for both values (0 0 keeps the default); Berkeley DB refuses it.`
          : `rep_set_clockskew fast value ${fast} is smaller than slow value ${slow}; Berkeley DB refuses it. Write the larger (fast) value first.`,
      });
    }
  },
};
