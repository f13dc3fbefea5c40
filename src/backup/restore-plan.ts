/**
 * Plan a restore: how the snapshot takes the data root's place, and why it
 * must not. Pure.
 */
import * as path from 'node:path';
import { count } from '../count.js';
import { isInside } from './backup-plan.js';
import type { BackupManifest } from './manifest.js';
import { quarantineRootOf } from './swap.js';
import type { TreeEntry } from './walk.js';

/** What is at the restore target now. */
export interface TargetState {
  /** Absolute. */
  readonly path: string;
  /** Its real path, or its nearest existing parent's real path joined with the rest. */
  readonly real: string;
  readonly kind: 'absent' | 'dir' | 'symlink' | 'file' | 'other';
  /** A directory's contents (walkTree), the root first. */
  readonly entries: readonly TreeEntry[];
  /** A directory on another file system than its parent (a mounted disk): rename cannot move it. */
  readonly mountPoint?: boolean;
}

export interface RestorePlanInput {
  readonly snapshot: { readonly folder: string; readonly real: string; readonly manifest: BackupManifest };
  readonly target: TargetState;
  readonly replace: boolean;
  /** Replication ports of the environments in the target and in the snapshot: a listener means a server runs. */
  readonly ports: readonly number[];
  readonly now: Date;
}

export interface RestorePlan {
  readonly snapshot: string;
  readonly id: string;
  readonly target: string;
  /** create: the target does not exist; fill: it is an empty directory; replace: its contents go to quarantine. */
  readonly mode: 'create' | 'fill' | 'replace';
  /** The temporary sibling the snapshot is restored into and checked in, before the swap. */
  readonly staged: string;
  readonly quarantineRoot: string;
  readonly files: number;
  readonly bytes: number;
  /** What the target holds now: files and bytes below it, entries directly in it. */
  readonly current: { readonly files: number; readonly bytes: number; readonly entries: number };
  readonly watch: { readonly dirs: readonly string[]; readonly ports: readonly number[] };
  /** The state of the disk forbids it (exit 1). */
  readonly refusal?: string;
  /** The arguments are wrong (exit 2). */
  readonly invalid?: string;
}

/** Plan restoring `input.snapshot` into `input.target`. */
export function planRestore(input: RestorePlanInput): RestorePlan {
  const { snapshot, target, manifest } = { ...input, manifest: input.snapshot.manifest };
  const files = target.entries.filter((e) => e.type === 'file');
  const current = { files: files.length, bytes: files.reduce((n, e) => n + e.size, 0), entries: target.entries.filter((e) => e.path !== '.' && !e.path.includes('/')).length };
  const mode: RestorePlan['mode'] = target.kind === 'absent' ? 'create' : current.entries === 0 ? 'fill' : 'replace';
  let invalid: string | undefined;
  let refusal: string | undefined;
  if (target.kind === 'symlink') invalid = `--data ${target.path} is a symbolic link; give the real directory`;
  else if (target.kind === 'file' || target.kind === 'other') invalid = `--data ${target.path} is not a directory`;
  else if (isInside(snapshot.real, target.real)) invalid = `the snapshot ${snapshot.folder} is inside the target ${target.path}; restore somewhere else`;
  else if (isInside(target.real, snapshot.real)) invalid = `the target ${target.path} is inside the snapshot ${snapshot.folder}`;
  else if (path.dirname(target.path) === target.path) invalid = `cannot restore into the file system root ${target.path}`;
  else if (target.mountPoint === true) {
    refusal = `${target.path} is a mount point: a restore puts the new data root in place with a rename, which cannot replace a mounted file system. Restore into a folder inside it (--data ${path.join(target.path, path.basename(target.path))}), and point the server there`;
  }
  else if (mode === 'replace' && !input.replace) {
    refusal = `${target.path} is not empty (${count(current.entries, 'entry', 'entries')}, ${count(current.files, 'file')} in all); --replace moves what it holds to a quarantine you can undo, and puts the snapshot in its place`;
  }
  const stamp = input.now.toISOString().replace(/[-:]/g, '');
  return {
    snapshot: snapshot.folder,
    id: manifest.id,
    target: target.path,
    mode,
    staged: path.join(path.dirname(target.path), `.${path.basename(target.path)}.restore-${stamp}`),
    quarantineRoot: quarantineRootOf(target.path),
    files: manifest.files,
    bytes: manifest.bytes,
    current,
    watch: { dirs: [target.path], ports: [...new Set(input.ports)].sort((a, b) => a - b) },
    ...(refusal !== undefined ? { refusal } : {}),
    ...(invalid !== undefined ? { invalid } : {}),
  };
}
