import { lookupDirective } from './catalogue.js';


/** How a physical line ended: LF, CRLF, or nothing (the last line of a file without a final newline). */
export type Eol = '\n' | '\r\n' | '';

/** A run of non-separator bytes; offsets are 0-based byte offsets into the line's text. */
export interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export type LineKind = 'blank' | 'comment' | 'directive';

/**
 * One physical line, lossless: `text + eol` are its exact bytes. The other
 * fields are derived from `text` and never rendered.
 */
export interface Line {
  /** The line's bytes as a binary string, without its line ending. */
  readonly text: string;
  readonly eol: Eol;
  /** blank, comment (first non-space byte is `#`) or directive, as Berkeley DB classifies it. */
  readonly kind: LineKind;
  /** Leading bytes that C's isspace() skips (space, tab, VT, FF, CR). */
  readonly indent: string;
  /** Space/tab separated tokens after the indent (for comments: of the text after `#`). */
  readonly tokens: readonly Token[];
}

/** A run of bytes other than space and tab (what strsep(" \t\n") leaves between separators). */
const TOKEN = /[^ \t]+/g;
/** The bytes C's isspace() accepts. */
const INDENT = /^[ \t\n\v\f\r]*/;

/** Split `text` on spaces and tabs from `from` on, as `strsep(" \t\n")` does, dropping empty tokens. */
export function tokenize(text: string, from = 0): Token[] {
  const tokens: Token[] = [];
  // A regular expression rather than a loop over characters: every line of every file goes through here.
  TOKEN.lastIndex = from;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) tokens.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return tokens;
}

/** Length of the run of isspace() bytes at the start of `text`. */
export function indentLength(text: string): number {
  return INDENT.exec(text)![0].length;
}

/** What a line's text says, wherever it is: its kind, indent and tokens (and the text, as first seen). */
type LineParse = Pick<Line, 'text' | 'kind' | 'indent' | 'tokens'>;

const MAX_PARSES = 20_000;
/** Parses by text: a fleet's files repeat their lines, and a line's parse never changes (it is read-only). */
const parses = new Map<string, LineParse>();

/** Parse one physical line's text (without its line ending). */
export function parseLine(text: string, eol: Eol): Line {
  let parse = parses.get(text);
  if (parse === undefined) {
    parse = parseText(text);
    // NOTE: a site line is not kept: it names a host and a port, so it is seldom seen twice, and keeping
    // lines never seen again costs the garbage collector more than parsing them.
    const first = parse.tokens[0];
    if (parse.kind !== 'directive' || first === undefined || lookupDirective(first.text)?.shape !== 'site') {
      // Bounded, so a long run keeps its memory.
      if (parses.size >= MAX_PARSES) parses.clear();
      parses.set(text, parse);
    }
  }
  // NOTE: the text the parse was made from, not `text`: every line with these bytes then holds the same
  // string, which the memos keyed by a line's text (statements, views, lint) find without comparing bytes.
  return { text: parse.text, eol, kind: parse.kind, indent: parse.indent, tokens: parse.tokens };
}

function parseText(text: string): LineParse {
  const n = indentLength(text);
  const indent = text.slice(0, n);
  if (n === text.length) return { text, kind: 'blank', indent, tokens: [] };
  if (text[n] === '#') return { text, kind: 'comment', indent, tokens: tokenize(text, n + 1) };
  return { text, kind: 'directive', indent, tokens: tokenize(text, n) };
}
