import * as fs from 'node:fs';
import { parseDbConfig } from '../../dbconfig/document.js';
import { MigrationError } from '../../migrate/role.js';
import { configuredRole, describeDocument } from '../../migrate/site-edit.js';
import { syncTopology } from '../../migrate/topology-sync.js';
import type { GroupSite, MigrationPlan } from '../../migrate/types.js';
import { lintTopology } from '../../topology/check.js';
import { CliError, EXIT } from '../errors.js';
import type { Io } from '../io.js';
import { presetLoader, problemLine, readTopology } from '../topology-input.js';
import { ioReason } from '../../io-reason.js';

/** A topology file read for a migration: parsed, free of errors, and its bytes. */
export interface MigrationTopology {
  readonly read: ReturnType<typeof readTopology>;
  readonly bytes: Buffer;
}

/** Read the topology file of `--topology FILE`; refused when it has errors. */
export function loadTopology(file: string, io: Io): MigrationTopology {
  const read = readTopology(file, io);
  const error = read.problems.find((p) => p.severity === 'error');
  if (error) throw new MigrationError(`${problemLine(read.shown, error)}; fix the topology file first (provision lint --topology ${read.shown})`, read.file);
  try {
    return { read, bytes: fs.readFileSync(read.file) };
  } catch (cause) {
    throw new CliError(`cannot read the topology file ${read.shown}: ${ioReason(cause)}`, EXIT.usage, { cause });
  }
}

/** The priority the topology writes for each site (the site's own, whichever role it has), by name. */
export function topologyPriorities(topology: MigrationTopology): Record<string, bigint> {
  return Object.fromEntries(topology.read.topology.sites.flatMap((t) => (t.priority && /^\d+$/.test(t.priority.value) ? [[t.name, BigInt(t.priority.value)]] : [])));
}

/**
 * The site failover and takeover hand the master role to when `--to` is not
 * given: the first site of the topology's `failover_order` that is in the group
 * and that its DB_CONFIG does not configure as master.
 */
export function nextInFailoverOrder(topology: MigrationTopology, sites: readonly GroupSite[]): string | undefined {
  for (const item of topology.read.topology.group.failoverOrder ?? []) {
    const site = sites.find((s) => s.name === item.value);
    if (site && configuredRole(describeDocument(site.doc)) !== 'master') return site.name;
  }
  return undefined;
}

/**
 * Add the topology file to a migration's plan: its `role` (and, on a role
 * change, `priority`, when the DB_CONFIG's is not the one it writes) and
 * `host` values rewritten where they are written, so the file keeps
 * describing the group the DB_CONFIGs configure. Written last, journalled
 * with the rest. Refused when the edit would give the file an error.
 */
export function withTopology(topology: MigrationTopology, sites: readonly GroupSite[], planned: MigrationPlan, siteName: string): MigrationPlan {
  const { read, bytes } = topology;
  const afterOf = (s: GroupSite) => {
    const c = planned.plan.changes.find((ch) => ch.kind === 'write' && ch.path === s.path);
    return c && c.kind === 'write' ? parseDbConfig(c.after) : s.doc;
  };
  const rename = planned.migration === 'rename-host' && planned.details.from !== undefined && planned.details.to !== undefined ? { from: planned.details.from, to: planned.details.to } : undefined;
  const { after } = syncTopology(bytes, read.topology, sites.map((s) => ({ name: s.name, doc: afterOf(s) })), rename);
  if (after.equals(bytes)) return planned;
  const relinted = lintTopology(after.toString('utf8'), presetLoader());
  const added = relinted.problems.find((p) => p.severity === 'error');
  if (added) throw new MigrationError(`${problemLine(read.shown, added)}: the topology file would break this rule after the migration`, read.file);
  return {
    ...planned,
    plan: { changes: [...planned.plan.changes, { kind: 'write', path: read.file, before: bytes, after, reason: `${siteName}: role, priority and host keys in step with the DB_CONFIGs` }] },
    siteOf: [...planned.siteOf, siteName],
  };
}
