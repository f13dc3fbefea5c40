import { readIni, type IniProblem } from '../config/ini.js';
import { ROOT_NAMES, type RootName, type Target } from './types.js';

/** A folder a layout declares: a root (rel '') or a folder below one. Paths use `/`, whatever the target. */
export interface LayoutFolder {
  readonly root: RootName;
  /** Below the root, `/`-separated as written (checked for the target when resolved); '' for the root itself. */
  readonly rel: string;
  /** POSIX mode; ignored for a Windows target. A folder without one takes its parent's; a root without one, the umask's. */
  readonly mode?: number;
  readonly line: number;
}

/** A layout as its INI file says it (docs/layout.md). */
export interface LayoutSpec {
  readonly description?: string;
  /** Where each root is below `--root`, `/`-separated ('' or '.': `--root` itself). */
  readonly roots: Readonly<Record<RootName, { readonly path: string; readonly mode?: number; readonly line: number }>>;
  /** Folders below the roots, in the order written. */
  readonly folders: readonly LayoutFolder[];
  /** The Berkeley DB environment: the data root or a folder below it. */
  readonly environment?: { readonly rel: string; readonly line: number };
  /** The `--root` used when none is given, per target (Maitre'D: C:\POSERA\MAITRED). */
  readonly defaultRoot: Readonly<Partial<Record<Target, { readonly path: string; readonly line: number }>>>;
}

const LAYOUT_KEYS = ['description', 'environment', 'windows_root', 'posix_root'];
const ROOT_KEYS = ['path', 'mode'];
const FOLDER_KEYS = ['mode'];

/**
 * A POSIX mode written in octal (`0750`, `750`). A folder provision creates
 * must stay usable by its owner: without owner rwx nothing could be put in it.
 */
export function parseMode(text: string): { mode?: number; problem?: string } {
  if (!/^0?[0-7]{3,4}$/.test(text)) return { problem: `mode must be octal like 0750, found "${text}"` };
  const mode = parseInt(text, 8);
  if ((mode & 0o700) !== 0o700) return { problem: `mode ${text} leaves the owner without read, write and search (0700); the folder could not be filled` };
  return { mode };
}

/** Where a relative layout path is wrong as written, whatever the target (escaping the root is checked when resolved). */
function checkRelative(rel: string): string | undefined {
  if (rel.includes('\\')) return `write / between folder names, found "${rel}" (provision writes \\ for a Windows target)`;
  if (rel.startsWith('/') || /^[A-Za-z]:/.test(rel)) return `"${rel}" must be relative to its root; give absolute roots with --root, --program, --data and --backup`;
  if (/[\u0000-\u001f\u007f]/.test(rel)) return `${JSON.stringify(rel)} contains a control character`;
  return undefined;
}

/** Section headers with their lines: readIni reports keys, and a folder section may have none. */
function sectionHeaders(text: string): { name: string; line: number }[] {
  const out: { name: string; line: number }[] = [];
  text.replace(/^\ufeff/, '').split(/\r?\n/).forEach((raw, i) => {
    const header = /^\[(.+)\]$/.exec(raw.trim());
    if (header) out.push({ name: header[1]!.trim(), line: i + 1 });
  });
  return out;
}

/** Parse a layout file (pure): the layout, or every problem with its line. */
export function parseLayout(text: string): { layout?: LayoutSpec; problems: IniProblem[] } {
  const { entries, problems } = readIni(text);
  const out: IniProblem[] = [...problems];
  const headers = sectionHeaders(text);
  const seen = new Map<string, number>();
  for (const h of headers) {
    const earlier = seen.get(h.name);
    if (earlier !== undefined) out.push({ line: h.line, message: `section [${h.name}] is also on line ${earlier}` });
    else seen.set(h.name, h.line);
    if (h.name === 'layout' || (ROOT_NAMES as readonly string[]).includes(h.name)) continue;
    const slash = h.name.indexOf('/');
    const root = slash < 0 ? '' : h.name.slice(0, slash);
    if (!(ROOT_NAMES as readonly string[]).includes(root)) {
      out.push({ line: h.line, message: `unknown section [${h.name}]; the sections are [layout], [program], [data], [backup], and [program/FOLDER], [data/FOLDER] or [backup/FOLDER] for a folder below a root` });
      continue;
    }
    const bad = checkRelative(h.name.slice(slash + 1)) ?? (h.name.slice(slash + 1).trim() === '' ? `[${h.name}] names no folder` : undefined);
    if (bad) out.push({ line: h.line, message: bad });
  }
  const values = new Map<string, Map<string, { value: string; line: number }>>();
  for (const e of entries) {
    const section = e.section;
    if (section === '') {
      out.push({ line: e.line, message: `"${e.key}" is outside a section; put it under [layout], [program], [data], [backup] or a folder's section` });
      continue;
    }
    const allowed = section === 'layout' ? LAYOUT_KEYS : section.includes('/') ? FOLDER_KEYS : ROOT_KEYS;
    if (!allowed.includes(e.key)) {
      out.push({ line: e.line, message: `unknown key "${e.key}" in [${section}]; the keys there are ${allowed.join(', ')}` });
      continue;
    }
    const keys = values.get(section) ?? new Map<string, { value: string; line: number }>();
    values.set(section, keys);
    const earlier = keys.get(e.key);
    if (earlier) out.push({ line: e.line, message: `"${e.key}" is also set on line ${earlier.line}` });
    else keys.set(e.key, { value: e.value, line: e.line });
  }
  const modeOf = (section: string): number | undefined => {
    const m = values.get(section)?.get('mode');
    if (!m) return undefined;
    const parsed = parseMode(m.value);
    if (parsed.problem) out.push({ line: m.line, message: parsed.problem });
    return parsed.mode;
  };

  const roots = {} as Record<RootName, { path: string; mode?: number; line: number }>;
  for (const name of ROOT_NAMES) {
    const line = seen.get(name);
    if (line === undefined) {
      out.push({ line: 1, message: `missing section [${name}] (where the ${name} root is below --root: path = ..., and its mode)` });
      continue;
    }
    const p = values.get(name)?.get('path');
    const bad = p && checkRelative(p.value);
    if (bad) out.push({ line: p.line, message: bad });
    const mode = modeOf(name);
    roots[name] = { path: p?.value ?? name, ...(mode !== undefined ? { mode } : {}), line: p?.line ?? line };
  }

  const folders: LayoutFolder[] = [];
  for (const h of headers) {
    const slash = h.name.indexOf('/');
    if (slash < 0 || !(ROOT_NAMES as readonly string[]).includes(h.name.slice(0, slash)) || seen.get(h.name) !== h.line) continue;
    const mode = modeOf(h.name);
    folders.push({ root: h.name.slice(0, slash) as RootName, rel: h.name.slice(slash + 1).trim(), ...(mode !== undefined ? { mode } : {}), line: h.line });
  }

  const meta = values.get('layout');
  let environment: LayoutSpec['environment'];
  const env = meta?.get('environment');
  if (env) {
    const [first, ...rest] = env.value.split('/');
    const bad = checkRelative(env.value);
    if (bad) out.push({ line: env.line, message: `environment: ${bad}` });
    else if (first !== 'data') out.push({ line: env.line, message: `environment must be the data root or a folder below it (data or data/FOLDER), found "${env.value}": backups copy the data root` });
    else environment = { rel: rest.join('/'), line: env.line };
  }
  const defaultRoot: Partial<Record<Target, { path: string; line: number }>> = {};
  for (const target of ['windows', 'posix'] as const) {
    const v = meta?.get(`${target}_root`);
    if (v) defaultRoot[target] = { path: v.value, line: v.line };
  }
  if (out.length > 0) return { problems: out.sort((a, b) => a.line - b.line) };
  const description = meta?.get('description')?.value;
  return {
    layout: { ...(description !== undefined ? { description } : {}), roots, folders, ...(environment ? { environment } : {}), defaultRoot },
    problems: [],
  };
}
