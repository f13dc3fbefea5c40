/** The file-system half of check's gathering, and the whole gathering of a site. I/O lives here, verdicts do not. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDbConfig } from '../dbconfig/document.js';
import { describeSite } from '../dbconfig/site-config.js';
import { readStatements } from '../dbconfig/statements.js';
import { directoryExistsFrom } from '../env/directories.js';
import { environmentLayout } from '../env/layout.js';
import { REGION_FILE } from '../env/region-files.js';
import { findLayoutManifest } from '../layout/manifest.js';
import { lintDbConfig } from '../lint/lint.js';
import type { EnvironmentFacts, RuleSetting } from '../lint/types.js';
import { probeConnect, probeLocalPort, resolveHost } from './probe.js';
import type { LintSummary, SiteAddress, SiteFacts, SiteInput } from './types.js';
import { ioReason } from '../io-reason.js';

const REP_IDENTITY = /^__db\.rep\./;
/** Folders provision keeps beside the data that a backup never copies. */
const NOT_DATA = new Set(['.provision-quarantine']);

export interface GatherOptions {
  /** TCP connect timeout, in milliseconds. */
  readonly timeoutMs: number;
  /** Lint rule settings (.provisionrc's [rules]) for the config check. */
  readonly rules?: Readonly<Record<string, RuleSetting>>;
}

/**
 * Lint DB_CONFIG as `provision lint` does, with the environment it sits in.
 * NOTE: stale-region-files is off: the region-files check reports the same thing.
 */
function lintConfig(bytes: Buffer, configPath: string, mtimeMs: number, state: Pick<SiteFacts, 'env' | 'regions'>, rules: GatherOptions['rules']): LintSummary {
  const environment: EnvironmentFacts = {
    configMtimeMs: mtimeMs,
    regionFiles: state.regions,
    directoryExists: directoryExistsFrom(state.env.path),
  };
  const found = lintDbConfig(bytes, { filePath: configPath, environment, rules: { ...rules, 'stale-region-files': 'off' } });
  const first = found.messages.find((m) => m.severity === 2) ?? found.messages[0];
  return {
    errors: found.errorCount,
    warnings: found.warningCount,
    ...(first ? { first: { line: first.line, column: first.column, ruleId: first.ruleId, message: first.message } } : {}),
  };
}

function readAddresses(configPath: string): Pick<SiteFacts['config'], 'exists' | 'mtimeMs' | 'local' | 'remotes' | 'error'> {
  let bytes: Buffer;
  let mtimeMs: number;
  try {
    bytes = fs.readFileSync(configPath);
    mtimeMs = fs.statSync(configPath).mtimeMs;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { exists: false, remotes: [] };
    return { exists: true, remotes: [], error: ioReason(error) };
  }
  const site = describeSite(readStatements(parseDbConfig(bytes)));
  const toAddress = (s: (typeof site.sites)[number]): SiteAddress => ({ host: s.host, port: s.port, ...(s.flags.db_bootstrap_helper === true ? { helper: true } : {}) });
  return { exists: true, mtimeMs, ...(site.local ? { local: toAddress(site.local) } : {}), remotes: site.remotes.map(toAddress) };
}

function environmentState(env: string): Pick<SiteFacts, 'env' | 'regions' | 'replicationIdentity'> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(env);
  } catch {
    return { env: { path: env, exists: false, isDirectory: false, writable: false }, regions: [], replicationIdentity: false };
  }
  if (!stat.isDirectory()) return { env: { path: env, exists: true, isDirectory: false, writable: false }, regions: [], replicationIdentity: false };
  let writable = true;
  let error: string | undefined;
  try {
    fs.accessSync(env, fs.constants.W_OK | fs.constants.X_OK);
  } catch (e) {
    writable = false;
    error = (e as NodeJS.ErrnoException).code;
  }
  let names: string[] = [];
  try {
    names = fs.readdirSync(env);
  } catch {
    names = [];
  }
  const regions = names.filter((n) => REGION_FILE.test(n)).sort().flatMap((name) => {
    try {
      return [{ name, mtimeMs: fs.statSync(path.join(env, name)).mtimeMs }];
    } catch {
      return [];
    }
  });
  return { env: { path: env, exists: true, isDirectory: true, writable, ...(error !== undefined ? { error } : {}) }, regions, replicationIdentity: names.some((n) => REP_IDENTITY.test(n)) };
}

/** Bytes below `dir` (regular files, links not followed; provision's quarantines left out, as backups leave them). */
export function treeSize(dir: string): number {
  let total = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const p = path.join(current, e.name);
      if (e.isDirectory()) {
        if (!NOT_DATA.has(e.name)) stack.push(p);
      } else if (e.isFile()) {
        try {
          total += fs.lstatSync(p).size;
        } catch {
          // gone since the listing: it needs no room
        }
      }
    }
  }
  return total;
}

/**
 * Free bytes for an unprivileged writer on the file system that holds `p`, or,
 * while `p` does not exist, its nearest existing folder (where `mkdir -p` would put it).
 */
function freeSpace(p: string): { measuredAt: string; freeBytes: number } {
  let dir = path.resolve(p);
  while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  if (!fs.statSync(dir).isDirectory()) throw Object.assign(new Error(`${dir} is not a folder`), { code: 'ENOTDIR' });
  const s = fs.statfsSync(dir);
  // The root itself, as given, when it exists: the check compares the two to tell a missing root.
  return { measuredAt: dir === path.resolve(p) ? p : dir, freeBytes: s.bavail * s.bsize };
}

function backupFacts(input: SiteInput, configBytes: Buffer | null): SiteFacts['backup'] {
  let root: string;
  let source: 'manifest' | 'flag' | 'topology';
  let dataRoot: string;
  if (input.backupRoot !== undefined) {
    root = input.backupRoot;
    source = input.backupFrom ?? 'flag';
    dataRoot = input.dataRoot ?? input.env;
  } else {
    let found;
    try {
      found = findLayoutManifest(input.env);
    } catch (error) {
      return { skipped: `the layout manifest cannot be read (${(error as Error).message}); give --backup DIR` };
    }
    if (found === undefined) return { skipped: 'no layout manifest (provision layout) names a backup root for this environment; give --backup DIR to check its free space' };
    root = found.manifest.backup;
    source = 'manifest';
    dataRoot = found.manifest.data;
  }
  try {
    // Without a layout the data is the environment and the directories its DB_CONFIG names.
    const dirs = source === 'manifest' || input.dataRoot !== undefined ? [dataRoot] : environmentLayout(input.env, configBytes).dirs.map((d) => d.path);
    const unique = dirs.filter((d) => !dirs.some((o) => o !== d && (d + path.sep).startsWith(o + path.sep)));
    return { root, source, dataRoot, dataBytes: unique.reduce((n, d) => n + treeSize(d), 0), ...freeSpace(root) };
  } catch (error) {
    return { root, source, dataRoot, error: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
}

/** Gather every fact check needs about one site: files first, then the network probes in parallel. */
export async function gatherSiteFacts(input: SiteInput, options: GatherOptions): Promise<SiteFacts> {
  const configPath = path.join(input.env, 'DB_CONFIG');
  const state = environmentState(input.env);
  const read = readAddresses(configPath);
  const fromConfig = read.exists && read.error === undefined;
  const planned = input.planned;
  const source: SiteFacts['config']['source'] = fromConfig ? 'DB_CONFIG' : read.error === undefined && planned !== undefined ? planned.from ?? 'answers' : 'none';
  const usePlan = !fromConfig && source !== 'none';
  const local = fromConfig ? read.local : usePlan ? planned?.local : undefined;
  const remotes = fromConfig ? read.remotes : usePlan ? planned?.remotes ?? [] : [];
  let configBytes: Buffer | null = null;
  try {
    configBytes = fromConfig ? fs.readFileSync(configPath) : null;
  } catch {
    configBytes = null;
  }
  const [resolved, localPort, probes] = await Promise.all([
    local ? resolveHost(local.host) : undefined,
    local ? probeLocalPort(local.host, local.port, options.timeoutMs) : undefined,
    Promise.all(remotes.map(async (r) => ({ ...r, probe: await probeConnect(r.host, r.port, options.timeoutMs) }))),
  ]);
  return {
    name: input.name,
    ...state,
    config: {
      path: configPath,
      exists: read.exists,
      ...(read.mtimeMs !== undefined ? { mtimeMs: read.mtimeMs } : {}),
      source,
      ...(local ? { local } : {}),
      remotes,
      ...(read.error !== undefined ? { error: read.error } : {}),
      ...(configBytes !== null ? { lint: lintConfig(configBytes, configPath, read.mtimeMs ?? 0, state, options.rules) } : {}),
    },
    ...(input.expect !== undefined ? { expect: input.expect } : {}),
    ...(resolved ? { resolved } : {}),
    ...(localPort ? { localPort } : {}),
    remotes: probes,
    ...(input.clientPort !== undefined ? { clientPort: input.clientPort } : {}),
    backup: backupFacts(input, configBytes),
    timeoutMs: options.timeoutMs,
  };
}

/** Gather several sites (a topology) one after another: each site's own probes already run in parallel. */
export async function gatherSitesFacts(inputs: readonly SiteInput[], options: GatherOptions): Promise<SiteFacts[]> {
  const out: SiteFacts[] = [];
  for (const input of inputs) out.push(await gatherSiteFacts(input, options));
  return out;
}
