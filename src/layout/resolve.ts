import * as path from 'node:path';
import { LAYOUT_MANIFEST, type LayoutManifest } from './manifest.js';
import type { LayoutSpec } from './parse.js';
import { checkAbsolutePath, checkName, isFileSystemRoot, isSameOrInside, pathApi, pathKey } from './paths.js';
import { ROOT_NAMES, type RootName, type Target } from './types.js';

/** A root as the user gave it, and where (a flag, or file:line), for messages. */
export interface RootValue {
  readonly value: string;
  readonly from: string;
  /** The folder a relative value is relative to (the working directory, or the answers file's); used only when the target is this machine. */
  readonly base?: string;
}

export interface LayoutInput {
  readonly layout: LayoutSpec;
  /** The layout file as shown in messages (`file:line`). */
  readonly source: string;
  readonly preset?: string;
  readonly target: Target;
  /** One folder holding the three roots, placed as the layout says. */
  readonly root?: RootValue;
  /** Each given root wins over the one `root` places. */
  readonly program?: RootValue;
  readonly data?: RootValue;
  readonly backup?: RootValue;
}

/** Why a layout cannot be created as asked: data, so --json and tests can read it. */
export interface LayoutRefusal {
  readonly code:
    | 'recursive-backup' | 'program-in-data' | 'program-in-backup' | 'duplicate' | 'escapes-root' | 'wrong-platform'
    | 'not-absolute' | 'bad-name' | 'file-system-root' | 'symlink' | 'not-a-directory';
  readonly message: string;
}

/** A folder of the resolved layout. */
export interface LayoutEntry {
  /** Absolute, in the target's syntax. */
  readonly path: string;
  /** A root, a folder below one, or a folder above them (`--root`, or a missing parent). */
  readonly kind: 'root' | 'folder' | 'parent';
  readonly root?: RootName;
  readonly environment: boolean;
  /** POSIX targets only. */
  readonly mode?: number;
  /** The layout line that declared it. */
  readonly line?: number;
}

export interface ResolvedLayout {
  readonly target: Target;
  readonly preset?: string;
  readonly roots: Readonly<Record<RootName, string>>;
  readonly environment?: string;
  /** Parents before children. */
  readonly entries: readonly LayoutEntry[];
  readonly manifestPath: string;
  readonly manifest: LayoutManifest;
}

type Checked = { ok: true; path: string } | { ok: false; refusal: LayoutRefusal };

function absolute(v: RootValue, target: Target, native: boolean): Checked {
  let checked = checkAbsolutePath(v.value, target);
  // A relative path is relative to where it was given, and only means something on this machine.
  if (!checked.ok && checked.code === 'not-absolute' && native && v.base !== undefined && v.value.trim() !== '') checked = checkAbsolutePath(pathApi(target).resolve(v.base, v.value), target);
  if (checked.ok) return checked;
  const why = checked.code === 'not-absolute' && !native ? `${checked.message}; a relative path means nothing on another machine` : checked.message;
  return { ok: false, refusal: { code: checked.code, message: `${v.from}: ${why}` } };
}

/** `base` joined with a layout's `/`-separated relative path, refused when it leaves `base` or names what the target cannot hold. */
function below(base: string, rel: string, target: Target, where: string, what: string): Checked {
  const normal = path.posix.normalize(rel === '' ? '.' : rel).replace(/\/+$/, '');
  if (normal === '..' || normal.startsWith('../')) return { ok: false, refusal: { code: 'escapes-root', message: `${where}: ${what} "${rel}" leaves its root (..); a layout may only name folders inside it` } };
  const names = normal === '.' || normal === '' ? [] : normal.split('/');
  for (const name of names) {
    const bad = checkName(name, target);
    if (bad) return { ok: false, refusal: { code: 'bad-name', message: `${where}: ${bad}` } };
  }
  return { ok: true, path: names.length === 0 ? base : pathApi(target).join(base, ...names) };
}

/**
 * Entries in tree order: each folder right before what is inside it, and
 * side by side folders in the order the layout gives them (program, data,
 * backup, then the folders as written), not by name. Parents the layout does
 * not declare take the place of the first folder inside them.
 */
export function sortEntries<T extends LayoutEntry>(entries: readonly T[], target: Target): T[] {
  const sep = pathApi(target).sep;
  const parts = new Map(entries.map((e) => [e, pathKey(e.path, target).split(sep)]));
  const first = new Map<string, number>();
  entries.forEach((e, i) => {
    const p = parts.get(e)!;
    for (let n = 1; n <= p.length; n++) {
      const key = p.slice(0, n).join(sep);
      const rank = e.kind === 'parent' ? Infinity : i;
      if (!(first.get(key)! <= rank)) first.set(key, rank);
    }
  });
  return [...entries].sort((a, b) => {
    const x = parts.get(a)!;
    const y = parts.get(b)!;
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] === y[i]) continue;
      const rx = first.get(x.slice(0, i + 1).join(sep))!;
      const ry = first.get(y.slice(0, i + 1).join(sep))!;
      return rx !== ry ? (rx < ry ? -1 : 1) : x[i]! < y[i]! ? -1 : 1;
    }
    return x.length - y.length;
  });
}

/**
 * Place a layout's folders for a target (pure): the absolute roots, every
 * folder with its mode, the manifest. Refuses, as data, what would make a
 * backup recursive or a restore take the program with it, relative paths that
 * leave their root, paths for the other platform, duplicate folders. `missing`
 * names the roots nobody gave (a usage error, not a refusal).
 */
export function resolveLayout(input: LayoutInput, native: boolean): { layout?: ResolvedLayout; refusals: LayoutRefusal[]; missing: RootName[] } {
  const { layout, target, source } = input;
  const refusals: LayoutRefusal[] = [];
  const missing: RootName[] = [];
  const api = pathApi(target);
  const modes = target === 'posix';
  const at = (line: number) => `${source}:${line}`;

  const defaultRoot = layout.defaultRoot[target];
  const needsRoot = ROOT_NAMES.some((n) => input[n] === undefined);
  const rootValue = input.root ?? (needsRoot && defaultRoot ? { value: defaultRoot.path, from: `${at(defaultRoot.line)} (the preset's ${target}_root)` } : undefined);
  let rootPath: string | undefined;
  if (rootValue && needsRoot) {
    const r = absolute(rootValue, target, native);
    if (r.ok) rootPath = r.path;
    else refusals.push(r.refusal);
  }

  const roots = {} as Record<RootName, string>;
  const entries: LayoutEntry[] = [];
  for (const name of ROOT_NAMES) {
    const given = input[name];
    const spec = layout.roots[name];
    let r: Checked | undefined;
    if (given) r = absolute(given, target, native);
    else if (rootPath !== undefined) r = below(rootPath, spec.path, target, at(spec.line), `the ${name} root`);
    else if (!rootValue) missing.push(name);
    if (!r) continue;
    if (!r.ok) {
      refusals.push(r.refusal);
      continue;
    }
    if (isFileSystemRoot(r.path, target)) {
      refusals.push({ code: 'file-system-root', message: `the ${name} root would be ${r.path}, the root of a file system; give a folder` });
      continue;
    }
    roots[name] = r.path;
    entries.push({ path: r.path, kind: 'root', root: name, environment: false, ...(modes && spec.mode !== undefined ? { mode: spec.mode } : {}), line: spec.line });
  }
  if (missing.length > 0 || refusals.length > 0) return { refusals, missing };

  // Nesting that breaks backup or restore. Program beside or above data and backup is fine (Maitre'D, TapeTrack).
  const inside = (a: RootName, b: RootName) => isSameOrInside(roots[a], roots[b], target);
  if (inside('backup', 'data')) refusals.push({ code: 'recursive-backup', message: `the backup root ${roots.backup} is ${samePlace('backup', 'data', roots, target)} the data root ${roots.data}: every backup would copy the backups before it; put it beside the data root` });
  if (inside('data', 'backup')) refusals.push({ code: 'recursive-backup', message: `the data root ${roots.data} is inside the backup root ${roots.backup}: every backup would be written into what it copies; put it beside the backup root` });
  if (inside('program', 'data')) refusals.push({ code: 'program-in-data', message: `the program root ${roots.program} is ${samePlace('program', 'data', roots, target)} the data root ${roots.data}: a restore replaces the data root, and would take the program (and the layout manifest) with it` });
  if (inside('program', 'backup')) refusals.push({ code: 'program-in-backup', message: `the program root ${roots.program} is ${samePlace('program', 'backup', roots, target)} the backup root ${roots.backup}: old backups there are removed (--keep); keep the program out of it` });
  if (refusals.length > 0) return { refusals, missing };

  // Folders below the roots: declared ones, the environment, and the parents they need.
  const declared = new Map<string, LayoutEntry>();
  const modeOf = (root: RootName, p: string): number | undefined => {
    for (let dir = api.dirname(p); ; dir = api.dirname(dir)) {
      const e = declared.get(pathKey(dir, target));
      if (e?.mode !== undefined) return e.mode;
      if (pathKey(dir, target) === pathKey(roots[root], target) || api.dirname(dir) === dir) return layout.roots[root].mode;
    }
  };
  const addFolder = (root: RootName, p: string, mode: number | undefined, line: number | undefined, environment: boolean) => {
    // The folders between the root and this one, with the mode they inherit.
    const chain: string[] = [];
    for (let dir = api.dirname(p); !isSameOrInside(roots[root], dir, target); dir = api.dirname(dir)) chain.unshift(dir);
    for (const dir of chain) {
      if (!declared.has(pathKey(dir, target))) declared.set(pathKey(dir, target), { path: dir, kind: 'folder', root, environment: false, ...(modes && modeOf(root, dir) !== undefined ? { mode: modeOf(root, dir)! } : {}) });
    }
    const own = modes ? (mode ?? modeOf(root, p)) : undefined;
    const earlier = declared.get(pathKey(p, target));
    if (earlier?.line !== undefined && line !== undefined) {
      refusals.push({ code: 'duplicate', message: `${at(line)}: ${p} is also declared on line ${earlier.line}` });
      return;
    }
    declared.set(pathKey(p, target), { path: p, kind: 'folder', root, environment: environment || (earlier?.environment ?? false), ...(own !== undefined ? { mode: own } : {}), ...(line !== undefined ? { line } : {}) });
  };
  const sorted = [...layout.folders].sort((a, b) => a.rel.split('/').length - b.rel.split('/').length);
  for (const f of sorted) {
    const r = below(roots[f.root], f.rel, target, at(f.line), 'the folder');
    if (!r.ok) refusals.push(r.refusal);
    else if (r.path === roots[f.root]) refusals.push({ code: 'duplicate', message: `${at(f.line)}: [${f.root}/${f.rel}] is the ${f.root} root itself` });
    else addFolder(f.root, r.path, f.mode, f.line, false);
  }
  let environment: string | undefined;
  if (layout.environment) {
    const r = below(roots.data, layout.environment.rel, target, at(layout.environment.line), 'the environment');
    if (!r.ok) refusals.push(r.refusal);
    else {
      environment = r.path;
      if (r.path !== roots.data) {
        const e = declared.get(pathKey(r.path, target));
        if (e) declared.set(pathKey(r.path, target), { ...e, environment: true });
        else addFolder('data', r.path, undefined, undefined, true);
      }
    }
  }
  if (refusals.length > 0) return { refusals, missing };
  const all = [...entries.map((e) => (environment !== undefined && e.root === 'data' && pathKey(e.path, target) === pathKey(environment, target) ? { ...e, environment: true } : e)), ...declared.values()];

  // The same folder twice: a folder of one root that is another root (TapeTrack's [program/var] when data is var).
  const byKey = new Map<string, LayoutEntry>();
  for (const e of all) {
    const k = pathKey(e.path, target);
    const other = byKey.get(k);
    if (other) refusals.push({ code: 'duplicate', message: `${describe(e, source)} and ${describe(other, source)} are the same folder, ${e.path}` });
    else byKey.set(k, e);
  }
  if (rootPath !== undefined && !byKey.has(pathKey(rootPath, target))) all.push({ path: rootPath, kind: 'parent', environment: false });
  if (refusals.length > 0) return { refusals, missing };

  const manifest: LayoutManifest = {
    program: roots.program, data: roots.data, backup: roots.backup,
    ...(environment !== undefined ? { environment } : {}),
    ...(input.preset !== undefined ? { preset: input.preset } : {}),
    target,
  };
  return {
    layout: {
      target,
      ...(input.preset !== undefined ? { preset: input.preset } : {}),
      roots,
      ...(environment !== undefined ? { environment } : {}),
      entries: sortEntries(all, target),
      manifestPath: api.join(roots.program, LAYOUT_MANIFEST),
      manifest,
    },
    refusals: [],
    missing: [],
  };
}

function samePlace(a: RootName, b: RootName, roots: Record<RootName, string>, target: Target): string {
  return pathKey(roots[a], target) === pathKey(roots[b], target) ? 'the same folder as' : 'inside';
}

function describe(e: LayoutEntry, source: string): string {
  if (e.kind === 'root') return `the ${e.root} root`;
  return e.line !== undefined ? `the folder of ${source}:${e.line}` : e.environment ? 'the environment' : `the folder ${e.path}`;
}
