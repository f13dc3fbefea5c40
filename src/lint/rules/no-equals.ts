import type { Rule } from '../types.js';
import { inlineCommentAt } from '../views.js';

export const noEquals: Rule = {
  id: 'no-equals',
  severity: 'error',
  description: 'A `=` in a directive line (before, after or between values); DB_CONFIG is `name value`, separated by spaces.',
  perLine: true,
  check(ctx) {
    for (let i = 0; i < ctx.directives.length; i++) {
      const v = ctx.directives[i]!;
      // A `=` in a rest-of-line value is part of the value; one glued to the name (set_data_dir=x) is not.
      if (v.st.spec?.shape === 'string' || v.spec === undefined) continue;
      const st = v.st;
      // Most lines have no `=` at all.
      if (st.text.indexOf('=') === -1) continue;
      // NOTE: search the raw tokens, not the view's: the view drops every `=`, so a trailing
      // `3=` or a lone `=` after the last value leaves no trace in it.
      const hash = inlineCommentAt(st);
      const raw = st.tokens.filter((t) => hash === undefined || t.start < hash);
      const first = raw[0];
      const last = raw[raw.length - 1];
      if (first === undefined || last === undefined) continue;
      const from = first.start;
      const to = hash === undefined ? last.end : Math.min(last.end, hash);
      const at = st.text.slice(from - st.offset, to - st.offset).indexOf('=');
      if (at === -1) continue;
      const start = ctx.offset(st.line);
      const fixed = [v.name, ...v.args].map((t) => t.text).join(' ');
      ctx.report({
        line: st.line,
        start: from + at,
        end: from + at + 1,
        message: `"=" in ${v.name.text}; Berkeley DB has no "=" and reads it as part of a value. Write "name value" with spaces, as in "${fixed}".`,
        ...(st.part === 0 ? { fix: { range: [start + from, start + to] as const, text: fixed } } : {}),
      });
    }
  },
};
