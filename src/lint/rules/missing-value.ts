import type { Rule } from '../types.js';

export const missingValue: Rule = {
  id: 'missing-value',
  severity: 'error',
  description: 'A directory directive with no value at all, which crashes Berkeley DB (segmentation fault).',
  perLine: true,
  check(ctx) {
    for (let i = 0; i < ctx.directives.length; i++) {
      const v = ctx.directives[i]!;
      if (v.st.value !== null) continue;
      ctx.report({
        line: v.st.line,
        start: v.name.start,
        end: v.name.end,
        message: `${v.name.text} has no value; Berkeley DB crashes (segmentation fault) on this line. Give it a directory, or delete the line.`,
      });
    }
  },
};
