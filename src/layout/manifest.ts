import * as fs from 'node:fs';
import * as path from 'node:path';
import { readIni, type IniProblem } from '../config/ini.js';
import { checkAbsolutePath, isSameOrInside, samePath } from './paths.js';
import { nativeTarget, type Target } from './types.js';
import { ioReason } from '../io-reason.js';

/** The manifest's file name, in the program root. */
export const LAYOUT_MANIFEST = 'provision-layout.ini';

/**
 * Where a site's roots are, as `provision layout` recorded them in the
 * program root, so `backup`, `restore` and `clean` find the backup root
 * without being told. Paths are absolute, in the target's syntax.
 */
export interface LayoutManifest {
  readonly program: string;
  readonly data: string;
  readonly backup: string;
  /** The Berkeley DB environment (the data root or a folder below it). */
  readonly environment?: string;
  /** The preset the layout came from. */
  readonly preset?: string;
  readonly target: Target;
}

/** A manifest that cannot be read or is wrong; the message names file:line where there is one. */
export class LayoutManifestError extends Error {
  constructor(message: string, readonly file: string, readonly line?: number, options?: { cause?: unknown }) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${message}`, options);
    this.name = 'LayoutManifestError';
  }
}

const FORMAT = '1';
const KEYS = ['format', 'target', 'preset', 'program', 'data', 'backup', 'environment'] as const;

/**
 * The manifest's text. Values are JSON strings, which the INI reader decodes
 * exactly: an unquoted `\\server\share` would lose a backslash, and a `;` or
 * `#` in a folder name would start a comment. No timestamp: the same layout
 * gives the same bytes, so a second run has nothing to write.
 */
export function renderLayoutManifest(m: LayoutManifest): string {
  const lines = [
    '; Written by provision layout: where this site\'s roots are (docs/layout.md).',
    '; provision backup, restore and clean read it. Run provision layout again after moving a root.',
    `format = ${FORMAT}`,
    `target = ${m.target}`,
    ...(m.preset !== undefined ? [`preset = ${m.preset}`] : []),
    `program = ${JSON.stringify(m.program)}`,
    `data = ${JSON.stringify(m.data)}`,
    `backup = ${JSON.stringify(m.backup)}`,
    ...(m.environment !== undefined ? [`environment = ${JSON.stringify(m.environment)}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}

/** Parse a manifest's text (pure): the manifest, or the problems with their lines. */
export function parseLayoutManifest(text: string): { manifest?: LayoutManifest; problems: IniProblem[] } {
  const { entries, problems } = readIni(text);
  const out: IniProblem[] = [...problems];
  const values = new Map<string, { value: string; line: number }>();
  for (const e of entries) {
    if (e.section !== '') out.push({ line: e.line, message: `a layout manifest has no sections; found [${e.section}]` });
    else if (!(KEYS as readonly string[]).includes(e.key)) out.push({ line: e.line, message: `unknown key "${e.key}"; the keys are ${KEYS.join(', ')}` });
    else if (values.has(e.key)) out.push({ line: e.line, message: `"${e.key}" is also set on line ${values.get(e.key)!.line}` });
    else values.set(e.key, { value: e.value, line: e.line });
  }
  const format = values.get('format');
  if (format && format.value !== FORMAT) out.push({ line: format.line, message: `format ${format.value} is not one this provision reads (${FORMAT}); use a newer provision` });
  // A key is reported missing only in an otherwise readable file: a syntax error may be what hid it.
  const complete = out.length === 0;
  const target = values.get('target');
  if (!target) {
    if (complete) out.push({ line: 1, message: 'missing "target" (posix or windows)' });
  }
  else if (target.value !== 'posix' && target.value !== 'windows') out.push({ line: target.line, message: `target must be posix or windows, found "${target.value}"` });
  const t = (target?.value === 'windows' ? 'windows' : 'posix') as Target;
  const paths: Record<string, string> = {};
  for (const key of ['program', 'data', 'backup', 'environment'] as const) {
    const v = values.get(key);
    if (!v) {
      if (key !== 'environment' && complete) out.push({ line: 1, message: `missing "${key}" (the ${key} root)` });
      continue;
    }
    const checked = checkAbsolutePath(v.value, t);
    if (!checked.ok) out.push({ line: v.line, message: `${key}: ${checked.message}` });
    else paths[key] = checked.path;
  }
  if (out.length > 0 || !target) return { problems: out.sort((a, b) => a.line - b.line) };
  const preset = values.get('preset')?.value;
  return {
    manifest: {
      program: paths.program!,
      data: paths.data!,
      backup: paths.backup!,
      ...(paths.environment !== undefined ? { environment: paths.environment } : {}),
      ...(preset !== undefined && preset !== '' ? { preset } : {}),
      target: t,
    },
    problems: [],
  };
}

function readManifestFile(file: string): LayoutManifest | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new LayoutManifestError(`cannot read the layout manifest: ${ioReason(error)}`, file, undefined, { cause: error });
  }
  const { manifest, problems } = parseLayoutManifest(text);
  if (!manifest) throw new LayoutManifestError(problems[0]!.message, file, problems[0]!.line);
  return manifest;
}

/**
 * The manifest in a program root, or undefined when there is none. Throws a
 * LayoutManifestError (naming file:line) when it cannot be read or is wrong,
 * also when it was moved: a manifest whose program root is not the folder it
 * lies in would send backups to the old place.
 */
export function readLayoutManifest(programRoot: string): LayoutManifest | undefined {
  const file = path.join(programRoot, LAYOUT_MANIFEST);
  const manifest = readManifestFile(file);
  if (!manifest || manifest.target !== nativeTarget()) return manifest;
  if (!samePath(realOr(manifest.program), realOr(programRoot), manifest.target)) {
    throw new LayoutManifestError(`says the program root is ${manifest.program}, but it is in ${path.resolve(programRoot)}; run provision layout again to record where the roots are now`, file);
  }
  return manifest;
}

function realOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

function childDirs(dir: string): string[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(dir, e.name)).sort();
  } catch {
    return [];
  }
}

/**
 * Find the layout manifest of the site a folder belongs to: from `startDir`
 * up, in each folder and in its subfolders (Maitre'D keeps PRG beside DATA and
 * BACKUP, so the manifest is a sibling of the data root, not an ancestor).
 * Only a manifest whose program, data or backup root holds `startDir` counts.
 * Undefined when none does; throws LayoutManifestError for a broken one when no good one is found.
 */
export function findLayoutManifest(startDir: string): { file: string; manifest: LayoutManifest } | undefined {
  const start = path.resolve(startDir);
  const target = nativeTarget();
  const holds = (m: LayoutManifest) => m.target === target && [m.program, m.data, m.backup].some((root) => isSameOrInside(start, root, target) || isSameOrInside(realOr(start), realOr(root), target));
  // A broken manifest is reported only when no good one is found: it may belong to another site.
  let broken: LayoutManifestError | undefined;
  for (let dir = start; ; dir = path.dirname(dir)) {
    // NOTE: the start folder's own subfolders are not searched: a data root may hold many, and never the program root.
    for (const candidate of dir === start ? [dir] : [dir, ...childDirs(dir)]) {
      const file = path.join(candidate, LAYOUT_MANIFEST);
      if (!fs.existsSync(file)) continue;
      try {
        const manifest = readManifestFile(file);
        if (manifest && holds(manifest)) return { file, manifest };
      } catch (error) {
        if (!(error instanceof LayoutManifestError)) throw error;
        broken ??= error;
      }
    }
    if (path.dirname(dir) === dir) {
      if (broken) throw broken;
      return undefined;
    }
  }
}
