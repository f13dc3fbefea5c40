import * as fs from 'node:fs';
import * as path from 'node:path';
import { count } from '../../count.js';
import { applyPlan, readIfExists, type Applied } from '../../plan/apply.js';
import { planToJson, previewPlan } from '../../plan/preview.js';
import { effectiveChanges } from '../../plan/types.js';
import { parseAnswersFile } from '../../site/answers-file.js';
import { planSite, RejectedConfig } from '../../site/plan.js';
import { questionsFor, whereToAnswer, withDefaults, type RawAnswers, type Role } from '../../site/questions.js';
import { TemplateError } from '../../site/render.js';
import { buildSite } from '../../site/site.js';
import { planClean } from '../../env/clean-plan.js';
import { describeHolders, findHolders } from '../../env/in-use.js';
import { environmentLayout } from '../../env/layout.js';
import { CleanError, quarantineEntries, undoQuarantine } from '../../env/quarantine.js';
import { scanEnvironment, type Entry } from '../../env/scan.js';
import type { Asker } from '../ask.js';
import { CliError, EXIT } from '../errors.js';
import { regionFiles } from '../files.js';
import { shownPath, type Io } from '../io.js';
import { packageRoot } from '../package-root.js';
import { ioReason } from '../../io-reason.js';

export interface GenerateArgs {
  readonly role: Role;
  /** Answers given as flags. */
  readonly flags: RawAnswers;
  readonly answers?: string;
  readonly templates?: string;
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly yes: boolean;
  readonly keepBackups: number;
  /** Also move the region files to quarantine, as one plan with the config change (provision clean's default mode). */
  readonly resetState?: boolean;
}

/** The templates shipped with provision. */
export function templatesDir(): string {
  return path.join(packageRoot(), 'templates');
}

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${what} ${file}: ${ioReason(error)}`, EXIT.usage, { cause: error });
  }
}

function readExisting(file: string): Buffer | null {
  try {
    return readIfExists(file);
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${ioReason(error)}`, EXIT.usage, { cause: error });
  }
}

/** Flags, then the answers file, then prompts (only on a terminal without --yes), then defaults. */
export async function collectAnswers(args: GenerateArgs, io: Io, makeAsker: () => Promise<Asker>): Promise<RawAnswers> {
  const fromFile: RawAnswers = {};
  if (args.answers !== undefined) {
    const file = path.resolve(io.cwd, args.answers);
    const parsed = parseAnswersFile(readText(file, 'answers file'), args.role);
    const problem = parsed.problems[0];
    if (problem) throw new CliError(`${args.answers}:${problem.line}: ${problem.message}`);
    Object.assign(fromFile, parsed.answers);
  }
  for (const q of questionsFor(args.role)) {
    const given = args.flags[q.name];
    const values = given === undefined ? [] : Array.isArray(given) ? given : [given];
    for (const v of values) {
      const bad = q.validate(v);
      if (bad) throw new CliError(`--${q.flag}: ${bad}`);
    }
  }
  const interactive = isInteractive(args, io);
  const answers: RawAnswers = { ...fromFile, ...Object.fromEntries(Object.entries(args.flags).filter(([, v]) => v !== undefined)) };
  let asker: Asker | undefined;
  for (const q of questionsFor(args.role)) {
    if (answers[q.name] !== undefined) continue;
    const askable = q.required || q.multiple;
    if (interactive && askable) {
      asker ??= await makeAsker();
      (answers as Record<string, unknown>)[q.name] = await asker.ask(q, args.role);
      continue;
    }
    if (q.required && q.defaultFor?.(args.role) === undefined) {
      throw new CliError(`missing answer: ${q.help.charAt(0).toLowerCase() + q.help.slice(1)}; give ${whereToAnswer(q)}${interactive ? '' : ' (no prompts: ' + (args.yes ? '--yes' : 'not a terminal') + ')'}`);
    }
  }
  if (asker) await reaskUntilConsistent(args.role, answers, asker, io);
  return withDefaults(args.role, answers);
}

/** Prompts only on a terminal, and never with --yes. */
function isInteractive(args: GenerateArgs, io: Io): boolean {
  return !args.yes && io.stdin.isTTY === true && io.stderr.isTTY === true;
}

/**
 * Answers can be wrong together (the master's address is this site's own, the
 * client port is the replication port): at a prompt, ask the question at fault again.
 */
async function reaskUntilConsistent(role: Role, answers: RawAnswers, asker: Asker, io: Io): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const problem = buildSite(role, withDefaults(role, answers)).problems[0];
    const q = problem && questionsFor(role).find((x) => x.name === problem.question);
    if (!problem || !q) return;
    io.stderr.write(`> ${problem.message}\n`);
    (answers as Record<string, unknown>)[q.name] = await asker.ask(q, role);
  }
}


/** `provision master` / `provision replicant`. */
export async function runGenerate(args: GenerateArgs, io: Io, makeAsker: () => Promise<Asker>): Promise<number> {
  const answers = await collectAnswers(args, io, makeAsker);
  const { site, problems } = buildSite(args.role, answers);
  if (!site) {
    const p = problems[0]!;
    throw new CliError(`${p.where}: ${p.message}${problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : ''}`);
  }
  const env = path.resolve(io.cwd, site.env);
  const configPath = path.join(env, 'DB_CONFIG');
  const templateFile = path.join(args.templates !== undefined ? path.resolve(io.cwd, args.templates) : templatesDir(), `${args.role}.DB_CONFIG.hbs`);
  const envExists = fs.existsSync(env);
  if (envExists && !fs.statSync(env).isDirectory()) throw new CliError(`--env ${site.env}: it is a file, not a directory`);
  let planned;
  try {
    planned = await planSite({
      site,
      template: { name: shownPath(io.cwd, templateFile), text: readText(templateFile, 'template') },
      configPath,
      existing: envExists ? readExisting(configPath) : null,
      envExists,
      // With --reset-state the region files go in the same plan: no warning, no step for them.
      regionFiles: args.resetState ? [] : regionFiles(env),
    });
  } catch (error) {
    if (error instanceof RejectedConfig || error instanceof TemplateError) throw new CliError(error.message, EXIT.findings, { cause: error });
    throw error;
  }
  const changes = effectiveChanges(planned.plan);
  const reset = args.resetState && envExists ? planStateReset(env, planned.content) : undefined;
  const removals = reset?.remove ?? [];
  const shownPlan = { changes: planned.plan.changes.map((c) => ({ ...c, path: shownPath(io.cwd, c.path) })) };
  const shownConfig = shownPath(io.cwd, configPath);
  const warnings = [
    ...planned.warnings,
    ...planned.findings.map((f) => `${shownConfig}:${f.line}:${f.column}: ${f.message} [${f.ruleId}]`),
  ];
  if (!args.json) {
    io.stdout.write(changes.length === 0 ? `${shownConfig} is unchanged: it already says this.\n` : previewPlan(shownPlan));
    if (removals.length > 0) {
      io.stdout.write(`# and move ${count(removals.length, 'stale state file')} to quarantine (provision clean):\n`);
      for (const e of removals) io.stdout.write(`  ${shownPath(io.cwd, path.join(e.dir, e.name))}  (${e.class}: ${e.reason})\n`);
    }
    for (const w of warnings) io.stderr.write(`warning: ${w}\n`);
  }
  const json = (applied: readonly Applied[], quarantined?: { id: string; folder: string }) => {
    const written = applied.filter((a) => a.status !== 'unchanged').map((a) => ({ path: shownPath(io.cwd, a.change.path), status: a.status, ...(a.backup ? { backup: shownPath(io.cwd, a.backup) } : {}) }));
    const clean = reset ? { clean: { remove: removals.map((e) => ({ path: shownPath(io.cwd, path.join(e.dir, e.name)), class: e.class, reason: e.reason })), quarantine: quarantined ? { id: quarantined.id, folder: shownPath(io.cwd, quarantined.folder) } : null } } : {};
    io.stdout.write(`${JSON.stringify({ role: site.role, site, dryRun: args.dryRun, changed: changes.length > 0 || removals.length > 0, unchanged: changes.length === 0 && removals.length === 0, ...(planToJson(shownPlan) as object), applied: written, ...clean, warnings, findings: planned.findings, nextSteps: planned.nextSteps }, null, 2)}\n`);
  };
  if (removals.length > 0) {
    const inUse = findHolders(reset!.dirs, reset!.port !== undefined ? [reset!.port] : []);
    if (inUse.holders.length > 0) {
      const who = describeHolders(inUse.holders);
      throw new CliError(`refused: the environment is in use: ${who}. Stop the server first; nothing was written.`, EXIT.findings);
    }
  }
  if (args.dryRun || (changes.length === 0 && removals.length === 0)) {
    if (args.json) json([]);
    else {
      if (args.dryRun && changes.length > 0) io.stdout.write('Dry run: nothing was written.\n');
      printSteps(io, planned.nextSteps);
    }
    return EXIT.ok;
  }
  if (isInteractive(args, io) && !(await (await makeAsker()).confirm(removals.length > 0 ? `Write ${shownConfig} and move ${removals.length} state files to quarantine?` : `Write ${shownConfig}?`))) {
    io.stderr.write('Nothing was written.\n');
    return EXIT.findings;
  }
  // The state files move first: if writing DB_CONFIG then fails, they are moved back (all or nothing).
  let quarantined: { id: string; folder: string } | undefined;
  if (removals.length > 0) {
    try {
      quarantined = quarantineEntries(env, 'state', removals);
    } catch (error) {
      if (error instanceof CleanError) throw new CliError(`refused: ${error.message}`, EXIT.findings, { cause: error });
      throw error;
    }
  }
  let applied: Applied[];
  try {
    applied = applyPlan(planned.plan, { keepBackups: args.keepBackups });
  } catch (error) {
    if (quarantined) undoQuarantine(env, quarantined.id);
    throw error;
  }
  if (args.json) {
    json(applied, quarantined);
    return EXIT.ok;
  }
  if (quarantined) io.stdout.write(`moved ${removals.length} state files to ${shownPath(io.cwd, quarantined.folder)} (undo: provision clean --env ${shownPath(io.cwd, env)} --undo ${quarantined.id})\n`);
  for (const a of applied) {
    if (a.status === 'unchanged') continue;
    const shown = shownPath(io.cwd, a.change.path);
    io.stdout.write(a.change.kind === 'mkdir' ? `created ${shown}/\n` : `${a.status === 'created' ? 'wrote' : 'updated'} ${shown}${a.backup ? ` (the old file is ${shownPath(io.cwd, a.backup)})` : ''}\n`);
  }
  printSteps(io, planned.nextSteps);
  return EXIT.ok;
}

/** The default clean of an environment, planned against the DB_CONFIG about to be written. */
function planStateReset(env: string, config: Buffer): { remove: readonly Entry[]; dirs: string[]; port?: number } {
  const layout = environmentLayout(env, config);
  const plan = planClean(scanEnvironment(layout).entries, layout, 'state');
  return { remove: plan.remove, dirs: layout.dirs.map((d) => d.path), ...(layout.port !== undefined ? { port: layout.port } : {}) };
}

function printSteps(io: Io, steps: readonly string[]): void {
  io.stdout.write(`\nNext steps:\n${steps.map((s, i) => `  ${i + 1}. ${s}`).join('\n')}\n`);
}
