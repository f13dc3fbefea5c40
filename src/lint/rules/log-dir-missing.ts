import { display } from '../../dbconfig/text.js';
import type { Rule } from '../types.js';

export const logDirMissing: Rule = {
  id: 'log-dir-missing',
  severity: 'error',
  description: 'set_lg_dir names a directory that does not exist (Berkeley DB panics at open).',
  check(ctx) {
    const env = ctx.environment;
    if (!env) return;
    const lines = ctx.directives.filter((v) => (v.spec?.aliasOf ?? v.spec?.name) === 'set_lg_dir' && v.st.value);
    const last = lines[lines.length - 1];
    if (!last || !last.st.value || last.st.value.text.length === 0) return;
    if (env.directoryExists(Buffer.from(last.st.value.text, 'latin1').toString('utf8'))) return;
    ctx.report({
      line: last.st.line,
      start: last.st.value.start,
      end: last.st.value.start + last.st.value.text.length,
      message: `Log directory "${display(last.st.value.text)}" does not exist; Berkeley DB panics at open (run recovery). Create it before starting the server.`,
    });
  },
};
