import { asciiLower, lookupDirective, type DirectiveSpec } from './catalogue.js';
import { dominantEol, type DbConfigDocument } from './document.js';
import { indentLength, parseLine, type Eol, type Line } from './line.js';
import { fromText } from './text.js';

/**
 * Edits of a DB_CONFIG document. Each returns a new document that differs
 * from the old one only in the lines it must change; new lines copy the
 * spacing and line ending of their neighbours. Names and values are text
 * (UTF-16) and are encoded as UTF-8.
 */

/** Which existing line a directive replaces. */
export interface DirectiveMatch {
  readonly name: string;
  /** Leading arguments that identify the setting (e.g. the flag of set_flags, host and port of repmgr_site). */
  readonly key?: readonly string[];
}

function sameName(spec: DirectiveSpec | undefined, name: string, token: string): boolean {
  if (spec === undefined) return token === name;
  const found = lookupDirective(token);
  return found !== undefined && (found.aliasOf ?? found.name) === (spec.aliasOf ?? spec.name);
}

/** The key arguments that make two lines of this directive the same setting. */
export function keyLength(spec: DirectiveSpec | undefined): number {
  if (spec === undefined) return 0;
  if (spec.repeat === 'per-key') return 1;
  if (spec.repeat === 'per-site') return 2;
  return 0;
}

function keyEquals(spec: DirectiveSpec | undefined, a: readonly string[], b: readonly string[]): boolean {
  return a.every((value, i) => {
    const other = b[i];
    if (other === undefined) return false;
    // Host strings are compared exactly by Berkeley DB; keywords in any case; ports as numbers.
    if (spec?.shape === 'site') return i === 0 ? value === other : Number(value) === Number(other);
    return asciiLower(value) === asciiLower(other);
  });
}

function tokensOf(line: Line, commented: boolean): string[] {
  if (!commented) return line.tokens.map((t) => t.text);
  return commentedTokens(line)?.map((t) => t.text) ?? [];
}

/** Tokens of a comment line's body when it reads as a commented-out directive (`#rep_set_priority 0`). */
export function commentedTokens(line: Line): Line['tokens'] | undefined {
  if (line.kind !== 'comment') return undefined;
  const first = line.tokens[0];
  if (first === undefined || lookupDirective(first.text) === undefined) return undefined;
  return line.tokens;
}

/** Indices of the lines (active, or commented-out when `commented`) that hold this directive. */
export function findDirective(doc: DbConfigDocument, match: DirectiveMatch, commented = false): number[] {
  const spec = lookupDirective(match.name);
  const key = (match.key ?? []).map(fromText);
  const found: number[] = [];
  doc.lines.forEach((line, i) => {
    if (line.kind !== (commented ? 'comment' : 'directive')) return;
    const tokens = tokensOf(line, commented);
    const name = tokens[0];
    if (name === undefined || !sameName(spec, fromText(match.name), name)) return;
    if (keyEquals(spec, key, tokens.slice(1))) found.push(i);
  });
  return found;
}

/** The separator a line uses between its name and first argument (one space when it has none). */
function separatorOf(line: Line | undefined): string {
  const [a, b] = line?.tokens ?? [];
  if (line === undefined || a === undefined || b === undefined) return ' ';
  return line.text.slice(a.end, b.start);
}

/** A line with the same indent, spacing and line ending as `model`, holding `tokens`. */
function restyle(model: Line | undefined, tokens: readonly string[], eol: Eol): Line {
  if (model && model.kind === 'directive' && model.tokens.length === tokens.length) {
    // Same shape: substitute token by token, keeping every separator and trailing space.
    let text = '';
    let at = 0;
    model.tokens.forEach((t, i) => {
      text += model.text.slice(at, t.start) + tokens[i];
      at = t.end;
    });
    return parseLine(text + model.text.slice(at), eol);
  }
  return freshLine(model, tokens, eol);
}

/** A new line in the indent and separator style of `model`. */
function freshLine(model: Line | undefined, tokens: readonly string[], eol: Eol): Line {
  const indent = model?.kind === 'directive' ? model.indent : '';
  return parseLine(indent + tokens.join(separatorOf(model)), eol);
}

function withLines(doc: DbConfigDocument, lines: Line[]): DbConfigDocument {
  return { bom: doc.bom, lines };
}

/** Insert `texts` as new lines before index `at`, copying a neighbour's line ending. */
function insertAt(doc: DbConfigDocument, at: number, build: (eol: Eol) => Line[]): DbConfigDocument {
  const lines = doc.lines.slice();
  const eol = dominantEol(doc);
  const appendingAfterUnterminated = at === lines.length && at > 0 && lines[at - 1]!.eol === '';
  if (appendingAfterUnterminated) {
    // Keep "no final newline": the old last line gains one, the new last line has none.
    const last = lines[at - 1]!;
    lines[at - 1] = parseLine(last.text, eol);
    const added = build(eol);
    const tail = added[added.length - 1];
    if (tail) added[added.length - 1] = parseLine(tail.text, '');
    lines.splice(at, 0, ...added);
  } else {
    lines.splice(at, 0, ...build(eol));
  }
  return withLines(doc, lines);
}

/** Where a new directive naturally goes: after the last line of the same directive or family, else at the end. */
function naturalPlace(doc: DbConfigDocument, name: string): number {
  const prefix = (n: string) => asciiLower(n).split('_').slice(0, 2).join('_');
  const family = (n: string) => {
    const lower = asciiLower(n);
    return lower.startsWith('rep') ? 'rep' : lower.split('_').slice(0, 2).join('_');
  };
  for (const pick of [(n: string) => asciiLower(n) === asciiLower(name), (n: string) => prefix(n) === prefix(name), (n: string) => family(n) === family(name)]) {
    for (let i = doc.lines.length - 1; i >= 0; i--) {
      const line = doc.lines[i]!;
      const first = line.tokens[0];
      if (line.kind === 'directive' && first !== undefined && pick(first.text)) return i + 1;
    }
  }
  let end = doc.lines.length;
  while (end > 0 && doc.lines[end - 1]!.kind === 'blank') end--;
  return end;
}

export interface SetOptions {
  /** Un-comment a commented-out line of the same setting rather than adding one (default true). */
  readonly revive?: boolean;
}

/**
 * Set a directive: replace the last line of the same setting (same name and
 * key), else revive a commented-out one, else insert one in its natural place.
 * Earlier lines of the same setting, which the last one overrides, are left as they are.
 */
export function setDirective(doc: DbConfigDocument, name: string, args: readonly string[], options: SetOptions = {}): DbConfigDocument {
  const spec = lookupDirective(name);
  const key = args.slice(0, keyLength(spec));
  const tokens = [name, ...args].map(fromText);
  const active = findDirective(doc, { name, key });
  const last = active[active.length - 1];
  if (last !== undefined) {
    const line = doc.lines[last]!;
    // The name and key keep their spelling (case, leading zeros); only the values change.
    const n = 1 + key.length;
    const kept = [...line.tokens.slice(0, n).map((t) => t.text), ...tokens.slice(n)];
    const next = restyle(line, kept, line.eol);
    if (next.text === line.text) return doc;
    const lines = doc.lines.slice();
    lines[last] = next;
    return withLines(doc, lines);
  }
  if (options.revive !== false) {
    const dormant = findDirective(doc, { name, key }, true);
    const first = dormant[0];
    if (first !== undefined) {
      const lines = doc.lines.slice();
      const revived = uncommentLine(lines[first]!);
      lines[first] = restyle(revived, tokens, revived.eol);
      return withLines(doc, lines);
    }
  }
  const at = naturalPlace(doc, name);
  const model = [...doc.lines.slice(0, at)].reverse().find((l) => l.kind === 'directive');
  return insertAt(doc, at, (eol) => [freshLine(model, tokens, eol)]);
}

/** Remove every active line of a setting. */
export function removeDirective(doc: DbConfigDocument, match: DirectiveMatch): DbConfigDocument {
  return removeLines(doc, findDirective(doc, match));
}

/** A comment line's directive made active: the `#` and the spaces after it go, the indent stays. */
export function uncommentLine(line: Line): Line {
  if (line.kind !== 'comment') return line;
  const hash = indentLength(line.text);
  let body = hash + 1;
  while (line.text[body] === ' ' || line.text[body] === '\t') body++;
  return parseLine(line.text.slice(0, hash) + line.text.slice(body), line.eol);
}

/** The comment prefix commented-out directives in this document use (`#` or `# `). */
function commentPrefix(doc: DbConfigDocument): string {
  for (const line of doc.lines) {
    if (commentedTokens(line) !== undefined) {
      const hash = indentLength(line.text);
      const first = line.tokens[0]!;
      return line.text.slice(hash, first.start);
    }
  }
  return '#';
}

/** Un-comment the commented-out directives among lines [from, to) (0-based); other comments stay. */
export function uncommentLines(doc: DbConfigDocument, from: number, to: number): DbConfigDocument {
  let changed = false;
  const lines = doc.lines.map((line, i) => {
    if (i < from || i >= to || commentedTokens(line) === undefined) return line;
    changed = true;
    return uncommentLine(line);
  });
  return changed ? withLines(doc, lines) : doc;
}

/** Comment out the active directives among lines [from, to) (0-based), in the document's own comment style. */
export function commentLines(doc: DbConfigDocument, from: number, to: number): DbConfigDocument {
  const prefix = commentPrefix(doc);
  let changed = false;
  const lines = doc.lines.map((line, i) => {
    if (i < from || i >= to || line.kind !== 'directive') return line;
    changed = true;
    return parseLine(line.indent + prefix + line.text.slice(line.indent.length), line.eol);
  });
  return changed ? withLines(doc, lines) : doc;
}

/** Insert lines of text (comments or directives) before line index `at` (0-based). */
export function insertLines(doc: DbConfigDocument, at: number, texts: readonly string[]): DbConfigDocument {
  return insertAt(doc, at, (eol) => texts.map((t) => parseLine(fromText(t), eol)));
}

/** Replace one line's text, keeping its line ending. */
export function replaceLine(doc: DbConfigDocument, index: number, text: string): DbConfigDocument {
  const old = doc.lines[index];
  if (old === undefined) throw new RangeError(`no line ${index + 1}`);
  const next = parseLine(fromText(text), old.eol);
  if (next.text === old.text) return doc;
  const lines = doc.lines.slice();
  lines[index] = next;
  return withLines(doc, lines);
}

/** Rewrite the directive on line index `index` (0-based) to `name args...`, keeping its spacing and line ending. */
export function rewriteDirective(doc: DbConfigDocument, index: number, name: string, args: readonly string[]): DbConfigDocument {
  const old = doc.lines[index];
  if (old === undefined) throw new RangeError(`no line ${index + 1}`);
  const next = restyle(old, [name, ...args].map(fromText), old.eol);
  if (next.text === old.text) return doc;
  const lines = doc.lines.slice();
  lines[index] = next;
  return withLines(doc, lines);
}

/** Insert a directive after line index `after` (0-based; -1 for the top), styled like the line before it. */
export function insertDirective(doc: DbConfigDocument, after: number, name: string, args: readonly string[]): DbConfigDocument {
  const model = doc.lines.slice(0, after + 1).reverse().find((l) => l.kind === 'directive');
  return insertAt(doc, after + 1, (eol) => [freshLine(model, [name, ...args].map(fromText), eol)]);
}

/** Remove lines by index (0-based), keeping "no final newline" when the last line goes. */
export function removeLines(doc: DbConfigDocument, indices: Iterable<number>): DbConfigDocument {
  const drop = new Set(indices);
  if (drop.size === 0) return doc;
  const lines = doc.lines.filter((_, i) => !drop.has(i));
  const hadNoFinalNewline = doc.lines.length > 0 && doc.lines[doc.lines.length - 1]!.eol === '';
  if (hadNoFinalNewline && lines.length > 0 && drop.has(doc.lines.length - 1)) {
    const tail = lines[lines.length - 1]!;
    lines[lines.length - 1] = parseLine(tail.text, '');
  }
  return withLines(doc, lines);
}

/**
 * Split a directive line that carries a `#` comment (which Berkeley DB reads
 * as more values) into the comment, on a line of its own, and the directive.
 * Rest-of-line directives are left alone: for them `#` is part of the value.
 */
export function splitInlineComment(line: Line): { comment: string; directive: string } | undefined {
  const name = line.tokens[0];
  if (line.kind !== 'directive' || name === undefined || lookupDirective(name.text)?.shape === 'string') return undefined;
  const hash = line.text.indexOf('#', name.end);
  if (hash === -1) return undefined;
  return { comment: line.indent + line.text.slice(hash).replace(/[ \t]+$/, ''), directive: line.text.slice(0, hash).replace(/[ \t]+$/, '') };
}

/** Every inline comment moved to its own line above its directive. */
export function moveInlineComments(doc: DbConfigDocument): DbConfigDocument {
  const eol = dominantEol(doc);
  let changed = false;
  const lines = doc.lines.flatMap((line) => {
    const split = splitInlineComment(line);
    if (!split) return [line];
    changed = true;
    return [parseLine(split.comment, line.eol === '' ? eol : line.eol), parseLine(split.directive, line.eol)];
  });
  return changed ? withLines(doc, lines) : doc;
}
