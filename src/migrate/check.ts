import { renderDbConfig, type DbConfigDocument } from '../dbconfig/document.js';
import { lintGroup } from '../lint/group.js';
import { lintDbConfig } from '../lint/lint.js';
import { MigrationError } from './role.js';
import { configuredRole, describeDocument } from './site-edit.js';
import type { GroupSite } from './types.js';

/**
 * The checks every migration's result passes before it is offered: each
 * changed file is lint-clean (no errors), the group gains no group-rule
 * error, and at most one site is configured as master.
 */
export function checkResult(sites: readonly GroupSite[], after: ReadonlyMap<string, DbConfigDocument>): void {
  for (const site of sites) {
    const doc = after.get(site.name);
    if (!doc || renderDbConfig(doc).equals(site.bytes)) continue;
    const errors = lintDbConfig(doc, { filePath: site.path }).messages.filter((m) => m.severity === 2);
    const first = errors[0];
    if (first) throw new MigrationError(`${site.path}:${first.line}:${first.column}: the migrated file would not pass lint (${first.ruleId}: ${first.message}); fix the file first (provision lint --fix)`, site.path);
  }
  const masters = sites.filter((s) => configuredRole(describeDocument(after.get(s.name) ?? s.doc)) === 'master');
  if (masters.length > 1) {
    throw new MigrationError(`the result would configure ${masters.length} masters (${masters.map((s) => s.name).join(', ')}); a group has exactly one. Use provision migrate failover --to SITE`);
  }
  if (sites.length < 2) return;
  const seen = (docs: (s: GroupSite) => DbConfigDocument) => {
    const found = lintGroup(sites.map((s) => ({ filePath: s.path, doc: docs(s) })));
    return [...found].flatMap(([file, messages]) => messages.filter((m) => m.severity === 2).map((m) => ({ file, m, key: `${file}\0${m.ruleId}\0${m.message}` })));
  };
  const before = new Set(seen((s) => s.doc).map((f) => f.key));
  const added = seen((s) => after.get(s.name) ?? s.doc).find((f) => !before.has(f.key));
  if (added) throw new MigrationError(`${added.file}:${added.m.line}:${added.m.column}: the migrated group would break a group rule (${added.m.ruleId}: ${added.m.message})`, added.file);
}
