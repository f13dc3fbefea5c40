import { display } from '../../dbconfig/text.js';
import type { Rule } from '../types.js';
import { splitHostPort } from '../views.js';

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
      const split = splitHostPort(raw.text);
      if (!split) continue;
      const host = raw.text.slice(...split.host);
      const port = raw.text.slice(...split.port);
      const start = ctx.offset(v.st.line);
      ctx.report({
        line: v.st.line,
        start: raw.start,
        end: raw.end,
        message: `"${display(raw.text)}" is host and port in one value; write them separated by a space: ${display(host)} ${display(port)}.`,
        fix: { range: [start + raw.start, start + raw.end], text: `${host} ${port}` },
      });
    }
  },
};
