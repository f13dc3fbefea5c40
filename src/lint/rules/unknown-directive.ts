import { display } from '../../dbconfig/text.js';
import { suggestDirective } from '../suggest.js';
import type { Rule } from '../types.js';

export const unknownDirective: Rule = {
  id: 'unknown-directive',
  severity: 'error',
  description: 'A name Berkeley DB does not know (hyphenated spellings, wrong case of a case-sensitive name, old names).',
  perLine: true,
  check(ctx) {
    for (let i = 0; i < ctx.directives.length; i++) {
      const v = ctx.directives[i]!;
      if (v.spec !== undefined) continue;
      const shown = display(v.name.text);
      const s = suggestDirective(v.name.text);
      const start = ctx.offset(v.st.line);
      ctx.report({
        line: v.st.line,
        start: v.name.start,
        end: v.name.end,
        message: s
          ? `Unknown directive "${shown}"; did you mean ${s.name}? (${s.why})`
          : `Unknown directive "${shown}"; Berkeley DB refuses to open the environment. See docs/dbconfig.md for the directives it reads.`,
        ...(s?.safe ? { fix: { range: [start + v.name.start, start + v.name.end] as const, text: s.name } } : {}),
      });
    }
  },
};
