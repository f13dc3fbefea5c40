import { globToRegExp } from '../../src/cli/glob.js';

/**
 * For a glob whose `**` (if any) are whole names, whether a walk must enter the
 * directory `dir` (a path below the glob's base, with `/`): each of its names
 * matches the glob's at that depth, to the glob's depth, up to a `**`, below
 * which everything is entered.
 */
export function mustEnter(glob: string, dir: string): boolean {
  const parts = glob.split('/');
  const names = dir.split('/');
  for (let i = 0; i < names.length; i++) {
    if (parts[i] === '**') return true;
    if (i >= parts.length - 1 || !globToRegExp(parts[i]!).test(names[i]!)) return false;
  }
  return true;
}
