import { asciiLower, DIRECTIVES, KNOWN_MISSPELLINGS } from '../dbconfig/catalogue.js';

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The closest of `candidates` to `word`, if close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const w = asciiLower(word);
  for (const c of candidates) {
    const d = editDistance(w, asciiLower(c));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(w.length / 4)) ? best : undefined;
}

export interface NameSuggestion {
  readonly name: string;
  /** Certain enough to rewrite automatically (hyphens, wrong case). */
  readonly safe: boolean;
  readonly why: string;
}

/** What an unknown directive name was probably meant to be. */
export function suggestDirective(name: string): NameSuggestion | undefined {
  const known = KNOWN_MISSPELLINGS[asciiLower(name.replace(/-/g, '_'))];
  if (known) return { name: known, safe: false, why: `${name} is not read by Berkeley DB 5.3` };
  const names = DIRECTIVES.map((d) => d.name);
  const underscored = name.replace(/-/g, '_');
  const exact = names.find((n) => n === asciiLower(underscored));
  if (exact && underscored !== name) return { name: exact, safe: true, why: 'Berkeley DB never accepts hyphens in names' };
  if (exact) return { name: exact, safe: true, why: `${exact} is case-sensitive` };
  const near = closest(underscored, names);
  return near ? { name: near, safe: false, why: 'a likely typo' } : undefined;
}
