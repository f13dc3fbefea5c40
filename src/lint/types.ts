import type { DbConfigDocument } from '../dbconfig/document.js';
import type { Token } from '../dbconfig/line.js';
import type { SiteDescription } from '../dbconfig/site-config.js';
import type { Statement } from '../dbconfig/statements.js';
import type { DirectiveSpec } from '../dbconfig/catalogue.js';
import type { ArgumentProblem } from './arguments.js';

export type Severity = 'error' | 'warning';
export type RuleSetting = Severity | 'off';

/** A safe edit: replace bytes [start, end) of the file with `text` (offsets count bytes). */
export interface Fix {
  readonly range: readonly [number, number];
  readonly text: string;
}

/** One finding, shaped as ESLint reports them. Columns are 1-based byte columns. */
export interface LintMessage {
  readonly ruleId: string;
  readonly severity: 1 | 2;
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  readonly message: string;
  readonly fix?: Fix;
}

export interface LintResult {
  readonly filePath: string;
  readonly messages: readonly LintMessage[];
  readonly errorCount: number;
  readonly warningCount: number;
  readonly fixableErrorCount: number;
  readonly fixableWarningCount: number;
}

/** Facts about the directory a DB_CONFIG sits in, gathered by the caller (lint itself does no I/O). */
export interface EnvironmentFacts {
  /** Modification time of DB_CONFIG. */
  readonly configMtimeMs: number;
  /** Region files (`__db.001`...) in the directory, with their modification times. */
  readonly regionFiles: readonly { readonly name: string; readonly mtimeMs: number }[];
  /** Whether a directory named in DB_CONFIG (relative to the environment) exists. */
  readonly directoryExists: (path: string) => boolean;
}

export interface LintOptions {
  /** Shown in results; defaults to `DB_CONFIG`. */
  readonly filePath?: string;
  /** Per-rule severity overrides. */
  readonly rules?: Readonly<Record<string, RuleSetting>>;
  readonly environment?: EnvironmentFacts;
}

/**
 * A directive line as its author meant it: an inline comment, `=` signs and
 * `host:port` tokens are taken apart so later rules judge the intended values
 * (the rules that find those mistakes report them once).
 */
export interface DirectiveView {
  readonly st: Statement;
  readonly spec: DirectiveSpec | undefined;
  readonly name: Token;
  readonly args: readonly Token[];
  /** What is wrong with its values (see arguments.ts); empty for a well-formed line and for an unknown name. */
  readonly problems: readonly ArgumentProblem[];
  /**
   * What a later line of the same setting overrides (see duplicate-setting's
   * settingKey), for a well-formed line of a known directive (a directory
   * directive with a value); undefined otherwise, and for a line that adds
   * rather than overrides (set_data_dir).
   */
  readonly settingKey: string | undefined;
}

export interface Report {
  readonly line: number;
  /** 0-based byte offset in the line. */
  readonly start: number;
  readonly end?: number;
  readonly message: string;
  readonly fix?: Fix;
  /** Overrides the rule's severity for this finding. */
  readonly severity?: Severity;
}

export interface RuleContext {
  readonly doc: DbConfigDocument;
  /** The file's bytes as a binary string. */
  readonly source: string;
  readonly statements: readonly Statement[];
  readonly directives: readonly DirectiveView[];
  /** The directive lines whose values have problems, in file order (usually none). */
  readonly flawed: readonly DirectiveView[];
  /** The lines of one directive, by its canonical name (an outdated name counts as the current one), in file order. */
  named(name: string): readonly DirectiveView[];
  readonly site: SiteDescription;
  readonly environment?: EnvironmentFacts;
  /** Byte offset of the start of a (1-based) line in the file. */
  offset(line: number): number;
  report(report: Report): void;
}

export interface Rule {
  /** Stable ID, documented in docs/rules.md. */
  readonly id: string;
  readonly severity: Severity;
  readonly description: string;
  /**
   * The rule judges each physical line on its own: what it reports on a line
   * depends only on the line's bytes and line ending, and on nothing else in
   * the file but whether the line is the last one (and, for a last line with
   * no line ending, which line ending the file uses most). It reports on
   * that line only, places a fix with offset() of that line, and reads only
   * the line's statements and views (statements, directives, flawed, named)
   * and the line itself (doc.lines): not site, environment or other lines.
   * Lint then judges a line once per distinct text (see line-findings.ts).
   */
  readonly perLine?: true;
  check(ctx: RuleContext): void;
}
