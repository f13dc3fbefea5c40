import { count } from '../count.js';
import { findDirective, rewriteDirective } from '../dbconfig/edit.js';
import { fromText } from '../dbconfig/text.js';
import type { DbConfigDocument } from '../dbconfig/document.js';
import { checkHost } from '../site/address.js';
import { buildMigrationPlan } from './build-plan.js';
import { MigrationError } from './role.js';
import type { GroupSite, MigrationPlan } from './types.js';

const text = (binary: string) => Buffer.from(binary, 'latin1').toString('utf8');

/** Every repmgr_site line whose host is exactly `from` gets `to` (ports and flags untouched). */
export function renameHostInDocument(doc: DbConfigDocument, from: string, to: string): { doc: DbConfigDocument; count: number } {
  let out = doc;
  let count = 0;
  const binaryFrom = fromText(from);
  for (const index of findDirective(doc, { name: 'repmgr_site' })) {
    const tokens = out.lines[index]!.tokens.map((t) => text(t.text));
    if (out.lines[index]!.tokens[1]?.text !== binaryFrom) continue;
    tokens[1] = to;
    out = rewriteDirective(out, index, tokens[0]!, tokens.slice(1));
    count++;
  }
  return { doc: out, count };
}

/**
 * Rename a host across every DB_CONFIG of a group, so the host string stays
 * identical everywhere (Berkeley DB compares host strings exactly). NEW is
 * validated as a host (no space, control character or newline can reach the
 * file). Comments that mention the old name are left as they are. Pure.
 */
export function planRenameHost(sites: readonly GroupSite[], from: string, to: string): MigrationPlan {
  const check = checkHost(to);
  if (!check.ok) throw new MigrationError(`new host ${JSON.stringify(to)}: ${check.reason}`);
  if (from === '') throw new MigrationError('the old host is empty');
  if (from === to) throw new MigrationError(`the old and new host are the same (${to})`);
  const renamed = sites.map((site) => ({ site, ...renameHostInDocument(site.doc, from, to) }));
  const total = renamed.reduce((n, r) => n + r.count, 0);
  if (total === 0) {
    const named = sites.some((s) => renameHostInDocument(s.doc, to, `${to}x`).count > 0);
    if (!named) throw new MigrationError(`no repmgr_site line in ${sites.map((s) => s.path).join(', ')} names host ${JSON.stringify(from)} (hosts are compared exactly, case included)`);
  }
  return buildMigrationPlan(
    'rename-host',
    sites,
    renamed.map((r) => ({ site: r.site, doc: r.doc, reason: `host ${from} -> ${to} on ${count(r.count, 'repmgr_site line')}` })),
    {
      warnings: checkHost(to).ok && check.kind === 'name' ? ['Berkeley DB resolves host names when it starts; the vendor advises IPv4 addresses.'] : [],
      steps: ['Stop every site before applying; start the master first, then the replicants.'],
      details: { from, to },
    },
  );
}
