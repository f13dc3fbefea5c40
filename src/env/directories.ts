import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAscii } from '../dbconfig/text.js';

/**
 * A name of one entry, in printable ASCII, that no file system lint knows of
 * reads as another: not starting or ending with a dot (`.`, `..`, a trailing
 * dot that FAT drops, a hidden `.snapshot`), no `~` (a FAT short name such as
 * DATA~1). What a listing can answer for (see directoryExistsFrom).
 */
const PLAIN_NAME = /^(?![.])[\x20-\x2e\x30-\x7d]*[\x20-\x2d\x30-\x7d]$/;

/**
 * Whether a directory a DB_CONFIG names exists, relative paths taken from the
 * environment directory `envDir`, as lint's environment facts ask it
 * (`EnvironmentFacts.directoryExists`). A Windows path cannot be checked from
 * another platform: it is taken to be there.
 *
 * `nearby`, from a listing of `envDir` (see Walker.nearby), holds the name of
 * every entry there that is not a regular file. A plain name (PLAIN_NAME) it
 * does not hold, in any case, is no directory, without a stat: the name is not
 * there, or is a regular file (a case-insensitive file system would find it in
 * another case). Anything else is asked of the file system, and everything on
 * Windows, which also drops a name's trailing spaces.
 */
export function directoryExistsFrom(envDir: string, nearby?: readonly string[]): (p: string) => boolean {
  // The listed names in lower case, made at the first question (most files ask none); undefined when a name
  // outside ASCII, which a file system may fold to a plain one, leaves every question to the file system.
  let lower: Set<string> | undefined | null = nearby !== undefined && path.sep === '/' ? null : undefined;
  return (p) => {
    if (path.sep === '/' && (/^[A-Za-z]:[\\/]/.test(p) || p.includes('\\'))) return true;
    if (lower === null) lower = lowerCase(nearby!);
    if (lower !== undefined && PLAIN_NAME.test(p) && !lower.has(p.toLowerCase())) return false;
    try {
      // No exception for a name that is not there: lint asks this of many paths that are not, and a throw costs
      // several times the stat.
      return fs.statSync(path.resolve(envDir, p), { throwIfNoEntry: false })?.isDirectory() === true;
    } catch {
      return false;
    }
  };
}

/** `names` in lower case; undefined when one is outside ASCII. */
function lowerCase(names: readonly string[]): Set<string> | undefined {
  const lower = new Set<string>();
  for (let i = 0; i < names.length; i++) {
    if (!isAscii(names[i]!)) return undefined;
    lower.add(names[i]!.toLowerCase());
  }
  return lower;
}
