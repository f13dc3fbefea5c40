import type { Rule } from '../types.js';

export const noBootstrapHelper: Rule = {
  id: 'no-bootstrap-helper',
  severity: 'error',
  description: 'A priority-0 replicant with no db_bootstrap_helper site: a new replicant never joins the group (a db_group_creator site is exempt).',
  check(ctx) {
    const { priority, local, remotes } = ctx.site;
    if (!local || priority?.value !== 0n) return;
    // A group creator starts the group as master at its first start, priority 0 or not: it joins nobody.
    if (local.flags.db_group_creator === true) return;
    for (let i = 0; i < remotes.length; i++) if (remotes[i]!.flags.db_bootstrap_helper === true) return;
    const target = remotes[0];
    ctx.report({
      line: target?.line ?? local.line,
      start: target?.column ?? local.column,
      message: target
        ? `This replicant (priority 0) has no remote site marked db_bootstrap_helper, so a new replicant never joins the group (DB_REP_UNAVAIL). Add "db_bootstrap_helper on" to the master's repmgr_site line.`
        : 'This replicant (priority 0) names no other site to join. Add the master: "repmgr_site MASTER PORT db_bootstrap_helper on".',
    });
  },
};
