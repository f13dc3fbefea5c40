import { lookupDirective, MAX_LINE_BYTES, MAX_SITE_PAIRS } from '../dbconfig/catalogue.js';
import type { Token } from '../dbconfig/line.js';
import { convertNumber } from '../dbconfig/numbers.js';
import { isRepmgrDirective } from '../dbconfig/site-config.js';
import { fromBytes } from '../dbconfig/text.js';
import { checkHost } from '../site/address.js';
import { findArgumentProblems } from './arguments.js';
import { DISABLE_MARK } from './disable.js';
import { settingKey } from './rules/duplicate-setting.js';
import { MUST_EXIST } from './rules/log-dir-missing.js';
import { preferIpv4, preferIpv4Message } from './rules/prefer-ipv4.js';
import { isStale } from './rules/stale-region-files.js';
import type { EnvironmentFacts, Report, Rule } from './types.js';

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const EQUALS = 0x3d;

/**
 * Directives whose rules compare two values or other lines, or judge a value
 * of their own (create-dir, intermediate-dir-mode): the full rule engine
 * judges them.
 */
const JUDGED_IN_FULL = new Set(['rep_set_nsites', 'rep_set_clockskew', 'rep_set_request', 'set_memory_max', 'mutex_set_max', 'set_create_dir', 'set_intermediate_dir_mode']);


/** A finding of a plain file: the rule that would report it, and its report. */
export interface PlainFinding {
  readonly rule: Rule;
  readonly report: Report;
}

const NO_FINDINGS: readonly PlainFinding[] = [];

/**
 * Lint a plain file without the full rule engine: ASCII directives each given
 * once, whole-line comments, LF or CRLF line ends, sites with an IPv4 address
 * or a host name (prefer-ipv4 is the one finding it reports), directories
 * written as one word (the log and metadata directories found in the
 * environment). One pass over the lines: a site line is read by one pattern
 * (COMMON_SITE), any other directive line is judged alone the first time it is
 * seen and its verdict remembered (a fleet repeats its tuning lines). Returns
 * undefined when the file is not plain (anything a rule other than prefer-ipv4
 * might report, a disable comment, region files older than the file, a log or
 * metadata directory that is not there): the caller then runs every rule.
 * `askDirectories` false (log-dir-missing is off) asks nothing of the
 * environment's directories, as the rules then do not.
 * Conservative on purpose; test/lint/plain-file.test.ts proves it agrees with
 * the rules.
 */
export function lintPlainFile(input: Uint8Array | string, environment?: EnvironmentFacts, askDirectories = true): readonly PlainFinding[] | undefined {
  // A region file older than the DB_CONFIG (stale-region-files).
  if (environment !== undefined) {
    const regions = environment.regionFiles;
    for (let k = 0; k < regions.length; k++) if (isStale(regions[k]!, environment)) return undefined;
  }
  // The bytes as a binary string (a string is one already).
  const src = typeof input === 'string' ? input : fromBytes(input);
  const n = src.length;
  // A byte order mark (bom).
  if (src.startsWith('\xef\xbb\xbf')) return undefined;
  // A NUL byte (nul-byte), or a CR anywhere but in a CRLF line end (stray-cr): checked once for the whole file.
  if (src.indexOf('\0') !== -1) return undefined;
  for (let cr = src.indexOf('\r'); cr !== -1; cr = src.indexOf('\r', cr + 1)) if (src.charCodeAt(cr + 1) !== LF) return undefined;
  const file = startFile();
  let findings: PlainFinding[] | undefined;
  let repmgr = false;
  let local = false;
  let localCreator = false;
  let remoteHelper = false;
  let priorityZero = false;
  /** The settings of this file's sites (duplicate-setting): a file has a few. */
  let sites: string[] | undefined;
  let siteSet: Set<string> | undefined;
  /** The log and metadata directories the file names (each at most once: a second line is a duplicate). */
  let mustExist: string[] | undefined;
  for (let line = 1, start = 0, lf = 0; start < n; line++, start = lf + 1) {
    lf = src.indexOf('\n', start);
    if (lf === -1) lf = n;
    // Longer lines are read by Berkeley DB in pieces (line-too-long).
    if (lf + 1 - start > MAX_LINE_BYTES) return undefined;
    // NOTE: no charCodeAt past the end (`i < lf` first): V8 would drop this function's optimised code to read NaN.
    let i = start;
    let c = 0;
    while (i < lf && ((c = src.charCodeAt(i)) === SPACE || c === TAB)) i++;
    // A blank line (a CR here ends the line).
    if (i === lf || c === CR) continue;
    // A comment: only a NUL or a CR in it would concern a rule, and the file has neither; one that silences findings
    // (`#\s*provision-disable-next-line`, see disable.ts) is left to the rules.
    if (c === HASH) {
      while (++i < lf && ((c = src.charCodeAt(i)) === SPACE || c === TAB || c === 0x0b || c === 0x0c || c === 0xa0));
      if (i < lf && c === 0x70 && src.startsWith(DISABLE_MARK, i)) return undefined;
      continue;
    }
    // Most site lines differ from file to file: judged each time, not remembered.
    COMMON_SITE.lastIndex = i;
    let site = src.startsWith(SITE_PREFIX, i) ? commonSite(src, i, COMMON_SITE.exec(src)) : undefined;
    if (site !== undefined) {
      if (site.repmgr) repmgr = true;
    } else {
      const verdict = recall(src.slice(i, src.charCodeAt(lf - 1) === CR ? lf - 1 : lf));
      if (verdict === false) return undefined;
      // A second line of the same setting (duplicate-setting).
      const setting = verdict.setting;
      if (setting !== undefined) {
        if (setting.file === file) return undefined;
        setting.file = file;
      }
      if (verdict.repmgr) repmgr = true;
      if (verdict.priorityZero !== undefined) priorityZero = verdict.priorityZero;
      if (verdict.mustExist !== undefined) (mustExist ??= []).push(verdict.mustExist);
      site = verdict.site;
      if (site === undefined) continue;
    }
    if (sites === undefined) sites = [site.setting];
    else if (siteSet !== undefined) {
      if (siteSet.has(site.setting)) return undefined;
      siteSet.add(site.setting);
    } else {
      for (let k = 0; k < sites.length; k++) if (sites[k] === site.setting) return undefined;
      sites.push(site.setting);
      // A file with many sites: a Set, so the check stays linear.
      if (sites.length > 16) siteSet = new Set(sites);
    }
    // Hosts that differ only in case (host-case).
    const seen = site.seen;
    if (seen !== undefined) {
      if (seen.file !== file) {
        seen.file = file;
        seen.host = site.host;
      } else if (seen.host !== site.host) return undefined;
    }
    if (site.isName) {
      const column = i - start + site.hostAt;
      (findings ??= []).push({ rule: preferIpv4, report: { line, start: column, end: column + site.host.length, message: preferIpv4Message(site.host) } });
    }
    if (!site.local) {
      remoteHelper ||= site.helper;
      continue;
    }
    // One local site, never a helper or peer (local-site).
    if (local || site.helper || site.peer) return undefined;
    local = true;
    localCreator = site.creator;
  }
  // no-local-site, then no-bootstrap-helper (a priority-0 replicant needs a helper unless it creates the group).
  if (repmgr && !local) return undefined;
  if (local && priorityZero && !localCreator && !remoteHelper) return undefined;
  // log-dir-missing, which has more to weigh when one is not there (logs kept in memory). The name is printable
  // ASCII: its bytes are its text.
  if (mustExist !== undefined && environment !== undefined && askDirectories) {
    for (let k = 0; k < mustExist.length; k++) if (!environment.directoryExists(mustExist[k]!)) return undefined;
  }
  return findings ?? NO_FINDINGS;
}

/** What a plain, well-formed directive line says, judged alone (the same in every file it is in). */
interface Verdict {
  /** What a later line of the same setting would override (duplicate-setting); undefined when repeating it adds. */
  readonly setting: Seen | undefined;
  readonly repmgr: boolean;
  /** For rep_set_priority: whether it is 0. */
  readonly priorityZero: boolean | undefined;
  /** For a log or metadata directory (log-dir-missing's MUST_EXIST): the directory, which must exist. */
  readonly mustExist: string | undefined;
  readonly site: SiteVerdict | undefined;
}

/** A repmgr_site line: its setting, host (and where it starts in the text) and its flags, all written "on". */
interface SiteVerdict {
  /** Its setting key (duplicate-setting). */
  readonly setting: string;
  readonly repmgr: boolean;
  readonly host: string;
  readonly hostAt: number;
  /** The host's lower-case spelling, when it has letters (host-case). */
  readonly seen: Seen | undefined;
  readonly isName: boolean;
  readonly local: boolean;
  readonly helper: boolean;
  readonly peer: boolean;
  readonly creator: boolean;
}

/**
 * A setting, or the lower-case spelling of a host, shared by every line that
 * names it: the number of the last file that did (and that file's spelling of
 * the host), so the checks across the lines of a file need no Set per file.
 */
interface Seen {
  file: number;
  host: string;
}

/** The verdicts of the directive lines seen so far, by the line's text (a fleet repeats its lines from file to file). */
let verdicts = new Map<string, Verdict | false>();
let settings = new Map<string, Seen>();
let hosts = new Map<string, Seen>();
let files = 0;
/** Bounded, so a long run keeps its memory. */
const MAX_VERDICTS = 20_000;

/** The number of the next file. A full memo is dropped here, before a file, never in the middle of one (its lines share their Seen). */
function startFile(): number {
  if (verdicts.size + hosts.size >= MAX_VERDICTS) {
    verdicts = new Map();
    settings = new Map();
    hosts = new Map();
  }
  return ++files;
}

/** The verdict of a directive line (its text from the name on), judged the first time it is seen. */
function recall(text: string): Verdict | false {
  let verdict = verdicts.get(text);
  if (verdict === undefined) {
    verdict = judgeDirective(text);
    verdicts.set(text, verdict);
  }
  return verdict;
}

function seenOf(seen: Map<string, Seen>, key: string): Seen {
  let s = seen.get(key);
  if (s === undefined) seen.set(key, (s = { file: 0, host: '' }));
  return s;
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
  // Unknown names, old names and cross-value checks: the full engine.
  if (spec === undefined || spec.aliasOf !== undefined || JUDGED_IN_FULL.has(spec.name)) return false;
  // A directory (the rest of the line): only one word that ends the line, which string-value has nothing to say
  // of (no trailing blank, no `#`, not empty); a value with blanks in it is the full engine's.
  if (spec.shape === 'string' && (tokens.length !== 2 || tokens[1]!.end !== text.length)) return false;
  if (findArgumentProblems({ spec, name, args }).length > 0) return false;
  const key = settingKey({ spec, args });
  const repmgr = isRepmgrDirective(spec, args[0]?.text);
  let priorityZero: boolean | undefined;
  if (spec.name === 'rep_set_priority') {
    const n = convertNumber(args[0]!.text, 'uint');
    priorityZero = n.ok && n.value === 0n;
  }
  // The directories log-dir-missing asks the environment for (once a distinct line: the memo keeps the verdict).
  const mustExist = MUST_EXIST.includes(spec.name) ? args[0]!.text : undefined;
  if (spec.shape !== 'site') return { setting: key === undefined ? undefined : seenOf(settings, key), repmgr, priorityZero, mustExist, site: undefined };
  const site = judgeSite(key!, repmgr, args);
  return site === false ? false : { setting: undefined, repmgr, priorityZero, mustExist: undefined, site };
}

/** A repmgr_site line with flags spelled `db_... on`, as local-site, prefer-ipv4 and host-case see it. */
function judgeSite(setting: string, repmgr: boolean, args: readonly Token[]): SiteVerdict | false {
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
  const lower = host.text.toLowerCase();
  // It passed the argument checks and has no `:` (no IPv6): digits and dots are an IPv4 address, anything else a name.
  return {
    setting,
    repmgr,
    host: host.text,
    hostAt: host.start,
    seen: lower === host.text.toUpperCase() ? undefined : seenOf(hosts, lower),
    isName: !/^[0-9.]+$/.test(host.text),
    local,
    helper,
    peer,
    creator,
  };
}

const SITE = lookupDirective('repmgr_site')!;
const SITE_PREFIX = 'repmgr_site ';
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const FLAG = ' db_(local_site|bootstrap_helper|repmgr_peer|group_creator|legacy) on';
/**
 * A fleet's commonest directive line, from where it starts (sticky) to the
 * line's end (multiline `$`): `repmgr_site`, an IPv4 address as Node's isIPv4
 * reads it (checkHost's test) or what may be a host name, a port without
 * leading zeros and up to MAX_SITE_PAIRS flags written `on` (each flag's name
 * is a group), one space between.
 */
const COMMON_SITE = new RegExp(`${SITE_PREFIX}(?:((?:${OCTET}\\.){3}${OCTET})|([A-Za-z0-9_.-]+)) ([1-9][0-9]{0,4})${`(?:${FLAG})?`.repeat(MAX_SITE_PAIRS)}$`, 'my');
const FIRST_FLAG = 4;

/** The parts of a common site line: a match of COMMON_SITE whose port is at most 65535 and whose host, if not an address, is a valid name. */
interface CommonSite {
  readonly match: RegExpExecArray;
  readonly host: string;
  readonly port: string;
  readonly isName: boolean;
}

/** A match `m` of COMMON_SITE checked as judgeDirective would check its host and port; undefined when it would refuse them. */
function checkedSite(m: RegExpExecArray | null): CommonSite | undefined {
  if (m === null) return undefined;
  const address = m[1];
  const host = address ?? m[2]!;
  const port = m[3]!;
  if (Number(port) > 65535) return undefined;
  if (address === undefined) {
    const h = checkHost(host);
    if (!h.ok || h.kind !== 'name') return undefined;
  }
  return { match: m, host, port, isName: address === undefined };
}

let fastPaths = true;

/**
 * Turn the fast paths of the full engine off (or back on): the differential
 * tests compare what they give with what every rule finds the long way.
 */
export function useFastPaths(on: boolean): void {
  fastPaths = on;
}

/**
 * Whether a line (its text, without the line end) is a common site line that no
 * per-line rule reports and whose arguments have no problem: COMMON_SITE from its
 * first non-blank byte to its end, with a port and host judgeDirective accepts,
 * short enough for one read. The full engine judges such a line at once, as the
 * plain-file path does: a site line is seldom seen twice, so no memo spares it
 * the argument checks and the per-line rules (test/lint/plain-file.test.ts
 * compares the two).
 */
export function isCommonSiteLine(text: string): boolean {
  if (!fastPaths) return false;
  // Two bytes for the longest line end: a longer line is read by Berkeley DB in pieces (line-too-long).
  if (text.length + 2 > MAX_LINE_BYTES) return false;
  let i = 0;
  while (i < text.length && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i++;
  if (!text.startsWith(SITE_PREFIX, i)) return false;
  COMMON_SITE.lastIndex = i;
  const m = COMMON_SITE.exec(text);
  // NOTE: the match must end the text: in a multiline pattern `$` also matches before a CR (stray-cr's).
  return m !== null && m.index + m[0].length === text.length && checkedSite(m) !== undefined;
}

/**
 * A common site line (a match `m` of COMMON_SITE at `at` of `src`) as
 * judgeSite would see it, without the tokens and argument checks of
 * judgeDirective; undefined when its port is above 65535 or its host is no
 * valid name (judgeDirective then refuses it).
 */
function commonSite(src: string, at: number, m: RegExpExecArray | null): SiteVerdict | undefined {
  const site = checkedSite(m);
  if (site === undefined) return undefined;
  const { host, port } = site;
  let seen: Seen | undefined;
  if (site.isName) {
    const lower = host.toLowerCase();
    seen = lower === host.toUpperCase() ? undefined : seenOf(hosts, lower);
  }
  let local = false;
  let helper = false;
  let peer = false;
  let creator = false;
  for (let g = FIRST_FLAG; g < site.match.length; g++) {
    const flag = site.match[g];
    if (flag === 'local_site') local = true;
    else if (flag === 'bootstrap_helper') helper = true;
    else if (flag === 'repmgr_peer') peer = true;
    else if (flag === 'group_creator') creator = true;
  }
  return {
    // settingKey's `repmgr_site HOST PORT`: the line up to the port, which has no leading zeros.
    setting: src.slice(at, at + SITE_PREFIX.length + host.length + 1 + port.length),
    repmgr: isRepmgrDirective(SITE, host),
    host,
    hostAt: SITE_PREFIX.length,
    seen,
    isName: site.isName,
    local,
    helper,
    peer,
    creator,
  };
}
