import { count } from '../count.js';
import type { CheckResult, CheckStatus, Expectation, SiteAddress, SiteFacts, SiteReport } from './types.js';

const RANK: Record<CheckStatus, number> = { OK: 0, WARNING: 1, CRITICAL: 2 };

/** The worst of several statuses (OK for none). */
export function worstStatus(statuses: Iterable<CheckStatus>): CheckStatus {
  let worst: CheckStatus = 'OK';
  for (const s of statuses) if (RANK[s] > RANK[worst]) worst = s;
  return worst;
}

/** `host:port`, with brackets around an IPv6 address. */
export function formatHostPort(a: { host: string; port: number }): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

/**
 * Whether the site's server should be running: the --expect flag, else
 * "running" once the environment has been started (region files or a
 * replication identity exist), "stopped" before its first start.
 */
export function expectedState(facts: Pick<SiteFacts, 'expect' | 'regions' | 'replicationIdentity'>): { expect: Expectation; why: string } {
  if (facts.expect !== undefined) return { expect: facts.expect, why: `--expect ${facts.expect}` };
  if (facts.replicationIdentity) return { expect: 'running', why: 'the environment has a replication identity (__db.rep.*), so it has been started' };
  if (facts.regions.length > 0) return { expect: 'running', why: `the environment has region files (${facts.regions[0]!.name}), so it has been started` };
  return { expect: 'stopped', why: 'the environment has no region files and no __db.rep.* yet: before its first start' };
}

const result = (id: CheckResult['id'], status: CheckResult['status'], message: string, subject?: string): CheckResult => ({ id, status, message, ...(subject !== undefined ? { subject } : {}) });

function checkConfig(f: SiteFacts): CheckResult {
  const shown = f.config.path;
  if (f.config.error !== undefined) return result('config', 'CRITICAL', `cannot read ${shown}: ${f.config.error}`, shown);
  if (f.config.source === 'none') return result('config', 'CRITICAL', `${shown} does not exist and no answers name the site's addresses; write it with provision master or replicant, or give --answers FILE`, shown);
  if (f.config.local === undefined) {
    return result('config', 'CRITICAL', `${f.config.source === 'DB_CONFIG' ? shown : 'the answers'} name no local site (repmgr_site HOST PORT db_local_site on); run provision lint ${shown}`, shown);
  }
  if (f.config.source !== 'DB_CONFIG') return result('config', 'WARNING', `${shown} is not written yet; checking the addresses of the ${f.config.source === 'topology' ? 'topology' : 'answers file'} (run provision master or replicant)`, shown);
  const lint = f.config.lint;
  if (lint?.first !== undefined && lint.errors + lint.warnings > 0) {
    const counts = [lint.errors > 0 ? count(lint.errors, 'error') : '', lint.warnings > 0 ? count(lint.warnings, 'warning') : ''].filter((c) => c !== '').join(' and ');
    const first = `${shown}:${lint.first.line}:${lint.first.column}: ${lint.first.message} [${lint.first.ruleId}]`;
    return result('config', lint.errors > 0 ? 'CRITICAL' : 'WARNING', `lint finds ${counts} in ${shown}, the first ${first}; run provision lint ${shown}`, shown);
  }
  return result('config', 'OK', `${shown}: local site ${formatHostPort(f.config.local)}, ${count(f.config.remotes.length, 'remote site')}${lint !== undefined ? ', lint-clean' : ''}`, shown);
}

function checkResolves(f: SiteFacts): CheckResult | undefined {
  const r = f.resolved;
  if (r === undefined) return undefined;
  if (r.error !== undefined || r.addresses.length === 0) {
    return result('host-resolves', 'CRITICAL', `the local host ${r.host} does not resolve (${r.error ?? 'no addresses'}); fix DNS or /etc/hosts, or use an IPv4 address`, r.host);
  }
  const v4 = r.addresses.filter((a) => a.family === 4).map((a) => a.address);
  const all = r.addresses.map((a) => a.address).join(', ');
  if (v4.length === 0) {
    return result('host-resolves', 'WARNING', `the local host ${r.host} resolves to IPv6 only (${all}); the vendor advises an IPv4 address for replication sites`, r.host);
  }
  if (r.addresses.length === 1 && r.addresses[0]!.address === r.host) return result('host-resolves', 'OK', `${r.host} is an IPv4 address`, r.host);
  return result('host-resolves', 'OK', `${r.host} resolves to ${all}`, r.host);
}

function checkLocalPort(f: SiteFacts): CheckResult | undefined {
  const local = f.config.local;
  const probe = f.localPort;
  if (local === undefined || probe === undefined) return undefined;
  const at = formatHostPort(local);
  const { expect, why } = expectedState(f);
  if (expect === 'running') {
    if (probe.state === 'listening') return result('local-port', 'OK', `${at} is listening (expected running: ${why})`, at);
    // Starting the server here cannot help when this machine cannot listen on the address at all.
    if (probe.state === 'unbindable' && probe.code === 'EADDRNOTAVAIL') {
      return result(
        'local-port',
        'CRITICAL',
        `nothing answers on ${at}, and ${local.host} is not an address of this machine (EADDRNOTAVAIL): this site's server runs on the machine that has that address, not here; run provision check on that machine, or correct the local site's address`,
        at,
      );
    }
    if (probe.state === 'unbindable' && (probe.code === 'ENOTFOUND' || probe.code === 'EAI_AGAIN')) {
      return result('local-port', 'CRITICAL', `nothing answers on ${at}: ${local.host} does not resolve (${probe.code}), so no server can listen there; fix DNS or /etc/hosts, or use an IPv4 address`, at);
    }
    return result('local-port', 'CRITICAL', `nothing listens on ${at}, and the site should be running (${why}); start the server, or give --expect stopped before its first start`, at);
  }
  if (probe.state === 'free') return result('local-port', 'OK', `${at} is free (expected stopped: ${why})`, at);
  if (probe.state === 'listening') {
    return result('local-port', 'CRITICAL', `${at} is already listening, and the site should be stopped (${why}); stop what holds the port, or give --expect running if it is this site's server`, at);
  }
  if (probe.state === 'unbindable' && probe.code === 'EADDRNOTAVAIL') {
    return result('local-port', 'CRITICAL', `${local.host} is not an address of this machine (${probe.code}); the local site must name this machine's own address`, at);
  }
  const code = 'code' in probe ? probe.code : 'unknown';
  if (code === 'EACCES') return result('local-port', 'CRITICAL', `${at} cannot be bound (EACCES): a port below 1024 needs privileges the server may not have; choose a port above 1023`, at);
  if (code === 'EADDRINUSE') return result('local-port', 'CRITICAL', `${at} cannot be bound (EADDRINUSE): another process holds it; choose another port or stop that process`, at);
  return result('local-port', 'CRITICAL', `${at} cannot be bound (${code})${code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? `: ${local.host} does not resolve` : ''}`, at);
}

function checkRemote(f: SiteFacts, r: SiteAddress & { probe: SiteFacts['remotes'][number]['probe'] }): CheckResult {
  const at = formatHostPort(r);
  if (r.probe.state === 'listening') return result('remote-reachable', 'OK', `${at} accepts connections`, at);
  const code = 'code' in r.probe ? r.probe.code : r.probe.state;
  const helper = r.helper === true ? ', and it is this site\'s bootstrap helper: the site cannot join until it is' : '';
  return result('remote-reachable', 'WARNING', `${at} is not reachable (${code === 'ETIMEDOUT' ? `no answer within ${f.timeoutMs} ms` : code})${helper}; start that site, or open the port between the machines`, at);
}

function checkEnv(f: SiteFacts): CheckResult {
  const e = f.env;
  if (!e.exists) return result('env-writable', 'CRITICAL', `the environment directory ${e.path} does not exist; create it (provision layout, or provision master/replicant)`, e.path);
  if (!e.isDirectory) return result('env-writable', 'CRITICAL', `${e.path} is not a directory`, e.path);
  if (!e.writable) return result('env-writable', 'CRITICAL', `the environment directory ${e.path} is not writable${e.error !== undefined ? ` (${e.error})` : ''}; Berkeley DB must create its region and log files there`, e.path);
  return result('env-writable', 'OK', `${e.path} exists and is writable`, e.path);
}

function checkRegions(f: SiteFacts): CheckResult | undefined {
  if (f.config.mtimeMs === undefined || f.regions.length === 0) return undefined;
  const older = f.regions.filter((r) => r.mtimeMs < f.config.mtimeMs!).map((r) => r.name);
  if (older.length === 0) return result('region-files', 'OK', `the region files are newer than DB_CONFIG`, f.env.path);
  return result(
    'region-files',
    'WARNING',
    `${older.join(', ')} ${older.length === 1 ? 'is' : 'are'} older than DB_CONFIG: Berkeley DB keeps the old settings until the region files are removed with the environment closed (stop the server, then provision clean --env ${f.env.path})`,
    f.env.path,
  );
}

/** Bytes as a person reads them (binary units). */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

function checkBackupSpace(f: SiteFacts): CheckResult {
  const b = f.backup;
  if ('skipped' in b) return result('backup-space', 'OK', `skipped: ${b.skipped}`);
  const from = b.source === 'manifest' ? 'the layout manifest' : b.source === 'topology' ? 'the topology' : '--backup';
  if (b.error !== undefined || b.freeBytes === undefined || b.dataBytes === undefined) {
    return result('backup-space', 'WARNING', `cannot measure the backup root ${b.root} (from ${from}): ${b.error ?? 'unknown'}`, b.root);
  }
  const need = `${formatBytes(b.dataBytes)} of data in ${b.dataRoot}`;
  // NOTE: a missing root is measured where mkdir -p would create it; that is another file system when the root should be a disk not mounted now.
  const missing = b.measuredAt !== undefined && b.measuredAt !== b.root;
  const where = `the backup root ${b.root}${missing ? ` does not exist yet (provision backup creates it); the file system of ${b.measuredAt}, its nearest existing folder,` : ''}`;
  if (b.freeBytes < b.dataBytes) {
    return result('backup-space', 'CRITICAL', `${where} has ${formatBytes(b.freeBytes)} free, less than one copy of the ${need}; free space or move the backup root`, b.root);
  }
  if (missing) {
    return result(
      'backup-space',
      'WARNING',
      `the backup root ${b.root} does not exist yet (provision backup creates it); ${formatBytes(b.freeBytes)} free on the file system of ${b.measuredAt}, its nearest existing folder, for ${need}; create the folder, or if it should be a mounted disk, mount it`,
      b.root,
    );
  }
  return result('backup-space', 'OK', `${formatBytes(b.freeBytes)} free in ${b.root} (from ${from}) for ${need}`, b.root);
}

function checkClientPort(f: SiteFacts): CheckResult | undefined {
  if (f.clientPort === undefined || f.config.local === undefined) return undefined;
  if (f.clientPort === f.config.local.port) {
    return result('client-port', 'CRITICAL', `the client port ${f.clientPort} is also the replication port; give the server's clients another port`, String(f.clientPort));
  }
  return result('client-port', 'OK', `the client port ${f.clientPort} differs from the replication port ${f.config.local.port}`, String(f.clientPort));
}

/** Every check on one site's facts, in a fixed order. Pure. */
export function evaluateSite(facts: SiteFacts): SiteReport {
  const results = [
    checkConfig(facts),
    checkEnv(facts),
    checkResolves(facts),
    checkLocalPort(facts),
    ...facts.remotes.map((r) => checkRemote(facts, r)),
    checkRegions(facts),
    checkBackupSpace(facts),
    checkClientPort(facts),
  ].filter((r): r is CheckResult => r !== undefined);
  return { name: facts.name, env: facts.env.path, status: worstStatus(results.map((r) => r.status)), results };
}

/** Counts of each status over several sites' results. */
export function countStatuses(reports: readonly SiteReport[]): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { OK: 0, WARNING: 0, CRITICAL: 0 };
  for (const r of reports) for (const x of r.results) counts[x.status]++;
  return counts;
}
