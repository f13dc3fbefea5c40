import type { Rule } from '../types.js';

export const noEquals: Rule = {
  id: 'no-equals',
  severity: 'error',
  description: 'A `=` between a name and its value; DB_CONFIG is `name value`, separated by spaces.',
  check(ctx) {
    for (const v of ctx.directives) {
      // A `=` in a rest-of-line value is part of the value; one glued to the name (set_data_dir=x) is not.
      if (v.st.spec?.shape === 'string' || v.spec === undefined) continue;
      const st = v.st;
      const limit = v.args.length > 0 ? v.args[v.args.length - 1]!.end : v.name.end;
      const text = st.text.slice(v.name.start - st.offset, limit - st.offset);
      const at = text.indexOf('=');
      if (at === -1) continue;
      const start = ctx.offset(st.line);
      const fixed = [v.name, ...v.args].map((t) => t.text).join(' ');
      ctx.report({
        line: st.line,
        start: v.name.start + at,
        end: v.name.start + at + 1,
        message: `"=" in ${v.name.text}; DB_CONFIG lines are written "name value" with a space, as in "${fixed}".`,
        ...(st.part === 0 ? { fix: { range: [start + v.name.start, start + limit] as const, text: fixed } } : {}),
      });
    }
  },
};
