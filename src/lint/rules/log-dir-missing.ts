import { display, toText } from '../../dbconfig/text.js';
import type { Rule } from '../types.js';
import { flagSetting } from '../valid.js';

/** Directories Berkeley DB must find at open (it panics otherwise). */
export const MUST_EXIST: readonly string[] = ['set_lg_dir', 'set_metadata_dir'];

// NOTE: the ID says "log" for history (IDs are API); the rule covers the metadata directory too.
export const logDirMissing: Rule = {
  id: 'log-dir-missing',
  severity: 'error',
  description:
    'A log or metadata directory (set_lg_dir, set_metadata_dir) that does not exist: Berkeley DB panics at open. ' +
    'A missing log directory is fine while the logs are kept in memory (log_set_config DB_LOG_IN_MEMORY on).',
  check(ctx) {
    const env = ctx.environment;
    if (!env) return;
    for (let i = 0; i < MUST_EXIST.length; i++) {
      const directive = MUST_EXIST[i]!;
      const lines = ctx.named(directive).filter((v) => v.st.value);
      const last = lines[lines.length - 1];
      if (!last || !last.st.value || last.st.value.text.length === 0) continue;
      if (env.directoryExists(toText(last.st.value.text))) continue;
      // In-memory logs never touch the log directory: Berkeley DB opens without it (not without the metadata one).
      // The last line that sets the flag wins, either spelling (both set it); a bare flag turns it on.
      if (directive === 'set_lg_dir' && flagSetting(ctx, 'log_set_config', 'DB_LOG_IN_MEMORY', ['set_flags', 'DB_LOG_INMEMORY']) === true) continue;
      ctx.report({
        line: last.st.line,
        start: last.st.value.start,
        end: last.st.value.start + last.st.value.text.length,
        message: `The log or metadata directory "${display(last.st.value.text)}" (${last.name.text}) does not exist; Berkeley DB panics at open (run recovery). Create it before starting the server.`,
      });
    }
  },
};
