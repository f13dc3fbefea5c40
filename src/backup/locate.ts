/** Finding things on disk for backup and restore: real paths of folders that may not exist yet, and snapshots by name. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseSnapshotName } from './names.js';
import { listSnapshots, SnapshotError, type SnapshotInfo } from './snapshots.js';

/** The real path of `p`, or, while it does not exist, its nearest existing parent's real path joined with the rest. */
export function realPathOf(p: string): string {
  const rest: string[] = [];
  for (let dir = path.resolve(p); ; dir = path.dirname(dir)) {
    try {
      return path.join(fs.realpathSync(dir), ...rest.reverse());
    } catch {
      if (path.dirname(dir) === dir) return path.resolve(p);
      rest.push(path.basename(dir));
    }
  }
}

/** The nearest existing folder at or above `p`. */
export function nearestExisting(p: string): string {
  let dir = path.resolve(p);
  while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/**
 * The snapshot folder `ref` names: a path to it, a snapshot name in the
 * backup root, or `latest` (the newest complete snapshot this host made
 * there). Throws SnapshotError (refused) for a partial one, and with
 * refused=false when there is nothing by that name.
 */
export function resolveSnapshot(ref: string, cwd: string, backupRoot: string | undefined, host: string): string {
  if (ref === 'latest') {
    if (backupRoot === undefined) throw new SnapshotError('--from latest needs the backup root: give --to DIR (or record it with provision layout)', false);
    const mine = listSnapshots(backupRoot).filter((s): s is SnapshotInfo & { about: NonNullable<SnapshotInfo['about']> } => s.state === 'complete' && s.about !== undefined && s.about.host === host);
    const newest = mine.sort((a, b) => (a.about.created < b.about.created ? -1 : 1)).pop();
    if (newest === undefined) throw new SnapshotError(`no complete snapshot of this host (${host}) in ${backupRoot}`, false);
    return newest.folder;
  }
  const candidates = [path.resolve(cwd, ref), ...(backupRoot !== undefined && !path.isAbsolute(ref) ? [path.join(backupRoot, ref)] : [])];
  const found = candidates.find((c) => fs.existsSync(c));
  if (found === undefined) {
    throw new SnapshotError(`no snapshot ${ref}${backupRoot !== undefined ? ` (looked in ${cwd} and ${backupRoot})` : ' (a name needs --to BACKUP_ROOT, or give the path)'}`, false);
  }
  const parsed = parseSnapshotName(path.basename(found));
  if (parsed?.state === 'partial') throw new SnapshotError(`${found} is a backup that is still running or was interrupted, not a snapshot`);
  if (parsed?.state === 'deleting') throw new SnapshotError(`${found} is a snapshot being removed by --keep`);
  return found;
}
