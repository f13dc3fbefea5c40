import * as path from 'node:path';
import { isOutside, joinNormal, resolvesToItself } from '../../normal-paths.js';

/**
 * A result's file as the user should see it: relative to `cwd` with forward
 * slashes, or absolute when it lies outside `cwd`. Names in angle brackets
 * (`<stdin>`) are not paths and are kept as they are.
 */
export function displayPath(filePath: string, cwd: string): string {
  if (isPseudoPath(filePath)) return filePath;
  // What lint reports is nearly always a plain path below cwd, which path.relative would give back as it is.
  if (!filePath.startsWith('..') && joinNormal(cwd, filePath) !== undefined) return filePath;
  // ...or a plain absolute path outside it (a tree named by its absolute path), which it shows as it is.
  if (isOutside(cwd, filePath)) return filePath;
  const absolute = path.resolve(cwd, filePath);
  const relative = path.relative(cwd, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return toSlashes(absolute);
  return toSlashes(relative);
}

/** The absolute path of a result's file (what ESLint's JSON output carries). */
export function absolutePath(filePath: string, cwd: string): string {
  if (isPseudoPath(filePath)) return filePath;
  // What lint reports is nearly always a plain path below cwd: join it without path.resolve's work.
  return joinNormal(cwd, filePath) ?? (resolvesToItself(filePath) ? filePath : path.resolve(cwd, filePath));
}

export function isPseudoPath(filePath: string): boolean {
  return filePath.startsWith('<') && filePath.endsWith('>');
}

function toSlashes(p: string): string {
  return p.split(path.sep).join('/');
}
