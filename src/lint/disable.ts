import type { DbConfigDocument } from '../dbconfig/document.js';

/** What every disable comment has (after `#` and any white space): a file without it has none. */
export const DISABLE_MARK = 'provision-disable';
const DIRECTIVE = /^#\s*provision-disable-next-line\b(.*)$/;

/** A `# provision-disable-next-line RULE[, RULE] -- reason` comment. */
export interface DisableComment {
  /** Line (1-based) of the comment. */
  readonly line: number;
  /** Rules it silences; empty means every rule. */
  readonly rules: readonly string[];
}

/** Find the disable comments of a document. */
export function findDisableComments(doc: DbConfigDocument): DisableComment[] {
  const found: DisableComment[] = [];
  doc.lines.forEach((line, i) => {
    if (line.kind !== 'comment') return;
    const m = DIRECTIVE.exec(line.text.slice(line.indent.length));
    if (!m) return;
    const list = m[1]!.split(/\s--\s|\s--$/)[0]!;
    const rules = list.split(/[\s,]+/).filter(Boolean);
    found.push({ line: i + 1, rules });
  });
  return found;
}

/** Whether a finding on `line` from `ruleId` is silenced by a comment on the line before. */
export function isDisabled(comments: readonly DisableComment[], line: number, ruleId: string): boolean {
  return comments.some((c) => c.line === line - 1 && (c.rules.length === 0 || c.rules.includes(ruleId)));
}
