import { checkHost, checkPort } from '../site/address.js';
import { QUESTIONS, splitList, type RawAnswers, type Role } from '../site/questions.js';
import { checkSiteName, readSections } from './sections.js';
import type { GroupAnswerName, Located, SitePathKey, Topology, TopologyGroup, TopologyProblem, TopologySite } from './types.js';

/** The group's answers, by their answers-file key (docs/answers.md): one table with the generator's questions. */
const GROUP_ANSWERS: readonly GroupAnswerName[] = ['ackPolicy', 'clientPort', 'connectionRetry', 'ackTimeout', 'heartbeatSend', 'heartbeatMonitor', 'electionTimeout', 'electionRetry'];
const question = (name: keyof RawAnswers) => QUESTIONS.find((q) => q.name === name)!;

/** Every key of `[group]`, in the order docs/topology.md lists them. */
export const GROUP_KEYS: readonly string[] = ['name', 'port', ...GROUP_ANSWERS.map((n) => question(n).key), 'failover_order'];
const PATH_KEYS: readonly SitePathKey[] = ['env', 'root', 'program', 'data', 'backup'];
/** Every key of `[site "NAME"]`. */
export const SITE_KEYS: readonly string[] = ['host', 'port', 'role', 'priority', 'client_port', 'env', 'layout', 'target', 'root', 'program', 'data', 'backup', 'backup_id'];

/**
 * Parse a topology file (INI; docs/topology.md). Pure. Returns the topology
 * (values that fail their check are left out) and every problem with its line
 * and column; the topology is usable only when no problem is an error.
 */
export function parseTopology(text: string): { topology: Topology; problems: TopologyProblem[] } {
  const problems: TopologyProblem[] = [];
  const report = (ruleId: 'topology-syntax' | 'topology-value' | 'topology-missing', line: number, column: number, message: string) =>
    problems.push({ ruleId, severity: 'error', line, column, message });
  const { lines, groupLine, siteHeaders, anySite, values } = readSections(text, { group: GROUP_KEYS, site: SITE_KEYS }, problems);

  /** A value passed through a check (undefined: fine); a bad one is reported and left out. */
  const take = <T>(section: string, key: string, convert: (v: string) => { ok: true; value: T } | { ok: false; reason: string }): Located<T> | undefined => {
    const e = values.get(section)?.get(key);
    if (!e) return undefined;
    if (e.value.trim() === '') {
      report('topology-value', e.line, e.column, `"${key}" is empty; give a value or remove the line`);
      return undefined;
    }
    const r = convert(e.value);
    if (!r.ok) {
      report('topology-value', e.line, e.column, `${key}: ${r.reason}`);
      return undefined;
    }
    return { value: r.value, line: e.line, column: e.column };
  };
  const text_ = (v: string) => (/[\u0000-\u001f\u007f]/.test(v) ? { ok: false as const, reason: 'it contains a control character' } : { ok: true as const, value: v });
  const port = (v: string) => {
    const r = checkPort(v);
    return r.ok ? { ok: true as const, value: r.port } : { ok: false as const, reason: r.reason };
  };
  const answer = (name: keyof RawAnswers) => (v: string) => {
    const bad = question(name).validate(v);
    return bad ? { ok: false as const, reason: bad } : { ok: true as const, value: v };
  };

  // [group]
  const answers: Partial<Record<GroupAnswerName, Located<string>>> = {};
  for (const n of GROUP_ANSWERS) {
    const v = take('group', question(n).key, answer(n));
    if (v) answers[n] = v;
  }
  const name = take('group', 'name', text_);
  const groupPort = take('group', 'port', port);
  let failoverOrder: Located<string>[] | undefined;
  const order = values.get('group')?.get('failover_order');
  if (order) {
    const raw = lines[order.line - 1] ?? '';
    failoverOrder = [];
    let from = order.column - 1;
    for (const item of splitList(order.value)) {
      const at = raw.indexOf(item, from);
      const column = at < 0 ? order.column : Buffer.byteLength(raw.slice(0, at)) + 1;
      if (at >= 0) from = at + item.length;
      const bad = checkSiteName(item);
      if (bad) report('topology-value', order.line, column, `failover_order: ${bad}`);
      else failoverOrder.push({ value: item, line: order.line, column });
    }
    if (splitList(order.value).length === 0) report('topology-value', order.line, order.column, 'failover_order is empty; list site names separated by commas, or remove the line');
  }
  const group: TopologyGroup = {
    line: groupLine,
    ...(name ? { name } : {}),
    ...(groupPort ? { port: groupPort } : {}),
    answers,
    ...(failoverOrder ? { failoverOrder } : {}),
  };

  // [site "NAME"]
  const sites: TopologySite[] = [];
  for (const [section, h] of siteHeaders) {
    const host = take(section, 'host', (v) => {
      const r = checkHost(v);
      return r.ok ? { ok: true as const, value: v } : { ok: false as const, reason: r.reason };
    });
    const sitePort = take(section, 'port', port);
    const role = take(section, 'role', (v) => (v === 'master' || v === 'replicant' ? { ok: true as const, value: v as Role } : { ok: false as const, reason: `"${v}" is not a role; write master or replicant` }));
    const target = take(section, 'target', (v) => (v === 'posix' || v === 'windows' ? { ok: true as const, value: v as 'posix' | 'windows' } : { ok: false as const, reason: `"${v}" is not a target; write posix or windows (or leave it out: the paths tell)` }));
    const layout = take(section, 'layout', (v) => (/^[a-z0-9][a-z0-9-]*$/.test(v) ? { ok: true as const, value: v } : { ok: false as const, reason: `"${v}" is not a layout preset name (maitred, tapetrack, generic)` }));
    const paths: Partial<Record<SitePathKey, Located<string>>> = {};
    for (const k of PATH_KEYS) {
      const v = take(section, k, text_);
      if (v) paths[k] = v;
    }
    const priority = take(section, 'priority', answer('priority'));
    const clientPort = take(section, 'client_port', answer('clientPort'));
    const backupId = take(section, 'backup_id', (v) => ({ ok: true as const, value: v }));
    const keysOf = values.get(section);
    if (!keysOf?.has('host')) report('topology-missing', h.line, h.column, `site "${h.name}" has no host; add host = ADDRESS (an IPv4 address is best)`);
    if (!keysOf?.has('role')) report('topology-missing', h.line, h.column, `site "${h.name}" has no role; add role = master or role = replicant`);
    if (!keysOf?.has('port') && !values.get('group')?.has('port')) {
      report('topology-missing', h.line, h.column, `site "${h.name}" has no replication port; add port = N here, or a default port = N in [group]`);
    }
    sites.push({
      name: h.name, line: h.line, column: h.column,
      ...(host ? { host } : {}), ...(sitePort ? { port: sitePort } : {}), ...(role ? { role } : {}),
      ...(priority ? { priority } : {}), ...(clientPort ? { clientPort } : {}), ...(layout ? { layout } : {}),
      ...(target ? { target } : {}), paths, ...(backupId ? { backupId } : {}),
    });
  }
  if (!anySite) report('topology-missing', 1, 1, 'the file names no site; add a [site "NAME"] section (host, port, role, env) for each site of the group');
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return { topology: { group, sites }, problems };
}

/** The replication port of a site: its own, else the group's default. */
export function sitePort(topology: Topology, site: TopologySite): Located<number> | undefined {
  return site.port ?? topology.group.port;
}
