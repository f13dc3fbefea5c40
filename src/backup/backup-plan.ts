/**
 * Plan a backup: what to copy, where the snapshot goes, what retention
 * removes, and why it must not go ahead. Pure.
 */
import * as path from 'node:path';
import { count } from '../count.js';
import type { SourceKind } from './manifest.js';
import { PARTIAL_SUFFIX, snapshotName } from './names.js';
import type { SnapshotInfo } from './snapshots.js';
import type { BackupSource, NamedDir } from './source.js';
import type { TreeEntry } from './walk.js';

export interface BackupPlanInput {
  readonly source: BackupSource;
  /** Absolute. */
  readonly backupRoot: string;
  /** Its real path (or, while it does not exist, its nearest existing parent's real path joined with the rest). */
  readonly realBackupRoot: string;
  /** What the backup root holds now (listSnapshots). */
  readonly existing: readonly SnapshotInfo[];
  /** This machine's host name, as os.hostname() gives it. */
  readonly host: string;
  readonly now: Date;
  /** Keep this many complete snapshots of this source and host, the new one included. */
  readonly keep?: number;
  /** Whether the backup root is on the data root's file system. */
  readonly sameFileSystem?: boolean;
}

export interface BackupPlan {
  readonly source: string;
  readonly kind: SourceKind;
  readonly backupRoot: string;
  /** The new snapshot's name, the folder it is written in, and the name it gets once verified. */
  readonly id: string;
  readonly partial: string;
  readonly final: string;
  /** Directories, files and symbolic links to copy, each directory before what it holds. */
  readonly copy: readonly TreeEntry[];
  readonly skipped: readonly { readonly path: string; readonly reason: string }[];
  readonly files: number;
  readonly bytes: number;
  /** What must not be in use: the data root and its replication ports. */
  readonly watch: { readonly dirs: readonly string[]; readonly ports: readonly number[] };
  readonly warnings: readonly string[];
  /** Why the backup must not go ahead (exit 1). */
  readonly refusal?: string;
  /** Removed after the new snapshot is verified: the oldest snapshots beyond --keep, and interrupted backups. */
  readonly remove: readonly SnapshotInfo[];
}

/** Whether `p` is `dir` or below it. */
export function isInside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function commonParent(a: string, b: string): string {
  let dir = a;
  while (!isInside(b, dir)) {
    const up = path.dirname(dir);
    if (up === dir) return dir;
    dir = up;
  }
  return dir;
}

function outsideRefusal(source: BackupSource, d: NamedDir, others: number): string {
  const through = d.real !== undefined && d.real !== d.path ? ` (through a symbolic link to ${d.real})` : '';
  const holder = commonParent(source.root, d.real ?? d.path);
  const more = others > 0 ? ` (and ${count(others, 'more directory', 'more directories')} outside it)` : '';
  return (
    `${d.config}:${d.line}: ${d.directive} ${d.value} is ${d.path}${through}, outside the data root ${source.root}${more}; ` +
    `a backup of the data root alone would miss it. Back up a folder that holds both (--data ${holder}), or move the directory inside.`
  );
}

/** How many symbolic links to name in the warning before "and N more". */
const SHOW_LINKS = 5;

/** Plan a backup of `input.source` into a new snapshot under `input.backupRoot`. */
export function planBackup(input: BackupPlanInput): BackupPlan {
  const { source, existing } = input;
  const warnings: string[] = [];
  let refusal: string | undefined;

  const outside = source.named.filter((d) => !isInside(d.real ?? d.path, d.real !== undefined ? source.real : source.root));
  if (outside.length > 0) refusal = outsideRefusal(source, outside[0]!, new Set(outside.map((d) => d.path)).size - 1);
  else if (isInside(input.realBackupRoot, source.real)) {
    refusal = `the backup root ${input.backupRoot} is inside the data root ${source.root}: every backup would copy the ones before it. Put backups elsewhere (--to DIR).`;
  } else if (isInside(source.real, input.realBackupRoot)) {
    refusal = `the data root ${source.root} is inside the backup root ${input.backupRoot}; keep data and backups apart (--to DIR).`;
  }

  const copy = source.entries.filter((e) => e.type !== 'other');
  const skipped = source.entries.filter((e) => e.type === 'other').map((e) => ({ path: e.path, reason: `${e.what ?? 'not a regular file'}: not copied` }));
  for (const s of skipped) warnings.push(`${s.path} is ${s.reason}`);
  const escaping = copy.filter((e) => e.type === 'symlink' && !isInside(path.resolve(path.dirname(path.join(source.root, e.path)), e.target ?? ''), source.root));
  if (escaping.length > 0) {
    const shown = escaping.slice(0, SHOW_LINKS).map((e) => `${e.path} -> ${e.target}`).join(', ');
    const more = escaping.length > SHOW_LINKS ? ` and ${escaping.length - SHOW_LINKS} more` : '';
    warnings.push(`symbolic links to outside the data root are copied as links, not what they point to: ${shown}${more}`);
  }
  if (input.sameFileSystem === true) warnings.push(`the data root ${source.root} and the backup root ${input.backupRoot} are on the same file system: a backup on the same disk is not a backup`);

  const taken = new Set(existing.map((s) => s.id));
  let id = snapshotName(input.host, input.now);
  for (let n = 1; taken.has(id); n++) id = snapshotName(input.host, input.now, n);

  const remove: SnapshotInfo[] = [];
  const stale = existing.filter((s) => (s.state === 'partial' && s.running === false) || s.state === 'deleting');
  if (input.keep !== undefined) {
    const mine = existing
      .filter((s) => s.state === 'complete' && s.about !== undefined && s.about.host === input.host && s.about.source === source.root)
      .sort((a, b) => (a.about!.created < b.about!.created ? -1 : a.about!.created > b.about!.created ? 1 : a.id < b.id ? -1 : 1));
    remove.push(...mine.slice(0, Math.max(0, mine.length + 1 - input.keep)), ...stale);
  } else if (stale.length > 0) {
    warnings.push(`left by interrupted backups, never complete: ${stale.map((s) => path.basename(s.folder)).join(', ')}; --keep N removes them`);
  }

  const files = copy.filter((e) => e.type === 'file');
  return {
    source: source.root,
    kind: source.kind,
    backupRoot: input.backupRoot,
    id,
    partial: path.join(input.backupRoot, `${id}${PARTIAL_SUFFIX}`),
    final: path.join(input.backupRoot, id),
    copy,
    skipped,
    files: files.length,
    bytes: files.reduce((n, e) => n + e.size, 0),
    watch: { dirs: [source.root], ports: source.ports },
    warnings,
    ...(refusal !== undefined ? { refusal } : {}),
    remove,
  };
}
