import { asciiLower, SITE_FLAGS, type SiteFlag } from '../dbconfig/catalogue.js';
import type { DbConfigDocument } from '../dbconfig/document.js';
import { findDirective, insertDirective, rewriteDirective, setDirective } from '../dbconfig/edit.js';
import { describeSite, type SiteDescription, type SiteEntry } from '../dbconfig/site-config.js';
import { readStatements } from '../dbconfig/statements.js';

/**
 * The edits a migration makes to one site's DB_CONFIG: its priority, and the
 * flags of its repmgr_site lines. Everything goes through the document model,
 * so every other byte of the file stays as it was.
 */

/** A replication address as DB_CONFIG spells it (host strings are compared exactly). */
export interface SiteAddress {
  readonly host: string;
  readonly port: number;
}

/** The role a DB_CONFIG configures. */
export type ConfiguredRole = 'master' | 'replicant' | 'unknown';

/** What a site's file says of it. */
export function describeDocument(doc: DbConfigDocument): SiteDescription {
  return describeSite(readStatements(doc));
}

/**
 * The role a file configures. A master's local site is the group creator
 * (that is what `provision master` writes); a file without one whose priority
 * is above 0 and that names no bootstrap helper is a master too (a site that
 * can win elections and joins no one). Everything else with a local site is a
 * replicant.
 */
export function configuredRole(site: SiteDescription): ConfiguredRole {
  if (!site.local) return 'unknown';
  if (site.local.flags.db_group_creator === true) return 'master';
  const priority = site.priority?.value ?? 100n; // Berkeley DB's default priority is 100
  const helper = site.remotes.some((r) => r.flags.db_bootstrap_helper === true);
  return priority > 0n && !helper ? 'master' : 'replicant';
}

/** The address of a site entry. */
export function addressOf(entry: SiteEntry): SiteAddress {
  return { host: entry.host, port: entry.port };
}

export function sameAddress(a: SiteAddress, b: SiteAddress): boolean {
  return a.host === b.host && a.port === b.port;
}

export function formatSiteAddress(a: SiteAddress): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

/** The host and port as text, exactly as bytes: hosts are read from files as binary strings. */
function siteKey(a: SiteAddress): string[] {
  return [Buffer.from(a.host, 'latin1').toString('utf8'), String(a.port)];
}

/** Line indices (0-based) of the active repmgr_site lines that name this address. */
function siteLines(doc: DbConfigDocument, address: SiteAddress): number[] {
  return findDirective(doc, { name: 'repmgr_site', key: siteKey(address) });
}

const text = (s: string) => Buffer.from(s, 'latin1').toString('utf8');

/**
 * Set one flag of a repmgr_site address: `true`/`false` writes `flag on|off`
 * on its last line (replacing the pair where it is already written),
 * `undefined` removes the pair from every line that names the address.
 */
export function setSiteFlag(doc: DbConfigDocument, address: SiteAddress, flag: SiteFlag, value: boolean | undefined): DbConfigDocument {
  let out = doc;
  const lines = siteLines(out, address);
  for (const [n, index] of lines.entries()) {
    const tokens = out.lines[index]!.tokens.map((t) => text(t.text));
    const kept: string[] = tokens.slice(0, 3);
    let found = false;
    for (let i = 3; i < tokens.length; i += 2) {
      const name = tokens[i]!;
      const flagValue = tokens[i + 1];
      if (asciiLower(name) === flag) {
        found = true;
        if (value !== undefined && n === lines.length - 1) kept.push(name, value ? 'on' : 'off');
      } else {
        kept.push(name, ...(flagValue !== undefined ? [flagValue] : []));
      }
    }
    if (!found && value !== undefined && n === lines.length - 1) kept.push(flag, value ? 'on' : 'off');
    out = rewriteDirective(out, index, kept[0]!, kept.slice(1));
  }
  return out;
}

/** Whether any flag pair of `address` names `flag` explicitly. */
export function hasFlagPair(doc: DbConfigDocument, address: SiteAddress, flag: SiteFlag): boolean {
  return siteLines(doc, address).some((index) => {
    const tokens = doc.lines[index]!.tokens;
    for (let i = 3; i < tokens.length; i += 2) if (asciiLower(tokens[i]!.text) === flag) return true;
    return false;
  });
}

/** Add `repmgr_site HOST PORT [flags]` after the last repmgr_site line (or where repmgr lines go). */
export function addSite(doc: DbConfigDocument, address: SiteAddress, flags: readonly [SiteFlag, 'on' | 'off'][] = []): DbConfigDocument {
  const all = findDirective(doc, { name: 'repmgr_site' });
  const args = [...siteKey(address), ...flags.flat()];
  const last = all[all.length - 1];
  if (last === undefined) return setDirective(doc, 'repmgr_site', args);
  return insertDirective(doc, last, 'repmgr_site', args);
}

/** Set rep_set_priority (replacing the line that counts, else adding one). */
export function setPriority(doc: DbConfigDocument, priority: bigint): DbConfigDocument {
  return setDirective(doc, 'rep_set_priority', [priority.toString()]);
}

