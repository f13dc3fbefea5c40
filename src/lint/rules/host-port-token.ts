import type { Token } from '../../dbconfig/line.js';
import { display } from '../../dbconfig/text.js';
import type { Report, Rule } from '../types.js';
import { splitHostPort } from '../views.js';

/**
 * The finding for a site address `raw` (a token of line `line`, whose first
 * byte is at `lineStart` of the file) written host:port; undefined when it is
 * not written so.
 */
export function joinedAddressReport(raw: Token, line: number, lineStart: number): Report | undefined {
  const split = splitHostPort(raw.text);
  if (!split) return undefined;
  const host = raw.text.slice(...split.host);
  const port = raw.text.slice(...split.port);
  return {
    line,
    start: raw.start,
    end: raw.end,
    message: `"${display(raw.text)}" is host and port in one value; write them separated by a space: ${display(host)} ${display(port)}.`,
    fix: { range: [lineStart + raw.start, lineStart + raw.end], text: `${host} ${port}` },
  };
}

export const hostPortToken: Rule = {
  id: 'host-port-token',
  severity: 'error',
  description: 'A repmgr_site address written host:port; Berkeley DB wants host and port as two values.',
  perLine: true,
  check(ctx) {
    const sites = ctx.named('repmgr_site');
    for (let i = 0; i < sites.length; i++) {
      const v = sites[i]!;
      const raw = v.st.tokens[1];
      if (raw === undefined) continue;
      // Most addresses have no colon: no line offset to find for them.
      if (raw.text.indexOf(':') === -1) continue;
      const report = joinedAddressReport(raw, v.st.line, ctx.offset(v.st.line));
      if (report !== undefined) ctx.report(report);
    }
  },
};
