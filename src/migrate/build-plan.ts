import { renderDbConfig, type DbConfigDocument } from '../dbconfig/document.js';
import type { Change } from '../plan/types.js';
import { checkResult } from './check.js';
import { priorityKey } from './priorities.js';
import { configuredRole, describeDocument } from './site-edit.js';
import type { GroupSite, MigrationName, MigrationPlan, RoleMove } from './types.js';

export interface PlannedWrite {
  readonly site: GroupSite;
  readonly doc: DbConfigDocument;
  readonly reason: string;
}

/**
 * Put a migration's writes together as a plan, in the order given (the
 * caller orders them: a demoted master before a promoted one). Files whose
 * bytes would not change are left out; the result is checked first. The
 * details record the priority each site whose role changes had before
 * (Berkeley DB's default 100 when its file sets none).
 */
export function buildMigrationPlan(
  migration: MigrationName,
  sites: readonly GroupSite[],
  writes: readonly PlannedWrite[],
  extra: { warnings?: readonly string[]; steps?: readonly string[]; details?: Readonly<Record<string, string>> } = {},
): MigrationPlan {
  const after = new Map(writes.map((w) => [w.site.name, w.doc]));
  checkResult(sites, after);
  const changes: Change[] = [];
  const siteOf: string[] = [];
  const roles: RoleMove[] = [];
  // The priority each role change replaces, for the journal: the change back gives it back.
  const replaced: Record<string, string> = {};
  for (const w of writes) {
    const bytes = renderDbConfig(w.doc);
    if (bytes.equals(w.site.bytes)) continue;
    changes.push({ kind: 'write', path: w.site.path, before: w.site.bytes, after: bytes, reason: `${w.site.name}: ${w.reason}` });
    siteOf.push(w.site.name);
    const a = describeDocument(w.site.doc);
    const b = describeDocument(w.doc);
    if (configuredRole(a) !== configuredRole(b)) replaced[priorityKey(w.site.name)] = (a.priority?.value ?? 100n).toString();
    roles.push({
      site: w.site.name,
      before: configuredRole(a),
      after: configuredRole(b),
      ...(a.priority ? { priorityBefore: a.priority.value.toString() } : {}),
      ...(b.priority ? { priorityAfter: b.priority.value.toString() } : {}),
    });
  }
  const cleanEnvs = [...new Set(siteOf.map((name) => sites.find((s) => s.name === name)!.env))];
  return {
    migration,
    plan: { changes },
    siteOf,
    cleanEnvs,
    roles,
    warnings: changes.length === 0 ? [] : [...(extra.warnings ?? [])],
    steps: changes.length === 0 ? [] : [...(extra.steps ?? [])],
    details: { ...(extra.details ?? {}), ...replaced },
  };
}
