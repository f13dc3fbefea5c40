import { asciiLower } from '../../dbconfig/catalogue.js';
import { convertNumber } from '../../dbconfig/numbers.js';
import { display } from '../../dbconfig/text.js';
import type { Rule } from '../types.js';
import { validLines } from '../valid.js';

function isOn(value: string): boolean {
  const t = asciiLower(value);
  if (t === 'on') return true;
  if (t === 'off') return false;
  const n = convertNumber(value, 'uint32');
  return n.ok && n.value !== 0n;
}

/**
 * Replays the repmgr_site flags in file order, as Berkeley DB applies them
 * (repmgr_method.c set_local_site and __repmgr_site_config), to find
 * local-site conflicts.
 */
export const localSite: Rule = {
  id: 'local-site',
  severity: 'error',
  description: 'Two different local sites, a local site unset again, or a local site given helper or peer flags.',
  check(ctx) {
    let local: { key: string; line: number } | undefined;
    /** Helper/peer flags currently on, per site. */
    const attributes = new Map<string, Set<string>>();
    const lines = validLines(ctx, 'repmgr_site');
    for (let l = 0; l < lines.length; l++) {
      const v = lines[l]!;
      // HOST PORT [FLAG VALUE]...
      const args = v.args;
      const key = `${args[0]!.text} ${Number(args[1]!.text)}`;
      let on = attributes.get(key);
      if (on === undefined) {
        on = new Set<string>();
        attributes.set(key, on);
      }
      for (let i = 2; i + 1 < args.length; i += 2) {
        const flag = asciiLower(args[i]!.text);
        const value = isOn(args[i + 1]!.text);
        const at = { line: v.st.line, start: args[i]!.start, end: args[i + 1]!.end };
        if (flag === 'db_bootstrap_helper' || flag === 'db_repmgr_peer') {
          // NOTE: once a site is local, Berkeley DB refuses these flags even with "off".
          if (local?.key === key) {
            ctx.report({ ...at, message: `${flag} on the local site ${display(key)} (made local on line ${local.line}); Berkeley DB refuses it, even with off (site config value not applicable to local site). Put ${flag} on the remote site's line instead.` });
          } else if (value) on.add(flag);
          else on.delete(flag);
          continue;
        }
        if (flag !== 'db_local_site') continue;
        // NOTE: Berkeley DB ignores the value except to refuse unsetting the local site: "off" on another site makes it local.
        if (!value && local?.key === key) {
          ctx.report({ ...at, message: `db_local_site off for ${display(key)}, which line ${local.line} made the local site; Berkeley DB refuses to unset it. Delete one of the two.` });
        } else if (local && local.key !== key) {
          ctx.report({ ...at, message: `db_local_site ${value ? 'on' : 'off'} for a second site ${display(key)}; line ${local.line} already made ${display(local.key)} the local site, and Berkeley DB refuses any db_local_site on a different site, even off. Keep db_local_site on one site only.` });
        } else if (on.size > 0) {
          ctx.report({ ...at, message: `${display(key)} is made the local site but already has ${[...on].join(' and ')} on; Berkeley DB refuses it (local site cannot have HELPER or PEER attributes). Remove ${[...on].join(' and ')} from this site.` });
        } else {
          if (!value && !local) {
            ctx.report({ ...at, severity: 'warning', message: `db_local_site off makes ${display(key)} the local site anyway: Berkeley DB ignores the value here. Write "db_local_site on" on the site that is this server, and no db_local_site on the others.` });
          }
          local ??= { key, line: v.st.line };
        }
      }
    }
  },
};
