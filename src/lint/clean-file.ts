import { lookupDirective, MAX_LINE_BYTES, SITE_FLAGS } from '../dbconfig/catalogue.js';
import type { Token } from '../dbconfig/line.js';
import { convertNumber } from '../dbconfig/numbers.js';
import { isRepmgrDirective } from '../dbconfig/site-config.js';
import { fromBytes } from '../dbconfig/text.js';
import { findArgumentProblems } from './arguments.js';
import { settingKey } from './rules/duplicate-setting.js';
import type { EnvironmentFacts } from './types.js';

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const EQUALS = 0x3d;

/** Directives whose rules compare two values or other lines: the full rule engine judges them. */
const JUDGED_IN_FULL = new Set(['rep_set_nsites', 'rep_set_clockskew', 'rep_set_request']);

const SITE_FLAG_NAMES: ReadonlySet<string> = new Set(SITE_FLAGS);

/** What the repmgr_site lines of a file have said so far. */
interface Sites {
  repmgr: boolean;
  local: boolean;
  localCreator: boolean;
  remoteHelper: boolean;
  priorityZero: boolean;
}

/**
 * Whether no rule can report anything on these bytes: the common file (ASCII
 * directives, whole-line comments, LF or CRLF, IPv4 sites, each setting once).
 * One pass over the bytes, a few short strings a directive line. `false` means
 * "not sure", never "broken": the caller then runs every rule. Conservative on
 * purpose (any byte, directive or flag outside the plain subset says not sure),
 * and test/lint/clean-file.test.ts proves it agrees with the rules.
 */
export function isCertainlyClean(bytes: Uint8Array, environment?: EnvironmentFacts): boolean {
  const src = fromBytes(bytes);
  // Region files call for their modification times: stale-region-files judges them.
  if (environment !== undefined && environment.regionFiles.length > 0) return false;
  const n = src.length;
  // A byte order mark: the bom rule.
  if (src.startsWith('\xef\xbb\xbf')) return false;
  // A NUL byte (nul-byte), or a CR anywhere but in a CRLF line end (stray-cr): checked once for the whole file.
  if (src.indexOf('\0') !== -1) return false;
  for (let cr = src.indexOf('\r'); cr !== -1; cr = src.indexOf('\r', cr + 1)) if (src.charCodeAt(cr + 1) !== LF) return false;
  const keys = new Set<string>();
  const sites: Sites = { repmgr: false, local: false, localCreator: false, remoteHelper: false, priorityZero: false };
  let start = 0;
  while (start < n) {
    let lf = src.indexOf('\n', start);
    if (lf === -1) lf = n;
    // Longer lines are read by Berkeley DB in pieces (line-too-long).
    if (lf + 1 - start > MAX_LINE_BYTES) return false;
    const end = lf < n && lf > start && src.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
    if (!isCleanLine(src, start, end, keys, sites)) return false;
    start = lf + 1;
  }
  // no-local-site, then no-bootstrap-helper (a priority-0 replicant needs a helper unless it creates the group).
  if (sites.repmgr && !sites.local) return false;
  return !(sites.local && sites.priorityZero && !sites.localCreator && !sites.remoteHelper);
}

function isCleanLine(src: string, start: number, end: number, keys: Set<string>, sites: Sites): boolean {
  let i = start;
  while (i < end && (src.charCodeAt(i) === SPACE || src.charCodeAt(i) === TAB)) i++;
  if (i === end) return true;
  // A comment: only a NUL or a CR in it would concern a rule, and the file has neither.
  if (src.charCodeAt(i) === HASH) return true;
  const text = src.slice(i, end);
  let verdict = verdicts.get(text);
  if (verdict === undefined) {
    verdict = judgeDirective(text);
    // A fleet repeats its tuning lines from file to file; bounded, so a long run keeps its memory.
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    verdicts.set(text, verdict);
  }
  return verdict !== false && addDirective(verdict, keys, sites);
}

/** What a plain, well-formed directive line contributes to the checks across lines. */
interface Verdict {
  /** What a later line of the same setting would override (duplicate-setting). */
  readonly key: string | undefined;
  readonly repmgr: boolean;
  /** For rep_set_priority: whether it is 0. */
  readonly priorityZero?: boolean;
  /** For repmgr_site: its flags (all written "on"). */
  readonly site?: { readonly local: boolean; readonly helper: boolean; readonly peer: boolean; readonly creator: boolean };
}

const MAX_VERDICTS = 20_000;
const verdicts = new Map<string, Verdict | false>();

function addDirective(verdict: Verdict, keys: Set<string>, sites: Sites): boolean {
  if (verdict.key !== undefined) {
    if (keys.has(verdict.key)) return false;
    keys.add(verdict.key);
  }
  if (verdict.repmgr) sites.repmgr = true;
  if (verdict.priorityZero !== undefined) sites.priorityZero = verdict.priorityZero;
  const site = verdict.site;
  if (site === undefined) return true;
  if (!site.local) {
    sites.remoteHelper ||= site.helper;
    return true;
  }
  // One local site, never a helper or peer (local-site).
  if (sites.local || site.helper || site.peer) return false;
  sites.local = true;
  sites.localCreator = site.creator;
  return true;
}

/** Judge one directive line (its text from the name on) alone; false when a rule may fire or it needs the full engine. */
function judgeDirective(text: string): Verdict | false {
  const tokens: Token[] = [];
  for (let i = 0; i < text.length; ) {
    const from = i;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === SPACE || c === TAB) break;
      // Only printable ASCII, and none of `#` (inline-comment), `=` (no-equals) or `:` (host-port-token).
      if (c < 0x21 || c > 0x7e || c === HASH || c === EQUALS || c === COLON) return false;
    }
    tokens.push({ text: text.slice(from, i), start: from, end: i });
    while (i < text.length && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i++;
  }
  const name = tokens[0]!;
  const args = tokens.slice(1);
  const spec = lookupDirective(name.text);
  // Unknown names, directory values (checked on the disk), old names and cross-value checks: the full engine.
  if (spec === undefined || spec.shape === 'string' || spec.aliasOf !== undefined || JUDGED_IN_FULL.has(spec.name)) return false;
  if (findArgumentProblems({ spec, name, args }).length > 0) return false;
  const verdict = { key: settingKey({ spec, args }), repmgr: isRepmgrDirective(spec, args[0]?.text) };
  if (spec.name === 'rep_set_priority') {
    const n = convertNumber(args[0]!.text, 'uint');
    return { ...verdict, priorityZero: n.ok && n.value === 0n };
  }
  if (spec.shape !== 'site') return verdict;
  const site = judgeSite(args);
  return site === false ? false : { ...verdict, site };
}

/** A repmgr_site line with an IPv4 address and flags spelled `db_... on`, as local-site and prefer-ipv4 see it. */
function judgeSite(args: readonly Token[]): Verdict['site'] | false {
  // Digits and dots that passed the argument checks are an IPv4 address: no prefer-ipv4, no host-case.
  if (!/^[0-9.]+$/.test(args[0]!.text)) return false;
  const on = new Set<string>();
  for (let i = 2; i < args.length; i += 2) {
    const flag = args[i]!.text;
    if (!SITE_FLAG_NAMES.has(flag) || args[i + 1]!.text !== 'on') return false;
    on.add(flag);
  }
  return { local: on.has('db_local_site'), helper: on.has('db_bootstrap_helper'), peer: on.has('db_repmgr_peer'), creator: on.has('db_group_creator') };
}
