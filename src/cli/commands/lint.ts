import * as path from 'node:path';
import { count } from '../../count.js';
import { parseDbConfig } from '../../dbconfig/document.js';
import type { FormatName } from '../../lint/formatters/index.js';
import { loadReport } from '../../lint/formatters/load.js';
import { lintBinary, lintDbConfig, toResult } from '../../lint/lint.js';
import type { LintResult } from '../../lint/types.js';
import type { Applied } from '../../plan/apply.js';
import type { Change } from '../../plan/types.js';
import { CliError, EXIT } from '../errors.js';
import { MAX_WARNINGS } from '../lint-options.js';
import { numberOption, wholeAtLeast } from '../number-option.js';
import { CONFIG_SUFFIX, environmentFacts, readInputs, type LintInput, type ReadInputsOptions } from '../files.js';
import { readStdin, shownPath, useColor, type Io } from '../io.js';
import { loadRc } from '../rc.js';

export interface LintArgs {
  readonly paths: readonly string[];
  readonly format: FormatName;
  readonly group: boolean;
  /** A topology file to lint with its group rules. */
  readonly topology?: string;
  readonly fix: boolean;
  readonly fixDryRun: boolean;
  /** Undefined: the .provisionrc setting, else no limit; -1: no limit. */
  readonly maxWarnings?: number;
  readonly quiet: boolean;
  readonly config?: string;
  readonly stdinFilename: string;
}

interface Input extends Pick<LintInput, 'nearby' | 'times'> {
  readonly file: string;
  readonly shown: string;
  readonly bytes: Buffer;
}

/**
 * The largest file lint reads. A DB_CONFIG is a few kilobytes; a file of many
 * megabytes is another file named DB_CONFIG by mistake, and its findings (one a
 * line) would outgrow any output.
 */
export const MAX_LINT_BYTES = 8 * 1024 * 1024;

function tooLarge(input: Input): CliError {
  const mb = (input.bytes.length / (1024 * 1024)).toFixed(1);
  return new CliError(`${input.shown}: ${mb} MB is too large for a DB_CONFIG (lint reads at most ${MAX_LINT_BYTES / (1024 * 1024)} MB); is this the right file?`);
}

/** `provision lint`: lint, optionally fix, and print findings; returns the exit code. `threads`: see ReadInputsOptions. */
/** A result with its errors only (--quiet). */
function onlyErrors(r: LintResult): LintResult {
  return toResult(r.filePath, r.messages.filter((m) => m.severity === 2));
}

export async function runLint(args: LintArgs, io: Io, threads: Pick<ReadInputsOptions, 'reader' | 'onHandOff'> = {}): Promise<number> {
  if (args.maxWarnings !== undefined) numberOption('max-warnings', args.maxWarnings, MAX_WARNINGS, wholeAtLeast(-1));
  const rc = loadRc(args.config, io.cwd);
  if (args.paths.filter((p) => p === '-').length > 1) throw new CliError('read stdin (-) only once');
  if (args.paths.includes('-') && args.fix) throw new CliError('--fix cannot write to stdin; use --fix-dry-run to see the fixes');
  const options = (input: Input) => {
    // Only a file named DB_CONFIG sits in an environment whose directory lint may judge.
    const named = input.file !== '-' && (input.file.endsWith(CONFIG_SUFFIX) || path.basename(input.file) === 'DB_CONFIG');
    const environment = named ? environmentFacts(input.file, input.nearby, input.times) : undefined;
    return environment ? { filePath: input.shown, rules: rc.rules, environment } : { filePath: input.shown, rules: rc.rules };
  };

  const changes: Change[] = [];
  // Fixing, planning and group checks load only when asked for (start-up time).
  const { fixDbConfig } = args.fix || args.fixDryRun ? await import('../../lint/fix.js') : { fixDbConfig: undefined };
  // What each file says after the fixes (the same bytes without --fix), kept only for the group checks.
  const members: Input[] = [];
  let results: LintResult[] = [];
  // Each file is linted as soon as its batch is read, and its bytes dropped unless the group needs them. A function
  // of its own: it loops over every file of a fleet, runLint only over their batches.
  const lintEach = (batch: readonly LintInput[], stdin: Buffer | undefined) => {
    for (let i = 0; i < batch.length; i++) {
      const { file, bytes, source, nearby, times } = batch[i]!;
      const input: Input = file === '-' ? { file, shown: args.stdinFilename, bytes: stdin! } : { file, shown: shownPath(io.cwd, file), bytes: bytes!, nearby, times };
      if (input.bytes.length > MAX_LINT_BYTES) throw tooLarge(input);
      if (fixDbConfig === undefined) {
        results.push(source !== undefined ? lintBinary(source, options(input)) : lintDbConfig(input.bytes, options(input)));
        if (args.group) members.push(input);
        continue;
      }
      const fixed = fixDbConfig(input.bytes, options(input));
      if (!fixed.output.equals(input.bytes)) {
        changes.push({ kind: 'write', path: input.file === '-' ? input.shown : input.file, before: input.bytes, after: fixed.output, reason: count(fixed.fixed, 'safe fix', 'safe fixes') });
      }
      results.push(fixed.result);
      if (args.group) members.push({ ...input, bytes: fixed.output });
    }
  };
  // The report is made as lint goes, each batch's results while the next batch is read, unless something changes
  // the results once every file is linted (group checks, a topology's findings first). Its text is held until then:
  // a walk that fails half way prints no report.
  const streamed = !args.group && args.topology === undefined;
  let last = '';
  let held: string[] | undefined = [];
  // Colour is asked of stdout only when a finding is painted: a clean lint makes no stdout stream.
  let color: boolean | undefined;
  const format = {
    get color() {
      return (color ??= useColor(io));
    },
    cwd: io.cwd,
  };
  const output = (await loadReport(args.format))(format, (chunk) => {
    if (chunk === '') return;
    if (held !== undefined) held.push(chunk);
    else io.stdout.write(chunk);
    last = chunk;
  });
  // What the report counts (a streamed report's results are not kept: a fleet's are tens of thousands of objects
  // the garbage collector would copy again and again).
  let errors = 0;
  let warnings = 0;
  const tally = (counted: readonly LintResult[]) => {
    for (let i = 0; i < counted.length; i++) {
      errors += counted[i]!.errorCount;
      warnings += counted[i]!.warningCount;
    }
  };
  // Standard input (`-`) comes alone in its batch.
  for (const batch of readInputs(args.paths, io.cwd, threads)) {
    lintEach(batch, batch[0]!.file === '-' ? await readStdin(io) : undefined);
    if (!streamed) continue;
    if (args.quiet) for (let i = 0; i < results.length; i++) results[i] = onlyErrors(results[i]!);
    tally(results);
    output.add(results);
    results = [];
  }

  if (args.group) {
    const { lintGroup } = await import('../../lint/group.js');
    const group = lintGroup(members.map((i) => ({ filePath: i.shown, doc: parseDbConfig(i.bytes) })), rc.rules);
    results = results.map((r) => toResult(r.filePath, [...r.messages, ...(group.get(r.filePath) ?? [])]));
  }
  if (args.topology !== undefined) {
    const { readTopology, toLintMessage, topologySettings } = await import('../topology-input.js');
    const topology = readTopology(args.topology, io, topologySettings(rc.rules));
    results = [toResult(topology.shown, topology.problems.map(toLintMessage)), ...results];
  }
  if (args.quiet && !streamed) results = results.map(onlyErrors);

  if (args.fixDryRun) {
    const { previewPlan } = await import('../../plan/preview.js');
    const plan = { changes: changes.map((c) => (c.kind === 'write' ? { ...c, path: shownPath(io.cwd, c.path) } : c)) };
    // Machine-readable formats keep stdout to themselves; the diff then goes to stderr.
    const out = args.format === 'stylish' ? io.stdout : io.stderr;
    out.write(changes.length === 0 ? 'No safe fixes to apply.\n' : previewPlan(plan));
  } else if (args.fix && changes.length > 0) {
    const { applyPlan, ApplyError } = await import('../../plan/apply.js');
    const report = (applied: readonly Applied[]) => {
      for (const a of applied) {
        const shown = shownPath(io.cwd, a.change.path);
        if (a.sameFileAs !== undefined) io.stderr.write(`${shown} is the same file as ${shownPath(io.cwd, a.sameFileAs)}: fixed once\n`);
        else if (a.status !== 'unchanged') io.stderr.write(`fixed ${shown} (${a.change.reason})${a.backup ? `; the old file is ${shownPath(io.cwd, a.backup)}` : ''}\n`);
      }
    };
    try {
      report(applyPlan({ changes }));
    } catch (error) {
      // What was written before the failure is said first, one line a file, as a run that succeeds says it.
      if (error instanceof ApplyError) report(error.written);
      throw error;
    }
  } else if (args.fix) {
    io.stderr.write('Nothing to fix.\n');
  }

  // The report goes out: what is held, then the rest as it is made (a fleet's is megabytes), ending with a line end.
  for (const chunk of held) io.stdout.write(chunk);
  held = undefined;
  if (!streamed) {
    tally(results);
    output.add(results);
  }
  output.end();
  if (last !== '' && !last.endsWith('\n')) io.stdout.write('\n');

  const maxWarnings = args.maxWarnings ?? rc.maxWarnings ?? -1;
  if (errors > 0) return EXIT.findings;
  if (maxWarnings >= 0 && warnings > maxWarnings) {
    io.stderr.write(`provision: ${count(warnings, 'warning')}, more than --max-warnings ${maxWarnings}\n`);
    return EXIT.findings;
  }
  return EXIT.ok;
}
