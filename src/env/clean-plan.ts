import type { EntryClass } from './classify.js';
import type { EnvironmentLayout } from './layout.js';
import type { Entry } from './scan.js';

/** How much clean removes, from least to most. */
export type CleanMode = 'state' | 'replication-state' | 'all-but-config';

const REMOVED: Readonly<Record<CleanMode, ReadonlySet<EntryClass>>> = {
  state: new Set(['region', 'transient']),
  'replication-state': new Set(['region', 'transient', 'replication', 'identity']),
  'all-but-config': new Set(['region', 'transient', 'replication', 'identity', 'log', 'data', 'unknown']),
};

const NEEDS: Readonly<Partial<Record<EntryClass, string>>> = {
  replication: '--replication-state',
  identity: '--replication-state',
  log: '--all-but-config',
  data: '--all-but-config',
  unknown: '--all-but-config',
};

export interface CleanPlan {
  readonly mode: CleanMode;
  readonly remove: readonly Entry[];
  readonly keep: readonly (Entry & { readonly why: string })[];
  readonly warnings: readonly string[];
  /** Set when clean must not go ahead without being told more. */
  readonly refusal?: string;
}

/** What a clean in `mode` removes and keeps, and why. Pure. */
export function planClean(entries: readonly Entry[], layout: EnvironmentLayout, mode: CleanMode, options: { discardPartialInit?: boolean } = {}): CleanPlan {
  const removed = REMOVED[mode];
  const remove = entries.filter((e) => removed.has(e.class));
  const keep = entries
    .filter((e) => !removed.has(e.class))
    .map((e) => ({ ...e, why: e.class === 'config' ? 'DB_CONFIG is never removed' : `kept; ${NEEDS[e.class] ?? '--all-but-config'} removes it` }));
  const warnings: string[] = [];
  let refusal: string | undefined;
  if (mode !== 'state' && remove.some((e) => e.class === 'identity')) {
    if (layout.master) {
      warnings.push('This environment is configured as a master: once its replication identity is gone, every replicant must be reset too (provision clean --all-but-config on each, then let it join again).');
    }
    const init = remove.find((e) => e.name === '__db.rep.init');
    if (init && mode === 'replication-state' && !options.discardPartialInit) {
      refusal = `${init.name} shows a replicant whose internal initialisation did not finish; removing it hides that. To start the replicant over, run again with --discard-partial-init (or use --all-but-config).`;
    }
  }
  if (mode === 'all-but-config' && remove.some((e) => e.class === 'data' || e.class === 'log')) {
    warnings.push('Databases and logs are removed too: only DB_CONFIG stays (the vendor step for a brand-new replicant).');
  }
  return { mode, remove, keep, warnings, ...(refusal ? { refusal } : {}) };
}
