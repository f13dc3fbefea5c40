import type { Severity } from './types.js';

/** Rules that judge several DB_CONFIGs as one replication group (checked in group.ts). */
export const GROUP_RULES: readonly { readonly id: string; readonly severity: Severity; readonly description: string }[] = [
  { id: 'group-local-site', severity: 'error', description: 'Every site of a group names exactly one local site.' },
  { id: 'group-unknown-remote', severity: 'error', description: "A remote site that is not another file's local site (same host string and port)." },
  { id: 'group-duplicate-address', severity: 'error', description: 'Two sites of a group with the same host and port.' },
  { id: 'group-no-master', severity: 'error', description: 'No site of the group can become master (every priority is 0).' },
  { id: 'group-creator', severity: 'error', description: 'More than one site marked db_group_creator (a warning when none is).' },
];
