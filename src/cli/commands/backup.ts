import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyBackup, BackupError } from '../../backup/apply-backup.js';
import { planBackup, type BackupPlan } from '../../backup/backup-plan.js';
import { nearestExisting, realPathOf, resolveSnapshot } from '../../backup/locate.js';
import { listSnapshots, readManifest, snapshotData, SnapshotError, type SnapshotInfo } from '../../backup/snapshots.js';
import { readBackupSource, type BackupSource } from '../../backup/source.js';
import { unfinishedSwaps } from '../../backup/swap.js';
import { describeDifference, verifyTree, type Verification } from '../../backup/verify.js';
import { count } from '../../count.js';
import { describeHolders, findHolders, type InUse } from '../../env/in-use.js';
import { findLayoutManifest, LayoutManifestError, type LayoutManifest } from '../../layout/manifest.js';
import { CliError, EXIT } from '../errors.js';
import { KEEP_AT_LEAST_ONE, numberOption, wholeAtLeast } from '../number-option.js';
import { shownPath, type Io } from '../io.js';
import { ioReason } from '../../io-reason.js';

export interface BackupArgs {
  readonly data?: string;
  readonly to?: string;
  readonly keep?: number;
  /** A snapshot to check; true: every snapshot in the backup root. */
  readonly verify?: string | true;
  readonly list: boolean;
  readonly dryRun: boolean;
  readonly json: boolean;
}

/** `1.2 GB`, `340 kB`, `12 bytes`. */
export function humanBytes(n: number): string {
  if (n < 1000) return count(n, 'byte');
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** A progress bar on stderr for each phase, on a terminal only; redrawn when the percentage changes. */
export function progressBar(io: Io): ((phase: string, done: number, total: number) => void) | undefined {
  if (io.stderr.isTTY !== true) return undefined;
  let last = '';
  return (phase, done, total) => {
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    const key = `${phase}${pct}`;
    if (key === last) return;
    last = key;
    const bar = '#'.repeat(Math.floor(pct / 4)).padEnd(25, '.');
    io.stderr.write(`\r  ${phase.padEnd(9)} [${bar}] ${humanBytes(done)} of ${humanBytes(total)}\x1b[K${done >= total ? '\n' : ''}`);
  };
}

/**
 * The layout manifest (provision layout records one per site) of the site the
 * folders given on the command line belong to; with none given, of the site
 * the working directory is in. Never the working directory's when a folder is
 * given: a backup of another site's data must not go to this site's backups.
 */
export function layoutFor(io: Io, ...given: (string | undefined)[]): LayoutManifest | undefined {
  const starts = given.filter((g): g is string => g !== undefined);
  try {
    for (const start of starts.length > 0 ? starts : ['.']) {
      const found = findLayoutManifest(path.resolve(io.cwd, start));
      if (found) return found.manifest;
    }
    return undefined;
  } catch (error) {
    if (error instanceof LayoutManifestError) throw new CliError(error.message, EXIT.usage, { cause: error });
    throw error;
  }
}

/** The backup root: --to, else the layout manifest's. */
export function backupRootFrom(args: { to?: string }, io: Io, layout: LayoutManifest | undefined): string | undefined {
  return args.to !== undefined ? path.resolve(io.cwd, args.to) : layout?.backup;
}

export const describeInUse = (what: string, inUse: InUse) => `${what} is in use: ${describeHolders(inUse.holders)}. Stop the server first.`;

function snapshotError(error: unknown): never {
  if (error instanceof SnapshotError) throw new CliError(error.message, error.refused ? EXIT.findings : EXIT.usage, { cause: error });
  throw error;
}

/** `provision backup --verify [SNAPSHOT]`. */
function runVerify(args: BackupArgs, io: Io, backupRoot: string | undefined): number {
  let folders: string[];
  if (args.verify === true) {
    if (backupRoot === undefined) throw new CliError('--verify without a snapshot checks every snapshot in the backup root: give --to BACKUP_ROOT (or name a snapshot)');
    folders = listSnapshots(backupRoot).filter((s) => s.state === 'complete').map((s) => s.folder);
    if (folders.length === 0 && !args.json) io.stdout.write(`No snapshots in ${shownPath(io.cwd, backupRoot)}.\n`);
  } else {
    try {
      folders = [resolveSnapshot(args.verify!, io.cwd, backupRoot, os.hostname())];
    } catch (error) {
      snapshotError(error);
    }
  }
  const bar = args.json ? undefined : progressBar(io);
  const results: { snapshot: string; ok: boolean; files: number; bytes: number; problem?: string; differences: Verification['differences'] }[] = [];
  for (const folder of folders) {
    let result: (typeof results)[number];
    try {
      const manifest = readManifest(folder);
      const v = verifyTree(snapshotData(folder), manifest, bar ? { onProgress: (b) => bar('verifying', b, manifest.bytes) } : {});
      result = { snapshot: folder, ok: v.ok, files: manifest.files, bytes: manifest.bytes, differences: v.differences };
    } catch (error) {
      if (!(error instanceof SnapshotError)) throw error;
      result = { snapshot: folder, ok: false, files: 0, bytes: 0, problem: error.message, differences: [] };
    }
    results.push(result);
    if (args.json) continue;
    const name = shownPath(io.cwd, folder);
    if (result.ok) io.stdout.write(`ok      ${name} (${count(result.files, 'file')}, ${humanBytes(result.bytes)})\n`);
    else if (result.problem !== undefined) io.stdout.write(`DAMAGED ${name}: ${result.problem}\n`);
    else {
      io.stdout.write(`DAMAGED ${name}: ${count(result.differences.length, 'difference')} from its manifest\n`);
      for (const d of result.differences) io.stdout.write(`  ${describeDifference(d)}\n`);
    }
  }
  const bad = results.filter((r) => !r.ok).length;
  if (args.json) io.stdout.write(`${JSON.stringify({ ok: bad === 0, snapshots: results }, null, 2)}\n`);
  else if (bad > 0) io.stderr.write(`provision: ${count(bad, 'snapshot')} of ${results.length} do${bad === 1 ? 'es' : ''} not match ${bad === 1 ? 'its manifest' : 'their manifests'}; do not restore from ${bad === 1 ? 'it' : 'them'}.\n`);
  return bad > 0 ? EXIT.findings : EXIT.ok;
}

/** `provision backup --list`. */
function runList(args: BackupArgs, io: Io, backupRoot: string): number {
  const all = listSnapshots(backupRoot);
  if (args.json) {
    io.stdout.write(`${JSON.stringify({ backupRoot, snapshots: all.map(({ folder, id, state, about, problem, running }) => ({ folder, id, state, ...(about ?? {}), ...(problem ? { problem } : {}), ...(state === 'partial' ? { running: running ?? null } : {}) })) }, null, 2)}\n`);
    return EXIT.ok;
  }
  if (all.length === 0) io.stdout.write(`No snapshots in ${shownPath(io.cwd, backupRoot)}.\n`);
  for (const s of all) {
    const what =
      s.state === 'complete'
        ? s.about
          ? `${s.about.created}  ${count(s.about.files, 'file')}, ${humanBytes(s.about.bytes)}  from ${s.about.source}`
          : `damaged: ${s.problem}`
        : s.state === 'partial'
          ? s.running === true ? 'a backup running now' : s.running === false ? 'an interrupted backup (never complete)' : `a backup by ${s.owner?.host ?? 'another host'} (running or interrupted)`
          : 'being removed';
    io.stdout.write(`${path.basename(s.folder)}  ${what}\n`);
  }
  return EXIT.ok;
}

function preview(io: Io, plan: BackupPlan, source: BackupSource, dryRun: boolean): void {
  const p = (x: string) => shownPath(io.cwd, x);
  io.stdout.write(`${dryRun ? 'Would back up' : 'To back up:'} ${p(plan.source)} (${source.kind}: ${count(plan.files, 'file')}, ${humanBytes(plan.bytes)}) to ${p(plan.final)}\n`);
  for (const s of plan.remove) {
    const why = s.state === 'complete' ? `beyond --keep (made ${s.about?.created ?? s.stamp})` : s.state === 'partial' ? 'an interrupted backup' : 'a removal that was interrupted';
    io.stdout.write(`  ${dryRun ? 'would remove' : 'then removes'} ${p(s.folder)}: ${why}\n`);
  }
  for (const w of plan.warnings) io.stderr.write(`warning: ${w}\n`);
}

const planJson = (plan: BackupPlan) => ({
  source: plan.source,
  kind: plan.kind,
  backupRoot: plan.backupRoot,
  snapshot: plan.final,
  files: plan.files,
  bytes: plan.bytes,
  skipped: plan.skipped,
  warnings: plan.warnings,
  remove: plan.remove.map((s: SnapshotInfo) => ({ folder: s.folder, state: s.state, created: s.about?.created ?? null })),
});

/** `provision backup`. */
export async function runBackup(args: BackupArgs, io: Io): Promise<number> {
  if (args.keep !== undefined) numberOption('keep', args.keep, KEEP_AT_LEAST_ONE, wholeAtLeast(1));
  if (args.verify !== undefined && (args.list || args.keep !== undefined || args.dryRun)) throw new CliError('--verify checks snapshots; it goes with neither --list, --keep nor --dry-run');
  const layout = layoutFor(io, args.data, args.to);
  const backupRoot = backupRootFrom(args, io, layout);
  if (args.verify !== undefined) return runVerify(args, io, backupRoot);
  if (backupRoot === undefined) throw new CliError('missing the backup root: give --to BACKUP_ROOT (no layout manifest from provision layout was found for this folder)');
  if (args.list) return runList(args, io, backupRoot);
  const data = args.data !== undefined ? path.resolve(io.cwd, args.data) : layout?.data;
  if (data === undefined) throw new CliError('missing the data root: give --data DIR (a data root or an environment directory)');

  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(data);
  } catch {
    throw new CliError(`--data ${shownPath(io.cwd, data)}: no such directory`);
  }
  if (!stat.isDirectory()) throw new CliError(`--data ${shownPath(io.cwd, data)}: ${stat.isSymbolicLink() ? 'a symbolic link; give the real directory' : 'not a directory'}`);
  const interrupted = unfinishedSwaps(data);
  if (interrupted.length > 0) {
    io.stderr.write(`provision: refused: a restore of ${shownPath(io.cwd, data)} did not finish (${interrupted[0]!.folder}); run provision restore --data ${shownPath(io.cwd, data)} --recover first\n`);
    return EXIT.findings;
  }

  let source: BackupSource;
  try {
    source = readBackupSource(data);
  } catch (error) {
    if ((error as Error).name === 'WalkError') throw new CliError(`${(error as Error).message}; nothing was copied`, EXIT.usage, { cause: error });
    throw error;
  }
  let existing: SnapshotInfo[];
  try {
    existing = listSnapshots(backupRoot);
  } catch (error) {
    throw new CliError(`cannot read the backup root ${backupRoot}: ${ioReason(error)}`, EXIT.usage, { cause: error });
  }
  const plan = planBackup({
    source,
    backupRoot,
    realBackupRoot: realPathOf(backupRoot),
    existing,
    host: os.hostname(),
    now: new Date(),
    ...(args.keep !== undefined ? { keep: args.keep } : {}),
    sameFileSystem: fs.statSync(nearestExisting(backupRoot)).dev === stat.dev,
  });
  const inUse: InUse = plan.refusal !== undefined ? { supported: true, holders: [] } : findHolders(plan.watch.dirs, plan.watch.ports);
  const report = (extra: object) => {
    if (args.json) io.stdout.write(`${JSON.stringify({ ...planJson(plan), dryRun: args.dryRun, refusal: plan.refusal ?? null, holders: inUse.holders, ...extra }, null, 2)}\n`);
  };
  if (!args.json) preview(io, plan, source, args.dryRun);
  const refusal = plan.refusal ?? (inUse.holders.length > 0 ? describeInUse(`the data root ${data}`, inUse) : undefined);
  if (refusal !== undefined) {
    report({ applied: null });
    io.stderr.write(`provision: refused: ${refusal}\n`);
    return EXIT.findings;
  }
  if (!inUse.supported && !args.json) io.stderr.write('warning: cannot tell on this system whether a process has the data open; make sure the server is stopped\n');
  if (args.dryRun) {
    report({ applied: null });
    if (!args.json) io.stdout.write('Dry run: nothing was copied.\n');
    return EXIT.ok;
  }

  const bar = progressBar(io);
  const started = Date.now();
  let result;
  try {
    result = applyBackup(plan, {
      ...(bar ? { onProgress: (phase: 'copy' | 'verify', done: number, total: number) => bar(phase === 'copy' ? 'copying' : 'verifying', done, total) } : {}),
      stillFree: () => {
        const now = findHolders(plan.watch.dirs, plan.watch.ports);
        return now.holders.length > 0 ? `the data root is in use: ${describeHolders(now.holders)}` : undefined;
      },
    });
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    report({ applied: null, error: error.message, differences: error.differences });
    io.stderr.write(`provision: ${error.refused ? 'refused: ' : ''}${error.message}\n`);
    return error.refused ? EXIT.findings : EXIT.usage;
  }
  const seconds = (Date.now() - started) / 1000;
  const failed = result.removed.filter((r) => r.error !== undefined);
  report({ applied: { snapshot: result.folder, id: result.id, files: result.manifest.files, bytes: result.manifest.bytes, verified: true, seconds, removed: result.removed } });
  if (!args.json) {
    io.stdout.write(`Snapshot ${shownPath(io.cwd, result.folder)}: ${count(result.manifest.files, 'file')}, ${humanBytes(result.manifest.bytes)}, copied and verified in ${seconds.toFixed(1)} s.\n`);
    const removed = result.removed.filter((r) => r.error === undefined);
    if (removed.length > 0) io.stdout.write(`Removed ${removed.map((r) => path.basename(r.folder)).join(', ')}.\n`);
    io.stdout.write(`Restore it with: provision restore --from ${shownPath(io.cwd, result.folder)} --data ${shownPath(io.cwd, plan.source)}\n`);
  }
  for (const f of failed) io.stderr.write(`warning: could not remove ${f.folder}: ${f.error}\n`);
  return EXIT.ok;
}
