import type { Rule } from '../types.js';
import { validLines } from '../valid.js';

export const nsitesWithRepmgr: Rule = {
  id: 'nsites-with-repmgr',
  severity: 'error',
  description: 'rep_set_nsites together with Replication Manager directives, which Berkeley DB refuses.',
  check(ctx) {
    if (ctx.site.repmgrLines.length === 0) return;
    const lines = validLines(ctx, 'rep_set_nsites');
    for (let i = 0; i < lines.length; i++) {
      const v = lines[i]!;
      ctx.report({
        line: v.st.line,
        start: v.name.start,
        end: v.name.end,
        message: `rep_set_nsites cannot be used with Replication Manager (repmgr_site, ack policy, repmgr timeouts on line ${ctx.site.repmgrLines[0]}); Berkeley DB refuses to open. Delete this line: Replication Manager counts the sites itself.`,
      });
    }
  },
};
