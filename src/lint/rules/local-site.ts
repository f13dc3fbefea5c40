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

/** Replays the repmgr_site lines in order, as Berkeley DB applies them, to find local-site conflicts. */
export const localSite: Rule = {
  id: 'local-site',
  severity: 'error',
  description: 'Two different local sites, a local site unset again, or a local site marked helper or peer.',
  check(ctx) {
    let local: { key: string; line: number } | undefined;
    const flagsOf = new Map<string, Map<string, { on: boolean; line: number; start: number; end: number }>>();
    for (const v of validLines(ctx, 'repmgr_site')) {
      const [host, port, ...pairs] = v.args;
      const key = `${host!.text} ${Number(port!.text)}`;
      const flags = flagsOf.get(key) ?? new Map();
      flagsOf.set(key, flags);
      for (let i = 0; i + 1 < pairs.length; i += 2) {
        const flag = asciiLower(pairs[i]!.text);
        const on = isOn(pairs[i + 1]!.text);
        flags.set(flag, { on, line: v.st.line, start: pairs[i]!.start, end: pairs[i + 1]!.end });
        if (flag !== 'db_local_site') continue;
        if (on && local && local.key !== key) {
          ctx.report({
            line: v.st.line,
            start: pairs[i]!.start,
            end: pairs[i + 1]!.end,
            message: `A second local site ${display(key)}; line ${local.line} already made ${display(local.key)} the local site, and Berkeley DB refuses a different one. Keep db_local_site on one site only.`,
          });
        } else if (on) {
          local = { key, line: v.st.line };
        } else if (local?.key === key) {
          ctx.report({
            line: v.st.line,
            start: pairs[i]!.start,
            end: pairs[i + 1]!.end,
            message: `db_local_site off for ${display(key)}, which line ${local.line} made the local site; Berkeley DB refuses to unset it. Delete one of the two.`,
          });
        }
      }
    }
    if (!local) return;
    for (const flag of ['db_bootstrap_helper', 'db_repmgr_peer']) {
      const f = flagsOf.get(local.key)?.get(flag);
      if (!f?.on) continue;
      ctx.report({
        line: f.line,
        start: f.start,
        end: f.end,
        message: `${flag} on the local site ${display(local.key)}; Berkeley DB refuses it (site config value not applicable to local site). Put ${flag} on the remote site's line instead.`,
      });
    }
  },
};
