/**
 * Carry out a backup plan: copy into `<id>.partial`, write the manifest,
 * read the copy back against it, and only then rename the folder to its final
 * name. Whatever stops it before the rename leaves no folder that looks like a
 * snapshot; an error removes the partial folder, a kill leaves it to be
 * cleaned by a later `--keep`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { count } from '../count.js';
import type { BackupPlan } from './backup-plan.js';
import { copyTree, type CopyItem } from './copy-tree.js';
import { removeTree, writeFileDurable } from './files.js';
import { flushTree } from './flush.js';
import { syncDir } from './hash-copy.js';
import { DATA_DIR, MANIFEST_FILE, MANIFEST_FORMAT, modeString, renderManifest, type BackupManifest, type ManifestEntry } from './manifest.js';
import { DELETING_SUFFIX, parseSnapshotName, PARTIAL_SUFFIX } from './names.js';
import { currentOwner } from './owner.js';
import { OWNER_FILE, readManifest, type SnapshotInfo } from './snapshots.js';
import { describeDifference, verifyTree, type Difference } from './verify.js';
import { makeDirectories } from '../plan/apply.js';

/** A backup that did not produce a snapshot; `refused` ones exit 1, the rest (I/O) 2. */
export class BackupError extends Error {
  constructor(message: string, readonly refused: boolean, readonly differences: readonly Difference[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackupError';
  }
}

export interface ApplyBackupOptions {
  readonly now?: () => Date;
  /** Progress of each phase, in bytes. */
  readonly onProgress?: (phase: 'copy' | 'verify', bytes: number, total: number) => void;
  /**
   * Asked after the copy is verified, before it becomes a snapshot: a reason
   * the data root is in use now (a server started meanwhile) stops the backup.
   */
  readonly stillFree?: () => string | undefined;
  /** Flush the copy to the disk before it becomes a snapshot (default true). */
  readonly sync?: boolean;
}

export interface Removal {
  readonly folder: string;
  readonly id: string;
  readonly state: SnapshotInfo['state'];
  readonly error?: string;
}

export interface BackupResult {
  readonly id: string;
  readonly folder: string;
  readonly manifest: BackupManifest;
  readonly removed: readonly Removal[];
}

/** Make the .partial folder, trying the next name if another backup took this one meanwhile. */
function reserve(plan: BackupPlan): { id: string; partial: string; final: string } {
  const parsed = parseSnapshotName(plan.id);
  for (let n = 0; ; n++) {
    const id = n === 0 ? plan.id : `${parsed!.host}-${parsed!.stamp}-${n}`;
    const partial = path.join(plan.backupRoot, `${id}${PARTIAL_SUFFIX}`);
    const final = path.join(plan.backupRoot, id);
    if (fs.existsSync(final)) continue;
    try {
      fs.mkdirSync(partial);
      return { id, partial, final };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n > 1000) throw error;
    }
  }
}

const ioMessage = (error: unknown) => {
  const e = error as NodeJS.ErrnoException;
  return e.code !== undefined && e.path !== undefined ? `${e.path}: ${e.code}` : e.message;
};

/** Copy, write the manifest, verify, rename: see the module comment. */
export function applyBackup(plan: BackupPlan, options: ApplyBackupOptions = {}): BackupResult {
  if (plan.refusal !== undefined) throw new BackupError(plan.refusal, true);
  const now = options.now ?? (() => new Date());
  const created = now();
  try {
    makeDirectories(plan.backupRoot);
  } catch (error) {
    throw new BackupError(`cannot create the backup root ${plan.backupRoot} (${(error as NodeJS.ErrnoException).code})`, false, [], { cause: error });
  }
  const { id, partial, final } = reserve(plan);
  let manifest: BackupManifest;
  try {
    writeFileDurable(path.join(partial, OWNER_FILE), `${JSON.stringify(currentOwner(created))}\n`);
    const data = path.join(partial, DATA_DIR);
    fs.mkdirSync(data);
    const items: CopyItem[] = plan.copy.map((e) => ({
      path: e.path,
      type: e.type as CopyItem['type'],
      size: e.size,
      mode: e.mode,
      uid: e.uid,
      gid: e.gid,
      atime: e.atime,
      mtime: e.mtime,
      ...(e.target !== undefined ? { target: e.target } : {}),
      sourceIno: e.ino,
      sourceMtime: e.mtime,
    }));
    const hashes = copyTree(plan.source, data, items, { onProgress: (b) => options.onProgress?.('copy', b, plan.bytes) });
    const entries: ManifestEntry[] = plan.copy.map((e) => {
      const owner = { mtime: e.mtime, uid: e.uid, gid: e.gid };
      if (e.type === 'file') return { path: e.path, type: 'file', size: e.size, mode: modeString(e.mode), sha256: hashes.get(e.path)!, ...owner };
      if (e.type === 'symlink') return { path: e.path, type: 'symlink', target: e.target!, ...owner };
      return { path: e.path, type: 'dir', mode: modeString(e.mode), ...owner };
    });
    manifest = {
      format: MANIFEST_FORMAT,
      id,
      host: os.hostname(),
      created: created.toISOString(),
      finished: now().toISOString(),
      source: plan.source,
      kind: plan.kind,
      files: plan.files,
      bytes: plan.bytes,
      entries,
      skipped: plan.skipped,
    };
    writeFileDurable(path.join(partial, MANIFEST_FILE), renderManifest(manifest));
    // NOTE: checked against the manifest as read back from the disk, not the one in memory.
    const check = verifyTree(data, readManifest(partial), { onProgress: (b) => options.onProgress?.('verify', b, plan.bytes) });
    if (!check.ok) {
      const shown = check.differences.slice(0, 5).map(describeDifference).join('; ');
      throw new BackupError(`the copy does not match what was read (${count(check.differences.length, 'difference')}: ${shown}); no snapshot was made`, true, check.differences);
    }
    const busy = options.stillFree?.();
    if (busy !== undefined) throw new BackupError(`${busy}; it started while the backup ran, so the copy may be inconsistent. No snapshot was made.`, true);
    if (options.sync !== false) flushTree(data, manifest.entries);
    fs.rmSync(path.join(partial, OWNER_FILE));
    syncDir(partial);
    fs.renameSync(partial, final);
    syncDir(plan.backupRoot);
  } catch (error) {
    try {
      removeTree(partial);
    } catch {
      // the .partial name already says it is not a snapshot
    }
    if (error instanceof BackupError) throw error;
    const name = (error as Error).name;
    if (name === 'SourceChangedError') throw new BackupError(`${(error as Error).message}: is the server still running? No snapshot was made.`, true, [], { cause: error });
    if (name === 'SnapshotError') throw new BackupError(`the manifest just written cannot be read back: ${(error as Error).message}; no snapshot was made`, false, [], { cause: error });
    if (name === 'WalkError') throw new BackupError(`${(error as Error).message}; no snapshot was made`, false, [], { cause: error });
    throw new BackupError(`cannot write the snapshot: ${ioMessage(error)}; no snapshot was made`, false, [], { cause: error });
  }
  return { id, folder: final, manifest, removed: removeSnapshots(plan.remove) };
}

/**
 * Remove snapshots and interrupted backups. Each is first renamed to
 * `.<id>.deleting`, so one whose removal is interrupted never looks complete.
 */
export function removeSnapshots(list: readonly SnapshotInfo[]): Removal[] {
  return list.map((s) => {
    try {
      let folder = s.folder;
      if (s.state !== 'deleting') {
        folder = path.join(path.dirname(s.folder), `.${s.id}${DELETING_SUFFIX}`);
        fs.renameSync(s.folder, folder);
      }
      removeTree(folder);
      return { folder: s.folder, id: s.id, state: s.state };
    } catch (error) {
      return { folder: s.folder, id: s.id, state: s.state, error: ioMessage(error) };
    }
  });
}
