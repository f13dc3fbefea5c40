import * as path from 'node:path';

// Shortcuts for the paths lint handles by the ten thousand: path.resolve and path.relative normalise both of
// their arguments on every call, although the paths a walk yields are already normal.

/** A `//`, or a `.` or `..` segment: a path path.resolve would change. */
const NOT_NORMAL = /\/\/|(?:^|\/)\.\.?(?:\/|$)/;

/**
 * `rel` resolved against `dir`, the same string path.resolve gives, when the
 * shortcut is sure to give it: POSIX paths, `dir` absolute and normal, `rel`
 * relative and normal. Undefined otherwise (the caller resolves).
 */
export function joinNormal(dir: string, rel: string): string | undefined {
  if (path.sep !== '/' || !isNormalAbsolute(dir) || !isNormalRelative(rel)) return undefined;
  return dir === '/' ? `/${rel}` : `${dir}/${rel}`;
}

/**
 * `p` relative to `dir`, the same string path.relative gives, when `p` is a
 * normal path strictly inside a normal absolute `dir` (POSIX). Undefined
 * otherwise (the caller asks path.relative).
 */
export function relativeInside(dir: string, p: string): string | undefined {
  if (path.sep !== '/' || !p.startsWith(dir) || !isNormalAbsolute(dir)) return undefined;
  const rest = dir === '/' ? p.slice(1) : p.charCodeAt(dir.length) === 0x2f ? p.slice(dir.length + 1) : undefined;
  return rest !== undefined && isNormalRelative(rest) ? rest : undefined;
}

/**
 * Whether `p` lies outside `dir` (neither it nor below it), both absolute and
 * normal (POSIX): path.relative(dir, p) then climbs out of `dir` (`../...`).
 * False when unsure (the caller asks path.relative).
 */
export function isOutside(dir: string, p: string): boolean {
  if (dir === '/' || !isNormalAbsolute(dir) || !resolvesToItself(p)) return false;
  return !p.startsWith(dir) || (p.length > dir.length && p.charCodeAt(dir.length) !== 0x2f);
}

/** Whether path.resolve gives `p` back as it is, from any directory: an absolute, normal POSIX path. */
export function resolvesToItself(p: string): boolean {
  return path.sep === '/' && p.startsWith('/') && (p.length === 1 || !p.endsWith('/')) && !NOT_NORMAL.test(p);
}

/** The directory isNormalAbsolute judged last, and its verdict: lint asks it of the same cwd for every file. */
let lastAbsolute = '';
let lastVerdict = false;

/** resolvesToItself for a directory, remembered for the last one asked about. */
function isNormalAbsolute(p: string): boolean {
  if (p !== lastAbsolute) {
    lastVerdict = resolvesToItself(p);
    lastAbsolute = p;
  }
  return lastVerdict;
}

function isNormalRelative(p: string): boolean {
  return p !== '' && !p.startsWith('/') && !p.endsWith('/') && !NOT_NORMAL.test(p);
}
