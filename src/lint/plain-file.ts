import { lookupDirective, MAX_LINE_BYTES } from '../dbconfig/catalogue.js';
import type { Token } from '../dbconfig/line.js';
import { convertNumber } from '../dbconfig/numbers.js';
import { isRepmgrDirective } from '../dbconfig/site-config.js';
import { fromBytes } from '../dbconfig/text.js';
import { findArgumentProblems } from './arguments.js';
import { settingKey } from './rules/duplicate-setting.js';
import { preferIpv4, preferIpv4Message } from './rules/prefer-ipv4.js';
import type { EnvironmentFacts, Report, Rule } from './types.js';

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const EQUALS = 0x3d;

/** Directives whose rules compare two values or other lines: the full rule engine judges them. */
const JUDGED_IN_FULL = new Set(['rep_set_nsites', 'rep_set_clockskew', 'rep_set_request']);

/** A finding of a plain file: the rule that would report it, and its report. */
export interface PlainFinding {
  readonly rule: Rule;
  readonly report: Report;
}

/** What the lines of a file have said so far, for the checks across lines. */
interface FileState {
  /** Settings seen (duplicate-setting). */
  readonly keys: Set<string>;
  /** Hosts seen, by their lower-case spelling (host-case). */
  readonly hosts: Map<string, string>;
  readonly findings: PlainFinding[];
  repmgr: boolean;
  local: boolean;
  localCreator: boolean;
  remoteHelper: boolean;
  priorityZero: boolean;
}

/**
 * Lint a plain file without the full rule engine: ASCII directives each given
 * once, whole-line comments, LF or CRLF line ends, sites with an IPv4 address
 * or a host name (prefer-ipv4 is the one finding it reports). One pass over
 * the bytes, and a few short strings for a directive line the first time it
 * is seen. Returns undefined when the file is not plain (anything a rule other
 * than prefer-ipv4 might report, a disable comment, region files to judge):
 * the caller then runs every rule. Conservative on purpose;
 * test/lint/plain-file.test.ts proves it agrees with the rules.
 */
export function lintPlainFile(bytes: Uint8Array, environment?: EnvironmentFacts): PlainFinding[] | undefined {
  // Region files call for their modification times: stale-region-files judges them.
  if (environment !== undefined && environment.regionFiles.length > 0) return undefined;
  const src = fromBytes(bytes);
  const n = src.length;
  // A byte order mark (bom); a comment that silences findings is left to the rules.
  if (src.startsWith('\xef\xbb\xbf') || src.includes('provision-disable')) return undefined;
  // A NUL byte (nul-byte), or a CR anywhere but in a CRLF line end (stray-cr): checked once for the whole file.
  if (src.indexOf('\0') !== -1) return undefined;
  for (let cr = src.indexOf('\r'); cr !== -1; cr = src.indexOf('\r', cr + 1)) if (src.charCodeAt(cr + 1) !== LF) return undefined;
  const state: FileState = { keys: new Set(), hosts: new Map(), findings: [], repmgr: false, local: false, localCreator: false, remoteHelper: false, priorityZero: false };
  let start = 0;
  for (let line = 1; start < n; line++) {
    let lf = src.indexOf('\n', start);
    if (lf === -1) lf = n;
    // Longer lines are read by Berkeley DB in pieces (line-too-long).
    if (lf + 1 - start > MAX_LINE_BYTES) return undefined;
    const end = lf < n && lf > start && src.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
    if (!addLine(src, start, end, line, state)) return undefined;
    start = lf + 1;
  }
  // no-local-site, then no-bootstrap-helper (a priority-0 replicant needs a helper unless it creates the group).
  if (state.repmgr && !state.local) return undefined;
  if (state.local && state.priorityZero && !state.localCreator && !state.remoteHelper) return undefined;
  return state.findings;
}

/** Take one line into the file's state; false when the file is not plain. */
function addLine(src: string, start: number, end: number, line: number, state: FileState): boolean {
  let i = start;
  while (i < end && (src.charCodeAt(i) === SPACE || src.charCodeAt(i) === TAB)) i++;
  // A blank line, or a comment: only a NUL or a CR in it would concern a rule, and the file has neither.
  if (i === end || src.charCodeAt(i) === HASH) return true;
  const text = src.slice(i, end);
  let verdict = verdicts.get(text);
  if (verdict === undefined) {
    verdict = judgeDirective(text);
    // A fleet repeats its tuning lines from file to file; bounded, so a long run keeps its memory.
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    verdicts.set(text, verdict);
  }
  return verdict !== false && addDirective(verdict, line, i - start, state);
}

/** What a plain, well-formed directive line says, judged alone (the same in every file it is in). */
interface Verdict {
  /** What a later line of the same setting would override (duplicate-setting). */
  readonly key: string | undefined;
  readonly repmgr: boolean;
  /** For rep_set_priority: whether it is 0. */
  readonly priorityZero?: boolean;
  readonly site?: SiteVerdict;
}

/** A repmgr_site line: its host (and where it starts in the text) and its flags, all written "on". */
interface SiteVerdict {
  readonly host: string;
  readonly hostAt: number;
  readonly isName: boolean;
  readonly local: boolean;
  readonly helper: boolean;
  readonly peer: boolean;
  readonly creator: boolean;
}

const MAX_VERDICTS = 20_000;
const verdicts = new Map<string, Verdict | false>();

/** Add a directive line (its text starting at byte `indent` of line `line`) to the file; false when the file is not plain. */
function addDirective(verdict: Verdict, line: number, indent: number, state: FileState): boolean {
  if (verdict.key !== undefined) {
    if (state.keys.has(verdict.key)) return false;
    state.keys.add(verdict.key);
  }
  if (verdict.repmgr) state.repmgr = true;
  if (verdict.priorityZero !== undefined) state.priorityZero = verdict.priorityZero;
  const site = verdict.site;
  if (site === undefined) return true;
  // Hosts that differ only in case (host-case).
  const lower = site.host.toLowerCase();
  const seen = state.hosts.get(lower);
  if (seen !== undefined && seen !== site.host) return false;
  state.hosts.set(lower, site.host);
  if (site.isName) {
    const start = indent + site.hostAt;
    state.findings.push({ rule: preferIpv4, report: { line, start, end: start + site.host.length, message: preferIpv4Message(site.host) } });
  }
  if (!site.local) {
    state.remoteHelper ||= site.helper;
    return true;
  }
  // One local site, never a helper or peer (local-site).
  if (state.local || site.helper || site.peer) return false;
  state.local = true;
  state.localCreator = site.creator;
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
  const key = settingKey({ spec, args });
  const repmgr = isRepmgrDirective(spec, args[0]?.text);
  if (spec.name === 'rep_set_priority') {
    const n = convertNumber(args[0]!.text, 'uint');
    return { key, repmgr, priorityZero: n.ok && n.value === 0n };
  }
  if (spec.shape !== 'site') return { key, repmgr };
  const site = judgeSite(args);
  return site === false ? false : { key, repmgr, site };
}

/** A repmgr_site line with flags spelled `db_... on`, as local-site, prefer-ipv4 and host-case see it. */
function judgeSite(args: readonly Token[]): SiteVerdict | false {
  const host = args[0]!;
  let local = false;
  let helper = false;
  let peer = false;
  let creator = false;
  for (let i = 2; i < args.length; i += 2) {
    if (args[i + 1]!.text !== 'on') return false;
    const flag = args[i]!.text;
    if (flag === 'db_local_site') local = true;
    else if (flag === 'db_bootstrap_helper') helper = true;
    else if (flag === 'db_repmgr_peer') peer = true;
    else if (flag === 'db_group_creator') creator = true;
    else if (flag !== 'db_legacy') return false;
  }
  // It passed the argument checks and has no `:` (no IPv6): digits and dots are an IPv4 address, anything else a name.
  return { host: host.text, hostAt: host.start, isName: !/^[0-9.]+$/.test(host.text), local, helper, peer, creator };
}
