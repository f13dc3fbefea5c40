import * as fs from 'node:fs';
import * as path from 'node:path';
import { readIni } from '../../config/ini.js';
import { count } from '../../count.js';
import { applyLayoutPlan } from '../../layout/apply.js';
import { emitJson, emitPs1, emitSh, emitTree, entryNote, layoutToJson, treeRows, type EmitFormat } from '../../layout/emit.js';
import { inspectLayout } from '../../layout/inspect.js';
import { parseLayout, type LayoutSpec } from '../../layout/parse.js';
import { planLayout, type LayoutPlan, type PlannedEntry } from '../../layout/plan.js';
import { resolveLayout, type LayoutRefusal, type RootValue } from '../../layout/resolve.js';
import { renderTree } from '../../layout/tree.js';
import { nativeTarget, ROOT_NAMES, type RootName, type Target } from '../../layout/types.js';
import type { Applied } from '../../plan/apply.js';
import { unifiedDiff } from '../../plan/diff.js';
import { planToJson } from '../../plan/preview.js';
import { QUESTIONS } from '../../site/questions.js';
import type { Asker } from '../ask.js';
import { CliError, EXIT } from '../errors.js';
import { shownPath, type Io } from '../io.js';
import { packageRoot } from '../package-root.js';
import { ioReason } from '../../io-reason.js';

export interface LayoutArgs {
  readonly preset?: string;
  /** A layout file of the user's own. */
  readonly layout?: string;
  readonly root?: string;
  readonly program?: string;
  readonly data?: string;
  readonly backup?: string;
  readonly answers?: string;
  /** Default: this machine's. */
  readonly target?: Target;
  /** Print the layout for another machine instead of creating it. */
  readonly emit?: EmitFormat;
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly yes: boolean;
}

/** The presets shipped with provision. */
export function presetsDir(): string {
  return path.join(packageRoot(), 'templates', 'layouts');
}

export function presetNames(): string[] {
  try {
    return fs.readdirSync(presetsDir()).filter((f) => f.endsWith('.ini')).map((f) => f.slice(0, -4)).sort();
  } catch {
    return [];
  }
}

function readText(file: string, shown: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${what} ${shown}: ${ioReason(error)}`, EXIT.usage, { cause: error });
  }
}

/** The layout named by --preset or --layout (default: the generic preset), and how messages name its file. */
function loadLayout(args: LayoutArgs, io: Io): { spec: LayoutSpec; source: string; preset?: string } {
  let file: string;
  let source: string;
  let preset: string | undefined;
  if (args.layout !== undefined) {
    file = path.resolve(io.cwd, args.layout);
    source = args.layout;
  } else {
    preset = args.preset ?? 'generic';
    if (!/^[a-z0-9][a-z0-9-]*$/.test(preset) || !presetNames().includes(preset)) {
      throw new CliError(`unknown preset "${preset}"; the presets are ${presetNames().join(', ')} (or give your own layout file with --layout FILE)`);
    }
    file = path.join(presetsDir(), `${preset}.ini`);
    source = `templates/layouts/${preset}.ini`;
  }
  const { layout, problems } = parseLayout(readText(file, source, 'layout file'));
  if (!layout) {
    const p = problems[0]!;
    throw new CliError(`${source}:${p.line}: ${p.message}${problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : ''}`);
  }
  return { spec: layout, source, ...(preset !== undefined ? { preset } : {}) };
}

const ROOT_KEYS = ['root', ...ROOT_NAMES] as const;
type RootKey = (typeof ROOT_KEYS)[number];

/**
 * The roots an answers file gives (its root, program, data and backup keys),
 * relative ones relative to the file. The generator's keys are for provision
 * master/replicant and are left alone; any other key is an error naming file:line.
 */
function answersRoots(file: string, io: Io): Partial<Record<RootKey, RootValue>> {
  const full = path.resolve(io.cwd, file);
  const { entries, problems } = readIni(readText(full, file, 'answers file'));
  if (problems[0]) throw new CliError(`${file}:${problems[0].line}: ${problems[0].message}`);
  const others = new Set(['role', ...QUESTIONS.map((q) => q.key)]);
  const out: Partial<Record<RootKey, RootValue & { line: number }>> = {};
  for (const e of entries) {
    if (e.section !== '') throw new CliError(`${file}:${e.line}: sections are not used in answers files; move "${e.key}" above [${e.section}]`);
    if (others.has(e.key)) continue;
    if (!(ROOT_KEYS as readonly string[]).includes(e.key)) throw new CliError(`${file}:${e.line}: unknown key "${e.key}"; provision layout reads ${ROOT_KEYS.join(', ')}`);
    const key = e.key as RootKey;
    const earlier = out[key];
    if (earlier) throw new CliError(`${file}:${e.line}: "${key}" is also set on line ${earlier.line}`);
    if (e.value.trim() === '') throw new CliError(`${file}:${e.line}: "${key}" is empty; give a folder`);
    out[key] = { value: e.value, from: `${file}:${e.line}`, base: path.dirname(full), line: e.line };
  }
  return out;
}

/** Flags win over the answers file, key by key; a relative flag is relative to the working directory. */
function collectRoots(args: LayoutArgs, io: Io): Partial<Record<RootKey, RootValue>> {
  const roots: Partial<Record<RootKey, RootValue>> = args.answers !== undefined ? answersRoots(args.answers, io) : {};
  for (const key of ROOT_KEYS) {
    const v = args[key];
    if (v === undefined) continue;
    if (v.trim() === '') throw new CliError(`--${key} is empty; give a folder`);
    roots[key] = { value: v, from: `--${key} ${v}`, base: io.cwd };
  }
  return roots;
}

function missingRoots(missing: readonly RootName[], args: LayoutArgs): CliError {
  const some = missing.length < ROOT_NAMES.length;
  return new CliError(
    `missing root${some ? `s: ${missing.map((m) => `--${m}`).join(', ')}` : ''}; give --root DIR (one folder holding all three), or --program, --data and --backup${args.answers !== undefined ? ` (answers-file keys ${ROOT_KEYS.join(', ')})` : ', or --answers FILE'}`,
  );
}

const octal = (mode: number) => `0${mode.toString(8).padStart(3, '0')}`;

function printRefusals(io: Io, refusals: readonly LayoutRefusal[]): void {
  for (const r of refusals) io.stderr.write(`provision: refused: ${r.message}\n`);
}

/** The plan as a tree: every folder with what it is and whether it exists, and the manifest. */
function previewTree(planned: LayoutPlan, io: Io): string {
  const note = (e: PlannedEntry) => [entryNote(e), e.exists ? 'exists' : 'new'].filter((s) => s !== '').join(', ');
  const rows = treeRows(planned.entries, planned.manifest.path, (e) => note(e as PlannedEntry), `layout manifest, ${planned.manifest.status}`);
  return renderTree(rows, planned.layout.target, (p) => shownPath(io.cwd, p));
}

function jsonReport(planned: LayoutPlan, source: string, args: LayoutArgs, applied: readonly Applied[] | null): string {
  const base = layoutToJson(planned.layout) as Record<string, unknown>;
  return `${JSON.stringify(
    {
      ...base,
      layout: source,
      dryRun: args.dryRun,
      folders: planned.entries.map((e) => ({ path: e.path, kind: e.kind, root: e.root ?? null, environment: e.environment, mode: e.mode !== undefined ? octal(e.mode) : null, exists: e.exists })),
      manifest: { path: planned.manifest.path, status: planned.manifest.status, content: planned.manifest.text },
      ...(planToJson(planned.plan) as object),
      // What automation reads: whether this run changes (or, with --dry-run, would change) anything.
      changed: !planned.nothingToDo && planned.refusals.length === 0,
      nothingToDo: planned.nothingToDo,
      refusals: planned.refusals,
      warnings: planned.warnings,
      applied: applied === null ? null : applied.filter((a) => a.status !== 'unchanged').map((a) => ({ path: a.change.path, kind: a.change.kind, status: a.status, ...(a.backup ? { backup: a.backup } : {}) })),
    },
    null,
    2,
  )}\n`;
}

/** `provision layout`. */
export async function runLayout(args: LayoutArgs, io: Io, makeAsker: () => Promise<Asker>): Promise<number> {
  if (args.preset !== undefined && args.layout !== undefined) throw new CliError('give --preset or --layout, not both');
  if (args.emit !== undefined && args.json) throw new CliError('--json prints the plan for this machine; for the layout as JSON, use --emit json alone');
  const target = args.target ?? nativeTarget();
  const native = target === nativeTarget();
  const { spec, source, preset } = loadLayout(args, io);
  const roots = collectRoots(args, io);
  const resolved = resolveLayout({ layout: spec, source, target, ...(preset !== undefined ? { preset } : {}), ...roots }, native);
  if (resolved.missing.length > 0) throw missingRoots(resolved.missing, args);
  if (!resolved.layout) {
    if (args.json) io.stdout.write(`${JSON.stringify({ target, layout: source, refusals: resolved.refusals }, null, 2)}\n`);
    printRefusals(io, resolved.refusals);
    return EXIT.findings;
  }
  const layout = resolved.layout;

  if (args.emit !== undefined) {
    const render = { tree: emitTree, json: emitJson, sh: emitSh, ps1: emitPs1 }[args.emit];
    if ((args.emit === 'sh' && target !== 'posix') || (args.emit === 'ps1' && target !== 'windows')) {
      throw new CliError(`--emit ${args.emit} writes a script for a ${args.emit === 'sh' ? 'POSIX' : 'Windows'} machine, and the target is ${target}: use --emit ${target === 'posix' ? 'sh' : 'ps1'}, or --target ${args.emit === 'sh' ? 'posix' : 'windows'}`);
    }
    io.stdout.write(render(layout));
    return EXIT.ok;
  }
  if (!native) {
    throw new CliError(`this machine is ${nativeTarget()}, so a ${target} layout cannot be created here; print it with --emit tree, json or ${target === 'windows' ? 'ps1' : 'sh'} and run that on the ${target === 'windows' ? 'Windows' : 'POSIX'} machine`);
  }

  let planned: LayoutPlan;
  try {
    planned = planLayout(layout, inspectLayout(layout));
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new CliError(`cannot look at ${e.path ?? 'the layout folders'}: ${ioReason(e)}`, EXIT.usage, { cause: error });
  }
  if (!args.json && planned.refusals.length === 0) {
    io.stdout.write(previewTree(planned, io));
    if (planned.manifest.status === 'updated') {
      const before = (planned.plan.changes.find((c) => c.kind === 'write') as { before: Buffer }).before.toString('utf8');
      io.stdout.write(unifiedDiff(before, planned.manifest.text, `a/${shownPath(io.cwd, planned.manifest.path)}`, `b/${shownPath(io.cwd, planned.manifest.path)}`));
    }
    for (const w of planned.warnings) io.stderr.write(`warning: ${w}\n`);
  }
  if (planned.refusals.length > 0) {
    if (args.json) io.stdout.write(jsonReport(planned, source, args, null));
    printRefusals(io, planned.refusals);
    return EXIT.findings;
  }
  if (planned.nothingToDo || args.dryRun) {
    if (args.json) io.stdout.write(jsonReport(planned, source, args, null));
    else io.stdout.write(planned.nothingToDo ? 'Nothing to do: every folder exists and the manifest already says this.\n' : 'Dry run: nothing was created.\n');
    return EXIT.ok;
  }
  const creating = planned.entries.filter((e) => !e.exists).length;
  const interactive = !args.yes && io.stdin.isTTY === true && io.stderr.isTTY === true;
  if (interactive && !(await (await makeAsker()).confirm(`Create ${count(creating, 'folder')}${planned.manifest.status === 'unchanged' ? '' : ` and ${planned.manifest.status === 'new' ? 'write' : 'update'} the manifest`}?`))) {
    io.stderr.write('Nothing was created.\n');
    return EXIT.findings;
  }
  const applied = applyLayoutPlan(planned);
  if (args.json) {
    io.stdout.write(jsonReport(planned, source, args, applied));
    return EXIT.ok;
  }
  const made = applied.filter((a) => a.change.kind === 'mkdir' && a.status === 'created').length;
  const manifest = applied.find((a) => a.change.kind === 'write' && a.status !== 'unchanged');
  const shownManifest = shownPath(io.cwd, planned.manifest.path);
  io.stdout.write(
    `Created ${count(made, 'folder')}${manifest ? `; ${manifest.status === 'created' ? 'wrote' : 'updated'} ${shownManifest}${manifest.backup ? ` (the old one is ${shownPath(io.cwd, manifest.backup)})` : ''}` : ''}.\n`,
  );
  return EXIT.ok;
}
