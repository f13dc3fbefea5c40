import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyPlan, ApplyError } from '../../plan/apply.js';
import { planToJson, previewPlan } from '../../plan/preview.js';
import { effectiveChanges } from '../../plan/types.js';
import { parseAnswersFile } from '../../site/answers-file.js';
import { planSite, RejectedConfig } from '../../site/plan.js';
import { questionsFor, whereToAnswer, withDefaults, type RawAnswers, type Role } from '../../site/questions.js';
import { TemplateError } from '../../site/render.js';
import { buildSite } from '../../site/site.js';
import type { Asker } from '../ask.js';
import { CliError, EXIT } from '../errors.js';
import { shownPath, type Io } from '../io.js';
import { packageRoot } from '../package-root.js';

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
}

/** The templates shipped with provision. */
export function templatesDir(): string {
  return path.join(packageRoot(), 'templates');
}

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code}`, EXIT.usage, { cause: error });
  }
}

function readIfExists(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new CliError(`cannot read ${file}: ${code === 'EISDIR' ? 'it is a directory' : code}`, EXIT.usage, { cause: error });
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
  const interactive = !args.yes && io.stdin.isTTY === true && io.stdout.isTTY === true;
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
      throw new CliError(`missing answer: ${q.help.toLowerCase()}; give ${whereToAnswer(q)}${interactive ? '' : ' (no prompts: ' + (args.yes ? '--yes' : 'not a terminal') + ')'}`);
    }
  }
  return withDefaults(args.role, answers);
}

function regionFiles(env: string): string[] {
  try {
    return fs.readdirSync(env).filter((n) => /^__db\.\d{3}$/.test(n)).sort();
  } catch {
    return [];
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
      existing: envExists ? readIfExists(configPath) : null,
      envExists,
      regionFiles: regionFiles(env),
    });
  } catch (error) {
    if (error instanceof RejectedConfig || error instanceof TemplateError) throw new CliError(error.message, EXIT.findings, { cause: error });
    throw error;
  }
  const changes = effectiveChanges(planned.plan);
  const shownPlan = { changes: planned.plan.changes.map((c) => ({ ...c, path: shownPath(io.cwd, c.path) })) };
  if (args.json) {
    io.stdout.write(`${JSON.stringify({ role: site.role, site, dryRun: args.dryRun, unchanged: changes.length === 0, ...(planToJson(shownPlan) as object), warnings: planned.warnings, findings: planned.findings, nextSteps: planned.nextSteps }, null, 2)}\n`);
  } else {
    io.stdout.write(changes.length === 0 ? `${shownPath(io.cwd, configPath)} is unchanged: it already says this.\n` : previewPlan(shownPlan));
    for (const w of planned.warnings) io.stderr.write(`warning: ${w}\n`);
  }
  if (args.dryRun || changes.length === 0) {
    if (!args.json && args.dryRun && changes.length > 0) io.stdout.write('Dry run: nothing was written.\n');
    if (!args.json && changes.length === 0) printSteps(io, planned.nextSteps);
    return EXIT.ok;
  }
  const interactive = !args.yes && io.stdin.isTTY === true && io.stdout.isTTY === true;
  if (interactive && !(await (await makeAsker()).confirm(`Write ${shownPath(io.cwd, configPath)}?`))) {
    io.stderr.write('Nothing was written.\n');
    return EXIT.findings;
  }
  try {
    for (const a of applyPlan(planned.plan, { keepBackups: args.keepBackups })) {
      if (args.json || a.status === 'unchanged') continue;
      const shown = shownPath(io.cwd, a.change.path);
      io.stdout.write(a.change.kind === 'mkdir' ? `created ${shown}/\n` : `${a.status === 'created' ? 'wrote' : 'updated'} ${shown}${a.backup ? ` (the old file is ${shownPath(io.cwd, a.backup)})` : ''}\n`);
    }
  } catch (error) {
    if (error instanceof ApplyError) throw new CliError(error.message, EXIT.usage, { cause: error });
    throw error;
  }
  if (!args.json) printSteps(io, planned.nextSteps);
  return EXIT.ok;
}

function printSteps(io: Io, steps: readonly string[]): void {
  io.stdout.write(`\nNext steps:\n${steps.map((s, i) => `  ${i + 1}. ${s}`).join('\n')}\n`);
}
