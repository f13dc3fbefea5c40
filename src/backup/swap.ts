/**
 * Put a staged directory in the place of a data root, keeping the old one in
 * a quarantine folder, such that a kill at any moment leaves the old root or
 * the new one in place, never a mix.
 *
 * Each swap has a folder in the data root's quarantine
 * (`<parent>/.provision-quarantine/<name>/restore-<time>/`) holding a journal,
 * `restore.json`, written before each step, and once done `data/`, the old
 * contents. The swap itself is one atomic exchange of the two directories
 * where the system has it (exchange.ts); elsewhere it is two renames, and a
 * kill between them (the root briefly absent) is finished by recoverSwaps,
 * which every later restore runs first.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultQuarantineRoot, makeUniqueFolder } from '../env/quarantine.js';
import { exchangePaths } from './exchange.js';
import { removeTree, writeFileDurable } from './files.js';
import { syncDir } from './hash-copy.js';
import { currentOwner, ownerAlive, type Owner } from './owner.js';

export const JOURNAL_FILE = 'restore.json';
/** The folder inside a swap's quarantine folder that holds the old contents. */
export const OLD_DIR = 'data';

export interface SwapJournal {
  readonly kind: 'provision-restore';
  /** The quarantine folder's name. */
  readonly id: string;
  readonly action: 'restore' | 'undo';
  readonly target: string;
  /** The directory that takes the target's place. */
  readonly staged: string;
  /** A copy made for this swap (removed when the swap is rolled back); an undo's staged folder is not. */
  readonly stagedIsCopy: boolean;
  /** The snapshot restored from, or the quarantine folder an undo takes back. */
  readonly from: string;
  readonly state: 'staging' | 'swapping' | 'done';
  readonly owner: Owner;
  readonly created: string;
  readonly stagedIno?: number;
  /** The target's inode before the swap; null when it did not exist. */
  readonly oldIno?: number | null;
  /** Once done: whether the old contents are kept in OLD_DIR (an empty or absent target leaves nothing). */
  readonly kept?: boolean;
  readonly finished?: string;
}

/** A swap folder and its journal. */
export interface Swap {
  readonly folder: string;
  readonly journal: SwapJournal;
}

/** Steps a test may stop at, to play a kill at that moment. */
export type SwapStep = 'before-swap' | 'after-exchange' | 'between-renames' | 'before-done';

export interface SwapOptions {
  /** Use the atomic exchange where available (default true); false forces two renames. */
  readonly exchange?: boolean;
  /** Called at each step; throwing from it leaves the disk as a kill there would. */
  readonly at?: (step: SwapStep) => void;
}

/** Where the quarantine folders of a data root are: beside it, on its file system, as for provision clean. */
export const quarantineRootOf = (target: string) => defaultQuarantineRoot(target);

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '');
}

function lstat(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function save(folder: string, journal: SwapJournal): SwapJournal {
  writeFileDurable(path.join(folder, JOURNAL_FILE), `${JSON.stringify(journal, null, 2)}\n`);
  return journal;
}

/** Start a swap: make its quarantine folder and journal (state "staging") before anything is staged. */
export function beginSwap(target: string, staged: string, action: SwapJournal['action'], from: string, now: Date = new Date()): Swap {
  const root = quarantineRootOf(target);
  const { id, folder } = makeUniqueFolder(root, `${action}-${stamp(now)}`);
  const journal = save(folder, { kind: 'provision-restore', id, action, target, staged, stagedIsCopy: action === 'restore', from, state: 'staging', owner: currentOwner(now), created: now.toISOString() });
  return { folder, journal };
}

/** Remove a swap's folder, and the quarantine folders above it once they are empty. */
export function removeSwapFolder(folder: string): void {
  removeTree(folder);
  for (let dir = path.dirname(folder), n = 0; n < 2; dir = path.dirname(dir), n++) {
    try {
      fs.rmdirSync(dir);
    } catch {
      return; // not empty, or not ours to remove
    }
  }
}

/** Give up a swap that has not started: remove the staged copy and the folder. */
export function abandonSwap(swap: Swap): void {
  if (swap.journal.stagedIsCopy) removeTree(swap.journal.staged);
  removeSwapFolder(swap.folder);
}

const isEmptyDir = (p: string) => fs.readdirSync(p).length === 0;

/**
 * Put the staged directory in the target's place. An absent or empty target
 * is replaced by one rename; a non-empty one is exchanged with the staged
 * directory (or, without exchange, renamed away first), then moved into the
 * quarantine folder.
 */
export function swapIntoPlace(swap: Swap, options: SwapOptions = {}): SwapJournal {
  const { folder } = swap;
  const { target, staged } = swap.journal;
  const old = lstat(target);
  let journal = save(folder, { ...swap.journal, state: 'swapping', stagedIno: fs.lstatSync(staged).ino, oldIno: old?.ino ?? null });
  options.at?.('before-swap');
  let kept: boolean;
  if (old === undefined || (old.isDirectory() && isEmptyDir(target))) {
    try {
      fs.renameSync(staged, target); // POSIX: replaces an empty directory in one step
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (old === undefined || (code !== 'EEXIST' && code !== 'ENOTEMPTY' && code !== 'EPERM')) throw error;
      fs.rmdirSync(target); // Windows will not rename over a directory; it was empty
      fs.renameSync(staged, target);
    }
    kept = false;
  } else if (options.exchange !== false && exchangePaths(staged, target)) {
    options.at?.('after-exchange');
    fs.renameSync(staged, path.join(folder, OLD_DIR));
    kept = true;
  } else {
    fs.renameSync(target, path.join(folder, OLD_DIR));
    options.at?.('between-renames');
    try {
      fs.renameSync(staged, target);
    } catch (error) {
      fs.renameSync(path.join(folder, OLD_DIR), target);
      throw error;
    }
    kept = true;
  }
  syncDir(path.dirname(target));
  options.at?.('before-done');
  journal = save(folder, { ...journal, state: 'done', kept, finished: new Date().toISOString() });
  return journal;
}

/** What recoverSwaps did with one interrupted swap. */
export interface Recovery {
  readonly id: string;
  readonly folder: string;
  readonly action: SwapJournal['action'];
  /** finished: the new root is in place; rolled-back: the old one is; running: another process still owns it (left alone). */
  readonly outcome: 'finished' | 'rolled-back' | 'running';
  readonly detail: string;
}

/** The swap folders of a data root, oldest first, with their journals. */
export function listSwaps(target: string): Swap[] {
  const root = quarantineRootOf(target);
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^(restore|undo)-/.test(n))
    .flatMap((id) => {
      const folder = path.join(root, id);
      try {
        const journal = JSON.parse(fs.readFileSync(path.join(folder, JOURNAL_FILE), 'utf8')) as SwapJournal;
        return journal.kind === 'provision-restore' && journal.target === target ? [{ folder, journal }] : [];
      } catch {
        return [];
      }
    })
    .sort((a, b) => (a.journal.created < b.journal.created ? -1 : a.journal.created > b.journal.created ? 1 : a.journal.id < b.journal.id ? -1 : 1));
}

/** Swaps of `target` that did not finish, and whose process is gone. */
export function unfinishedSwaps(target: string): (Swap & { running: boolean | undefined })[] {
  return listSwaps(target)
    .filter((s) => s.journal.state !== 'done')
    .map((s) => ({ ...s, running: ownerAlive(s.journal.owner) }));
}

/**
 * Finish or roll back every interrupted swap of `target`, so the target holds
 * either its old contents or the new ones and the quarantine says which. A
 * swap whose exchange happened is finished; one that had not started is
 * rolled back (a staged copy removed); two renames cut in the middle are
 * finished. A swap another live process owns is left alone.
 */
export function recoverSwaps(target: string): Recovery[] {
  const out: Recovery[] = [];
  // An undo empties the folder it took the old contents from; one cut short may leave that folder behind.
  for (const done of listSwaps(target)) {
    if (done.journal.state === 'done' && done.journal.kept === true && lstat(path.join(done.folder, OLD_DIR)) === undefined) removeSwapFolder(done.folder);
  }
  for (const swap of unfinishedSwaps(target)) {
    const { folder, journal } = swap;
    const base = { id: journal.id, folder, action: journal.action };
    if (swap.running !== false) {
      out.push({ ...base, outcome: 'running', detail: `pid ${journal.owner.pid} on ${journal.owner.host} is still working on it` });
      continue;
    }
    const t = lstat(target);
    const s = lstat(journal.staged);
    const kept = lstat(path.join(folder, OLD_DIR));
    const rollBack = (detail: string) => {
      if (journal.stagedIsCopy && s !== undefined) removeTree(journal.staged);
      removeSwapFolder(folder);
      out.push({ ...base, outcome: 'rolled-back', detail });
    };
    const finish = (detail: string) => {
      const hasOld = lstat(path.join(folder, OLD_DIR)) !== undefined;
      save(folder, { ...journal, state: 'done', kept: hasOld, finished: new Date().toISOString() });
      if (!hasOld) removeSwapFolder(folder);
      out.push({ ...base, outcome: 'finished', detail });
    };
    if (journal.state === 'staging' || journal.stagedIno === undefined) {
      rollBack(`it stopped while copying; ${target} was not touched`);
    } else if (t !== undefined && t.ino === journal.stagedIno) {
      if (s !== undefined && journal.oldIno !== null && s.ino === journal.oldIno) fs.renameSync(journal.staged, path.join(folder, OLD_DIR));
      finish(`${target} already held the new contents`);
    } else if (t === undefined && s !== undefined && s.ino === journal.stagedIno) {
      fs.renameSync(journal.staged, target);
      finish(`${target} was missing between two renames; the new contents were put in place`);
    } else if (t === undefined && kept !== undefined && kept.ino === journal.oldIno) {
      fs.renameSync(path.join(folder, OLD_DIR), target);
      rollBack(`the new contents were gone; the old ones were put back`);
    } else if (t !== undefined) {
      rollBack(`it stopped before the swap; ${target} still held its old contents`);
    } else {
      throw new Error(`cannot recover the interrupted restore in ${folder}: neither ${journal.staged} nor ${path.join(folder, OLD_DIR)} is there to put at ${target}`);
    }
    syncDir(path.dirname(target));
  }
  return out;
}
