/**
 * A fix's replacement text is a binary string (one char per byte); SARIF
 * carries text, so decode its bytes as UTF-8. Returns undefined when the bytes
 * are not valid UTF-8 and decoding would lose them (SARIF then carries them as
 * base64; the JSON report decodes them lossily, see toText).
 */
export function decodeFixText(binary: string): string | undefined {
  const bytes = Buffer.from(binary, 'latin1');
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : undefined;
}
