import { display } from '../../dbconfig/text.js';
import type { Rule } from '../types.js';

export const hostCase: Rule = {
  id: 'host-case',
  severity: 'warning',
  description: 'Host strings that differ only in case: Berkeley DB compares them exactly, so they are two different sites.',
  check(ctx) {
    const seen = new Map<string, { host: string; line: number }>();
    for (const s of ctx.site.sites) {
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
