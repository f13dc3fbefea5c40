import * as fs from 'node:fs';
import * as path from 'node:path';

/** A name of one entry, in printable ASCII: what a listing can answer for (see directoryExistsFrom). */
const PLAIN_NAME = /^[\x20-\x2e\x30-\x7e]+$/;

/**
 * Whether a directory a DB_CONFIG names exists, relative paths taken from the
 * environment directory `envDir`, as lint's environment facts ask it
 * (`EnvironmentFacts.directoryExists`). A Windows path cannot be checked from
 * another platform: it is taken to be there.
 *
 * `nearby`, from a listing of `envDir` (see Walker.nearby), holds the name of
 * every entry there that is not a regular file. A plain name it does not hold,
 * in any case, is no directory, without a stat: the name is not there, or is a
 * regular file (a case-insensitive file system would find it in another case).
 * Anything else is asked of the file system. Not on Windows, which also drops a
 * name's trailing spaces and dots and knows short names (DATA~1).
 */
export function directoryExistsFrom(envDir: string, nearby?: readonly string[]): (p: string) => boolean {
  const listed = nearby !== undefined && path.sep === '/' ? nearby : undefined;
  return (p) => {
    if (path.sep === '/' && (/^[A-Za-z]:[\\/]/.test(p) || p.includes('\\'))) return true;
    if (listed !== undefined && p !== '.' && p !== '..' && PLAIN_NAME.test(p) && !holds(listed, p)) return false;
    try {
      // No exception for a name that is not there: lint asks this of many paths that are not, and a throw costs
      // several times the stat.
      return fs.statSync(path.resolve(envDir, p), { throwIfNoEntry: false })?.isDirectory() === true;
    } catch {
      return false;
    }
  };
}

/** Whether `names` may hold `name`: in any case, or as a name outside ASCII, which a file system may fold to it. */
function holds(names: readonly string[], name: string): boolean {
  if (names.length === 0) return false;
  const lower = name.toLowerCase();
  for (let i = 0; i < names.length; i++) {
    const n = names[i]!;
    if (n.toLowerCase() === lower || !ASCII.test(n)) return true;
  }
  return false;
}

const ASCII = /^[\x00-\x7f]*$/;
