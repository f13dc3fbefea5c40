import * as fs from 'node:fs';
import * as path from 'node:path';
import { readIni } from '../../config/ini.js';
import { count } from '../../count.js';
import { planClean, type CleanMode, type CleanPlan } from '../../env/clean-plan.js';
import { describeHolders, findHolders } from '../../env/in-use.js';
import { environmentLayout } from '../../env/layout.js';
import { CleanError, defaultQuarantineRoot, quarantineEntries, undoQuarantine } from '../../env/quarantine.js';
import { scanEnvironment, type Entry } from '../../env/scan.js';
import { findLayoutManifest, LayoutManifestError } from '../../layout/manifest.js';
import type { Asker } from '../ask.js';
import { CliError, EXIT } from '../errors.js';
import { shownPath, type Io } from '../io.js';
import { ioReason } from '../../io-reason.js';

export interface CleanArgs {
  readonly env?: string;
  readonly answers?: string;
  readonly mode: CleanMode;
  readonly purge: boolean;
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly list: boolean;
  /** true: the newest quarantine; a string: that one. */
  readonly undo?: string | true;
  readonly yes: boolean;
  readonly discardPartialInit: boolean;
  readonly quarantine?: string;
}

function environmentFrom(args: CleanArgs, io: Io): string {
  if (args.env !== undefined) return path.resolve(io.cwd, args.env);
  if (args.answers !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(io.cwd, args.answers), 'utf8');
    } catch (error) {
      throw new CliError(`cannot read answers file ${args.answers}: ${ioReason(error)}`, EXIT.usage, { cause: error });
    }
    const env = readIni(text).entries.find((e) => e.section === '' && e.key === 'env');
    if (env && env.value !== '') return path.resolve(path.dirname(path.resolve(io.cwd, args.answers)), env.value);
    throw new CliError(`${args.answers} has no "env" key; give --env DIR`);
  }
  // A site laid out by provision layout knows its environment.
  let found;
  try {
    found = findLayoutManifest(io.cwd);
  } catch (error) {
    if (!(error instanceof LayoutManifestError)) throw error;
    throw new CliError(`${error.message}; give --env DIR`, EXIT.usage, { cause: error });
  }
  if (found?.manifest.environment !== undefined) return found.manifest.environment;
  throw new CliError('missing answer: the environment directory; give --env DIR (or --answers FILE with an env key, or run it inside a site laid out by provision layout)');
}

const describe = (home: string, e: Entry) => (e.dir === home ? e.name : path.join(path.relative(home, e.dir) || e.dir, e.name));

function listTable(home: string, plan: CleanPlan): string {
  const rows = [
    ...plan.remove.map((e) => [e.class, describe(home, e), 'remove', e.reason]),
    ...plan.keep.map((e) => [e.class, describe(home, e), 'keep', `${e.reason}; ${e.why}`]),
  ].sort((a, b) => (a[1]! < b[1]! ? -1 : 1));
  if (rows.length === 0) return '(the environment is empty)\n';
  const widths = [0, 1, 2].map((i) => rows.reduce((w, r) => Math.max(w, r[i]!.length), 0));
  return rows.map((r) => `${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]!.padEnd(widths[2]!)}  ${r[3]}`).join('\n') + '\n';
}

function progress(io: Io, total: number): ((done: number) => void) | undefined {
  if (total < 500 || io.stderr.isTTY !== true) return undefined;
  let last = -1;
  return (done) => {
    const pct = Math.floor((done / total) * 100);
    if (pct === last) return;
    last = pct;
    const bar = '#'.repeat(Math.floor(pct / 4)).padEnd(25, '.');
    io.stderr.write(`\r  [${bar}] ${done}/${total}${done === total ? '\n' : ''}`);
  };
}

/**
 * The warning for processes whose open files could not be read. As root, what is
 * still unreadable is beyond the user (another PID namespace, a security module),
 * so it does not advise running as root.
 */
export function uncheckedWarning(processes: number, root: boolean): string {
  const n = count(processes, 'process', 'processes');
  return root
    ? `warning: ${n} could not be checked (their open files are not readable here, even as root); make sure the server is stopped.`
    : `warning: ${n} could not be checked (their open files are not readable by this user); run as the server's user or root to check them.`;
}

/** `provision clean`. */
export async function runClean(args: CleanArgs, io: Io, makeAsker: () => Promise<Asker>): Promise<number> {
  const home = environmentFrom(args, io);
  const root = args.quarantine !== undefined ? path.resolve(io.cwd, args.quarantine) : defaultQuarantineRoot(home);
  const interactive = !args.yes && io.stdin.isTTY === true && io.stderr.isTTY === true;
  if (args.undo !== undefined) {
    let q;
    try {
      q = undoQuarantine(home, args.undo === true ? undefined : args.undo, root);
    } catch (error) {
      if (!(error instanceof CleanError)) throw error;
      io.stderr.write(`provision: refused: ${error.message}\n`);
      return EXIT.findings;
    }
    if (args.json) io.stdout.write(`${JSON.stringify({ env: home, undone: q.id, restored: q.entries.length }, null, 2)}\n`);
    else io.stdout.write(`Restored ${count(q.entries.length, 'entry', 'entries')} from quarantine ${q.id} into ${shownPath(io.cwd, home)}.\n`);
    return EXIT.ok;
  }
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(home);
  } catch {
    throw new CliError(`--env ${shownPath(io.cwd, home)}: no such directory`);
  }
  if (!stat.isDirectory()) throw new CliError(`--env ${shownPath(io.cwd, home)}: ${stat.isSymbolicLink() ? 'a symbolic link; give the real directory' : 'not a directory'}`);
  let config: Buffer | null = null;
  try {
    config = fs.readFileSync(path.join(home, 'DB_CONFIG'));
  } catch {
    config = null;
  }
  const layout = environmentLayout(home, config);
  const { entries, skipped } = scanEnvironment(layout);
  const plan = planClean(entries, layout, args.mode, { discardPartialInit: args.discardPartialInit });
  const shown = (e: Entry) => shownPath(io.cwd, path.join(e.dir, e.name));

  if (args.list) {
    if (args.json) io.stdout.write(`${JSON.stringify({ env: home, mode: plan.mode, remove: plan.remove, keep: plan.keep, skipped }, null, 2)}\n`);
    else io.stdout.write(listTable(home, plan));
    return EXIT.ok;
  }

  const inUse = plan.remove.length === 0 ? { supported: true, holders: [] } : findHolders(layout.dirs.map((d) => d.path), layout.port !== undefined ? [layout.port] : []);
  const report = (extra: object) => {
    if (!args.json) return;
    const item = (e: Entry) => ({ path: path.join(e.dir, e.name), class: e.class, kind: e.kind, size: e.size, reason: e.reason });
    io.stdout.write(`${JSON.stringify({ env: home, mode: plan.mode, dryRun: args.dryRun, purge: args.purge, remove: plan.remove.map(item), keep: plan.keep.map(item), skipped, warnings: plan.warnings, refusal: plan.refusal ?? null, holders: inUse.holders, ...extra }, null, 2)}\n`);
  };

  if (plan.remove.length === 0) {
    report({ applied: null });
    if (!args.json) io.stdout.write(`Nothing to clean in ${shownPath(io.cwd, home)} (mode ${plan.mode}).\n`);
    return EXIT.ok;
  }
  if (!args.json) {
    const bytes = plan.remove.reduce((n, e) => n + e.size, 0);
    io.stdout.write(`${args.dryRun ? 'Would remove' : 'To remove'} from ${shownPath(io.cwd, home)} (${count(plan.remove.length, 'entry', 'entries')}, ${bytes} bytes${args.purge ? ', deleted' : ', moved to quarantine'}):\n`);
    io.stdout.write(plan.remove.map((e) => `  ${shown(e)}  (${e.class}: ${e.reason})\n`).join(''));
    for (const w of plan.warnings) io.stderr.write(`warning: ${w}\n`);
  }
  if (plan.refusal) {
    report({ applied: null });
    io.stderr.write(`provision: refused: ${plan.refusal}\n`);
    return EXIT.findings;
  }
  if (inUse.holders.length > 0) {
    report({ applied: null });
    const who = describeHolders(inUse.holders);
    io.stderr.write(`provision: refused: the environment is in use: ${who}. Stop the server first.\n`);
    return EXIT.findings;
  }
  if (!inUse.supported) {
    io.stderr.write('warning: cannot look for processes using the environment on this system: make sure the server is stopped (a file in use stops the clean).\n');
  } else if ((inUse.unreadable ?? 0) > 0) {
    io.stderr.write(`${uncheckedWarning(inUse.unreadable ?? 0, process.getuid?.() === 0)}\n`);
  }
  if (args.dryRun) {
    report({ applied: null });
    if (!args.json) io.stdout.write('Dry run: nothing was removed.\n');
    return EXIT.ok;
  }
  if (!args.yes) {
    if (!interactive) throw new CliError('clean removes files: confirm with --yes (no prompts: not a terminal), or look first with --dry-run');
    const asker = await makeAsker();
    const ok = args.mode === 'all-but-config'
      ? await asker.confirmByTyping(path.basename(home), `This empties ${home} except DB_CONFIG. Type "${path.basename(home)}" to go ahead`)
      : await asker.confirm(`Remove ${plan.remove.length === 1 ? 'this entry' : `these ${plan.remove.length} entries`}${args.purge ? ' for good' : ' (to quarantine)'}?`);
    if (!ok) {
      io.stderr.write('Nothing was removed.\n');
      return EXIT.findings;
    }
  }
  let done;
  try {
    const onProgress = progress(io, plan.remove.length);
    done = quarantineEntries(home, plan.mode, plan.remove, { root, purge: args.purge, ...(onProgress ? { onProgress } : {}) });
  } catch (error) {
    if (error instanceof CleanError) {
      io.stderr.write(`provision: refused: ${error.message}\n`);
      return EXIT.findings;
    }
    throw error;
  }
  report({ applied: { id: done.id, folder: args.purge ? null : done.folder, purged: args.purge } });
  if (!args.json) {
    io.stdout.write(
      args.purge
        ? `Deleted ${plan.remove.length} entries.\n`
        : `Moved ${plan.remove.length} entries to ${shownPath(io.cwd, done.folder)}.\nUndo: provision clean --env ${shownPath(io.cwd, home)} --undo ${done.id}\n`,
    );
  }
  return EXIT.ok;
}
