/** A number and its noun, singular for 1: `1 file`, `2 files`, `3 entries` (`many` for an irregular plural). */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
