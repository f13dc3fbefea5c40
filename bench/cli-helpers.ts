/** Small helpers the stand-alone benches (backup, clean) share: option parsing, machine facts, tables. */
import { spawnSync } from 'node:child_process';

/** A whole-number option of 1 or more, or the fallback when not given. */
export function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number of 1 or more, got "${value}"`);
  return n;
}

/** The file system type and device a directory is on, as `df -T` says. */
export function fileSystemOf(dir: string): string {
  const r = spawnSync('df', ['-T', dir], { encoding: 'utf8' });
  const fields = r.stdout?.trim().split('\n')[1]?.split(/\s+/);
  return fields && fields.length > 1 ? `${fields[1]} (${fields[0]})` : 'unknown';
}

export const ms = (n: number) => (n >= 100 ? `${Math.round(n)} ms` : `${n.toFixed(1)} ms`);

/** Rows as an aligned text table: the first column left-aligned, the others right-aligned. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => rows.reduce((w, r) => Math.max(w, r[c]!.length), 0));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd()).join('\n');
}
