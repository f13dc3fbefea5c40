import { constants } from 'node:buffer';

/**
 * DB_CONFIG is bytes, not text: Berkeley DB reads it with `fgets` and splits on
 * ASCII bytes. The document model therefore holds each line as a "binary
 * string" (latin1: one UTF-16 code unit per byte), so offsets are byte offsets
 * and any input, invalid UTF-8 included, survives a round trip unchanged.
 */

/**
 * The most bytes a document can hold: it is parsed from one binary string, and
 * V8's longest string is about 512 MiB. Larger input is a RangeError.
 */
export const MAX_DOCUMENT_BYTES: number = constants.MAX_STRING_LENGTH;

/** Throw the RangeError for input of `length` bytes when it is over MAX_DOCUMENT_BYTES. */
export function checkDocumentSize(length: number): void {
  if (length > MAX_DOCUMENT_BYTES) throw new RangeError(`DB_CONFIG input of ${length} bytes is larger than a document can hold (${MAX_DOCUMENT_BYTES} bytes)`);
}

/** Bytes to a binary string (one char per byte). */
export function fromBytes(bytes: Uint8Array): string {
  checkDocumentSize(bytes.byteLength);
  // A Buffer (what lint reads) decodes itself; another Uint8Array takes a Buffer view first.
  return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString('latin1');
}

/** A binary string back to the exact bytes it came from. */
export function toBytes(binary: string): Buffer {
  return Buffer.from(binary, 'latin1');
}

const ASCII = /^[\x00-\x7f]*$/;

/** Whether every char of `s` is ASCII (below 0x80). */
export function isAscii(s: string): boolean {
  return ASCII.test(s);
}

/**
 * A binary string as the text its bytes spell in UTF-8 (a path to look up on
 * disk, a fix's replacement text in a report), invalid sequences as U+FFFD;
 * ASCII as it is.
 */
export function toText(binary: string): string {
  return isAscii(binary) ? binary : Buffer.from(binary, 'latin1').toString('utf8');
}

/** Text a person typed (UTF-16) to a binary string of its UTF-8 bytes. */
export function fromText(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  checkDocumentSize(bytes.length);
  return bytes.toString('latin1');
}

const PRINTABLE = /^[\x20-\x7e]*$/;

/**
 * A binary string as a person should read it: UTF-8 decoded, with control
 * characters made visible so a message never prints a raw CR, NUL or escape.
 */
export function display(binary: string): string {
  // Printable ASCII reads the same decoded, and has nothing to make visible.
  if (PRINTABLE.test(binary)) return binary;
  const text = Buffer.from(binary, 'latin1').toString('utf8');
  return text.replace(/[\u0000-\u001f\u007f\u00a0\ufeff\ufffd]/g, (c) => {
    if (c === '\ufffd') return '\\ufffd';
    const code = c.charCodeAt(0);
    if (code === 0x09) return '\\t';
    if (code === 0x0d) return '\\r';
    if (code === 0x0a) return '\\n';
    if (code === 0) return '\\0';
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** What C's isspace() accepts in the "C" locale. */
export function isCSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\v' || ch === '\f' || ch === '\r';
}

/** The only bytes Berkeley DB splits tokens on (`strsep(" \t\n")`). */
export function isSeparator(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t';
}
