import type { ArgumentRule } from '../arguments.js';
import type { Rule, Severity } from '../types.js';

/** A rule that reports one kind of argument problem (see ../arguments.ts). */
export function argumentRule(id: ArgumentRule, severity: Severity, description: string): Rule {
  return {
    id,
    severity,
    description,
    perLine: true,
    check(ctx) {
      // The views carry their lines' problems, found once for every argument rule.
      for (let i = 0; i < ctx.flawed.length; i++) {
        const v = ctx.flawed[i]!;
        for (let j = 0; j < v.problems.length; j++) {
          const p = v.problems[j]!;
          if (p.rule !== id) continue;
          const token = p.token ?? v.name;
          const start = ctx.offset(v.st.line);
          ctx.report({
            line: v.st.line,
            start: token.start,
            end: token.end,
            message: p.message,
            ...(p.replacement !== undefined ? { fix: { range: [start + token.start, start + token.end] as const, text: p.replacement } } : {}),
          });
        }
      }
    },
  };
}
