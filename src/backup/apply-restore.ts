/**
 * Carry out a restore plan: copy the snapshot into a temporary sibling of the
 * data root (each file checked against the manifest as it is copied), read
 * that copy back against the manifest, and only then swap it in (swap.ts).
 * Until the swap the data root is untouched; an error removes the staged copy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyTree, type CopyItem } from './copy-tree.js';
import { flushTree } from './flush.js';
import { modeNumber, type BackupManifest } from './manifest.js';
import type { RestorePlan } from './restore-plan.js';
import { snapshotData } from './snapshots.js';
import { abandonSwap, beginSwap, JOURNAL_FILE, listSwaps, OLD_DIR, quarantineRootOf, removeSwapFolder, swapIntoPlace, type Swap, type SwapJournal, type SwapOptions } from './swap.js';
import { describeDifference, verifyTree, type Difference } from './verify.js';
import { makeDirectories } from '../plan/apply.js';

/** A restore or undo that did not happen; the data root is as it was. `refused` ones exit 1, the rest (I/O) 2. */
export class RestoreError extends Error {
  constructor(message: string, readonly refused: boolean, readonly differences: readonly Difference[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RestoreError';
  }
}

export interface ApplyRestoreOptions extends SwapOptions {
  readonly now?: Date;
  readonly onProgress?: (phase: 'copy' | 'verify', bytes: number, total: number) => void;
  /** Asked just before the swap: a reason the target is in use now stops the restore. */
  readonly stillFree?: () => string | undefined;
  /** Flush the staged copy to the disk before the swap (default true). */
  readonly sync?: boolean;
}

export interface RestoreResult {
  readonly journal: SwapJournal;
  /** The quarantine folder holding the old contents, when there were any. */
  readonly quarantine?: string;
}

const ioMessage = (error: unknown) => {
  const e = error as NodeJS.ErrnoException;
  return e.code !== undefined && e.path !== undefined ? `${e.path}: ${e.code}` : e.message;
};

function items(manifest: BackupManifest): CopyItem[] {
  return manifest.entries.map((e) => ({
    path: e.path,
    type: e.type,
    size: e.type === 'file' ? e.size : 0,
    mode: e.type === 'symlink' ? 0 : modeNumber(e.mode),
    uid: e.uid,
    gid: e.gid,
    atime: e.mtime,
    mtime: e.mtime,
    ...(e.type === 'symlink' ? { target: e.target } : {}),
    ...(e.type === 'file' ? { sha256: e.sha256 } : {}),
  }));
}

/** Restore `manifest` (already verified in its snapshot) as the plan says. */
export function applyRestore(plan: RestorePlan, manifest: BackupManifest, options: ApplyRestoreOptions = {}): RestoreResult {
  if (plan.invalid !== undefined) throw new RestoreError(plan.invalid, false);
  if (plan.refusal !== undefined) throw new RestoreError(plan.refusal, true);
  try {
    makeDirectories(path.dirname(plan.target));
  } catch (error) {
    throw new RestoreError(`cannot create ${path.dirname(plan.target)} (${(error as NodeJS.ErrnoException).code})`, false, [], { cause: error });
  }
  let swap: Swap;
  try {
    swap = beginSwap(plan.target, plan.staged, 'restore', plan.snapshot, options.now);
  } catch (error) {
    throw new RestoreError(`cannot create the quarantine folder in ${plan.quarantineRoot}: ${ioMessage(error)}; nothing was changed`, false, [], { cause: error });
  }
  try {
    fs.mkdirSync(plan.staged, 0o700);
    copyTree(snapshotData(plan.snapshot), plan.staged, items(manifest), { onProgress: (b) => options.onProgress?.('copy', b, plan.bytes) });
    const check = verifyTree(plan.staged, manifest, { onProgress: (b) => options.onProgress?.('verify', b, plan.bytes) });
    if (!check.ok) {
      const shown = check.differences.slice(0, 5).map(describeDifference).join('; ');
      throw new RestoreError(`the restored copy does not match the manifest (${shown}); ${plan.target} was not touched`, true, check.differences);
    }
    const busy = options.stillFree?.();
    if (busy !== undefined) throw new RestoreError(`${busy}; ${plan.target} was not touched`, true);
    if (options.sync !== false) flushTree(plan.staged, manifest.entries);
  } catch (error) {
    try {
      abandonSwap(swap);
    } catch {
      // the journal says "staging": the next restore removes what is left
    }
    if (error instanceof RestoreError) throw error;
    if ((error as Error).name === 'SourceChangedError') throw new RestoreError(`${(error as Error).message}; ${plan.target} was not touched`, true, [], { cause: error });
    throw new RestoreError(`cannot restore into ${plan.staged}: ${ioMessage(error)}; ${plan.target} was not touched`, false, [], { cause: error });
  }
  return swapIn(swap, options);
}

function swapIn(swap: Swap, options: SwapOptions): RestoreResult {
  let journal: SwapJournal;
  try {
    journal = swapIntoPlace(swap, options);
  } catch (error) {
    // A swap the system refused (an errno: EBUSY, EXDEV, EACCES...) before it changed anything is given up
    // now rather than left to recovery.
    const untouched = typeof (error as NodeJS.ErrnoException).code === 'string' && untouchedBy(swap);
    if (untouched) abandonSwap(swap);
    const state = untouched ? `${swap.journal.target} is as it was` : `the journal ${swap.folder} says how to finish (provision restore --data ${swap.journal.target} --recover)`;
    throw new RestoreError(`cannot swap ${swap.journal.staged} into ${swap.journal.target}: ${ioMessage(error)}; ${state}`, false, [], { cause: error });
  }
  if (!journal.kept) {
    removeSwapFolder(swap.folder); // nothing was replaced, nothing to undo
    return { journal };
  }
  return { journal, quarantine: swap.folder };
}

/** Whether a failed swap left both directories where they were. */
function untouchedBy(swap: Swap): boolean {
  try {
    const current = JSON.parse(fs.readFileSync(path.join(swap.folder, JOURNAL_FILE), 'utf8')) as SwapJournal;
    const target = fs.existsSync(swap.journal.target) ? fs.lstatSync(swap.journal.target).ino : null;
    return current.state === 'swapping' && target === (current.oldIno ?? null) && fs.lstatSync(swap.journal.staged).ino === current.stagedIno;
  } catch {
    return false;
  }
}

/** The restores and undos of a data root that can be undone, oldest first. */
export function undoableSwaps(target: string): Swap[] {
  return listSwaps(target).filter((s) => s.journal.state === 'done' && s.journal.kept === true && fs.existsSync(path.join(s.folder, OLD_DIR)));
}

/**
 * Undo a restore (the newest, or the one named): swap the contents it
 * replaced back in. What the restore put there goes to a new quarantine
 * folder, so an undo can be undone too.
 */
export function undoRestore(target: string, id: string | undefined, options: SwapOptions & { readonly now?: Date; readonly stillFree?: () => string | undefined } = {}): RestoreResult & { readonly undone: string } {
  const all = undoableSwaps(target);
  const q = id === undefined ? all[all.length - 1] : all.find((s) => s.journal.id === id);
  if (q === undefined) {
    throw new RestoreError(id === undefined ? `no restore of ${target} to undo (looked in ${quarantineRootOf(target)})` : `no restore ${id} of ${target} to undo; there are: ${all.map((s) => s.journal.id).join(', ') || 'none'}`, true);
  }
  const busy = options.stillFree?.();
  if (busy !== undefined) throw new RestoreError(`${busy}; nothing was changed`, true);
  const swap = beginSwap(target, path.join(q.folder, OLD_DIR), 'undo', q.folder, options.now);
  const result = swapIn(swap, options);
  removeSwapFolder(q.folder);
  return { ...result, undone: q.journal.id };
}
