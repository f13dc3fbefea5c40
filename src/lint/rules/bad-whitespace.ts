import { display } from '../../dbconfig/text.js';
import { isSkippedSpace } from '../skipped-space.js';
import type { Rule } from '../types.js';

/** Bytes that look like a separator but are not one: VT, FF, and UTF-8 no-break and ideographic spaces. */
const LOOKALIKE = /[\v\f]|\xc2\xa0|\xe2\x80[\x80-\x8b\xaf]|\xe3\x80\x80/g;
/** The bytes a lookalike starts with: most lines have none, and need no search. */
const FIRST_BYTE = /[\v\f\xc2\xe2\xe3]/;

export const badWhitespace: Rule = {
  id: 'bad-whitespace',
  severity: 'error',
  description: 'White space other than space or tab between tokens; Berkeley DB separates tokens only by space and tab.',
  perLine: true,
  check(ctx) {
    for (let i = 0; i < ctx.directives.length; i++) {
      const v = ctx.directives[i]!;
      const st = v.st;
      if (!FIRST_BYTE.test(st.text)) continue;
      const from = v.name.start - st.offset;
      for (const m of st.text.slice(from).matchAll(LOOKALIKE)) {
        const at = from + m.index + st.offset;
        if (m[0].length === 1 && isSkippedSpace(v, at)) continue;
        const inValue = st.value != null && at >= st.value.start;
        ctx.report({
          line: st.line,
          start: at,
          end: at + m[0].length,
          message: inValue
            ? `The value contains ${display(m[0])}, which Berkeley DB keeps as part of it. Use a plain space, or remove it.`
            : `${display(m[0])} is not a separator for Berkeley DB, so the tokens around it run together. Use a space or a tab.`,
          severity: inValue ? 'warning' : 'error',
        });
        break;
      }
    }
  },
};
