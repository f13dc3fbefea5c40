import type { Rule } from '../types.js';

/** The finding's message. */
export const NO_LOCAL_SITE_MESSAGE =
  'No local site: no repmgr_site line has "db_local_site on", so the server cannot start replication (BDB3637). Add "repmgr_site THIS_HOST PORT db_local_site on".';

export const noLocalSite: Rule = {
  id: 'no-local-site',
  severity: 'error',
  description: 'Replication Manager is configured but no site is marked db_local_site on (repmgr_start fails).',
  check(ctx) {
    const first = ctx.site.repmgrLines[0];
    // Any db_local_site flag names a local site: Berkeley DB makes even a site marked "off" local (see local-site).
    if (first === undefined || ctx.site.local) return;
    const sites = ctx.site.sites;
    for (let i = 0; i < sites.length; i++) if (sites[i]!.flags.db_local_site !== undefined) return;
    ctx.report({
      line: first,
      start: 0,
      message: NO_LOCAL_SITE_MESSAGE,
    });
  },
};
