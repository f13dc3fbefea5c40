import { readIni, type IniEntry } from '../config/ini.js';
import { checkHost, checkPort } from '../site/address.js';
import { QUESTIONS, splitList, type RawAnswers, type Role } from '../site/questions.js';
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
 * A site name: a folder name of `provision plan`'s output on any system, so
 * letters, digits, `-` and `_` (no dots: `runbook.md` is a file there).
 */
export function checkSiteName(name: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(name)) {
    return `site name ${JSON.stringify(name)} must be 1-63 letters, digits, "-" or "_", starting with a letter or digit (it names the site's folder in the plan)`;
  }
  if (/^(?:CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])$/i.test(name)) return `site name "${name}" is a reserved device name on Windows; choose another`;
  return undefined;
}

interface Header {
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

/** Section headers with their lines and columns, read the way readIni reads them. */
function headers(lines: readonly string[]): Header[] {
  const out: Header[] = [];
  lines.forEach((raw, i) => {
    const trimmed = raw.trim();
    if (/^\[(.+)\]$/.test(trimmed)) out.push({ text: trimmed.slice(1, -1).trim(), line: i + 1, column: raw.indexOf('[') + 1 });
  });
  return out;
}

/** 1-based byte column where the value of a `key = value` line starts. */
function valueColumn(raw: string): number {
  const eq = raw.indexOf('=');
  if (eq < 0) return 1;
  let i = eq + 1;
  while (raw[i] === ' ' || raw[i] === '\t') i++;
  return Buffer.byteLength(raw.slice(0, i)) + 1;
}

/**
 * Parse a topology file (INI; docs/topology.md). Pure. Returns the topology
 * (values that fail their check are left out) and every problem with its line
 * and column; the topology is usable only when no problem is an error.
 */
export function parseTopology(text: string): { topology: Topology; problems: TopologyProblem[] } {
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  const problems: TopologyProblem[] = [];
  const report = (ruleId: 'topology-syntax' | 'topology-value' | 'topology-missing', line: number, column: number, message: string) =>
    problems.push({ ruleId, severity: 'error', line, column, message });
  const { entries, problems: iniProblems } = readIni(text);
  for (const p of iniProblems) report('topology-syntax', p.line, 1, p.message);

  // Sections: [group] and [site "NAME"].
  let groupLine = 0;
  const siteHeaders = new Map<string, Header & { name: string }>();
  const sectionKind = new Map<string, 'group' | 'site' | 'bad'>();
  const seenNames = new Map<string, Header & { name: string }>();
  const all = headers(lines);
  // Headers whose keys are read; the keys below a refused header (a second [group], a site twice) are not.
  const accepted = new Set<number>();
  for (const h of all) {
    if (h.text === 'group') {
      if (groupLine !== 0) report('topology-syntax', h.line, h.column, `[group] is also on line ${groupLine}; a topology file has one [group] section`);
      else {
        groupLine = h.line;
        accepted.add(h.line);
      }
      sectionKind.set(h.text, 'group');
      continue;
    }
    const site = /^site\s+"([^"]*)"$/.exec(h.text);
    if (!site) {
      sectionKind.set(h.text, 'bad');
      const bare = /^site\s+(\S.*)$/.exec(h.text);
      report('topology-syntax', h.line, h.column, bare
        ? `write the site's name in double quotes: [site "${bare[1]!.replace(/^['"]|['"]$/g, '')}"]`
        : `unknown section [${h.text}]; a topology file has a [group] section and one [site "NAME"] section per site`);
      continue;
    }
    const name = site[1]!;
    sectionKind.set(h.text, 'site');
    const bad = checkSiteName(name);
    if (bad) {
      report('topology-value', h.line, h.column, bad);
      continue;
    }
    const earlier = seenNames.get(name.toLowerCase());
    if (earlier) {
      report('topology-syntax', h.line, h.column, earlier.name === name
        ? `site "${name}" is also on line ${earlier.line}; each site has one section`
        : `site "${name}" and site "${earlier.name}" (line ${earlier.line}) differ only in case, and their folders in the plan would be one on Windows; rename one`);
      continue;
    }
    const header = { ...h, name };
    seenNames.set(name.toLowerCase(), header);
    siteHeaders.set(h.text, header);
    accepted.add(h.line);
  }
  const headerOf = (line: number) => all.filter((h) => h.line < line).pop();

  // Keys, each section's own; a key twice is an error.
  const values = new Map<string, Map<string, IniEntry & { column: number }>>();
  for (const e of entries) {
    const kind = sectionKind.get(e.section);
    const column = valueColumn(lines[e.line - 1] ?? '');
    if (e.section === '') {
      report('topology-syntax', e.line, 1, `"${e.key}" is outside a section; put it under [group] or a [site "NAME"] section`);
      continue;
    }
    if (kind === 'bad' || !accepted.has(headerOf(e.line)?.line ?? -1)) continue; // its header is already reported
    const allowed = kind === 'group' ? GROUP_KEYS : SITE_KEYS;
    if (!allowed.includes(e.key)) {
      const elsewhere = kind === 'group' ? SITE_KEYS.includes(e.key) : GROUP_KEYS.includes(e.key);
      report('topology-syntax', e.line, 1, `unknown key "${e.key}" in [${e.section}]${elsewhere ? ` (it belongs in ${kind === 'group' ? 'a [site "NAME"] section' : '[group]'})` : ''}; the keys there are ${allowed.join(', ')}`);
      continue;
    }
    const keys = values.get(e.section) ?? new Map<string, IniEntry & { column: number }>();
    values.set(e.section, keys);
    const earlier = keys.get(e.key);
    if (earlier) {
      report('topology-syntax', e.line, 1, `"${e.key}" is also set on line ${earlier.line} of [${e.section}]; keep one`);
      continue;
    }
    keys.set(e.key, { ...e, column });
  }

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
  if (siteHeaders.size === 0 && seenNames.size === 0) report('topology-missing', 1, 1, 'the file names no site; add a [site "NAME"] section (host, port, role, env) for each site of the group');
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return { topology: { group, sites }, problems };
}

/** The replication port of a site: its own, else the group's default. */
export function sitePort(topology: Topology, site: TopologySite): Located<number> | undefined {
  return site.port ?? topology.group.port;
}
