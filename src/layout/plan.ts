import type { Plan, Change } from '../plan/types.js';
import { effectiveChanges } from '../plan/types.js';
import { renderLayoutManifest } from './manifest.js';
import { pathApi, pathKey } from './paths.js';
import { sortEntries, type LayoutEntry, type LayoutRefusal, type ResolvedLayout } from './resolve.js';

/** What is on disk at one path, as the edge found it. */
export interface PathFact {
  readonly state: 'dir' | 'missing' | 'file' | 'other';
  /** The first symbolic link on the way to this path (the path itself included), and where it points. */
  readonly link?: { readonly path: string; readonly target: string };
  /** An existing folder's permission bits (POSIX). */
  readonly mode?: number;
}

/** What the layout's paths are on this machine; gathered by inspectLayout, so planning stays pure. */
export interface DiskFacts {
  /** Every folder of the layout, and every missing parent up to the nearest one that exists. */
  readonly paths: ReadonlyMap<string, PathFact>;
  readonly manifest: PathFact & { readonly bytes: Buffer | null };
  /** The file-system device of the nearest existing folder at or above the data root and the backup root. */
  readonly devices?: { readonly data: number; readonly backup: number };
}

export interface PlannedEntry extends LayoutEntry {
  readonly exists: boolean;
}

export interface LayoutPlan {
  readonly layout: ResolvedLayout;
  /** The layout's folders and the missing parents it creates, parents first. */
  readonly entries: readonly PlannedEntry[];
  readonly manifest: { readonly path: string; readonly status: 'new' | 'updated' | 'unchanged'; readonly text: string };
  /** mkdir for every missing folder, then the manifest write (a no-op when it already says this). */
  readonly plan: Plan;
  readonly refusals: readonly LayoutRefusal[];
  readonly warnings: readonly string[];
  /** Nothing is missing and the manifest already says this. */
  readonly nothingToDo: boolean;
}

const octal = (mode: number) => `0${mode.toString(8).padStart(3, '0')}`;

/**
 * Plan a resolved layout against what is on disk (pure): create what is
 * missing (and the missing parents above it), leave what exists, write the
 * manifest. Refuses a path through a symbolic link or onto something that is
 * not a folder; warns when data and backup share a file system.
 */
export function planLayout(layout: ResolvedLayout, facts: DiskFacts): LayoutPlan {
  const api = pathApi(layout.target);
  const refusals: LayoutRefusal[] = [];
  const warnings: string[] = [];
  const fact = (p: string): PathFact => facts.paths.get(p) ?? { state: 'missing' };
  const known = new Set(layout.entries.map((e) => pathKey(e.path, layout.target)));
  const found: PlannedEntry[] = [];
  // One refusal per obstacle: a link or a file in the way of several folders is reported once.
  const reported = new Set<string>();
  const refuse = (key: string, r: LayoutRefusal) => {
    if (reported.has(key)) return;
    reported.add(key);
    refusals.push(r);
  };
  const throughLink = (p: string, link: NonNullable<PathFact['link']>) =>
    refuse(`link:${link.path}`, { code: 'symlink', message: `${p} goes through a symbolic link, ${link.path} -> ${link.target}; give the real path, or remove the link` });

  for (const e of layout.entries) {
    const f = fact(e.path);
    if (f.link) throughLink(e.path, f.link);
    else if (f.state === 'file' || f.state === 'other') refuse(`file:${e.path}`, { code: 'not-a-directory', message: `${e.path} exists and is not a folder (the layout's ${label(e)})` });
    // Missing parents above the layout: created too, and shown, without a mode of their own.
    if (f.state === 'missing' && !f.link) {
      for (let dir = api.dirname(e.path); dir !== api.dirname(dir) && !known.has(pathKey(dir, layout.target)); dir = api.dirname(dir)) {
        const up = fact(dir);
        if (up.state === 'file' || up.state === 'other') {
          refuse(`file:${dir}`, { code: 'not-a-directory', message: `${e.path} cannot be created: ${dir} exists and is not a folder` });
          break;
        }
        if (up.state === 'dir') break;
        known.add(pathKey(dir, layout.target));
        found.push({ path: dir, kind: 'parent', environment: false, exists: false });
      }
    }
    found.push({ ...e, exists: f.state === 'dir' });
    if (f.state === 'dir' && e.mode !== undefined && f.mode !== undefined && f.mode !== e.mode) {
      warnings.push(`${e.path} exists with mode ${octal(f.mode)}; the layout says ${octal(e.mode)} (left as it is: chmod ${octal(e.mode)} it if it should be)`);
    }
  }
  const m = facts.manifest;
  if (m.link?.path === layout.manifestPath) refuse('manifest', { code: 'symlink', message: `${layout.manifestPath} is a symbolic link (to ${m.link.target}); provision writes the layout manifest only as a plain file` });
  else if (m.link) throughLink(layout.manifestPath, m.link);
  else if (m.state === 'dir' || m.state === 'other') refuse('manifest', { code: 'not-a-directory', message: `${layout.manifestPath} exists and is not a file; the layout manifest goes there` });

  if (facts.devices && facts.devices.data === facts.devices.backup) {
    warnings.push(`the data root ${layout.roots.data} and the backup root ${layout.roots.backup} are on the same file system: a backup on the same disk is not a backup. Put the backup root on another disk, or copy the backups off this machine.`);
  }

  const entries = sortEntries(found, layout.target);
  const text = renderLayoutManifest(layout.manifest);
  const after = Buffer.from(text);
  const before = m.state === 'file' ? m.bytes : null;
  const changes: Change[] = [
    ...entries.filter((e) => !e.exists).map((e): Change => ({ kind: 'mkdir', path: e.path, ...(e.mode !== undefined ? { mode: e.mode } : {}), reason: `the layout's ${label(e)}` })),
    { kind: 'write', path: layout.manifestPath, before, after, reason: 'the layout manifest: where the roots are, for backup, restore and clean' },
  ];
  const plan: Plan = { changes };
  return {
    layout,
    entries,
    manifest: { path: layout.manifestPath, status: before === null ? 'new' : before.equals(after) ? 'unchanged' : 'updated', text },
    plan,
    refusals,
    warnings,
    nothingToDo: effectiveChanges(plan).length === 0,
  };
}

/** What a folder is in the layout, for people: "program root", "folder of the data root, the Berkeley DB environment". */
export function label(e: LayoutEntry): string {
  if (e.kind === 'parent') return 'parent folder';
  const what = e.kind === 'root' ? `${e.root} root` : `folder of the ${e.root} root`;
  return e.environment ? `${what}, the Berkeley DB environment` : what;
}
