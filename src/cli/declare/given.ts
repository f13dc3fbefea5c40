/**
 * A string option as `{ [key]: value }` when given, else `{}`. An option given
 * twice never gets here: the check every command runs first (option-values.ts)
 * refuses it.
 */
export function given<K extends string>(args: Record<string, unknown>, key: K): { [P in K]?: string } {
  const v = args[key];
  return (v !== undefined ? { [key]: String(v) } : {}) as { [P in K]?: string };
}
