import { display } from '../../dbconfig/text.js';
import type { Rule } from '../types.js';

/** Directories Berkeley DB must find at open (it panics otherwise), with how a message names them. */
const MUST_EXIST = [
  { directive: 'set_lg_dir', what: 'Log directory' },
  { directive: 'set_metadata_dir', what: 'Metadata directory' },
];

export const logDirMissing: Rule = {
  id: 'log-dir-missing',
  severity: 'error',
  description: 'set_lg_dir or set_metadata_dir names a directory that does not exist (Berkeley DB panics at open).',
  check(ctx) {
    const env = ctx.environment;
    if (!env) return;
    for (const { directive, what } of MUST_EXIST) {
      const lines = ctx.directives.filter((v) => (v.spec?.aliasOf ?? v.spec?.name) === directive && v.st.value);
      const last = lines[lines.length - 1];
      if (!last || !last.st.value || last.st.value.text.length === 0) continue;
      if (env.directoryExists(Buffer.from(last.st.value.text, 'latin1').toString('utf8'))) continue;
      ctx.report({
        line: last.st.line,
        start: last.st.value.start,
        end: last.st.value.start + last.st.value.text.length,
        message: `${what} "${display(last.st.value.text)}" does not exist; Berkeley DB panics at open (run recovery). Create it before starting the server.`,
      });
    }
  },
};
