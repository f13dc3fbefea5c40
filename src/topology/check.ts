import { pathKey } from '../layout/paths.js';
import { checkHost } from '../site/address.js';
import { buildSite } from '../site/site.js';
import { topologySiteAnswers } from './answers.js';
import { parseTopology } from './parse.js';
import { TOPOLOGY_RULES } from './rules.js';
import { placeSites, type PlaceOptions, type PlacedSite, type ResolvedTopology } from './sites.js';
import type { Located, Topology, TopologyProblem, TopologySite } from './types.js';

/** Per-rule severity overrides ('off' silences a rule). */
export type TopologyRuleSettings = Readonly<Record<string, 'error' | 'warning' | 'off'>>;

/** A host as the machine it names: case and a trailing dot do not matter, and every loopback name is this machine. */
export function machineOf(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) ? 'loopback' : h;
}


/** The election priority a site's DB_CONFIG gets: its own, else the role's default (master 1, replicant 0); NaN when not a number. */
function electionPriority(site: TopologySite): number {
  if (site.priority) return /^\d+$/.test(site.priority.value) ? Number(site.priority.value) : NaN;
  return site.role?.value === 'master' ? 1 : 0;
}

/**
 * Check a placed topology against the group rules (TOPOLOGY_RULES). Pure.
 * `settings` may change a rule's severity or turn it off.
 */
export function checkTopology(resolved: ResolvedTopology, settings: TopologyRuleSettings = {}): TopologyProblem[] {
  const { topology, sites } = resolved;
  const out: TopologyProblem[] = [];
  const report = (ruleId: string, where: Located<unknown> | TopologySite | { line: number; column: number }, message: string) => {
    const rule = TOPOLOGY_RULES.find((r) => r.id === ruleId)!;
    const setting = settings[ruleId] ?? rule.severity;
    if (setting === 'off') return;
    out.push({ ruleId, severity: setting, line: where.line || 1, column: where.column || 1, message });
  };
  const all = topology.sites;

  // topology-one-master
  const masters = all.filter((s) => s.role?.value === 'master');
  if (masters.length === 0 && all.length > 0 && all.every((s) => s.role !== undefined)) {
    report('topology-one-master', topology.group.line > 0 ? { line: topology.group.line, column: 1 } : all[0]!, `no site has role = master; give exactly one site role = master (the sites are ${all.map((s) => s.name).join(', ')})`);
  }
  for (const m of masters.slice(1)) {
    report('topology-one-master', m.role!, `site "${m.name}" is a master too (site "${masters[0]!.name}", line ${masters[0]!.role!.line}); a group has exactly one master: make the others role = replicant`);
  }

  // topology-duplicate-address, topology-host-spelling, topology-prefer-ipv4
  const byAddress = new Map<string, PlacedSite>();
  const spelling = new Map<string, PlacedSite>();
  for (const s of sites) {
    const host = s.site.host!;
    const key = `${machineOf(s.host)} ${s.port}`;
    const other = byAddress.get(key);
    if (other) {
      const same = other.host === s.host ? `${s.host}:${s.port}` : `${s.host}:${s.port}, the same machine and port as ${other.host}:${other.port}`;
      report('topology-duplicate-address', s.site.port ?? host, `site "${s.name}" has the address of site "${other.name}" (line ${other.site.line}): ${same}; give each site its own replication port`);
    } else byAddress.set(key, s);
    const written = s.host.toLowerCase().replace(/\.$/, '');
    const first = spelling.get(written);
    if (first && first.host !== s.host) {
      report('topology-host-spelling', host, `host "${s.host}" of site "${s.name}" is written "${first.host}" for site "${first.name}" (line ${first.site.host!.line}); Berkeley DB compares host strings exactly, so write it the same way everywhere`);
    } else if (!first) spelling.set(written, s);
    const kind = checkHost(s.host);
    if (kind.ok && kind.kind === 'name') {
      report('topology-prefer-ipv4', host, `host "${s.host}" of site "${s.name}" is a DNS name; an IPv4 address is recommended, so replication does not depend on name resolution`);
    }
  }

  // topology-backup-id
  const ids = new Map<number, TopologySite>();
  for (const s of all) {
    const id = s.backupId;
    if (!id) continue;
    const n = /^\d{1,3}$/.test(id.value) ? Number(id.value) : NaN;
    if (!(n >= 1 && n <= 31)) {
      report('topology-backup-id', id, `backup_id "${id.value}" of site "${s.name}" is not an emergency-backup ID; use a whole number from 1 to 31`);
      continue;
    }
    const other = ids.get(n);
    if (other) report('topology-backup-id', id, `backup_id ${n} of site "${s.name}" is also the ID of site "${other.name}" (line ${other.backupId!.line}); each emergency backup needs its own ID`);
    else ids.set(n, s);
  }

  // topology-failover-order, topology-failover-priority
  const names = new Map(all.map((s) => [s.name, s]));
  const listed = new Map<string, Located<string>>();
  for (const item of topology.group.failoverOrder ?? []) {
    if (!names.has(item.value)) {
      report('topology-failover-order', item, `failover_order names "${item.value}", which is not a site of this file; the sites are ${[...names.keys()].join(', ')}`);
      continue;
    }
    if (listed.has(item.value)) {
      report('topology-failover-order', item, `failover_order names "${item.value}" twice; list each site once`);
      continue;
    }
    listed.set(item.value, item);
    const site = names.get(item.value)!;
    if (site.role?.value === 'replicant' && electionPriority(site) === 0) {
      const why = site.priority ? `priority = ${site.priority.value}` : 'no priority, and a replicant\'s default is 0';
      report('topology-failover-priority', item, `failover_order names "${item.value}", which has ${why}: Berkeley DB never elects it master; give it priority = 1 or more, or leave it out of failover_order`);
    }
  }

  // topology-single-copy
  for (const s of sites) {
    if (s.backupRoot !== undefined) continue;
    const replicated = pathKey(s.dataRoot, s.target) === pathKey(s.env, s.target);
    const elsewhere = sites.some((o) => machineOf(o.host) !== machineOf(s.host));
    if (replicated && elsewhere) continue;
    report('topology-single-copy', s.site, replicated
      ? `the data of site "${s.name}" (${s.dataRoot}) exists only once: no other machine in the group holds a replica and the site has no backup root; add a backup root (backup = DIR, or a layout) or a site on another machine`
      : `the data root of site "${s.name}" (${s.dataRoot}) holds more than the environment ${s.env}, which is all replication copies, and the site has no backup root; add backup = DIR`);
  }

  // topology-shared-folder
  const folders = new Map<string, { site: PlacedSite; what: string; path: string }>();
  for (const s of sites) {
    const own = new Map<string, { what: string; path: string }>();
    for (const [what, p] of [['environment', s.env], ['data root', s.dataRoot], ['backup root', s.backupRoot]] as const) {
      if (p !== undefined && !own.has(pathKey(p, s.target))) own.set(pathKey(p, s.target), { what, path: p });
    }
    for (const [key, f] of own) {
      const k = `${machineOf(s.host)}\u0000${key}`;
      const other = folders.get(k);
      if (other && other.site !== s) {
        report('topology-shared-folder', s.site.paths.env ?? s.site.paths.root ?? s.site.paths.data ?? s.site, `the ${f.what} of site "${s.name}", ${f.path}, is also the ${other.what} of site "${other.site.name}" on the same machine; give each site its own folders`);
        break;
      }
      folders.set(k, { site: s, ...f });
    }
  }

  // topology-site-answers: what buildSite refuses beyond the values the parser checked.
  if (masters.length === 1) {
    for (const s of sites) {
      const { role, answers } = topologySiteAnswers(resolved, s.name);
      for (const p of buildSite(role, answers).problems) {
        if (p.question === 'priority') report('topology-site-answers', s.site.priority ?? s.site, `site "${s.name}": ${p.message}`);
        else if (p.question === 'clientPort') report('topology-site-answers', s.site.clientPort ?? topology.group.answers.clientPort ?? s.site.port ?? topology.group.port ?? s.site, `site "${s.name}": ${p.message}`);
      }
    }
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

export interface LintTopologyResult {
  readonly topology: Topology;
  /** Present when every site could be placed (no parse error). */
  readonly resolved?: ResolvedTopology;
  readonly problems: readonly TopologyProblem[];
}

/**
 * Parse, place and check a topology file (pure): every problem, parse errors
 * first; the group rules run only on a file that parses without errors.
 */
export function lintTopology(text: string, options: PlaceOptions & { readonly rules?: TopologyRuleSettings }): LintTopologyResult {
  const parsed = parseTopology(text);
  if (parsed.problems.some((p) => p.severity === 'error')) return { topology: parsed.topology, problems: parsed.problems };
  const placed = placeSites(parsed.topology, options);
  if (placed.problems.length > 0) return { topology: parsed.topology, problems: [...parsed.problems, ...placed.problems] };
  return { topology: parsed.topology, resolved: placed.resolved, problems: [...parsed.problems, ...checkTopology(placed.resolved, options.rules)] };
}
