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
export function siteFlag(token: string): SiteFlag | undefined {
  const t = asciiLower(token);
  for (let i = 0; i < SITE_FLAGS.length; i++) if (SITE_FLAGS[i] === t) return SITE_FLAGS[i];
  return undefined;
}

/** Past this many sites in a file, describeSite finds them by a map. */
const MANY_SITES = 16;

type MutableSite = { -readonly [K in keyof SiteEntry]: SiteEntry[K] } & { flags: Partial<Record<SiteFlag, boolean>> };

/** Describe the replication site a file configures. Lines that do not parse are skipped. */
export function describeSite(statements: readonly Statement[]): SiteDescription {
  let priority: SiteDescription['priority'];
  let ackPolicy: SiteDescription['ackPolicy'];
  let nsitesLine: number | undefined;
  // NOTE: indexed loops, no destructuring or spreads: lint runs this cold, once a file, where each
  // iterator, object and key string costs. A file names a few sites: a search finds one faster than a
  // map, which only a file naming many needs (or its lines would cost a quadratic time).
  const all: MutableSite[] = [];
  let byKey: Map<string, MutableSite> | undefined;
  const repmgrLines: number[] = [];
  for (let s = 0; s < statements.length; s++) {
    const st = statements[s]!;
    const spec = st.spec;
    if (st.kind !== 'directive' || spec === undefined) continue;
    const tokens = st.tokens;
    const a = tokens[1];
    const b = tokens[2];
    if (spec.repmgr !== undefined && isRepmgrDirective(spec, a?.text)) repmgrLines.push(st.line);
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
      const converted = convertNumber(b.text, 'uint');
      if (!converted.ok) continue;
      const port = Number(converted.value);
      let entry: MutableSite | undefined;
      if (byKey !== undefined) entry = byKey.get(`${a.text}\0${port}`);
      else {
        for (let i = 0; i < all.length; i++) {
          if (all[i]!.port === port && all[i]!.host === a.text) {
            entry = all[i];
            break;
          }
        }
      }
      if (entry === undefined) {
        entry = { host: a.text, port, line: st.line, column: a.start, lines: [], flags: {} };
        all.push(entry);
        if (byKey !== undefined) byKey.set(`${a.text}\0${port}`, entry);
        else if (all.length === MANY_SITES) byKey = new Map(all.map((e) => [`${e.host}\0${e.port}`, e]));
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
  const description: { -readonly [K in keyof SiteDescription]: SiteDescription[K] } = { sites: all, remotes, repmgrLines };
  if (priority) description.priority = priority;
  if (ackPolicy) description.ackPolicy = ackPolicy;
  if (nsitesLine !== undefined) description.nsitesLine = nsitesLine;
  if (local) description.local = local;
  return description;
}
