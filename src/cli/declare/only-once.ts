import { CliError } from '../errors.js';

/** A string option as `{ [key]: value }` when given, refusing one given twice (yargs would make it a list). */
export function onlyOnce<K extends string>(args: Record<string, unknown>, key: K): { [P in K]?: string } {
  const v = args[key];
  if (Array.isArray(v)) throw new CliError(`--${key} is given ${v.length} times; give it once`);
  return (v !== undefined ? { [key]: String(v) } : {}) as { [P in K]?: string };
}
