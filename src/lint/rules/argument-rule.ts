import { argumentProblems, type ArgumentRule } from '../arguments.js';
import type { Rule, Severity } from '../types.js';

/** A rule that reports one kind of argument problem (see ../arguments.ts). */
export function argumentRule(id: ArgumentRule, severity: Severity, description: string): Rule {
  return {
    id,
    severity,
    description,
    check(ctx) {
      for (const v of ctx.directives) {
        for (const p of argumentProblems(v)) {
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
