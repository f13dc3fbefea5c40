import { display } from '../../dbconfig/text.js';
import type { Rule } from '../types.js';

const MODE = /^[r-][w-][x-][r-][w-][x-][r-][w-][x-]$/;

export const intermediateDirMode: Rule = {
  id: 'intermediate-dir-mode',
  severity: 'error',
  description: 'set_intermediate_dir_mode must be nine characters in rwxr-x--- style, not all dashes.',
  perLine: true,
  check(ctx) {
    const lines = ctx.named('set_intermediate_dir_mode');
    for (let i = 0; i < lines.length; i++) {
      const v = lines[i]!;
      if (!v.st.value) continue;
      // Berkeley DB also refuses a mode that grants nothing (---------).
      if (MODE.test(v.st.value.text) && /[rwx]/.test(v.st.value.text)) continue;
      ctx.report({
        line: v.st.line,
        start: v.st.value.start,
        end: v.st.value.start + v.st.value.text.length,
        message: `Illegal mode "${display(v.st.value.text)}"; write it as nine characters like rwxr-x--- granting at least one permission (octal such as 0755 is rejected, and so are trailing spaces).`,
      });
    }
  },
};
