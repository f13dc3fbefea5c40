import { dominantEol, type DbConfigDocument } from '../dbconfig/document.js';
import { parseLine, type Eol, type Line } from '../dbconfig/line.js';
import { readStatements, type Statement } from '../dbconfig/statements.js';
import type { SiteDescription } from '../dbconfig/site-config.js';
import { isCommonSiteLine } from './common-site.js';
import type { DirectiveView, Report, Rule, RuleContext } from './types.js';
import { viewDirective } from './views.js';

/** What one per-line rule found on a line: `fix` offsets count from the line's start, `line` is not used. */
export interface LineFinding {
  /** Index of the rule in the list given to judgeLines. */
  readonly rule: number;
  readonly report: Report;
}

export type Findings = readonly LineFinding[];

const NOTHING: Findings = [];
const NONE: readonly DirectiveView[] = [];

const MAX_LINES = 20_000;
/**
 * What the per-line rules find on a line, by its text (a fleet repeats its
 * lines from file to file): one map for each line ending a line that is not
 * the last can have, and one for last lines, whose key starts with a letter
 * for the line ending (and for the file's, when the line has none).
 */
const afterLf = new Map<string, Findings>();
const afterCrlf = new Map<string, Findings>();
const lastLines = new Map<string, Findings>();

let judgedLines = 0;

/** Forget every line judged so far (for tests: the next file is judged from scratch). */
export function forgetLines(): void {
  afterLf.clear();
  afterCrlf.clear();
  lastLines.clear();
}

/** How many lines the per-line rules have judged since the process started (for tests). */
export function linesJudged(): number {
  return judgedLines;
}

/** The memo of a line with this line end, the file's last or not (see the maps above). */
function memoFor(eol: Eol, last: boolean): Map<string, Findings> {
  return last ? lastLines : eol === '\r\n' ? afterCrlf : afterLf;
}

/** The key of a line in its memo: its text, and for a last line its line end (the file's dominant one when it has none). */
function keyFor(text: string, eol: Eol, last: boolean, dominant: () => '\n' | '\r\n'): string {
  if (!last) return text;
  if (eol === '\n') return `n${text}`;
  if (eol === '\r\n') return `r${text}`;
  return `${dominant() === '\r\n' ? 'R' : 'N'}${text}`;
}

/** The memo and key of line `index` of a file. */
function memoOf(lines: readonly Line[], index: number): Map<string, Findings> {
  return memoFor(lines[index]!.eol, index === lines.length - 1);
}

function keyOf(lines: readonly Line[], index: number, doc: DbConfigDocument): string {
  const line = lines[index]!;
  return keyFor(line.text, line.eol, index === lines.length - 1, () => dominantEol(doc));
}

/**
 * Run the per-line rules (see Rule.perLine) on every line of a file; a line
 * whose text was judged before (here or in another file) is not judged again.
 * `found` receives each finding with the offset of its line (not in file
 * order: only the order of one rule's findings on one line is kept).
 */
export function judgeLines(
  ctx: RuleContext,
  rules: readonly Rule[],
  found: (rule: number, report: Report, line: number, lineStart: number) => void,
): void {
  const lines = ctx.doc.lines;
  const statements = ctx.statements;
  const directives = ctx.directives;
  // The lines not judged before (their indexes, and for each the key to keep its findings by, or
  // undefined), with their statements and views: they are judged together below.
  let missed: number[] | undefined;
  let missedKeys: (string | undefined)[] | undefined;
  let missedStatements: Statement[] | undefined;
  let missedViews: DirectiveView[] | undefined;
  // NOTE: the statements and views are in file order: each line's are the run of them with its number.
  let s = 0;
  let d = 0;
  for (let l = 0; l < lines.length; l++) {
    const lineNo = l + 1;
    const s0 = s;
    const d0 = d;
    while (s < statements.length && statements[s]!.line === lineNo) s++;
    while (d < directives.length && directives[d]!.st.line === lineNo) d++;
    // A site line is seldom seen twice (see parseLine): it is neither looked up nor kept, and a common one
    // has nothing for a per-line rule to find (see isCommonSiteLine).
    const site = d > d0 && directives[d0]!.spec?.shape === 'site';
    if (site && isCommonSiteLine(lines[l]!.text)) continue;
    // Nor is a byte order mark's line: the mark's bytes count toward its first read (readStatements), not its text's.
    const key = site || (l === 0 && ctx.doc.bom) ? undefined : keyOf(lines, l, ctx.doc);
    const findings = key === undefined ? undefined : memoOf(lines, l).get(key);
    if (findings === undefined) {
      (missed ??= []).push(l);
      (missedKeys ??= []).push(key);
      missedStatements ??= [];
      for (let i = s0; i < s; i++) missedStatements.push(statements[i]!);
      missedViews ??= [];
      for (let i = d0; i < d; i++) missedViews.push(directives[i]!);
      continue;
    }
    if (findings.length === 0) continue;
    const lineStart = ctx.offset(lineNo);
    for (let i = 0; i < findings.length; i++) found(findings[i]!.rule, findings[i]!.report, lineNo, lineStart);
  }
  if (missed === undefined) return;
  judgedLines += missed.length;
  const judged = judge(ctx, rules, missed, missedStatements!, missedViews!);
  for (let m = 0; m < missed.length; m++) {
    const lineNo = missed[m]! + 1;
    const lineStart = ctx.offset(lineNo);
    const findings = judged[m] === undefined ? NOTHING : relative(judged[m]!, lineStart);
    const key = missedKeys![m];
    if (key !== undefined) {
      const memo = memoOf(lines, missed[m]!);
      // Bounded, so a long run keeps its memory.
      if (memo.size >= MAX_LINES) memo.clear();
      memo.set(key, findings);
    }
    for (let i = 0; i < findings.length; i++) found(findings[i]!.rule, findings[i]!.report, lineNo, lineStart);
  }
}

/** No site: the per-line rules judge a line on its own, never with the file's replication settings. */
const NO_SITE: SiteDescription = { sites: [], remotes: [], repmgrLines: [] };

/**
 * What the per-line rules find on one line of a file, given as its text and
 * line end (`eol`, '' for a last line without one), whether it is the file's
 * last line, and the line end most of the file's lines use (`dominant`, which
 * a fix that adds a line after a last line without one ends it with): what
 * judgeLines finds on that line, from the same memo. For a caller that reads
 * the file's lines itself (lintPlainFile).
 */
export function lineFindings(rules: readonly Rule[], text: string, eol: Eol, last: boolean, dominant: '\n' | '\r\n'): Findings {
  const memo = memoFor(eol, last);
  const key = keyFor(text, eol, last, () => dominant);
  let findings = memo.get(key);
  if (findings !== undefined) return findings;
  // A file of the line where it stands: a comment line after it (not the last), or before it (a last line without
  // a line end: the comment's is the file's dominant one).
  const index = last && eol === '' ? 1 : 0;
  const source = index === 1 ? `#${dominant}${text}` : last ? `${text}${eol}` : `${text}${eol}#`;
  // NOTE: made of its lines, not parsed from `source`: parsing would take a byte order mark's bytes at the start of
  // the line (a line of a file joined to another) for the file's, where they are part of the line.
  const line = parseLine(text, eol);
  const doc: DbConfigDocument = { bom: false, lines: index === 1 ? [parseLine('#', dominant), line] : last ? [line] : [line, parseLine('#', '')] };
  const statements = readStatements(doc).filter((st) => st.line === index + 1);
  const views: DirectiveView[] = [];
  for (let i = 0; i < statements.length; i++) {
    const v = viewDirective(statements[i]!);
    if (v !== undefined) views.push(v);
  }
  const offset = index === 1 ? 1 + dominant.length : 0;
  const ctx: RuleContext = {
    doc,
    source,
    statements,
    directives: views,
    flawed: NONE,
    named: () => NONE,
    site: NO_SITE,
    offset: (line) => (line === index + 1 ? offset : 0),
    report: () => undefined,
  };
  judgedLines++;
  const judged = judge(ctx, rules, [index], statements, views)[0];
  findings = judged === undefined ? NOTHING : relative(judged, offset);
  if (memo.size >= MAX_LINES) memo.clear();
  memo.set(key, findings);
  return findings;
}

/**
 * Run the per-line rules once over some lines of a file (each judges every
 * line on its own); the findings of each line (`indexes[i]`), in rule order.
 */
function judge(ctx: RuleContext, rules: readonly Rule[], indexes: readonly number[], statements: Statement[], views: DirectiveView[]): (LineFinding[] | undefined)[] {
  const byLine: (LineFinding[] | undefined)[] = [];
  let flawed: readonly DirectiveView[] = NONE;
  for (let i = 0; i < views.length; i++) {
    if (views[i]!.problems.length > 0) {
      flawed = views.filter((v) => v.problems.length > 0);
      break;
    }
  }
  let ruleIndex = 0;
  const lineCtx: RuleContext = {
    doc: ctx.doc,
    source: ctx.source,
    statements,
    directives: views,
    flawed,
    named: (name) => {
      let named: DirectiveView[] | undefined;
      for (let i = 0; i < views.length; i++) {
        const spec = views[i]!.spec;
        if (spec !== undefined && (spec.aliasOf ?? spec.name) === name) (named ??= []).push(views[i]!);
      }
      return named ?? NONE;
    },
    site: ctx.site,
    offset: ctx.offset,
    report: (r) => {
      const at = positionOf(indexes, r.line - 1);
      // NOTE: a per-line rule reports on the lines it is shown, or its findings would land on other lines.
      if (at === -1) throw new Error(`Rule ${rules[ruleIndex]!.id} reported line ${r.line}, which it was not shown; this is a bug in provision.`);
      (byLine[at] ??= []).push({ rule: ruleIndex, report: r });
    },
  };
  for (ruleIndex = 0; ruleIndex < rules.length; ruleIndex++) rules[ruleIndex]!.check(lineCtx);
  return byLine;
}

/** Where `index` is in the ascending `indexes`, or -1 (a search, so a file of many lines stays linear). */
function positionOf(indexes: readonly number[], index: number): number {
  let low = 0;
  let high = indexes.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (indexes[mid]! < index) low = mid + 1;
    else if (indexes[mid]! > index) high = mid - 1;
    else return mid;
  }
  return -1;
}

/** Findings with their fixes' offsets counted from the start of their line. */
function relative(findings: LineFinding[], lineStart: number): Findings {
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    const fix = f.report.fix;
    if (fix !== undefined) findings[i] = { rule: f.rule, report: { ...f.report, fix: { range: [fix.range[0] - lineStart, fix.range[1] - lineStart], text: fix.text } } };
  }
  return findings;
}

