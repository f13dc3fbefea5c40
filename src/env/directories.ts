import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Whether a directory a DB_CONFIG names exists, relative paths taken from the
 * environment directory `envDir`, as lint's environment facts ask it
 * (`EnvironmentFacts.directoryExists`). A Windows path cannot be checked from
 * another platform: it is taken to be there.
 */
export function directoryExistsFrom(envDir: string): (p: string) => boolean {
  return (p) => {
    if (path.sep === '/' && (/^[A-Za-z]:[\\/]/.test(p) || p.includes('\\'))) return true;
    try {
      // No exception for a name that is not there: lint asks this of many paths that are not, and a throw costs
      // several times the stat.
      return fs.statSync(path.resolve(envDir, p), { throwIfNoEntry: false })?.isDirectory() === true;
    } catch {
      return false;
    }
  };
}
