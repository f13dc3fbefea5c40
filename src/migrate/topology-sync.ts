import type { DbConfigDocument } from '../dbconfig/document.js';
import type { Topology } from '../topology/types.js';
import { MigrationError } from './role.js';
import { configuredRole, describeDocument } from './site-edit.js';
import { editTopologyValues, TopologyEditError, type ValueEdit } from './topology-edit.js';

/** A group site as a migration leaves it: its name and its DB_CONFIG after the plan. */
export interface SiteAfter {
  readonly name: string;
  readonly doc: DbConfigDocument;
}

/**
 * Keep a topology file in step with a migration: each site's `role` becomes
 * the role its DB_CONFIG now configures (and its `priority`, when the file
 * writes one, follows a role change: the migrations use the topology's
 * priority, so it changes only when that could not be used), and with `rename` every `host` written
 * exactly as the old name gets the new one. Values are replaced where they
 * are written; nothing is added, nothing else moves. Pure.
 */
export function syncTopology(bytes: Buffer, topology: Topology, sites: readonly SiteAfter[], rename?: { readonly from: string; readonly to: string }): { after: Buffer; edits: ValueEdit[] } {
  const edits: ValueEdit[] = [];
  for (const s of sites) {
    if (!topology.sites.some((t) => t.name === s.name)) {
      throw new MigrationError(`site ${s.name} of the group is not in the topology file (its sites: ${topology.sites.map((t) => t.name).join(', ')}); name the group's folders as the topology names its sites`);
    }
  }
  for (const t of topology.sites) {
    const s = sites.find((x) => x.name === t.name);
    if (s) {
      const described = describeDocument(s.doc);
      const role = configuredRole(described);
      if (role !== 'unknown' && t.role && t.role.value !== role) {
        edits.push({ line: t.role.line, column: t.role.column, old: t.role.value, value: role });
        const priority = described.priority?.value.toString();
        if (t.priority && priority !== undefined && t.priority.value !== priority) edits.push({ line: t.priority.line, column: t.priority.column, old: t.priority.value, value: priority });
      }
    }
    if (rename && t.host && t.host.value === rename.from) edits.push({ line: t.host.line, column: t.host.column, old: t.host.value, value: rename.to });
  }
  try {
    return { after: edits.length === 0 ? bytes : editTopologyValues(bytes, edits), edits };
  } catch (error) {
    if (error instanceof TopologyEditError) throw new MigrationError(`the topology file: ${error.message}`);
    throw error;
  }
}
