import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { count } from '../../count.js';
import { applyRestore, RestoreError, undoableSwaps, undoRestore } from '../../backup/apply-restore.js';
import { resolveSnapshot, realPathOf } from '../../backup/locate.js';
import type { BackupManifest } from '../../backup/manifest.js';
import { planRestore, type RestorePlan, type TargetState } from '../../backup/restore-plan.js';
import { readManifest, snapshotData, SnapshotError } from '../../backup/snapshots.js';
import { readBackupSource } from '../../backup/source.js';
import { recoverSwaps, unfinishedSwaps, type Recovery } from '../../backup/swap.js';
import { describeDifference, verifyTree } from '../../backup/verify.js';
import { walkTree, type TreeEntry } from '../../backup/walk.js';
import { environmentLayout } from '../../env/layout.js';
import { describeHolders, findHolders, type InUse } from '../../env/in-use.js';
import { CliError, EXIT } from '../errors.js';
import { shownPath, type Io } from '../io.js';
import { backupRootFrom, describeInUse, humanBytes, layoutFor, progressBar } from './backup.js';
import { ioReason } from '../../io-reason.js';

export interface RestoreArgs {
  readonly from?: string;
  readonly data?: string;
  readonly to?: string;
  readonly replace: boolean;
  /** true: the newest restore; a string: that one. */
  readonly undo?: string | true;
  readonly recover: boolean;
  readonly dryRun: boolean;
  readonly json: boolean;
}

function inspectTarget(target: string): TargetState {
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new CliError(`--data ${target}: ${ioReason(error)}`, EXIT.usage, { cause: error });
  }
  const kind: TargetState['kind'] = st === undefined ? 'absent' : st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : 'other';
  let entries: TreeEntry[] = [];
  if (kind === 'dir') {
    try {
      entries = walkTree(target);
    } catch (error) {
      throw new CliError(`${(error as Error).message}; nothing was changed`, EXIT.usage, { cause: error });
    }
  }
  let mountPoint = false;
  if (kind === 'dir') {
    try {
      mountPoint = fs.statSync(path.dirname(target)).dev !== st!.dev;
    } catch {
      // an unreadable parent fails the restore later, with its own error
    }
  }
  return { path: target, real: realPathOf(target), kind, entries, ...(mountPoint ? { mountPoint } : {}) };
}

/** Replication ports the environments in the snapshot and in the target listen on. */
function portsOf(target: TargetState, snapshot: string, manifest: BackupManifest): number[] {
  const ports = new Set<number>();
  if (target.kind === 'dir') {
    try {
      for (const p of readBackupSource(target.path).ports) ports.add(p);
    } catch {
      // unreadable parts were reported by the walk already
    }
  }
  for (const e of manifest.entries) {
    if (e.type !== 'file' || path.posix.basename(e.path) !== 'DB_CONFIG') continue;
    try {
      const file = path.join(snapshotData(snapshot), ...e.path.split('/'));
      const port = environmentLayout(path.dirname(file), fs.readFileSync(file)).port;
      if (port !== undefined) ports.add(port);
    } catch {
      // verified just before; a vanished file fails the copy later
    }
  }
  return [...ports];
}

function reportRecoveries(io: Io, recoveries: readonly Recovery[]): void {
  for (const r of recoveries) {
    if (r.outcome === 'running') continue;
    io.stderr.write(`note: an interrupted ${r.action} was ${r.outcome === 'finished' ? 'finished' : 'rolled back'}: ${r.detail} (${r.folder})\n`);
  }
}

function stillFree(target: string, ports: readonly number[]): () => string | undefined {
  return () => {
    const now = findHolders([target], ports);
    return now.holders.length > 0 ? `${target} is in use: ${describeHolders(now.holders)}` : undefined;
  };
}

function restoreError(io: Io, json: boolean, error: unknown, extra: object = {}): number {
  if (!(error instanceof RestoreError)) throw error;
  if (json) io.stdout.write(`${JSON.stringify({ ...extra, applied: null, error: error.message, differences: error.differences }, null, 2)}\n`);
  io.stderr.write(`provision: ${error.refused ? 'refused: ' : ''}${error.message}\n`);
  return error.refused ? EXIT.findings : EXIT.usage;
}

function preview(io: Io, plan: RestorePlan, dryRun: boolean): void {
  const p = (x: string) => shownPath(io.cwd, x);
  const would = dryRun ? 'Would restore' : 'To restore:';
  io.stdout.write(`${would} ${p(plan.snapshot)} (${count(plan.files, 'file')}, ${humanBytes(plan.bytes)}) into ${p(plan.target)}\n`);
  if (plan.mode === 'replace') io.stdout.write(`  what ${p(plan.target)} holds now (${count(plan.current.files, 'file')}, ${humanBytes(plan.current.bytes)}) ${dryRun ? 'would move' : 'moves'} to a quarantine in ${p(plan.quarantineRoot)}\n`);
  else io.stdout.write(`  ${p(plan.target)} ${plan.mode === 'create' ? 'does not exist yet' : 'is empty'}\n`);
}

/** `provision restore`. */
export async function runRestore(args: RestoreArgs, io: Io): Promise<number> {
  const modes = [args.from !== undefined, args.undo !== undefined, args.recover].filter(Boolean).length;
  if (modes !== 1) throw new CliError('name what to do: --from SNAPSHOT, --undo [ID] or --recover (one of them)');
  const layout = layoutFor(io, args.to, args.data);
  const backupRoot = backupRootFrom(args, io, layout);

  let snapshot: string | undefined;
  let manifest: BackupManifest | undefined;
  if (args.from !== undefined) {
    try {
      snapshot = resolveSnapshot(args.from, io.cwd, backupRoot, os.hostname());
      manifest = readManifest(snapshot);
    } catch (error) {
      if (error instanceof SnapshotError) throw new CliError(error.message, error.refused ? EXIT.findings : EXIT.usage, { cause: error });
      throw error;
    }
  }
  const dataArg = args.data ?? manifest?.source;
  if (dataArg === undefined) throw new CliError('missing the data root: give --data DIR');
  const target = path.resolve(io.cwd, dataArg);
  const shown = shownPath(io.cwd, target);

  // Interrupted restores of this target are settled first, so it holds one whole tree before anything else happens.
  let recoveries: Recovery[] = [];
  if (!args.dryRun) {
    recoveries = recoverSwaps(target);
    reportRecoveries(io, recoveries);
    const running = recoveries.find((r) => r.outcome === 'running');
    if (running) {
      io.stderr.write(`provision: refused: another restore of ${shown} is under way (${running.detail}; ${running.folder})\n`);
      return EXIT.findings;
    }
  }
  const recovered = recoveries.map(({ id, outcome, detail }) => ({ id, outcome, detail }));
  if (args.dryRun && !args.json) {
    for (const s of unfinishedSwaps(target)) io.stderr.write(`note: an interrupted ${s.journal.action} of ${shown} (${s.folder}) would be settled first\n`);
  }
  if (args.recover) {
    if (args.json) io.stdout.write(`${JSON.stringify({ target, recovered }, null, 2)}\n`);
    else if (recoveries.length === 0) io.stdout.write(`Nothing to recover: no interrupted restore of ${shown}.\n`);
    return EXIT.ok;
  }

  if (args.undo !== undefined) {
    const inUse = fs.existsSync(target) ? findHolders([target], []) : { supported: true, holders: [] };
    if (inUse.holders.length > 0) {
      io.stderr.write(`provision: refused: ${describeInUse(target, inUse)}\n`);
      return EXIT.findings;
    }
    if (args.dryRun) {
      const all = undoableSwaps(target);
      const q = args.undo === true ? all[all.length - 1] : all.find((s) => s.journal.id === args.undo);
      if (q === undefined) throw new CliError(`no restore ${args.undo === true ? '' : `${args.undo} `}of ${shown} to undo; there are: ${all.map((s) => s.journal.id).join(', ') || 'none'}`, EXIT.findings);
      if (args.json) io.stdout.write(`${JSON.stringify({ target, dryRun: true, undo: q.journal.id, from: path.join(q.folder, 'data') }, null, 2)}\n`);
      else io.stdout.write(`Would undo restore ${q.journal.id}: ${shown} would get back what is in ${shownPath(io.cwd, path.join(q.folder, 'data'))}.\nDry run: nothing was changed.\n`);
      return EXIT.ok;
    }
    try {
      const r = undoRestore(target, args.undo === true ? undefined : args.undo, { stillFree: stillFree(target, []) });
      if (args.json) io.stdout.write(`${JSON.stringify({ target, recovered, undone: r.undone, quarantine: r.quarantine ?? null }, null, 2)}\n`);
      else {
        io.stdout.write(`Undid restore ${r.undone}: ${shown} holds what it held before.\n`);
        if (r.quarantine) io.stdout.write(`What the restore had put there is in ${shownPath(io.cwd, r.quarantine)}; undo this with: provision restore --data ${shown} --undo\n`);
      }
      return EXIT.ok;
    } catch (error) {
      return restoreError(io, args.json, error, { target });
    }
  }

  // --from: check the snapshot against its manifest before anything else.
  const bar = progressBar(io);
  const check = verifyTree(snapshotData(snapshot!), manifest!, bar ? { onProgress: (b) => bar('checking', b, manifest!.bytes) } : {});
  if (!check.ok) {
    if (args.json) io.stdout.write(`${JSON.stringify({ snapshot, target, applied: null, verified: false, differences: check.differences }, null, 2)}\n`);
    else for (const d of check.differences) io.stdout.write(`  ${describeDifference(d)}\n`);
    io.stderr.write(`provision: refused: the snapshot ${shownPath(io.cwd, snapshot!)} does not match its manifest (${count(check.differences.length, 'difference')}); nothing was restored\n`);
    return EXIT.findings;
  }
  const state = inspectTarget(target);
  const plan = planRestore({ snapshot: { folder: snapshot!, real: realPathOf(snapshot!), manifest: manifest! }, target: state, replace: args.replace, ports: portsOf(state, snapshot!, manifest!), now: new Date() });
  if (plan.invalid !== undefined) throw new CliError(plan.invalid);
  const inUse: InUse = plan.refusal !== undefined || state.kind === 'absent' ? { supported: true, holders: [] } : findHolders(plan.watch.dirs, plan.watch.ports);
  const base = { snapshot: plan.snapshot, target, mode: plan.mode, files: plan.files, bytes: plan.bytes, current: plan.current, quarantineRoot: plan.quarantineRoot, dryRun: args.dryRun, verified: true, recovered };
  if (!args.json) preview(io, plan, args.dryRun);
  const refusal = plan.refusal ?? (inUse.holders.length > 0 ? describeInUse(target, inUse) : undefined);
  if (refusal !== undefined) {
    if (args.json) io.stdout.write(`${JSON.stringify({ ...base, refusal, holders: inUse.holders, applied: null }, null, 2)}\n`);
    io.stderr.write(`provision: refused: ${refusal}\n`);
    return EXIT.findings;
  }
  if (!inUse.supported && !args.json) io.stderr.write('warning: cannot tell on this system whether a process has the data open; make sure the server is stopped\n');
  if (args.dryRun) {
    if (args.json) io.stdout.write(`${JSON.stringify({ ...base, refusal: null, applied: null }, null, 2)}\n`);
    else io.stdout.write('Dry run: nothing was restored.\n');
    return EXIT.ok;
  }
  let result;
  try {
    result = applyRestore(plan, manifest!, {
      ...(bar ? { onProgress: (phase: 'copy' | 'verify', done: number, total: number) => bar(phase === 'copy' ? 'restoring' : 'verifying', done, total) } : {}),
      stillFree: stillFree(target, plan.watch.ports),
    });
  } catch (error) {
    return restoreError(io, args.json, error, base);
  }
  if (args.json) io.stdout.write(`${JSON.stringify({ ...base, refusal: null, applied: { quarantine: result.quarantine ?? null, id: result.journal.id } }, null, 2)}\n`);
  else {
    io.stdout.write(`Restored ${shownPath(io.cwd, plan.snapshot)} into ${shown} and checked it against the manifest.\n`);
    if (result.quarantine) {
      io.stdout.write(`The old contents are in ${shownPath(io.cwd, path.join(result.quarantine, 'data'))}.\nUndo: provision restore --data ${shown} --undo ${result.journal.id}\n`);
    }
  }
  return EXIT.ok;
}
