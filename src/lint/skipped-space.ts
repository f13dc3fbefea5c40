import type { NumberKind } from '../dbconfig/catalogue.js';
import { convertNumber } from '../dbconfig/numbers.js';
import { isCSpace } from '../dbconfig/text.js';
import type { DirectiveView } from './types.js';

/** The C conversion Berkeley DB applies to argument `index` of a line, when it reads it as a number. */
function numberKindAt(v: DirectiveView, index: number): NumberKind | undefined {
  const spec = v.spec;
  // repmgr_site HOST PORT [FLAG VALUE]...: the port, and each flag's value unless it is on or off.
  if (spec?.shape === 'site') return index === 1 ? 'uint' : index >= 3 && (index - 3) % 2 === 0 ? 'uint32' : undefined;
  if (spec?.shape !== 'args') return undefined;
  const arg = spec.args[index];
  return arg === undefined || arg.kind === 'keyword' || arg.kind === 'onoff' ? undefined : arg.kind;
}

function leadingSpace(text: string): number {
  let n = 0;
  while (n < text.length && isCSpace(text[n])) n++;
  return n;
}

/**
 * Whether the byte at `at` (an offset in the physical line) is white space
 * that Berkeley DB skips although it does not separate tokens: the indent,
 * the run before a rest-of-line value, and the start of a number, which
 * strtoul reads past (`rep_set_priority \v3` sets 3). Elsewhere a VT, FF or CR
 * glues tokens together or ends up in a value.
 */
export function isSkippedSpace(v: DirectiveView, at: number): boolean {
  const st = v.st;
  if (at < (st.tokens[0]?.start ?? 0)) return true;
  if (st.value != null) return at >= v.name.end && at < st.value.start;
  const index = v.args.findIndex((t) => at >= t.start && at < t.end);
  const token = v.args[index];
  if (token === undefined || at >= token.start + leadingSpace(token.text)) return false;
  const kind = numberKindAt(v, index);
  if (kind === undefined) return false;
  // Out of range is still a number: number-range reports that, and the white space is not the cause.
  const n = convertNumber(token.text, kind);
  return n.ok || n.problem !== 'invalid';
}
