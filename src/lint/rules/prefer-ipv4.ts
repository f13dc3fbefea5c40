import { display } from '../../dbconfig/text.js';
import { checkHost } from '../../site/address.js';
import type { Rule } from '../types.js';

/** The finding for a site written as a host name. */
export function preferIpv4Message(host: string): string {
  return `Site "${display(host)}" is a host name; an IPv4 address is recommended, so replication does not depend on DNS. Write the same address on every site.`;
}

export const preferIpv4: Rule = {
  id: 'prefer-ipv4',
  severity: 'warning',
  description: 'A site written as a DNS name; the vendors recommend IPv4 addresses, which do not depend on name resolution.',
  check(ctx) {
    const sites = ctx.site.sites;
    for (let i = 0; i < sites.length; i++) {
      const s = sites[i]!;
      const h = checkHost(s.host);
      if (!h.ok || h.kind !== 'name') continue;
      ctx.report({
        line: s.line,
        start: s.column,
        end: s.column + s.host.length,
        message: preferIpv4Message(s.host),
      });
    }
  },
};
