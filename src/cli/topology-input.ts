import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLayout, type LayoutSpec } from '../layout/parse.js';
import type { LintMessage } from '../lint/types.js';
import { lintTopology, type LintTopologyResult, type TopologyRuleSettings } from '../topology/check.js';
import type { TopologyProblem } from '../topology/types.js';
import { CliError, EXIT } from './errors.js';
import { shownPath, type Io } from './io.js';
import { packageRoot } from './package-root.js';
import { ioReason } from '../io-reason.js';

/** The shipped layout presets (templates/layouts/NAME.ini), read on first use. */
export function presetLoader(): { layoutPreset: (name: string) => LayoutSpec | undefined; presetNames: string[] } {
  const dir = path.join(packageRoot(), 'templates', 'layouts');
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir).filter((f) => f.endsWith('.ini')).map((f) => f.slice(0, -4)).sort();
  } catch {
    names = [];
  }
  const cache = new Map<string, LayoutSpec | undefined>();
  const layoutPreset = (name: string) => {
    if (!names.includes(name)) return undefined;
    if (!cache.has(name)) cache.set(name, parseLayout(fs.readFileSync(path.join(dir, `${name}.ini`), 'utf8')).layout);
    return cache.get(name);
  };
  return { layoutPreset, presetNames: names };
}

/** A topology file read and checked, with the path it is shown as. */
export interface ReadTopology extends LintTopologyResult {
  readonly file: string;
  readonly shown: string;
}

/** Read a topology file (exit 2 when it cannot be read) and check it; the problems are data. */
export function readTopology(file: string, io: Io, rules: TopologyRuleSettings = {}): ReadTopology {
  const abs = path.resolve(io.cwd, file);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read the topology file ${file}: ${ioReason(error)}`, EXIT.usage, { cause: error });
  }
  return { ...lintTopology(text, { ...presetLoader(), rules }), file: abs, shown: shownPath(io.cwd, abs) };
}

/** The rule settings of .provisionrc that concern topology rules. */
export function topologySettings(rules: Readonly<Record<string, string>>): TopologyRuleSettings {
  return Object.fromEntries(Object.entries(rules).filter(([k]) => k.startsWith('topology-'))) as TopologyRuleSettings;
}

/** A topology problem as a lint message, for the lint formatters. */
export function toLintMessage(p: TopologyProblem): LintMessage {
  return { ruleId: p.ruleId, severity: p.severity === 'error' ? 2 : 1, line: p.line, column: p.column, message: p.message };
}

/** `FILE:LINE:COL: message [rule]`: one line per problem. */
export function problemLine(shown: string, p: TopologyProblem): string {
  return `${shown}:${p.line}:${p.column}: ${p.message} [${p.ruleId}]`;
}
