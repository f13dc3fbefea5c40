import { lookupDirective, MAX_LINE_BYTES, type DirectiveSpec } from '../dbconfig/catalogue.js';
import { BOM } from '../dbconfig/document.js';
import { parseLine, type Eol, type Token } from '../dbconfig/line.js';
import { convertNumber } from '../dbconfig/numbers.js';
import { isRepmgrDirective, isRepmgrStatement, siteFlag } from '../dbconfig/site-config.js';
import { readStatements } from '../dbconfig/statements.js';
import { fromBytes } from '../dbconfig/text.js';
import { findArgumentProblems } from './arguments.js';
import { checkedSite, FIRST_FLAG, matchCommonSite, SITE_PREFIX } from './common-site.js';
import { DISABLE_MARK } from './disable.js';
import { lineFindings } from './line-findings.js';
import { bom, BOM_REPORT } from './rules/bom.js';
import { duplicateSetting, overriddenMessage, settingKey } from './rules/duplicate-setting.js';
import { hostPortToken, joinedAddressReport } from './rules/host-port-token.js';
import { commentAbove, INLINE_COMMENT_MESSAGE, inlineComment } from './rules/inline-comment.js';
import { MUST_EXIST } from './rules/log-dir-missing.js';
import { NO_LOCAL_SITE_MESSAGE, noLocalSite } from './rules/no-local-site.js';
import { preferIpv4, preferIpv4Message } from './rules/prefer-ipv4.js';
import { isStale } from './rules/stale-region-files.js';
import { stringValue, trailingBlanksReport, trimmedLength } from './rules/string-value.js';
import type { EnvironmentFacts, LintOptions, Report, Rule } from './types.js';
import { viewDirective } from './views.js';

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
 * Lint a plain file without the full rule engine: directives, whole-line
 * comments, LF or CRLF line ends, sites with an IPv4 address or a host name,
 * directories written as one word (the log and metadata directories found in
 * the environment). One pass over the lines: a site line is read by one
 * pattern (COMMON_SITE), any other directive line is judged alone the first
 * time it is seen and its verdict remembered (a fleet repeats its tuning lines).
 *
 * Given `lineRules` (the per-line rules), it also takes the mistakes people
 * make most, each judged on its own line: a byte order mark; a directive line
 * a per-line rule reports (an unknown or hyphenated name, `=`, a comment after
 * it, a bad value), judged by those rules once a distinct line (lineFindings),
 * whose setting then counts as the rules count it; a directory value ending in
 * blanks (string-value); a site line with a comment after it, or with its
 * address written host:port; a setting given twice (duplicate-setting); no
 * local site (no-local-site).
 *
 * Returns undefined when the file is not plain (anything else a rule might
 * report: a site named twice, a replicant with no helper, a disable comment,
 * region files older than the file, a log or metadata directory that is not
 * there, a line Berkeley DB reads in pieces, a stray CR or a NUL): the caller
 * then runs every rule. `settings` are the rules' settings: a rule turned off
 * asks nothing of the environment (log-dir-missing, string-value), as the rules
 * then do not. The findings are in no set order, and include those of rules
 * turned off (the caller sorts and drops them).
 * Conservative on purpose; test/lint/plain-file.test.ts proves it agrees with
 * the rules.
 */
export function lintPlainFile(
  input: Uint8Array | string,
  environment?: EnvironmentFacts,
  settings?: LintOptions['rules'],
  lineRules?: readonly Rule[],
): readonly PlainFinding[] | undefined {
  // A region file older than the DB_CONFIG (stale-region-files).
  if (environment !== undefined) {
    const regions = environment.regionFiles;
    for (let k = 0; k < regions.length; k++) if (isStale(regions[k]!, environment)) return undefined;
  }
  // The bytes as a binary string (a string is one already).
  const src = typeof input === 'string' ? input : fromBytes(input);
  const n = src.length;
  const findings: PlainFinding[] = [];
  // A byte order mark (bom): the rules read the lines after it, and count their columns from there.
  let from = 0;
  if (src.startsWith(BOM)) {
    if (lineRules === undefined) return undefined;
    findings.push({ rule: bom, report: BOM_REPORT });
    from = BOM.length;
  }
  // A NUL byte (nul-byte), or a CR anywhere but in a CRLF line end (stray-cr): checked once for the whole file.
  if (src.indexOf('\0') !== -1) return undefined;
  for (let cr = src.indexOf('\r'); cr !== -1; cr = src.indexOf('\r', cr + 1)) if (src.charCodeAt(cr + 1) !== LF) return undefined;
  const file = startFile();
  /** The first Replication Manager line (no-local-site reports it), 0 before one. */
  let firstRepmgr = 0;
  /** A site made local, as local-site reads the lines (every site line, its address taken apart). */
  let madeLocal = false;
  /** A local site as describeSite reads the lines (no-local-site, no-bootstrap-helper), and the flags those rules weigh. */
  let local = false;
  let localCreator = false;
  let remoteHelper = false;
  let priorityZero = false;
  /** The settings of this file's sites (duplicate-setting): a file has a few. */
  let sites: string[] | undefined;
  let siteSet: Set<string> | undefined;
  /** The log and metadata directories the file names: each directive's last, by where it is in MUST_EXIST. */
  let mustExist: (string | undefined)[] | undefined;
  /** The directory values ending in blanks (string-value), judged once the file is known to be plain. */
  let blanks: Blanks[] | undefined;
  /** Lines a later line of the same setting overrides (duplicate-setting), reported once the file's last line of each is known. */
  let overridden: Overridden[] | undefined;
  for (let line = 1, start = from, lf = 0; start < n; line++, start = lf + 1) {
    lf = src.indexOf('\n', start);
    if (lf === -1) lf = n;
    // Longer lines are read by Berkeley DB in pieces (line-too-long); the first line's count starts at the file's
    // first byte (a byte order mark counts for Berkeley DB).
    if (lf + 1 - (line === 1 ? 0 : start) > MAX_LINE_BYTES) return undefined;
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
    // The line's text ends before its line end (a CR here is a CRLF's: the file has no other).
    const end = lf > start && src.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
    // Most site lines differ from file to file: judged each time, not remembered.
    let site: SiteVerdict | undefined;
    if (src.startsWith(SITE_PREFIX, i)) {
      site = commonSite(src, i, matchCommonSite(src, i));
      if (site === undefined && lineRules !== undefined) site = mistakenSite(src, start, i, end, lf, line, findings);
    }
    if (site !== undefined) {
      if (firstRepmgr === 0 && site.repmgr) firstRepmgr = line;
    } else {
      const verdict = recall(src.slice(i, end));
      if (verdict === false) return undefined;
      if (verdict.flawed) {
        if (lineRules === undefined) return undefined;
        addLineFindings(src, start, end, lf, line, lineRules, findings);
        if (verdict.trailing !== undefined) (blanks ??= []).push({ verdict, line, lineStart: start, at: i - start });
      }
      // A later line of the same setting overrides this one (duplicate-setting).
      const setting = verdict.setting;
      if (setting !== undefined) {
        if (setting.file === file) (overridden ??= []).push({ line: setting.line, start: setting.start, end: setting.end, name: setting.name, by: setting });
        setting.file = file;
        setting.line = line;
        setting.start = i - start + verdict.nameStart;
        setting.end = i - start + verdict.nameEnd;
        setting.name = verdict.name;
      }
      if (firstRepmgr === 0 && verdict.repmgr) firstRepmgr = line;
      if (verdict.priorityZero !== undefined) priorityZero = verdict.priorityZero;
      if (verdict.mustExist !== undefined) (mustExist ??= [])[verdict.mustExist.index] = verdict.mustExist.dir;
      site = verdict.site;
      if (site === undefined) continue;
    }
    // A site named twice: local-site and describeSite merge its lines (left to the rules).
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
    // One local site, never a helper or peer (local-site).
    if (site.local && (madeLocal || site.helper || site.peer)) return undefined;
    if (site.local) madeLocal = true;
    // host-case, prefer-ipv4, no-local-site and no-bootstrap-helper read the sites describeSite reads.
    if (!site.described) continue;
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
      findings.push({ rule: preferIpv4, report: { line, start: column, end: column + site.host.length, message: preferIpv4Message(site.host) } });
    }
    if (site.local) {
      local = true;
      localCreator = site.creator;
    } else remoteHelper ||= site.helper;
  }
  // no-local-site, then no-bootstrap-helper (a priority-0 replicant needs a helper unless it creates the group).
  if (firstRepmgr !== 0 && !local) findings.push({ rule: noLocalSite, report: { line: firstRepmgr, start: 0, message: NO_LOCAL_SITE_MESSAGE } });
  if (local && priorityZero && !localCreator && !remoteHelper) return undefined;
  // log-dir-missing, which has more to weigh when one is not there (logs kept in memory). The name is printable
  // ASCII: its bytes are its text. NOTE: the environment is asked what the rules ask, in their order (a caller's
  // directoryExists may throw): of each directive's last line only, log-dir-missing's questions before string-value's.
  if (mustExist !== undefined && environment !== undefined && settings?.['log-dir-missing'] !== 'off') {
    for (let k = 0; k < mustExist.length; k++) {
      const dir = mustExist[k];
      if (dir !== undefined && !environment.directoryExists(dir)) return undefined;
    }
  }
  // string-value turned off asks nothing of the directories (its finding is dropped).
  if (blanks !== undefined) addBlanks(blanks, settings?.['string-value'] === 'off' ? undefined : environment, findings);
  if (overridden !== undefined) addOverridden(overridden, findings);
  return findings.length === 0 ? NO_FINDINGS : findings;
}

/** The line end of a line whose text ends at `end` and whose LF is at `lf` (the file's length: none). */
function eolOf(src: string, end: number, lf: number): Eol {
  return lf === src.length ? '' : end < lf ? '\r\n' : '\n';
}

/** The line end a fix that adds a line after this one ends it with: its own, or the file's most used. */
function lineEnd(src: string, end: number, lf: number): string {
  return eolOf(src, end, lf) || mostUsedEol(src);
}

/**
 * The line end most of a file's lines use (LF when there is none), for the
 * file's bytes as a string: what document.ts's dominantEol says of its
 * parse. (A byte order mark has neither byte: counting from the file's first
 * byte or from after the mark is the same.)
 */
function mostUsedEol(src: string): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (let at = src.indexOf('\n'); at !== -1; at = src.indexOf('\n', at + 1)) {
    if (at > 0 && src.charCodeAt(at - 1) === CR) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/** A line a later line of the same setting overrides: where its name is, as written, and the setting (whose last line overrides it). */
interface Overridden {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly name: string;
  readonly by: Seen;
}

/** Add duplicate-setting's findings, once the file's last line of each setting is known. */
function addOverridden(overridden: readonly Overridden[], findings: PlainFinding[]): void {
  for (let k = 0; k < overridden.length; k++) {
    const o = overridden[k]!;
    findings.push({ rule: duplicateSetting, report: { line: o.line, start: o.start, end: o.end, message: overriddenMessage(o.name, o.by.line) } });
  }
}

/** A line whose directory value ends in blanks (`verdict.trailing`): its number, where it starts in the file, and where its text starts in it. */
interface Blanks {
  readonly verdict: Verdict;
  readonly line: number;
  readonly lineStart: number;
  readonly at: number;
}

/** Add string-value's findings for directory values that end in blanks, asking `environment` about each, as the rule does. */
function addBlanks(blanks: readonly Blanks[], environment: EnvironmentFacts | undefined, findings: PlainFinding[]): void {
  for (let k = 0; k < blanks.length; k++) {
    const b = blanks[k]!;
    const trailing = b.verdict.trailing!;
    const value = { text: trailing.text, start: b.at + trailing.start };
    findings.push({ rule: stringValue, report: trailingBlanksReport(environment, b.verdict.name, false, value, trailing.trimmed, b.line, b.lineStart, true) });
  }
}

/**
 * Add the per-line rules' findings (lineFindings) of a directive line that
 * judgeFlawed took (`verdict.flawed`), which starts at `start` of the file
 * (its text ending at `end`, its LF at `lf`, or the file's end).
 */
function addLineFindings(src: string, start: number, end: number, lf: number, line: number, lineRules: readonly Rule[], findings: PlainFinding[]): void {
  const eol = eolOf(src, end, lf);
  const last = lf >= src.length - 1;
  const judged = lineFindings(lineRules, src.slice(start, end), eol, last, last && eol === '' ? mostUsedEol(src) : '\n');
  for (let k = 0; k < judged.length; k++) {
    const f = judged[k]!;
    const fix = f.report.fix;
    const report: Report = fix === undefined ? { ...f.report, line } : { ...f.report, line, fix: { range: [start + fix.range[0], start + fix.range[1]], text: fix.text } };
    findings.push({ rule: lineRules[f.rule]!, report });
  }
}

/**
 * A site line that is no common one but for the mistakes made most in one: a
 * comment after it (inline-comment), its address written host:port
 * (host-port-token), or both. The line starts at `start`, its text from `i`
 * (`repmgr_site`) to `end`, its LF at `lf`. Returns its site as the rules read
 * it, and adds their findings to `findings`; undefined for another line.
 */
function mistakenSite(src: string, start: number, i: number, end: number, lf: number, line: number, findings: PlainFinding[]): SiteVerdict | undefined {
  const hash = commentAt(src, i, end);
  if (hash === NOT_TAKEN_APART) return undefined;
  let site: SiteVerdict | undefined;
  let cut = end;
  if (hash !== NO_COMMENT) {
    cut = hash;
    while (src.charCodeAt(cut - 1) === SPACE || src.charCodeAt(cut - 1) === TAB) cut--;
    const text = src.slice(i, cut);
    site = commonSite(text, 0, matchCommonSite(text, 0));
  }
  if (site === undefined) {
    const joined = joinedSite(src, i, cut);
    if (joined === undefined) return undefined;
    site = joined.site;
    const at = i + SITE_PREFIX.length;
    const raw = { text: src.slice(at, joined.addressEnd), start: at - start, end: joined.addressEnd - start };
    findings.push({ rule: hostPortToken, report: joinedAddressReport(raw, line, start)! });
  }
  if (hash !== NO_COMMENT) {
    const text = src.slice(start, end);
    const fix = { range: [start, end] as const, text: commentAbove(text, src.slice(start, i), hash - start, end - start, lineEnd(src, end, lf)) };
    findings.push({ rule: inlineComment, report: { line, start: hash - start, end: end - start, message: INLINE_COMMENT_MESSAGE, fix } });
  }
  return site;
}

const NO_COMMENT = -1;
const NOT_TAKEN_APART = -2;

/**
 * Where the comment after a site line (from `i` to `end`) starts, as the
 * rules take it apart (inline-comment): NO_COMMENT when there is no `#`,
 * NOT_TAKEN_APART when the rules would read the comment otherwise. The `#`
 * must follow a blank (glued to a value it changes the value), and the comment
 * must hold only printable ASCII and blanks (another byte is another rule's)
 * and no word that names a site flag (describeSite reads the words after the
 * flags in pairs, as more flags).
 */
function commentAt(src: string, i: number, end: number): number {
  const hash = src.indexOf('#', i);
  if (hash === -1 || hash >= end) return NO_COMMENT;
  const before = src.charCodeAt(hash - 1);
  if (before !== SPACE && before !== TAB) return NOT_TAKEN_APART;
  for (let k = hash + 1; k < end; k++) {
    const c = src.charCodeAt(k);
    if ((c < 0x21 || c > 0x7e) && c !== SPACE && c !== TAB) return NOT_TAKEN_APART;
  }
  const words = src.slice(hash, end).split(/[ \t]+/);
  for (let k = 0; k < words.length; k++) if (siteFlag(words[k]!) !== undefined) return NOT_TAKEN_APART;
  return hash;
}

/**
 * A site line whose address is written host:port (host-port-token), from `i`
 * to `end`, that is a common site line with the two apart: its site as
 * local-site and duplicate-setting read it (the address taken apart; describeSite
 * reads no site in the line), and where the address ends; undefined for
 * another line.
 */
function joinedSite(src: string, i: number, end: number): { site: SiteVerdict; addressEnd: number } | undefined {
  const at = i + SITE_PREFIX.length;
  let addressEnd = at;
  while (addressEnd < end && src.charCodeAt(addressEnd) !== SPACE && src.charCodeAt(addressEnd) !== TAB) addressEnd++;
  const colon = src.indexOf(':', at);
  if (colon === -1 || colon >= addressEnd) return undefined;
  const text = `${src.slice(i, colon)} ${src.slice(colon + 1, end)}`;
  const site = commonSite(text, 0, matchCommonSite(text, 0));
  return site === undefined ? undefined : { site: { ...site, seen: undefined, isName: false, described: false }, addressEnd };
}

/** What a plain, well-formed directive line says, judged alone (the same in every file it is in). */
interface Verdict {
  /** What a later line of the same setting would override (duplicate-setting); undefined when repeating it adds. */
  readonly setting: Seen | undefined;
  /** The directive's name as written, and where it is from where the line's text starts (duplicate-setting reports it). */
  readonly name: string;
  readonly nameStart: number;
  readonly nameEnd: number;
  /** Whether describeSite counts it as a Replication Manager line. */
  readonly repmgr: boolean;
  /** For rep_set_priority: whether it is 0. */
  readonly priorityZero: boolean | undefined;
  /** For a log or metadata directory (log-dir-missing's MUST_EXIST): where its directive is in MUST_EXIST, and the directory, which must exist. */
  readonly mustExist: { readonly index: number; readonly dir: string } | undefined;
  readonly site: SiteVerdict | undefined;
  /** Whether the line is one judgeDirective refuses that judgeFlawed takes: lineFindings tells what the per-line rules find in it (often something, not always: a directory value with blanks in it). */
  readonly flawed: boolean;
  /** A directory value that ends in blanks (string-value): the value, where it starts from where the line's text starts, and its length without them. */
  readonly trailing: { readonly text: string; readonly start: number; readonly trimmed: number } | undefined;
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
  /** Whether describeSite reads a site in the line (host-case, prefer-ipv4, no-local-site and no-bootstrap-helper read those): not when its address is written host:port. */
  readonly described: boolean;
}

/**
 * A setting, or the lower-case spelling of a host, shared by every line that
 * names it: the number of the last file that did (and that file's spelling of
 * the host), so the checks across the lines of a file need no Set per file.
 * For a setting, also that file's last line of it and where its name is
 * (duplicate-setting).
 */
interface Seen {
  file: number;
  host: string;
  line: number;
  start: number;
  end: number;
  name: string;
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
    verdict = judgeDirective(text) || judgeFlawed(text);
    verdicts.set(text, verdict);
  }
  return verdict;
}

function seenOf(seen: Map<string, Seen>, key: string): Seen {
  let s = seen.get(key);
  if (s === undefined) seen.set(key, (s = { file: 0, host: '', line: 0, start: 0, end: 0, name: '' }));
  return s;
}

/**
 * Whether the file-level rules read a line of this directive only through its
 * view's setting, as a Replication Manager line, or not at all (an unknown
 * name): not a site, a priority, a log or metadata directory, an old name, or
 * one the full engine judges.
 */
function readAlone(spec: DirectiveSpec | undefined): boolean {
  return spec === undefined || (spec.aliasOf === undefined && spec.shape !== 'site' && spec.name !== 'rep_set_priority' && !JUDGED_IN_FULL.has(spec.name) && !MUST_EXIST.includes(spec.name));
}

/**
 * Judge a directive line (its text from the name on) that a per-line rule
 * reports, or whose directory value ends in blanks: what the file-level rules
 * read in it, as the full engine takes it apart (its view); false when they
 * read more (see readAlone) or string-value has more to say.
 */
function judgeFlawed(text: string): Verdict | false {
  // NOTE: the line alone, not parsed as a file: a byte order mark's bytes at its start are part of it, not a file's mark.
  const statements = readStatements({ bom: false, lines: [parseLine(text, '')] });
  const st = statements[0];
  if (statements.length !== 1 || st === undefined || st.kind !== 'directive' || !readAlone(st.spec)) return false;
  const v = viewDirective(st);
  if (v !== undefined && !readAlone(v.spec)) return false;
  let trailing: Verdict['trailing'];
  const value = st.value;
  if (value) {
    // An empty value, or one holding a `#`, is string-value's to judge in full.
    if (value.text.length === 0 || value.text.includes('#')) return false;
    const trimmed = trimmedLength(value.text);
    if (trimmed < value.text.length) trailing = { text: value.text, start: value.start, trimmed };
  }
  const key = v?.settingKey;
  return {
    setting: key === undefined ? undefined : seenOf(settings, key),
    name: v?.name.text ?? '',
    nameStart: v?.name.start ?? 0,
    nameEnd: v?.name.end ?? 0,
    repmgr: isRepmgrStatement(st),
    priorityZero: undefined,
    mustExist: undefined,
    site: undefined,
    flawed: true,
    trailing,
  };
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
  const index = MUST_EXIST.indexOf(spec.name);
  const mustExist = index === -1 ? undefined : { index, dir: args[0]!.text };
  // NOTE: every verdict has its fields in one order (judgeFlawed's too): the loop reading them stays monomorphic.
  if (spec.shape !== 'site') {
    const setting = key === undefined ? undefined : seenOf(settings, key);
    return { setting, name: name.text, nameStart: 0, nameEnd: name.end, repmgr, priorityZero, mustExist, site: undefined, flawed: false, trailing: undefined };
  }
  const site = judgeSite(key!, repmgr, args);
  return site === false ? false : { setting: undefined, name: name.text, nameStart: 0, nameEnd: name.end, repmgr, priorityZero, mustExist: undefined, site, flawed: false, trailing: undefined };
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
    described: true,
  };
}

const SITE = lookupDirective('repmgr_site')!;
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
    described: true,
  };
}
