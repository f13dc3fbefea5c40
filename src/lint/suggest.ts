import { asciiLower, DIRECTIVES, KNOWN_MISSPELLINGS } from '../dbconfig/catalogue.js';

/**
 * Levenshtein distance, for "did you mean". With `limit`, stops as soon as
 * the distance must exceed it and returns `limit + 1`, so a long token costs
 * no more than the words it could still be a typo of.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    let best = row[0];
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
      if (row[j]! < best) best = row[j]!;
    }
    // Every later row is at least this row's minimum.
    if (best > limit) return limit + 1;
  }
  return row[b.length]!;
}

/** The closest of `candidates` to `word`, if close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = asciiLower(word);
  const allowed = Math.max(2, Math.floor(w.length / 4));
  let best: string | undefined;
  let bestDistance = allowed + 1;
  for (const c of candidates) {
    // NOTE: the bound keeps this linear in the token: a 255-byte chunk of a long comment is
    // compared with every directive name, and no name is within reach of it.
    if (Math.abs(w.length - c.length) >= bestDistance) continue;
    const d = editDistance(w, asciiLower(c), bestDistance - 1);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

export interface NameSuggestion {
  readonly name: string;
  /** Certain enough to rewrite automatically (hyphens, wrong case). */
  readonly safe: boolean;
  readonly why: string;
}

const NAMES = DIRECTIVES.map((d) => d.name);

/** What an unknown directive name was probably meant to be. */
export function suggestDirective(name: string): NameSuggestion | undefined {
  const underscored = name.replace(/-/g, '_');
  const lower = asciiLower(underscored);
  // NOTE: hasOwn, or "constructor" and "__proto__" would find Object.prototype's members.
  if (Object.hasOwn(KNOWN_MISSPELLINGS, lower)) return { name: KNOWN_MISSPELLINGS[lower]!, safe: false, why: `${name} is not read by Berkeley DB 5.3` };
  const exact = NAMES.find((n) => n === lower);
  if (exact && underscored !== name) return { name: exact, safe: true, why: 'Berkeley DB never accepts hyphens in names' };
  if (exact) return { name: exact, safe: true, why: `${exact} is case-sensitive` };
  const near = closest(underscored, NAMES);
  return near ? { name: near, safe: false, why: 'a likely typo' } : undefined;
}
