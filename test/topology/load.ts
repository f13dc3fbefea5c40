import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLayout, type LayoutSpec } from '../../src/layout/parse.js';
import { lintTopology, type TopologyRuleSettings } from '../../src/topology/check.js';
import type { PlaceOptions } from '../../src/topology/sites.js';
import { ROOT } from '../helpers.js';

const PRESETS = ['generic', 'maitred', 'tapetrack'];

/** The shipped presets, as the CLI hands them to the topology functions. */
export const PLACE: PlaceOptions = {
  layoutPreset: (name: string): LayoutSpec | undefined =>
    PRESETS.includes(name) ? parseLayout(fs.readFileSync(path.join(ROOT, 'templates/layouts', `${name}.ini`), 'utf8')).layout : undefined,
  presetNames: PRESETS,
};

export const topologyFixture = (name: string) => fs.readFileSync(path.join(ROOT, 'fixtures/topology', name), 'utf8');

/** Lint a topology text with the shipped presets. */
export const lint = (text: string, rules?: TopologyRuleSettings) => lintTopology(text, { ...PLACE, ...(rules ? { rules } : {}) });

/** A group of `sites` (name -> keys), each with its own env on posix unless given, and a [group] of `group` keys. */
export function groupText(group: Record<string, string>, sites: Record<string, Record<string, string>>): string {
  const section = (header: string, keys: Record<string, string>) => [header, ...Object.entries(keys).map(([k, v]) => `${k} = ${v}`), ''];
  return [
    ...section('[group]', group),
    ...Object.entries(sites).flatMap(([name, keys]) => section(`[site "${name}"]`, keys)),
  ].join('\n');
}

/** Three sites on three machines, a clean group. */
export const CLEAN = {
  a: { host: '10.0.0.1', role: 'master', env: '/srv/a/env' },
  b: { host: '10.0.0.2', role: 'replicant', env: '/srv/b/env' },
  c: { host: '10.0.0.3', role: 'replicant', env: '/srv/c/env' },
};
