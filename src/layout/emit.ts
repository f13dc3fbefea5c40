import { LAYOUT_MANIFEST, renderLayoutManifest } from './manifest.js';
import { isFileSystemRoot, pathApi, pathKey } from './paths.js';
import type { LayoutEntry, ResolvedLayout } from './resolve.js';
import { renderTree, type TreeRow } from './tree.js';

/** The ways `--emit` prints a layout for another machine. */
export type EmitFormat = 'tree' | 'json' | 'sh' | 'ps1';
export const EMIT_FORMATS: readonly EmitFormat[] = ['tree', 'json', 'sh', 'ps1'];

const octal = (mode: number) => `0${mode.toString(8).padStart(3, '0')}`;

/** What the tree says about a folder: which root it is, the environment, its mode. */
export function entryNote(e: LayoutEntry): string {
  return [e.kind === 'root' ? `${e.root} root` : '', e.environment ? 'Berkeley DB environment' : '', e.mode !== undefined ? `mode ${octal(e.mode)}` : ''].filter((s) => s !== '').join(', ');
}

/** The rows of a layout's tree: every folder, and the manifest in the program root. */
export function treeRows(entries: readonly LayoutEntry[], manifestPath: string, note: (e: LayoutEntry) => string = entryNote, manifestNote = 'layout manifest'): TreeRow[] {
  const rows: TreeRow[] = [];
  for (const e of entries) {
    rows.push({ path: e.path, folder: true, note: note(e) });
    if (e.kind === 'root' && e.root === 'program') rows.push({ path: manifestPath, folder: false, note: manifestNote });
  }
  return rows;
}

/** The tree of folders the layout creates. */
export function emitTree(layout: ResolvedLayout): string {
  return renderTree(treeRows(layout.entries, layout.manifestPath), layout.target);
}

/** The layout as data: roots, every folder with its mode, and the manifest. */
export function layoutToJson(layout: ResolvedLayout): unknown {
  return {
    target: layout.target,
    ...(layout.preset !== undefined ? { preset: layout.preset } : {}),
    roots: layout.roots,
    environment: layout.environment ?? null,
    folders: layout.entries.map((e) => ({ path: e.path, kind: e.kind, root: e.root ?? null, environment: e.environment, mode: e.mode !== undefined ? octal(e.mode) : null })),
    manifest: { path: layout.manifestPath, content: renderLayoutManifest(layout.manifest) },
  };
}

export function emitJson(layout: ResolvedLayout): string {
  return `${JSON.stringify(layoutToJson(layout), null, 2)}\n`;
}

/** A word for a POSIX shell: single quotes, each ' written as '\''. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A PowerShell literal string: single quotes; PowerShell also ends one at a typographic single quote, so each is doubled too. */
export function psQuote(s: string): string {
  return `'${s.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

const EOF_MARK = 'PROVISION_LAYOUT_MANIFEST';

/**
 * The existing folders above a layout's own, top down, without the file-system
 * root: a link among them would put the whole layout somewhere else. provision
 * layout refuses that on this machine, so the scripts check them too.
 */
export function foldersAbove(layout: ResolvedLayout): string[] {
  const api = pathApi(layout.target);
  const own = new Set(layout.entries.map((e) => pathKey(e.path, layout.target)));
  const above = new Map<string, string>();
  for (const e of layout.entries) {
    for (let p = api.dirname(e.path); !isFileSystemRoot(p, layout.target); p = api.dirname(p)) {
      const key = pathKey(p, layout.target);
      if (!own.has(key)) above.set(key, p);
    }
  }
  // A parent is shorter than its children: by length, then by name, parents come first.
  return [...above.values()].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
}

function heading(layout: ResolvedLayout, comment: string, machine: string): string[] {
  const what = layout.preset !== undefined ? `The ${layout.preset} layout` : 'A layout';
  return [
    `${comment} ${what} for a ${machine} machine, printed by provision layout (docs/layout.md).`,
    `${comment} Creates the folders that are missing${layout.target === 'posix' ? ', with their modes,' : ''} and leaves those that exist;`,
    `${comment} refuses a link above the layout or where a folder goes, and a file where a folder goes;`,
    `${comment} records the roots in ${LAYOUT_MANIFEST}.`,
  ];
}

/**
 * A POSIX shell script that creates the layout: first a refusal of a symbolic
 * link among the folders above it, then `mkdir -p` and `chmod` for each missing
 * folder, every path single-quoted, the manifest through a quoted here-document
 * (nothing in it is expanded) and a rename.
 */
export function emitSh(layout: ResolvedLayout): string {
  const lines = [
    '#!/bin/sh',
    ...heading(layout, '#', 'POSIX'),
    'set -eu',
    '',
    'refuse() {',
    "  printf 'provision layout: refused: %s\\n' \"$1\" >&2",
    '  exit 1',
    '}',
    '',
    '# make_folder PATH [MODE]: create PATH (and its parents) unless it is there; then give it MODE.',
    'make_folder() {',
    '  if [ -L "$1" ]; then refuse "$1 is a symbolic link; give the real path"; fi',
    '  if [ -d "$1" ]; then return 0; fi',
    '  if [ -e "$1" ]; then refuse "$1 exists and is not a folder"; fi',
    '  mkdir -p "$1"',
    '  if [ "$#" -gt 1 ]; then chmod "$2" "$1"; fi',
    '}',
    '',
    '# not_link PATH: refuse when PATH, a folder above the layout, is a symbolic link.',
    'not_link() {',
    '  if [ -L "$1" ]; then refuse "$1 is a symbolic link above the layout; give the real path, or remove the link"; fi',
    '}',
    '',
    ...foldersAbove(layout).map((p) => `not_link ${shQuote(p)}`),
    ...layout.entries.map((e) => `make_folder ${shQuote(e.path)}${e.mode !== undefined ? ` ${octal(e.mode)}` : ''}`),
    '',
    `manifest=${shQuote(layout.manifestPath)}`,
    'if [ -L "$manifest" ] || { [ -e "$manifest" ] && [ ! -f "$manifest" ]; }; then refuse "$manifest is not a plain file"; fi',
    `cat > "$manifest.tmp.$$" <<'${EOF_MARK}'`,
    ...renderLayoutManifest(layout.manifest).replace(/\n$/, '').split('\n'),
    EOF_MARK,
    'mv -f "$manifest.tmp.$$" "$manifest"',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * A PowerShell script that creates the layout on Windows: first a refusal of a
 * link among the folders above it, then New-Item for each missing folder, every
 * path a literal string; the manifest from a literal here-string written as
 * UTF-8 without a BOM to a temporary file, then moved over the old one, so a
 * reader never sees half a manifest.
 */
export function emitPs1(layout: ResolvedLayout): string {
  const lines = [
    ...heading(layout, '#', 'Windows'),
    "$ErrorActionPreference = 'Stop'",
    '',
    'function Add-LayoutFolder([string] $Path) {',
    '  $item = Get-Item -LiteralPath $Path -Force -ErrorAction SilentlyContinue',
    '  if ($null -ne $item) {',
    '    if ($item.LinkType) { throw "provision layout: refused: $Path is a link ($($item.LinkType)); give the real path" }',
    '    if (-not $item.PSIsContainer) { throw "provision layout: refused: $Path exists and is not a folder" }',
    '    return',
    '  }',
    '  New-Item -ItemType Directory -Force -Path $Path | Out-Null',
    '}',
    '',
    'function Assert-NotLink([string] $Path) {',
    '  $item = Get-Item -LiteralPath $Path -Force -ErrorAction SilentlyContinue',
    '  if ($null -ne $item -and $item.LinkType) { throw "provision layout: refused: $Path is a link ($($item.LinkType)) above the layout; give the real path, or remove the link" }',
    '}',
    '',
    ...foldersAbove(layout).map((p) => `Assert-NotLink ${psQuote(p)}`),
    ...layout.entries.map((e) => `Add-LayoutFolder ${psQuote(e.path)}`),
    '',
    `$manifest = ${psQuote(layout.manifestPath)}`,
    '$item = Get-Item -LiteralPath $manifest -Force -ErrorAction SilentlyContinue',
    'if ($null -ne $item -and ($item.LinkType -or $item.PSIsContainer)) { throw "provision layout: refused: $manifest is not a plain file" }',
    "$text = @'",
    ...renderLayoutManifest(layout.manifest).split('\n'),
    "'@",
    "$partial = $manifest + '.tmp.' + $PID",
    '[System.IO.File]::WriteAllText($partial, $text)',
    'Move-Item -LiteralPath $partial -Destination $manifest -Force',
  ];
  return `${lines.join('\n')}\n`;
}
