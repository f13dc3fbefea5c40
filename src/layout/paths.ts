import * as path from 'node:path';
import type { Target } from './types.js';

/** The path functions of a target: path.win32 for Windows, path.posix for POSIX, on any machine. */
export function pathApi(target: Target): path.PlatformPath {
  return target === 'windows' ? path.win32 : path.posix;
}

/** A path as a key for comparing: Windows file names are case-insensitive. */
export function pathKey(p: string, target: Target): string {
  return target === 'windows' ? p.toLowerCase() : p;
}

/** Whether `child` is `parent` or below it, by the target's rules (both absolute and normalised). */
export function isSameOrInside(child: string, parent: string, target: Target): boolean {
  const api = pathApi(target);
  const rel = api.relative(pathKey(parent, target), pathKey(child, target));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${api.sep}`) && !api.isAbsolute(rel));
}

export function samePath(a: string, b: string, target: Target): boolean {
  return pathKey(a, target) === pathKey(b, target);
}

/** Whether a path is the root of a file system: `/`, `C:\`, `\\server\share\`. */
export function isFileSystemRoot(p: string, target: Target): boolean {
  const api = pathApi(target);
  return api.dirname(p) === p;
}

/** `C:\` or `C:/`: a drive and its root (`C:foo` is relative to that drive's working directory). */
const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/;
const WINDOWS_UNC = /^[\\/]{2}[^\\/]/;
const WINDOWS_RESERVED = /^(?:CON|PRN|AUX|NUL|COM[0-9\u00b9\u00b2\u00b3]|LPT[0-9\u00b9\u00b2\u00b3])(?:\.[^.]*)?$/i;

/** Why a single folder name cannot be used on the target, or undefined when it can. */
export function checkName(name: string, target: Target): string | undefined {
  if (/[\u0000-\u001f\u007f]/.test(name)) return `the folder name ${JSON.stringify(name)} contains a control character`;
  if (target === 'posix') return undefined;
  if (/[<>:"/\\|?*]/.test(name)) return `the folder name "${name}" contains a character Windows does not allow in names (< > : " / \\ | ? *)`;
  if (/[ .]$/.test(name)) return `the folder name "${name}" ends with a space or a dot, which Windows drops`;
  if (WINDOWS_RESERVED.test(name)) return `"${name}" is a reserved device name on Windows`;
  return undefined;
}

/** A path checked against a target's rules: normalised, or why not. */
export type CheckedPath =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly code: 'wrong-platform' | 'not-absolute' | 'bad-name'; readonly message: string };

/**
 * Check an absolute root path given for a target, and normalise it (separators,
 * `.` and `..`, no trailing separator). A Windows path for a POSIX target, or a
 * POSIX path for a Windows one, is refused: it would create a folder named
 * `C:\POSERA` in the working directory, or a folder on the wrong drive.
 */
export function checkAbsolutePath(raw: string, target: Target): CheckedPath {
  if (/[\u0000-\u001f\u007f]/.test(raw)) return { ok: false, code: 'bad-name', message: `${JSON.stringify(raw)} contains a control character` };
  if (target === 'posix') {
    if (/^[A-Za-z]:(?:[\\/]|$)/.test(raw) || /^\\\\/.test(raw)) return { ok: false, code: 'wrong-platform', message: `${raw} is a Windows path, and the target is POSIX (--target posix); give a path like /srv/site, or use --target windows` };
    if (raw.includes('\\')) return { ok: false, code: 'wrong-platform', message: `${raw} contains a backslash, a Windows separator; the target is POSIX (--target posix): write / between folders` };
    if (!raw.startsWith('/')) return { ok: false, code: 'not-absolute', message: `${raw} is not an absolute POSIX path (it must start with /)` };
    const p = path.posix.normalize(raw);
    return { ok: true, path: p.length > 1 ? p.replace(/\/+$/, '') : p };
  }
  if (/^\/(?!\/)/.test(raw)) return { ok: false, code: 'wrong-platform', message: `${raw} is a POSIX path, and the target is Windows (--target windows); give a path like C:\\POSERA\\MAITRED, or use --target posix` };
  if (!WINDOWS_DRIVE.test(raw) && !WINDOWS_UNC.test(raw)) {
    const hint = /^\\[^\\]/.test(raw) ? " (in an INI file a UNC path \\\\server\\share needs single quotes: root = '\\\\server\\share\\site')" : '';
    return { ok: false, code: 'not-absolute', message: `${raw} is not an absolute Windows path: give the drive (C:\\...) or a UNC path (\\\\server\\share\\...)${hint}` };
  }
  let p = path.win32.normalize(raw);
  const root = path.win32.parse(p).root;
  if (p.length > root.length) p = p.replace(/\\+$/, '');
  if (WINDOWS_UNC.test(raw) && !path.win32.parse(p).root.startsWith('\\\\')) return { ok: false, code: 'not-absolute', message: `${raw} is not a full UNC path: give \\\\server\\share\\...` };
  for (const name of p.slice(path.win32.parse(p).root.length).split('\\').filter((s) => s !== '')) {
    const bad = checkName(name, 'windows');
    if (bad) return { ok: false, code: 'bad-name', message: `${raw}: ${bad}` };
  }
  return { ok: true, path: p };
}

/** Whether a path is absolute by the target's rules (a Windows one needs a drive or a UNC share). */
export function isAbsoluteFor(raw: string, target: Target): boolean {
  return target === 'windows' ? WINDOWS_DRIVE.test(raw) || WINDOWS_UNC.test(raw) : raw.startsWith('/');
}
