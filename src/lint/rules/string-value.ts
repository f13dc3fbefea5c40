import type { Rule } from '../types.js';

export const stringValue: Rule = {
  id: 'string-value',
  severity: 'warning',
  description: 'A directory value that is empty, ends in spaces or holds a `#`: Berkeley DB keeps it verbatim.',
  perLine: true,
  check(ctx) {
    for (let i = 0; i < ctx.directives.length; i++) {
      const v = ctx.directives[i]!;
      const value = v.st.value;
      if (!value) continue;
      const start = ctx.offset(v.st.line);
      if (value.text.length === 0) {
        ctx.report({ line: v.st.line, start: v.name.start, end: v.name.end, message: `${v.name.text} has an empty value. Give it a directory, or delete the line.` });
        continue;
      }
      const trimmed = value.text.replace(/[ \t]+$/, '');
      if (trimmed.length < value.text.length && trimmed.length > 0) {
        ctx.report({
          line: v.st.line,
          start: value.start + trimmed.length,
          end: value.start + value.text.length,
          message: `${v.name.text} value ends with spaces or tabs, which Berkeley DB keeps as part of the directory name. Remove them.`,
          ...(v.st.part === 0 ? { fix: { range: [start + value.start + trimmed.length, start + value.start + value.text.length] as const, text: '' } } : {}),
        });
      }
      const hash = value.text.indexOf('#');
      if (hash !== -1) {
        ctx.report({
          line: v.st.line,
          start: value.start + hash,
          message: `${v.name.text} value contains "#", which Berkeley DB keeps as part of the directory name (there are no inline comments). Move the comment to its own line.`,
        });
      }
    }
  },
};
