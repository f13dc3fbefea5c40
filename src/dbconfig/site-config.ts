import { asciiLower, matchKeyword, SITE_FLAGS, type DirectiveSpec, type SiteFlag } from './catalogue.js';
import { convertNumber } from './numbers.js';
import type { Statement } from './statements.js';

/** One `repmgr_site` address, with its flags merged over every line that names it. */
export interface SiteEntry {
  readonly host: string;
  readonly port: number;
  /** Line and 0-based column of the host on the first line that names this site. */
  readonly line: number;
  readonly column: number;
  readonly lines: number[];
  readonly flags: Partial<Record<SiteFlag, boolean>>;
}

/** What a DB_CONFIG configures for replication, read from its well-formed lines. */
export interface SiteDescription {
  readonly priority?: { readonly value: bigint; readonly line: number };
  readonly ackPolicy?: { readonly value: string; readonly line: number };
  readonly sites: readonly SiteEntry[];
  /** The site marked db_local_site on (the first, when several are). */
  readonly local?: SiteEntry;
  /** The remote sites: every site that is not the local one. */
  readonly remotes: readonly SiteEntry[];
  /** Lines of Replication Manager directives. */
  readonly repmgrLines: readonly number[];
  readonly nsitesLine?: number;
}

/** A repmgr_site flag's value: on/off in any case, or a number (non-zero is on); undefined when neither. */
export function siteFlagValue(token: string): boolean | undefined {
  const t = asciiLower(token);
  if (t === 'on') return true;
  if (t === 'off') return false;
  const n = convertNumber(token, 'uint32');
  return n.ok ? n.value !== 0n : undefined;
}

/** Whether a directive line belongs to Replication Manager (cannot be mixed with rep_set_nsites). */
export function isRepmgrStatement(st: Statement): boolean {
  return isRepmgrDirective(st.spec, st.tokens[1]?.text);
}

/** Whether a directive with this first value belongs to Replication Manager. */
export function isRepmgrDirective(spec: DirectiveSpec | undefined, key: string | undefined): boolean {
  if (spec === undefined || spec.repmgr === undefined || spec.repmgr === false) return false;
  if (spec.repmgr === true) return true;
  return key !== undefined && matchKeyword(spec.repmgr, key) !== undefined;
}

/** A repmgr_site flag's name in any case, as the catalogue spells it; undefined for another word. */
function siteFlag(token: string): SiteFlag | undefined {
  const t = asciiLower(token);
  for (let i = 0; i < SITE_FLAGS.length; i++) if (SITE_FLAGS[i] === t) return SITE_FLAGS[i];
  return undefined;
}

type MutableSite = { -readonly [K in keyof SiteEntry]: SiteEntry[K] } & { flags: Partial<Record<SiteFlag, boolean>> };

/** Describe the replication site a file configures. Lines that do not parse are skipped. */
export function describeSite(statements: readonly Statement[]): SiteDescription {
  let priority: SiteDescription['priority'];
  let ackPolicy: SiteDescription['ackPolicy'];
  let nsitesLine: number | undefined;
  // NOTE: indexed loops and no destructuring: lint runs this cold, once a file, where each iterator costs.
  const sites = new Map<string, MutableSite>();
  const all: MutableSite[] = [];
  const repmgrLines: number[] = [];
  for (let s = 0; s < statements.length; s++) {
    const st = statements[s]!;
    const spec = st.spec;
    if (st.kind !== 'directive' || spec === undefined) continue;
    const tokens = st.tokens;
    const a = tokens[1];
    const b = tokens[2];
    if (isRepmgrDirective(spec, a?.text)) repmgrLines.push(st.line);
    if (spec.name === 'rep_set_priority' && a && tokens.length === 2) {
      const n = convertNumber(a.text, 'uint');
      if (n.ok) priority = { value: n.value, line: st.line };
    } else if (spec.name === 'repmgr_set_ack_policy' && a && tokens.length === 2) {
      const arg = spec.args[0]!;
      const v = arg.kind === 'keyword' ? matchKeyword(arg.values, a.text) : undefined;
      if (v) ackPolicy = { value: v, line: st.line };
    } else if (spec.name === 'rep_set_nsites') {
      nsitesLine = st.line;
    } else if (spec.shape === 'site' && a && b) {
      const port = convertNumber(b.text, 'uint');
      if (!port.ok) continue;
      const key = `${a.text}\0${port.value}`;
      let entry = sites.get(key);
      if (!entry) {
        entry = { host: a.text, port: Number(port.value), line: st.line, column: a.start, lines: [], flags: {} };
        sites.set(key, entry);
        all.push(entry);
      }
      entry.lines.push(st.line);
      for (let i = 3; i + 1 < tokens.length; i += 2) {
        const flag = siteFlag(tokens[i]!.text);
        const value = siteFlagValue(tokens[i + 1]!.text);
        if (flag && value !== undefined) entry.flags[flag] = value;
      }
    }
  }
  let local: SiteEntry | undefined;
  const remotes: SiteEntry[] = [];
  for (let i = 0; i < all.length; i++) {
    const site = all[i]!;
    if (local === undefined && site.flags.db_local_site === true) local = site;
    else remotes.push(site);
  }
  return {
    ...(priority ? { priority } : {}),
    ...(ackPolicy ? { ackPolicy } : {}),
    ...(nsitesLine !== undefined ? { nsitesLine } : {}),
    sites: all,
    ...(local ? { local } : {}),
    remotes,
    repmgrLines,
  };
}
