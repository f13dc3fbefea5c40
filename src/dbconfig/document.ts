import { parseLine, type Eol, type Line } from './line.js';
import { fromBytes, fromText, toBytes } from './text.js';

/** A UTF-8 byte order mark, as a binary string (see text.ts). */
export const BOM = '\xef\xbb\xbf';

/**
 * A DB_CONFIG file as a list of lines that keeps every byte.
 * `renderDbConfig(parseDbConfig(bytes))` returns `bytes` for every input.
 */
export interface DbConfigDocument {
  /** The file starts with a UTF-8 byte order mark (kept out of the first line's text). */
  readonly bom: boolean;
  readonly lines: readonly Line[];
}

/**
 * Parse DB_CONFIG bytes. Any input, valid or not, is a document; only input
 * larger than one string can hold (MAX_DOCUMENT_BYTES, about 512 MiB) is a
 * RangeError. A string is taken as text and encoded as UTF-8.
 */
export function parseDbConfig(input: Uint8Array | string): DbConfigDocument {
  return parseBinary(typeof input === 'string' ? fromText(input) : fromBytes(input));
}

/** Parse a file's bytes given as a binary string (see text.ts), for a caller that needs that string too. */
export function parseBinary(binary: string): DbConfigDocument {
  let src = binary;
  const bom = src.startsWith(BOM);
  if (bom) src = src.slice(BOM.length);
  const lines: Line[] = [];
  let start = 0;
  while (start < src.length) {
    const lf = src.indexOf('\n', start);
    if (lf === -1) {
      lines.push(parseLine(src.slice(start), ''));
      break;
    }
    const crlf = lf > start && src[lf - 1] === '\r';
    const eol: Eol = crlf ? '\r\n' : '\n';
    lines.push(parseLine(src.slice(start, crlf ? lf - 1 : lf), eol));
    start = lf + 1;
  }
  return { bom, lines };
}

/** The document's exact bytes as a binary string. */
export function renderDbConfigText(doc: DbConfigDocument): string {
  let out = doc.bom ? BOM : '';
  for (const line of doc.lines) out += line.text + line.eol;
  return out;
}

/** The document's exact bytes. */
export function renderDbConfig(doc: DbConfigDocument): Buffer {
  return toBytes(renderDbConfigText(doc));
}

/** Byte offset of the start of each line in the rendered file (BOM included). */
export function lineOffsets(doc: DbConfigDocument): number[] {
  const offsets: number[] = [];
  let at = doc.bom ? BOM.length : 0;
  for (const line of doc.lines) {
    offsets.push(at);
    at += line.text.length + line.eol.length;
  }
  return offsets;
}

/** The line ending most lines use (LF when there is none), for new lines. */
export function dominantEol(doc: DbConfigDocument): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (const line of doc.lines) {
    if (line.eol === '\r\n') crlf++;
    else if (line.eol === '\n') lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}
