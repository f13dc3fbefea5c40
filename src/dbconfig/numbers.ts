import { NUMBER_RANGES, type NumberKind } from './catalogue.js';
import { isCSpace } from './text.js';

export type NumberResult =
  | { readonly ok: true; readonly value: bigint }
  | { readonly ok: false; readonly problem: 'invalid' | 'overflow' | 'below-min' | 'above-max'; readonly limit?: bigint };

const ULONG_MAX = 18446744073709551615n;
const LONG_MAX = 9223372036854775807n;

/**
 * Convert a token exactly as Berkeley DB's __db_getlong/__db_getulong do:
 * strtol/strtoul in base 10 (leading isspace and a sign allowed, no trailing
 * bytes), then the range check of the directive's C type. A negative value for
 * an unsigned field wraps around, so `-1` is "greater than maximum".
 */
export function convertNumber(token: string, kind: NumberKind): NumberResult {
  let i = 0;
  while (i < token.length && isCSpace(token[i])) i++;
  let negative = false;
  if (token[i] === '+' || token[i] === '-') negative = token[i++] === '-';
  const digitsStart = i;
  while (i < token.length && token.charCodeAt(i) >= 48 && token.charCodeAt(i) <= 57) i++;
  if (i === digitsStart || i !== token.length) return { ok: false, problem: 'invalid' };
  const magnitude = BigInt(token.slice(digitsStart, i));
  const unsigned = kind === 'uint' || kind === 'uint32';
  let value: bigint;
  if (unsigned) {
    if (magnitude > ULONG_MAX) return { ok: false, problem: 'overflow' };
    value = negative && magnitude !== 0n ? ULONG_MAX + 1n - magnitude : magnitude;
  } else {
    if (magnitude > (negative ? LONG_MAX + 1n : LONG_MAX)) return { ok: false, problem: 'overflow' };
    value = negative ? -magnitude : magnitude;
  }
  const range = NUMBER_RANGES[kind];
  if (value < range.min) return { ok: false, problem: 'below-min', limit: range.min };
  if (value > range.max) return { ok: false, problem: 'above-max', limit: range.max };
  return { ok: true, value };
}
