import * as path from 'node:path';
import { count } from '../../count.js';
import { applyMigration, assertNotInUse, planCleanups, type Cleanup } from '../../migrate/apply.js';
import { readJournals, TOPOLOGY_SITE, type JournalEntry } from '../../migrate/journal.js';
import { MigrationError } from '../../migrate/role.js';
import { pickEntry, planRollback } from '../../migrate/rollback.js';
import { formatSiteAddress } from '../../migrate/site-edit.js';
import { confirmsTakeover, oldMasterAddresses, parseLocalDate, takeoverCode } from '../../migrate/takeover.js';
import { probeConnect } from '../../check/probe.js';
import type { GroupSite, MigrationPlan } from '../../migrate/types.js';
import { ApplyError } from '../../plan/apply.js';
import { planToJson, previewPlan } from '../../plan/preview.js';
import { effectiveChanges } from '../../plan/types.js';
import type { Asker } from '../ask.js';
import { CliError, EXIT } from '../errors.js';
import { shownPath, type Io } from '../io.js';
import { loadSites, planFor, type MigrateArgs } from './migrate-plan.js';
import { loadTopology, nextInFailoverOrder, topologyPriorities, withTopology } from './migrate-topology.js';

export type { MigrateArgs };

function listJournal(args: MigrateArgs, io: Io, sites: readonly GroupSite[]): number {
  const { entries, problems } = readJournals(sites.map((s) => s.env));
  for (const p of problems) io.stderr.write(`warning: ${p}\n`);
  const undone = new Set(entries.flatMap((e) => (e.undoes ? [e.undoes] : [])));
  if (args.json) {
    io.stdout.write(`${JSON.stringify({ entries: entries.map((e) => ({ ...e, rolledBack: undone.has(e.id) })) }, null, 2)}\n`);
    return EXIT.ok;
  }
  if (entries.length === 0) {
    io.stdout.write('The journal is empty: no migration was applied to these sites.\n');
    return EXIT.ok;
  }
  for (const e of entries) {
    const what = e.undoes ? `rollback of ${e.undoes}` : `${e.migration}${undone.has(e.id) ? ' (rolled back)' : ''}`;
    io.stdout.write(`${e.id}  ${e.time}  ${what}  ${e.files.map((f) => `${f.site}:${shownPath(io.cwd, f.path)}`).join(', ')}\n`);
  }
  return EXIT.ok;
}

function describeCleanups(io: Io, cleanups: readonly Cleanup[], dryRun: boolean): string {
  return cleanups
    .map((c) => `${dryRun ? 'would move' : 'moves'} ${count(c.remove.length, 'region file')} of ${shownPath(io.cwd, c.env)} to quarantine: ${c.remove.map((e) => e.name).join(', ')}\n`)
    .join('');
}

async function confirmMigration(args: MigrateArgs, io: Io, plan: MigrationPlan, makeAsker: () => Promise<Asker>): Promise<boolean> {
  const interactive = io.stdin.isTTY === true && io.stderr.isTTY === true;
  if (args.migration === 'takeover') {
    const site = plan.details.backup!;
    let date = new Date();
    if (args.date !== undefined) {
      const parsed = parseLocalDate(args.date);
      if (!parsed) throw new CliError(`--date ${args.date}: expected a date as YYYY-MM-DD`);
      date = parsed;
    }
    if (args.confirm !== undefined) {
      if (confirmsTakeover(args.confirm, site, date)) return true;
      io.stderr.write(`provision: refused: --confirm ${args.confirm} is neither the takeover code for ${args.date ?? 'today'} nor the site's name (${site}); nothing was written.\n`);
      return false;
    }
    if (!interactive) throw new CliError(`migrate takeover needs its confirmation: --confirm CODE (the date's code) or --confirm ${site} (the site's name); see docs/migrate.md`);
    const ok = await (await makeAsker()).confirmByTyping([takeoverCode(date), site], `${site} takes over as master. Type the takeover code for ${args.date ?? 'today'}, or the site's name "${site}", to go ahead`);
    if (!ok) io.stderr.write('That is not the code nor the site\'s name; nothing was written.\n');
    return ok;
  }
  if (args.yes) return true;
  if (!interactive) throw new CliError(`migrate ${args.migration} writes files: confirm with --yes (no prompts: not a terminal), or look first with --dry-run`);
  const ok = await (await makeAsker()).confirm(`Apply ${args.migration} (${effectiveChanges(plan.plan).length} file(s))?`);
  if (!ok) io.stderr.write('Nothing was written.\n');
  return ok;
}

function report(io: Io, result: ReturnType<typeof applyMigration>, plan: { steps: readonly string[] }, args: MigrateArgs): void {
  for (const a of result.applied) {
    if (a.status === 'unchanged') continue;
    io.stdout.write(`wrote ${shownPath(io.cwd, a.change.path)}${a.backup ? ` (backup ${shownPath(io.cwd, a.backup)})` : ''}\n`);
  }
  for (const q of result.quarantined) io.stdout.write(`moved ${q.count} region files of ${shownPath(io.cwd, q.env)} to ${shownPath(io.cwd, q.folder)}\n`);
  const undo = result.entry.undoes !== undefined ? `rollback of ${result.entry.undoes}` : `undo: provision migrate rollback ${result.entry.id} ${sitesHint(args)}`;
  io.stdout.write(`journal entry ${result.entry.id} (${undo})\n`);
  if (plan.steps.length > 0) io.stdout.write(`Next:\n${plan.steps.map((s, i) => `  ${i + 1}. ${s}\n`).join('')}`);
}

/** The site options as given, for the rollback hint. */
function sitesHint(args: MigrateArgs): string {
  const quote = (s: string) => (/^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);
  return [
    ...(args.group !== undefined ? ['--group', args.group] : []),
    ...args.sites.flatMap((s) => ['--site', s]),
    ...(args.env !== undefined ? ['--env', args.env] : []),
  ].map(quote).join(' ');
}

function resultJson(result: ReturnType<typeof applyMigration> | null) {
  if (!result) return null;
  return { journal: result.entry, quarantined: result.quarantined, backups: result.applied.flatMap((a) => (a.backup ? [a.backup] : [])) };
}

async function runRollback(args: MigrateArgs, io: Io, sites: readonly GroupSite[], makeAsker: () => Promise<Asker>): Promise<number> {
  const { entries, problems } = readJournals(sites.map((s) => s.env));
  for (const p of problems) io.stderr.write(`warning: ${p}\n`);
  const entry: JournalEntry = pickEntry(entries, args.args[0]);
  const planned = planRollback(entry, sites);
  const plan = { changes: planned.changes };
  const cleanups = args.clean ? planCleanups(plan, entry.files.filter((f) => f.site !== TOPOLOGY_SITE).map((f) => path.dirname(f.path))) : [];
  const fake: MigrationPlan = { migration: 'rollback', plan, siteOf: planned.siteOf, cleanEnvs: [], roles: [], warnings: [], steps: ['Start the master first, then the replicants.'], details: {} };
  if (args.json) {
    if (args.dryRun) io.stdout.write(`${JSON.stringify({ migration: 'rollback', of: entry.id, dryRun: true, ...(planToJson(plan) as object), applied: null }, null, 2)}\n`);
  } else {
    io.stdout.write(`Roll back ${entry.migration} ${entry.id}:\n`);
    io.stdout.write(previewPlan(plan));
    io.stdout.write(describeCleanups(io, cleanups, args.dryRun));
  }
  if (args.dryRun) {
    if (!args.json) io.stdout.write('Dry run: nothing was written.\n');
    return EXIT.ok;
  }
  if (!(await confirmMigration({ ...args, migration: 'rollback' }, io, fake, makeAsker))) return EXIT.findings;
  assertNotInUse(cleanups, plan);
  const result = applyMigration('rollback', plan.changes, fake.siteOf, { cleanups, undoes: entry.id, details: { undoes: entry.id } });
  if (args.json) io.stdout.write(`${JSON.stringify({ migration: 'rollback', of: entry.id, dryRun: false, ...(planToJson(plan) as object), applied: resultJson(result) }, null, 2)}\n`);
  else report(io, result, fake, args);
  return EXIT.ok;
}

/** How long the takeover waits for the old master to accept a connection. */
const MASTER_PROBE_MS = 1500;

/**
 * Refuse a takeover while the old master accepts TCP connections on its
 * replication address (as the DB_CONFIGs write it): it is still running, and
 * the takeover would make a second master.
 */
async function assertMasterGone(sites: readonly GroupSite[], backup: string): Promise<void> {
  const old = oldMasterAddresses(sites, backup);
  const probes = await Promise.all(old.map(async (m) => ({ ...m, probe: await probeConnect(m.address.host, m.address.port, MASTER_PROBE_MS) })));
  const live = probes.find((p) => p.probe.state === 'listening');
  if (!live) return;
  const shown = `${live.name !== undefined ? `${live.name}, ` : ''}${formatSiteAddress(live.address)}`;
  throw new MigrationError(
    `the old master (${shown}) still accepts connections on its replication port: a takeover now would leave two masters running; nothing was written. ` +
      'Stop its server (or the machine), or hand the role over with provision migrate failover --to SITE while both run; ' +
      '--force takes over anyway, only when what answers there is known not to be the master',
  );
}

/** `provision migrate`. */
export async function runMigrate(args: MigrateArgs, io: Io, makeAsker: () => Promise<Asker>): Promise<number> {
  try {
    if (args.date !== undefined && parseLocalDate(args.date) === undefined) throw new CliError(`--date ${args.date}: expected a calendar date as YYYY-MM-DD`);
    const sites = loadSites(args, io);
    if (args.migration === 'list') return listJournal(args, io, sites);
    if (args.migration === 'rollback') return await runRollback(args, io, sites, makeAsker);
    const topology = args.topology !== undefined ? loadTopology(args.topology, io) : undefined;
    // Without --to, failover and takeover follow the topology's failover_order.
    const ordered = topology && args.to === undefined && (args.migration === 'failover' || args.migration === 'takeover') ? nextInFailoverOrder(topology, sites) : undefined;
    if (ordered !== undefined && !args.json) io.stdout.write(`${ordered} takes over: the first site of failover_order in ${topology!.read.shown} that is not master (--to SITE names another).\n`);
    const base = planFor(ordered !== undefined ? { ...args, to: ordered } : args, sites, io.cwd, topology ? topologyPriorities(topology) : {});
    const planned = topology ? withTopology(topology, sites, base, TOPOLOGY_SITE) : base;
    const todo = effectiveChanges(planned.plan);
    const cleanups = args.clean && todo.length > 0 ? planCleanups(planned.plan, planned.cleanEnvs) : [];
    const json = (applied: ReturnType<typeof applyMigration> | null) =>
      io.stdout.write(
        `${JSON.stringify({ migration: planned.migration, dryRun: args.dryRun, nothingToDo: todo.length === 0, ...(planToJson(planned.plan) as object), roles: planned.roles, warnings: planned.warnings, steps: planned.steps, details: planned.details, clean: cleanups.map((c) => ({ env: c.env, remove: c.remove.map((e) => path.join(e.dir, e.name)) })), applied: resultJson(applied) }, null, 2)}\n`,
      );
    if (todo.length === 0) {
      if (args.json) json(null);
      else io.stdout.write(`Nothing to do: ${args.migration} is already applied to ${sites.map((s) => s.name).join(', ')}.\n`);
      return EXIT.ok;
    }
    if (!args.json) {
      io.stdout.write(previewPlan(planned.plan));
      io.stdout.write(describeCleanups(io, cleanups, args.dryRun));
      if (!args.clean) io.stdout.write('Region files are left (--no-clean): remove them (provision clean) before restarting, or the old settings stay in force.\n');
      for (const r of planned.roles) if (r.before !== r.after) io.stdout.write(`${r.site}: ${r.before} -> ${r.after}\n`);
    }
    for (const w of planned.warnings) io.stderr.write(`warning: ${w}\n`);
    if (args.dryRun) {
      if (args.json) json(null);
      else io.stdout.write('Dry run: nothing was written.\n');
      return EXIT.ok;
    }
    if (!(await confirmMigration(args, io, planned, makeAsker))) return EXIT.findings;
    // Just before writing: a takeover while the master runs would leave two masters running.
    if (planned.migration === 'takeover' && !args.force) await assertMasterGone(sites, planned.details.backup!);
    assertNotInUse(cleanups, planned.plan);
    const result = applyMigration(planned.migration, planned.plan.changes, planned.siteOf, { cleanups, details: planned.details });
    if (args.json) json(result);
    else report(io, result, planned, args);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof MigrationError || error instanceof ApplyError) {
      io.stderr.write(`provision: refused: ${error.message}\n`);
      return EXIT.findings;
    }
    throw error;
  }
}
