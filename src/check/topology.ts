/** The sites of a topology file as check inputs: one SiteInput per site, the core's list. Pure. */
import type { PlacedSite, ResolvedTopology } from '../topology/sites.js';
import type { Target } from '../layout/types.js';
import type { SiteAddress, SiteInput } from './types.js';

export interface TopologySelection {
  /** Check only this site (by its section name). */
  readonly site?: string;
  /** Whether a host names this machine: without `site`, the sites that live here are checked. */
  readonly isLocal: (host: string) => boolean;
  /** This machine's path rules: a site of another kind cannot be checked here. */
  readonly target: Target;
}

/** A site's inputs: its environment and roots, its address and every other site's (the master is a replicant's helper). */
export function siteInputFromTopology(resolved: ResolvedTopology, me: PlacedSite): SiteInput {
  const remotes: SiteAddress[] = resolved.sites
    .filter((s) => s !== me)
    .map((s) => ({ host: s.host, port: s.port, ...(me.role === 'replicant' && s.role === 'master' ? { helper: true } : {}) }));
  const clientPort = me.site.clientPort?.value ?? resolved.topology.group.answers.clientPort?.value;
  return {
    name: me.name,
    env: me.env,
    planned: { local: { host: me.host, port: me.port }, remotes, from: 'topology' },
    ...(clientPort !== undefined && /^\d+$/.test(clientPort) ? { clientPort: Number(clientPort) } : {}),
    ...(me.backupRoot !== undefined ? { backupRoot: me.backupRoot, backupFrom: 'topology' as const, dataRoot: me.dataRoot } : {}),
  };
}

/**
 * The sites to check: the one named, or every site whose host is this
 * machine's. An error message (what was found, how to fix it) when there is none.
 */
export function selectTopologySites(resolved: ResolvedTopology, selection: TopologySelection): { inputs: SiteInput[] } | { error: string } {
  const names = resolved.sites.map((s) => s.name).join(', ');
  let chosen: PlacedSite[];
  if (selection.site !== undefined) {
    const one = resolved.sites.find((s) => s.name === selection.site);
    if (!one) return { error: `the topology has no site "${selection.site}"; its sites are ${names}` };
    chosen = [one];
  } else {
    chosen = resolved.sites.filter((s) => selection.isLocal(s.host));
    if (chosen.length === 0) return { error: `no site of the topology has an address of this machine (the sites are ${names}); give --site NAME` };
  }
  const foreign = chosen.find((s) => s.target !== selection.target);
  if (foreign) return { error: `site "${foreign.name}" is on a ${foreign.target} machine and this one is ${selection.target}; run provision check there` };
  return { inputs: chosen.map((s) => siteInputFromTopology(resolved, s)) };
}
