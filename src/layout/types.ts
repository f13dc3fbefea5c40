/** The machine a layout is for: it decides the path rules (path.posix or path.win32), whichever machine runs provision. */
export type Target = 'posix' | 'windows';

/** The three roots a site has: the program, the data (what backups copy) and the backups. */
export type RootName = 'program' | 'data' | 'backup';

export const ROOT_NAMES: readonly RootName[] = ['program', 'data', 'backup'];

/** The target of the machine provision runs on. */
export function nativeTarget(platform: NodeJS.Platform = process.platform): Target {
  return platform === 'win32' ? 'windows' : 'posix';
}
