import { display } from '../../dbconfig/text.js';
import type { Rule } from '../types.js';

export const createDir: Rule = {
  id: 'create-dir',
  severity: 'error',
  description: 'set_create_dir naming a directory that is not (yet) one of the data directories.',
  check(ctx) {
    // NOTE: Berkeley DB checks set_create_dir when it reads the line, so only data directories above it count.
    const creates = ctx.named('set_create_dir');
    if (creates.length === 0) return;
    const dataDirs = new Set<string>();
    const later = new Set<string>();
    for (const v of [...ctx.named('set_data_dir'), ...ctx.named('add_data_dir')]) if (v.st.value) later.add(v.st.value.text);
    for (const v of ctx.directives) {
      const canonical = v.spec?.aliasOf ?? v.spec?.name;
      if ((canonical === 'set_data_dir' || canonical === 'add_data_dir') && v.st.value) dataDirs.add(v.st.value.text);
      if (v.spec?.name !== 'set_create_dir' || !v.st.value || dataDirs.has(v.st.value.text)) continue;
      const dir = display(v.st.value.text);
      ctx.report({
        line: v.st.line,
        start: v.st.value.start,
        end: v.st.value.start + v.st.value.text.length,
        message: later.has(v.st.value.text)
          ? `set_create_dir "${dir}" comes before the set_data_dir line that adds it; Berkeley DB checks it on this line and refuses to open. Move set_create_dir below the data directories.`
          : `set_create_dir "${dir}" is not one of the data directories (set_data_dir/add_data_dir); Berkeley DB refuses to open. Add it with set_data_dir, spelled exactly the same.`,
      });
    }
  },
};
