import type { LayoutSpec } from '../layout/parse.js';
import { checkAbsolutePath, isSameOrInside, pathKey } from '../layout/paths.js';
import { resolveLayout, type ResolvedLayout, type RootValue } from '../layout/resolve.js';
import type { Target } from '../layout/types.js';
import type { Role } from '../site/questions.js';
import { sitePort } from './parse.js';
import type { Located, SitePathKey, Topology, TopologyProblem, TopologySite } from './types.js';

/** A site with everything the file leaves to be worked out: its address, its machine's path rules, its folders. */
export interface PlacedSite {
  readonly site: TopologySite;
  readonly name: string;
  readonly role: Role;
  readonly host: string;
  readonly port: number;
  readonly target: Target;
  /** The environment directory (where DB_CONFIG lives), absolute in the target's syntax. */
  readonly env: string;
  /** What the site's data is: the layout's data root, else the environment. */
  readonly dataRoot: string;
  readonly backupRoot?: string;
  /** The site's layout, when it has one (a `layout` preset or roots). */
  readonly layout?: ResolvedLayout;
}

/** A topology whose every site is placed. */
export interface ResolvedTopology {
  readonly topology: Topology;
  readonly sites: readonly PlacedSite[];
}

export interface PlaceOptions {
  /** The layout preset of that name (templates/layouts/NAME.ini), or undefined. */
  readonly layoutPreset: (name: string) => LayoutSpec | undefined;
  /** The preset names, for messages. */
  readonly presetNames: readonly string[];
}

const WINDOWS_PATH = /^(?:[A-Za-z]:[\\/]|[\\/]{2}[^\\/])/;

/** The target a site's paths are written for: its `target` key, else Windows when any path is a Windows one. */
export function siteTarget(site: TopologySite): Target {
  if (site.target) return site.target.value;
  return Object.values(site.paths).some((p) => p !== undefined && WINDOWS_PATH.test(p.value)) ? 'windows' : 'posix';
}

const ROOT_KEYS = ['root', 'program', 'data', 'backup'] as const;

/**
 * Place every site (pure): its address (the group's default port when it has
 * none), its target, its environment and roots from its layout or `env`.
 * Sites that cannot be placed are left out and their problems returned.
 */
export function placeSites(topology: Topology, options: PlaceOptions): { resolved: ResolvedTopology; problems: TopologyProblem[] } {
  const problems: TopologyProblem[] = [];
  const sites: PlacedSite[] = [];
  const at = (where: Located<unknown> | TopologySite, ruleId: 'topology-value' | 'topology-missing', message: string) =>
    problems.push({ ruleId, severity: 'error', line: where.line, column: where.column, message });
  for (const site of topology.sites) {
    const port = sitePort(topology, site);
    if (!site.host || !port || !site.role) continue; // reported by the parser
    const target = siteTarget(site);
    // `backup` beside `env` alone is a backup root without a layout; with a layout or another root it is the layout's.
    const wantsLayout = site.layout !== undefined || (['root', 'program', 'data'] as const).some((k) => site.paths[k] !== undefined);
    let layout: ResolvedLayout | undefined;
    let env: string | undefined;
    if (wantsLayout) {
      const preset = site.layout?.value ?? 'generic';
      const spec = options.layoutPreset(preset);
      if (!spec) {
        at(site.layout ?? site, 'topology-value', `unknown layout preset "${preset}"; the presets are ${options.presetNames.join(', ')}`);
        continue;
      }
      const value = (k: SitePathKey): RootValue | undefined => {
        const p = site.paths[k];
        return p && { value: p.value, from: `site "${site.name}" ${k} (line ${p.line})` };
      };
      const roots = Object.fromEntries(ROOT_KEYS.flatMap((k) => (value(k) ? [[k, value(k)]] : [])));
      const r = resolveLayout({ layout: spec, source: `templates/layouts/${preset}.ini`, preset, target, ...roots }, false);
      const where = site.paths.root ?? site.paths.data ?? site.paths.program ?? site.paths.backup ?? site.layout ?? site;
      if (r.missing.length > 0) {
        at(site, 'topology-missing', `site "${site.name}" uses the ${preset} layout but gives no ${r.missing.join(', ')} root; add root = DIR (one folder holding all three), or program, data and backup`);
        continue;
      }
      if (!r.layout) {
        for (const refusal of r.refusals) at(where, 'topology-value', `site "${site.name}": ${refusal.message}`);
        continue;
      }
      layout = r.layout;
      env = layout.environment;
    }
    const envPath = site.paths.env;
    if (envPath) {
      const checked = checkAbsolutePath(envPath.value, target);
      if (!checked.ok) {
        at(envPath, 'topology-value', `env: ${checked.message}${checked.code === 'not-absolute' ? '; a relative path means nothing on another machine' : ''}`);
        continue;
      }
      if (env !== undefined && pathKey(env, target) !== pathKey(checked.path, target)) {
        at(envPath, 'topology-value', `env ${checked.path} is not the environment of the site's layout, ${env}; remove env (the layout places it) or make them agree`);
        continue;
      }
      env = checked.path;
    }
    if (env === undefined) {
      at(site, 'topology-missing', `site "${site.name}" has no environment directory; add env = DIR (where DB_CONFIG lives), or a layout (layout = PRESET, root = DIR)`);
      continue;
    }
    let backupRoot = layout?.roots.backup;
    const backup = site.paths.backup;
    if (!layout && backup) {
      const checked = checkAbsolutePath(backup.value, target);
      if (!checked.ok) {
        at(backup, 'topology-value', `backup: ${checked.message}`);
        continue;
      }
      if (isSameOrInside(checked.path, env, target) || isSameOrInside(env, checked.path, target)) {
        at(backup, 'topology-value', `backup ${checked.path} and env ${env} are one inside the other: every backup would copy the backups before it; put the backup root beside the environment`);
        continue;
      }
      backupRoot = checked.path;
    }
    sites.push({
      site, name: site.name, role: site.role.value, host: site.host.value, port: port.value, target, env,
      dataRoot: layout?.roots.data ?? env,
      ...(backupRoot !== undefined ? { backupRoot } : {}),
      ...(layout ? { layout } : {}),
    });
  }
  return { resolved: { topology, sites }, problems };
}
