import { lineOffsets, parseBinary, renderDbConfigText, type DbConfigDocument } from '../dbconfig/document.js';
import { describeSite } from '../dbconfig/site-config.js';
import { checkDocumentSize, fromBytes, fromText } from '../dbconfig/text.js';
import { readStatements } from '../dbconfig/statements.js';
import { DISABLE_MARK, findDisableComments, isDisabled, type DisableComment } from './disable.js';
import { judgeLines } from './line-findings.js';
import { lintPlainFile } from './plain-file.js';
import { RULES } from './rules/index.js';
import type { DirectiveView, LintMessage, LintOptions, LintResult, Report, Rule, RuleContext } from './types.js';
import { viewDirective } from './views.js';

/** Put a result together from its messages (sorted by position). */
export function toResult(filePath: string, messages: LintMessage[]): LintResult {
  messages.sort((a, b) => a.line - b.line || a.column - b.column);
  let errorCount = 0;
  let warningCount = 0;
  let fixableErrorCount = 0;
  let fixableWarningCount = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const fixable = m.fix !== undefined ? 1 : 0;
    if (m.severity === 2) {
      errorCount++;
      fixableErrorCount += fixable;
    } else {
      warningCount++;
      fixableWarningCount += fixable;
    }
  }
  return { filePath, messages, errorCount, warningCount, fixableErrorCount, fixableWarningCount };
}

/** A rule's report as a finding, with the severity the options give it. */
function toMessage(rule: Rule, r: Report, options: LintOptions): LintMessage {
  // A configured severity applies to every finding; otherwise the rule may grade each one.
  const severity = options.rules?.[rule.id] ?? r.severity ?? rule.severity;
  const message: { -readonly [K in keyof LintMessage]: LintMessage[K] } = {
    ruleId: rule.id,
    severity: severity === 'error' ? 2 : 1,
    line: r.line,
    column: r.start + 1,
    message: r.message,
  };
  if (r.end !== undefined) {
    message.endLine = r.line;
    message.endColumn = r.end + 1;
  }
  if (r.fix) message.fix = r.fix;
  return message;
}

/**
 * Lint DB_CONFIG bytes (or a parsed document). Pure: the caller gathers any
 * environment facts. Never throws on bad input; every problem is a message
 * (only input larger than a document can hold, MAX_DOCUMENT_BYTES, is a RangeError).
 */
export function lintDbConfig(input: Uint8Array | string | DbConfigDocument, options: LintOptions = {}): LintResult {
  return input instanceof Uint8Array ? lintBinary(fromBytes(input), options) : lintWithRules(input, options);
}

/**
 * Lint a file's bytes given as a binary string (one char a byte, as fromBytes
 * makes them): what lintDbConfig does with the bytes. For a caller that has the
 * bytes of many files decoded at once.
 */
export function lintBinary(source: string, options: LintOptions = {}): LintResult {
  checkDocumentSize(source.length);
  return lintPlain(source, options) ?? lintDocument(source, parseBinary(source), options);
}

/** Where each rule is in RULES: the order of findings on one spot. */
const RULE_ORDER = new Map(RULES.map((r, i) => [r, i]));
/** The rules that judge each line on its own, and where each is in RULES. */
const LINE_RULES = RULES.filter((r) => r.perLine === true);
const LINE_RULE_ORDER = LINE_RULES.map((r) => RULE_ORDER.get(r)!);

/**
 * Lint a plain file in one pass over its bytes, given as a binary string (most
 * files of a fleet are plain): the result every rule would give, or undefined
 * when the file is not plain and needs every rule.
 */
function lintPlain(source: string, options: LintOptions): LintResult | undefined {
  const plain = lintPlainFile(source, options.environment, options.rules, LINE_RULES);
  if (plain === undefined) return undefined;
  const filePath = options.filePath ?? 'DB_CONFIG';
  // Most plain files have nothing to report: no sorting or counting for them.
  if (plain.length === 0) return { filePath, messages: [], errorCount: 0, warningCount: 0, fixableErrorCount: 0, fixableWarningCount: 0 };
  const found = plain.filter((f) => (options.rules?.[f.rule.id] ?? f.rule.severity) !== 'off');
  // In the rules' order, as lintDocument lists them: toResult's sort by position keeps it for findings on one spot.
  if (found.length > 1) found.sort((a, b) => RULE_ORDER.get(a.rule)! - RULE_ORDER.get(b.rule)!);
  const messages: LintMessage[] = [];
  for (let i = 0; i < found.length; i++) messages.push(toMessage(found[i]!.rule, found[i]!.report, options));
  return toResult(filePath, messages);
}

/** A per-line rule's finding as a message on line `line`, whose first byte is at `lineStart` (see line-findings.ts). */
function toLineMessage(rule: Rule, r: Report, line: number, lineStart: number, options: LintOptions): LintMessage {
  const message: { -readonly [K in keyof LintMessage]: LintMessage[K] } = toMessage(rule, r, options);
  message.line = line;
  if (message.endLine !== undefined) message.endLine = line;
  if (r.fix) message.fix = { range: [lineStart + r.fix.range[0], lineStart + r.fix.range[1]], text: r.fix.text };
  return message;
}

const NONE: readonly DirectiveView[] = [];
const NO_DISABLE_COMMENTS: readonly DisableComment[] = [];

function hasAny(settings: Readonly<Record<string, unknown>>): boolean {
  for (const _ in settings) return true;
  return false;
}

/** Lint by running every rule over the parsed document (what lintDbConfig does unless a file is plain). */
export function lintWithRules(input: Uint8Array | string | DbConfigDocument, options: LintOptions = {}): LintResult {
  // The file's bytes as a binary string, decoded once: the document is parsed from it.
  const source = typeof input === 'string' ? fromText(input) : input instanceof Uint8Array ? fromBytes(input) : renderDbConfigText(input);
  return lintDocument(source, typeof input === 'string' || input instanceof Uint8Array ? parseBinary(source) : input, options);
}

/** Run every rule over a document parsed from `source`, its bytes as a binary string. */
function lintDocument(source: string, doc: DbConfigDocument, options: LintOptions): LintResult {
  const statements = readStatements(doc);
  const directives: DirectiveView[] = [];
  const flawed: DirectiveView[] = [];
  const byName = new Map<string, DirectiveView[]>();
  for (let i = 0; i < statements.length; i++) {
    const v = viewDirective(statements[i]!);
    if (v === undefined) continue;
    directives.push(v);
    if (v.problems.length > 0) flawed.push(v);
    if (v.spec === undefined) continue;
    const name = v.spec.aliasOf ?? v.spec.name;
    const same = byName.get(name);
    if (same === undefined) byName.set(name, [v]);
    else same.push(v);
  }
  // Only a finding with a fix needs the lines' offsets.
  let offsets: number[] | undefined;
  // Most files silence nothing: no pass over their comments.
  const disabled = source.includes(DISABLE_MARK) ? findDisableComments(doc) : NO_DISABLE_COMMENTS;
  // The findings of each rule, by its place in RULES: listed in that order, they are in the order
  // of the rules that found them, which decides the order of findings on the same spot.
  const byRule: (LintMessage[] | undefined)[] = [];
  const site = describeSite(statements);
  let rule: Rule = RULES[0]!;
  let ruleIndex = 0;
  // One context for every rule; `rule` says whose findings `report` is receiving.
  const ctx: RuleContext = {
    doc,
    source,
    statements,
    directives,
    flawed,
    named: (name) => byName.get(name) ?? NONE,
    site,
    environment: options.environment,
    offset: (line) => (offsets ??= lineOffsets(doc))[line - 1] ?? source.length,
    report: (r: Report) => {
      if (disabled.length > 0 && isDisabled(disabled, r.line, rule.id)) return;
      (byRule[ruleIndex] ??= []).push(toMessage(rule, r, options));
    },
  };
  // No settings (an empty [rules] section, the usual case) is every rule at its own severity.
  const settings = options.rules !== undefined && hasAny(options.rules) ? options.rules : undefined;
  for (ruleIndex = 0; ruleIndex < RULES.length; ruleIndex++) {
    rule = RULES[ruleIndex]!;
    if (rule.perLine !== true && (settings === undefined || (settings[rule.id] ?? rule.severity) !== 'off')) rule.check(ctx);
  }
  // The per-line rules judge each distinct line once, and always all of them: their settings apply here.
  judgeLines(ctx, LINE_RULES, (i, r, line, lineStart) => {
    const lineRule = LINE_RULES[i]!;
    if (settings !== undefined && (settings[lineRule.id] ?? lineRule.severity) === 'off') return;
    if (disabled.length > 0 && isDisabled(disabled, line, lineRule.id)) return;
    (byRule[LINE_RULE_ORDER[i]!] ??= []).push(toLineMessage(lineRule, r, line, lineStart, options));
  });
  const messages: LintMessage[] = [];
  for (let i = 0; i < byRule.length; i++) {
    const found = byRule[i];
    if (found !== undefined) for (let j = 0; j < found.length; j++) messages.push(found[j]!);
  }
  return toResult(options.filePath ?? 'DB_CONFIG', messages);
}
