import type { TopologySeverity } from './types.js';

/** A group rule of topology files: stable ID, default severity, what it finds (docs/rules.md is generated from these). */
export interface TopologyRule {
  readonly id: string;
  readonly severity: TopologySeverity;
  readonly description: string;
}

/** Problems the parser reports; always errors, not configurable. */
export const TOPOLOGY_PARSE_CODES: readonly TopologyRule[] = [
  { id: 'topology-syntax', severity: 'error', description: 'A line that is not `key = value` or a section header, an unknown section or key, a `__proto__`-style key, a key or site given twice.' },
  { id: 'topology-value', severity: 'error', description: 'A value that fails its check: host, port, role, priority, ack policy, timeout, path, layout preset.' },
  { id: 'topology-missing', severity: 'error', description: 'A site without a host, role, replication port or environment, a layout without its roots, or a file without sites.' },
];

/** The rules a topology file's group must follow (checked by `provision lint --topology` and before `provision plan`). */
export const TOPOLOGY_RULES: readonly TopologyRule[] = [
  { id: 'topology-one-master', severity: 'error', description: 'A group has exactly one site with role = master.' },
  { id: 'topology-duplicate-address', severity: 'error', description: 'Two sites with the same host and replication port (loopback names count as one machine).' },
  { id: 'topology-host-spelling', severity: 'error', description: 'One host written two ways (case, a trailing dot): Berkeley DB compares host strings exactly.' },
  { id: 'topology-backup-id', severity: 'error', description: "An emergency-backup ID (backup_id) that is not a whole number 1-31, or that two sites share (Maitre'D's rule)." },
  { id: 'topology-failover-order', severity: 'error', description: 'failover_order naming a site the file does not have, or a site twice.' },
  { id: 'topology-failover-priority', severity: 'warning', description: 'failover_order naming a replicant of priority 0, which Berkeley DB never elects master.' },
  { id: 'topology-single-copy', severity: 'error', description: "A data root that exists only once: no backup root, and no other machine holds a replica of it (PowerShare's rule)." },
  { id: 'topology-shared-folder', severity: 'error', description: 'Two sites on one machine sharing an environment, data or backup root.' },
  { id: 'topology-site-answers', severity: 'error', description: 'A site the generator refuses: a master with priority 0, a client port equal to the replication port.' },
  { id: 'topology-prefer-ipv4', severity: 'warning', description: 'A site whose host is a DNS name; the vendors recommend IPv4 addresses, which do not depend on name resolution.' },
];
