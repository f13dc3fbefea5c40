/** Helpers for the backup tests: build a data root, describe a tree, run a backup through the library. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyBackup } from '../../src/backup/apply-backup.js';
import { planBackup, type BackupPlan } from '../../src/backup/backup-plan.js';
import { realPathOf } from '../../src/backup/locate.js';
import { listSnapshots } from '../../src/backup/snapshots.js';
import { readBackupSource } from '../../src/backup/source.js';

/** Files (text), and symbolic links as `-> target`, below `dir`. */
export function makeTree(dir: string, files: Record<string, string>): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    if (text.startsWith('-> ')) fs.symlinkSync(text.slice(3), p);
    else fs.writeFileSync(p, text);
  }
  return dir;
}

/** Every entry below `dir`: a file's text and mode, a link's target, a directory's mode. For before/after comparisons. */
export function describeTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      const st = fs.lstatSync(p);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) out[r] = `-> ${fs.readlinkSync(p)}`;
      else if (st.isDirectory()) {
        out[`${r}/`] = mode;
        walk(p, r);
      } else out[r] = `${mode} ${fs.readFileSync(p, 'latin1')}`;
    }
  };
  walk(dir, '');
  return out;
}

/** Plan a backup of `data` into `backups` as the CLI would (no in-use check). */
export function plan(data: string, backups: string, extra: { keep?: number; now?: Date; host?: string } = {}): BackupPlan {
  return planBackup({
    source: readBackupSource(data),
    backupRoot: backups,
    realBackupRoot: realPathOf(backups),
    existing: listSnapshots(backups),
    host: extra.host ?? os.hostname(),
    now: extra.now ?? new Date(),
    ...(extra.keep !== undefined ? { keep: extra.keep } : {}),
  });
}

/** Plan and apply a backup; returns the snapshot folder. */
export function backup(data: string, backups: string, extra: { keep?: number; now?: Date } = {}): string {
  return applyBackup(plan(data, backups, extra)).folder;
}
