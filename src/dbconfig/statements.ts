import { lookupDirective, MAX_LINE_BYTES, type DirectiveSpec } from './catalogue.js';
import { BOM, type DbConfigDocument } from './document.js';
import { parseLine, type Line, type Token } from './line.js';
import { isCSpace } from './text.js';

/**
 * One line as Berkeley DB reads it. Usually a physical line; a line longer
 * than 255 bytes is read as several (fgets with a 256-byte buffer), and a NUL
 * byte ends what is read of a line.
 */
export interface Statement {
  /** 1-based physical line number. */
  readonly line: number;
  /** Byte offset in the physical line where this read starts (0 unless the line is longer than 255 bytes). */
  readonly offset: number;
  /** 0 for the first read of a physical line, 1, 2, ... for the rest of a long line. */
  readonly part: number;
  /** Bytes after the read was cut at a NUL byte, or undefined. */
  readonly nulAt?: number;
  readonly kind: Line['kind'];
  /** Tokens, with offsets in the physical line. */
  readonly tokens: readonly Token[];
  /** The catalogue entry the first token names, looked up as Berkeley DB does. */
  readonly spec?: DirectiveSpec;
  /**
   * For a rest-of-line directive: its value, verbatim (trailing spaces kept);
   * `null` when the name ends the line, which crashes Berkeley DB.
   */
  readonly value?: { readonly text: string; readonly start: number } | null;
  /** The text Berkeley DB parses (after the indent is skipped it starts at `tokens[0].start - offset`). */
  readonly text: string;
}

/** What one fgets() read yields after Berkeley DB strips the newline and one CR. */
function chunkText(raw: string): { text: string; nulAt?: number } {
  let end = raw.indexOf('\n');
  const nul = raw.indexOf('\0');
  let nulAt: number | undefined;
  if (nul !== -1 && (end === -1 || nul < end)) {
    end = nul;
    nulAt = nul;
  }
  if (end === -1) end = raw.length;
  if (end > 0 && raw[end - 1] === '\r') end--;
  return nulAt === undefined ? { text: raw.slice(0, end) } : { text: raw.slice(0, end), nulAt };
}

function toStatement(lineNo: number, offset: number, part: number, text: string, nulAt: number | undefined, parsed: Line = parseLine(text, '')): Statement {
  const tokens = offset === 0 ? parsed.tokens : parsed.tokens.map((t) => ({ ...t, start: t.start + offset, end: t.end + offset }));
  const first = parsed.tokens[0];
  const spec = parsed.kind === 'directive' && first !== undefined ? lookupDirective(first.text) : undefined;
  let value: Statement['value'];
  if (spec?.shape === 'string') {
    if (first!.end === text.length) value = null;
    else {
      // strsep consumed one separator after the name; then every isspace() byte is skipped.
      let at = first!.end + 1;
      while (at < text.length && isCSpace(text[at])) at++;
      value = { text: text.slice(at), start: at + offset };
    }
  }
  const st: { -readonly [K in keyof Statement]: Statement[K] } = { line: lineNo, offset, part, kind: parsed.kind, tokens, text };
  if (nulAt !== undefined) st.nulAt = nulAt + offset;
  if (spec !== undefined) st.spec = spec;
  if (value !== undefined) st.value = value;
  return st;
}

const MAX_READINGS = 20_000;
/** Statements read from a whole line, by its text, with line 1 (a fleet's files repeat their lines). */
const readings = new Map<string, Statement>();

/** The statement of a line Berkeley DB reads whole. */
function wholeLine(lineNo: number, line: Line): Statement {
  let reading = readings.get(line.text);
  if (reading === undefined) {
    reading = toStatement(1, 0, 0, line.text, undefined, line);
    // A site line is seldom seen twice (see parseLine): it is not kept.
    if (reading.spec?.shape !== 'site') {
      // Bounded, so a long run keeps its memory.
      if (readings.size >= MAX_READINGS) readings.clear();
      readings.set(line.text, reading);
    }
  }
  const st: { -readonly [K in keyof Statement]: Statement[K] } = { line: lineNo, offset: 0, part: 0, kind: reading.kind, tokens: reading.tokens, text: reading.text };
  if (reading.spec !== undefined) st.spec = reading.spec;
  if (reading.value !== undefined) st.value = reading.value;
  return st;
}

/** Read a document the way Berkeley DB reads DB_CONFIG, one Statement per read. */
export function readStatements(doc: DbConfigDocument): Statement[] {
  const out: Statement[] = [];
  const lines = doc.lines;
  // NOTE: an indexed loop, no closure and no string built for a short line: lint runs this cold, once a file.
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const lineNo = index + 1;
    const text = line.text;
    // Berkeley DB does not strip a byte order mark (the bom rule): its bytes are the first of line 1's first read.
    const lead = index === 0 && doc.bom ? BOM.length : 0;
    if (lead + text.length + line.eol.length <= MAX_LINE_BYTES && !text.includes('\0')) {
      // Usually Berkeley DB reads exactly the physical line (a CRLF loses its CR): reuse its parse. Only a
      // CR that ends the text and is not part of CRLF is stripped as well (see chunkText).
      if (line.eol === '\r\n' || text.charCodeAt(text.length - 1) !== 13) out.push(wholeLine(lineNo, line));
      else out.push(toStatement(lineNo, 0, 0, chunkText(text + line.eol).text, undefined));
      continue;
    }
    const raw = text + line.eol;
    for (let offset = 0, part = 0, end = MAX_LINE_BYTES - lead; offset < raw.length; offset = end, end += MAX_LINE_BYTES, part++) {
      const { text, nulAt } = chunkText(raw.slice(offset, end));
      out.push(toStatement(lineNo, offset, part, text, nulAt));
    }
  }
  return out;
}
