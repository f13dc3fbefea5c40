/**
 * Keep a topology file in step with a migration by replacing values where
 * they are written, line by line: every other byte (comments, spacing, key
 * order, line endings) stays. The INI reader drops comments, so it never
 * writes a topology file; this edits the text itself, at the places the
 * parser located.
 */

/** Replace the value `old` written at 1-based `line` and byte `column` with `value`. */
export interface ValueEdit {
  readonly line: number;
  readonly column: number;
  readonly old: string;
  readonly value: string;
}

/** A value edit that does not find what it expects where it expects it. */
export class TopologyEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TopologyEditError';
  }
}

/**
 * Apply value edits to the file's bytes. Each edit must find exactly `old`
 * at its place (the file did not change since it was parsed) and `value` may
 * not hold a line break or control character, so no edit can add a key or a
 * section. Pure.
 */
export function editTopologyValues(bytes: Buffer, edits: readonly ValueEdit[]): Buffer {
  // Physical lines with their endings, as bytes (a BOM stays on line 1, before its columns).
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      lines.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const sorted = [...edits].sort((a, b) => a.line - b.line || b.column - a.column);
  for (const e of sorted) {
    if (/[\u0000-\u001f\u007f]/.test(e.value)) throw new TopologyEditError(`line ${e.line}: the new value ${JSON.stringify(e.value)} contains a control character`);
    const line = lines[e.line - 1];
    if (line === undefined) throw new TopologyEditError(`line ${e.line}: the topology file has only ${lines.length} lines`);
    const at = e.column - 1 + (e.line === 1 ? bom : 0);
    const old = Buffer.from(e.old, 'utf8');
    if (!line.subarray(at, at + old.length).equals(old)) {
      throw new TopologyEditError(`line ${e.line}:${e.column}: expected ${JSON.stringify(e.old)} there; the topology file changed since it was read`);
    }
    lines[e.line - 1] = Buffer.concat([line.subarray(0, at), Buffer.from(e.value, 'utf8'), line.subarray(at + old.length)]);
  }
  return Buffer.concat(lines);
}
