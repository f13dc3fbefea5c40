import { renderDbConfig, type DbConfigDocument } from '../dbconfig/document.js';
import { lintGroup } from '../lint/group.js';
import { lintDbConfig } from '../lint/lint.js';
import { MigrationError } from './role.js';
import { configuredRole, describeDocument } from './site-edit.js';
import type { GroupSite } from './types.js';

/** One site's file before and after a change, for the group checks. */
export interface SiteChange {
  readonly name: string;
  readonly path: string;
  readonly before: DbConfigDocument;
  readonly after: DbConfigDocument;
}

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
  checkGroupSafety(sites.map((s) => ({ name: s.name, path: s.path, before: s.doc, after: after.get(s.name) ?? s.doc })), 'Use provision migrate failover --to SITE');
}

/** At most one site of the result configured as master; `fix` ends the refusal. */
export function checkOneMaster(sites: readonly SiteChange[], fix: string): void {
  const masters = sites.filter((s) => configuredRole(describeDocument(s.after)) === 'master');
  if (masters.length > 1) {
    throw new MigrationError(`the result would configure ${masters.length} masters (${masters.map((s) => s.name).join(', ')}); a group has exactly one. ${fix}`);
  }
}

/**
 * The group half of the checks: at most one site configured as master, and
 * no group-rule error that the files before the change did not have.
 */
export function checkGroupSafety(sites: readonly SiteChange[], fix: string): void {
  checkOneMaster(sites, fix);
  if (sites.length < 2) return;
  const seen = (doc: (s: SiteChange) => DbConfigDocument) => {
    const found = lintGroup(sites.map((s) => ({ filePath: s.path, doc: doc(s) })));
    return [...found].flatMap(([file, messages]) => messages.filter((m) => m.severity === 2).map((m) => ({ file, m, key: `${file}\0${m.ruleId}\0${m.message}` })));
  };
  const before = new Set(seen((s) => s.before).map((f) => f.key));
  const added = seen((s) => s.after).find((f) => !before.has(f.key));
  if (added) throw new MigrationError(`${added.file}:${added.m.line}:${added.m.column}: the migrated group would break a group rule (${added.m.ruleId}: ${added.m.message})`, added.file);
}
