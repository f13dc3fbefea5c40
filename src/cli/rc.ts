import * as fs from 'node:fs';
import * as path from 'node:path';
import { readIni } from '../config/ini.js';
import { GROUP_RULES } from '../lint/group-rules.js';
import { RULES } from '../lint/rules/index.js';
import { TOPOLOGY_RULES } from '../topology/rules.js';
import type { RuleSetting } from '../lint/types.js';
import { CliError } from './errors.js';
import { ioReason } from '../io-reason.js';
import { MAX_WARNINGS } from './lint-options.js';

export const RC_NAME = '.provisionrc';

export interface RcSettings {
  readonly file?: string;
  readonly rules: Record<string, RuleSetting>;
  readonly maxWarnings?: number;
}

const KNOWN = new Set([...RULES.map((r) => r.id), ...GROUP_RULES.map((r) => r.id), ...TOPOLOGY_RULES.map((r) => r.id)]);
const SETTINGS = new Set(['error', 'warning', 'warn', 'off']);

/** The nearest .provisionrc from `dir` upwards. */
export function findRc(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const candidate = path.join(d, RC_NAME);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(d) === d) return undefined;
  }
}

/**
 * Parse a .provisionrc (INI):
 *   [rules]
 *   prefer-ipv4 = off
 *   [lint]
 *   max-warnings = 0
 * Unknown sections, keys and values are errors naming the file and line.
 */
export function parseRc(text: string, file: string): RcSettings {
  const rules: Record<string, RuleSetting> = {};
  let maxWarnings: number | undefined;
  const { entries, problems } = readIni(text);
  const first = problems[0];
  if (first) throw new CliError(`${file}:${first.line}: ${first.message}`);
  for (const { section, key, value, line } of entries) {
    const where = `${file}:${line}`;
    if (section === 'rules') {
      if (!KNOWN.has(key)) throw new CliError(`${where}: unknown rule "${key}" (see docs/rules.md)`);
      if (!SETTINGS.has(value)) throw new CliError(`${where}: rule ${key} must be error, warning or off, found "${value}"`);
      rules[key] = value === 'warn' ? 'warning' : (value as RuleSetting);
    } else if (section === 'lint') {
      if (key !== 'max-warnings') throw new CliError(`${where}: unknown setting "${key}" in [lint]; expected max-warnings`);
      // The rule of lint --max-warnings: -1 is no limit, below it means nothing.
      if (!/^-?\d+$/.test(value) || Number(value) < -1) throw new CliError(`${where}: max-warnings must be ${MAX_WARNINGS}, found "${value}"`);
      maxWarnings = Number(value);
    } else {
      throw new CliError(`${where}: "${key}" is ${section ? `in an unknown section [${section}]` : 'outside a section'}; put it under [rules] or [lint]`);
    }
  }
  return { file, rules, ...(maxWarnings !== undefined ? { maxWarnings } : {}) };
}

export function loadRc(explicit: string | undefined, cwd: string): RcSettings {
  const file = explicit !== undefined ? path.resolve(cwd, explicit) : findRc(cwd);
  if (file === undefined) return { rules: {} };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${ioReason(error)}`, 2, { cause: error });
  }
  return parseRc(text, path.relative(cwd, file) || file);
}
