import * as fs from 'node:fs';
import * as path from 'node:path';
import { count } from '../../count.js';
import { applyPlan, readIfExists, type Applied } from '../../plan/apply.js';
import { planToJson, previewPlan } from '../../plan/preview.js';
import { effectiveChanges } from '../../plan/types.js';
import { RejectedConfig } from '../../site/plan.js';
import { TemplateError } from '../../site/render.js';
import { planTopology, type TopologyPlan } from '../../topology/plan.js';
import { CliError, EXIT } from '../errors.js';
import { shownPath, type Io } from '../io.js';
import { KEEP_AT_LEAST_ONE, numberOption, wholeAtLeast } from '../number-option.js';
import { loadRc } from '../rc.js';
import { problemLine, readTopology, topologySettings } from '../topology-input.js';
import { templatesDir } from './generate.js';
import { ioReason } from '../../io-reason.js';

export interface PlanArgs {
  readonly file: string;
  readonly out: string;
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly keepBackups: number;
  readonly config?: string;
}

function readTemplate(role: 'master' | 'replicant'): { name: string; text: string } {
  const file = path.join(templatesDir(), `${role}.DB_CONFIG.hbs`);
  try {
    return { name: `templates/${role}.DB_CONFIG.hbs`, text: fs.readFileSync(file, 'utf8') };
  } catch (error) {
    throw new CliError(`cannot read the template ${file}: ${ioReason(error)}`, EXIT.usage, { cause: error });
  }
}

/** Folders of the plan holding a DB_CONFIG for a site the topology no longer has. */
function staleSites(outDir: string, sites: ReadonlySet<string>): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(outDir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.filter((e) => e.isDirectory() && !sites.has(e.name) && fs.existsSync(path.join(outDir, e.name, 'DB_CONFIG'))).map((e) => path.join(outDir, e.name)).sort();
}

/** `provision plan FILE --out DIR`. */
export async function runPlan(args: PlanArgs, io: Io): Promise<number> {
  numberOption('keep-backups', args.keepBackups, KEEP_AT_LEAST_ONE, wholeAtLeast(1));
  const rc = loadRc(args.config, io.cwd);
  const topology = readTopology(args.file, io, topologySettings(rc.rules));
  const errors = topology.problems.filter((p) => p.severity === 'error');
  const warnings = topology.problems.filter((p) => p.severity === 'warning');
  if (errors.length > 0 || !topology.resolved) {
    if (args.json) io.stdout.write(`${JSON.stringify({ topology: topology.shown, refused: true, problems: topology.problems }, null, 2)}\n`);
    for (const p of errors) io.stderr.write(`provision: ${problemLine(topology.shown, p)}\n`);
    io.stderr.write(`provision: refused: ${topology.shown} has ${count(errors.length, 'error')} (above); fix them and plan again. Nothing was written.\n`);
    return EXIT.findings;
  }
  const outDir = path.resolve(io.cwd, args.out);
  if (fs.existsSync(outDir) && !fs.statSync(outDir).isDirectory()) throw new CliError(`--out ${args.out}: it is a file, not a folder`);
  const read = (file: string) => {
    try {
      return readIfExists(file);
    } catch (error) {
      throw new CliError(`cannot read ${shownPath(io.cwd, file)}: ${ioReason(error)}`, EXIT.usage, { cause: error });
    }
  };
  let planned: TopologyPlan;
  try {
    planned = await planTopology({
      resolved: topology.resolved,
      templates: { master: readTemplate('master'), replicant: readTemplate('replicant') },
      outDir,
      read,
      exists: (dir) => fs.existsSync(dir) && fs.statSync(dir).isDirectory(),
      topologyName: path.basename(topology.file),
      rules: topologySettings(rc.rules),
    });
  } catch (error) {
    if (error instanceof RejectedConfig || error instanceof TemplateError) throw new CliError(`refused: ${error.message}`, EXIT.findings, { cause: error });
    throw error;
  }
  const shown = (p: string) => shownPath(io.cwd, p);
  const shownPlan = { changes: planned.plan.changes.map((c) => ({ ...c, path: shown(c.path) })) };
  const changes = effectiveChanges(planned.plan);
  const names = new Set(topology.resolved.sites.map((s) => s.name));
  const warningLines = [
    ...warnings.map((p) => problemLine(topology.shown, p)),
    ...staleSites(outDir, names).map((d) => `${shown(d)} holds a DB_CONFIG but is not a site of ${topology.shown}; it is left alone (remove it if that site is gone)`),
    ...planned.sites.flatMap((s) => s.findings.map((f) => `${shown(s.configPath)}:${f.line}:${f.column}: ${f.message} [${f.ruleId}]`)),
  ];
  const json = (applied: readonly Applied[] | null) =>
    io.stdout.write(`${JSON.stringify({
      topology: topology.shown,
      out: shown(outDir),
      dryRun: args.dryRun,
      unchanged: changes.length === 0,
      ...(planToJson(shownPlan) as object),
      applied: applied === null ? null : applied.filter((a) => a.status !== 'unchanged').map((a) => ({ path: shown(a.change.path), kind: a.change.kind, status: a.status, ...(a.backup ? { backup: shown(a.backup) } : {}) })),
      runbook: planned.runbook,
      warnings: warningLines,
    }, null, 2)}\n`);
  if (!args.json) {
    for (const w of warningLines) io.stderr.write(`warning: ${w}\n`);
    if (changes.length > 0) io.stdout.write(previewPlan(shownPlan));
  }
  if (changes.length === 0 || args.dryRun) {
    if (args.json) json(null);
    else io.stdout.write(changes.length === 0 ? `Nothing to do: ${shown(outDir)} already holds the plan of ${topology.shown}.\n` : 'Dry run: nothing was written.\n');
    return EXIT.ok;
  }
  const applied = applyPlan(planned.plan, { keepBackups: args.keepBackups });
  if (args.json) {
    json(applied);
    return EXIT.ok;
  }
  for (const a of applied) {
    if (a.status === 'unchanged' || a.change.kind === 'mkdir') continue;
    io.stdout.write(`${a.status === 'created' ? 'wrote' : 'updated'} ${shown(a.change.path)}${a.backup ? ` (the old file is ${shown(a.backup)})` : ''}\n`);
  }
  io.stdout.write(`\nNext: follow ${shown(path.join(outDir, 'runbook.md'))}, step by step, on the machines it names.\n`);
  return EXIT.ok;
}
