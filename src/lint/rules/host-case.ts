import { display } from '../../dbconfig/text.js';
import type { Rule } from '../types.js';

export const hostCase: Rule = {
  id: 'host-case',
  severity: 'warning',
  description: 'Host strings that differ only in case: Berkeley DB compares them exactly, so they are two different sites.',
  check(ctx) {
    const sites = ctx.site.sites;
    // Hosts already in lower case cannot differ in case only (most files): nothing to compare.
    let mixed = false;
    for (let i = 0; i < sites.length && !mixed; i++) mixed = sites[i]!.host.toLowerCase() !== sites[i]!.host;
    if (!mixed) return;
    const seen = new Map<string, { host: string; line: number }>();
    for (let i = 0; i < sites.length; i++) {
      const s = sites[i]!;
      const key = s.host.toLowerCase();
      const other = seen.get(key);
      if (other && other.host !== s.host) {
        ctx.report({
          line: s.line,
          start: s.column,
          end: s.column + s.host.length,
          message: `Host "${display(s.host)}" differs only in case from "${display(other.host)}" on line ${other.line}; Berkeley DB treats them as two sites. Spell it the same everywhere.`,
        });
      } else if (!other) {
        seen.set(key, { host: s.host, line: s.line });
      }
    }
  },
};
