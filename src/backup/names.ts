/**
 * Names of the folders a backup root holds. Pure.
 *
 *   <host>-<UTC time>            a complete, verified snapshot (manifest.json + data/)
 *   <host>-<UTC time>.partial    a backup still running, or one that was interrupted
 *   .<host>-<UTC time>.deleting  a snapshot being removed by --keep
 *
 * Only the first form is ever a snapshot: a backup works under the .partial
 * name and renames the folder once the copy is verified, and retention renames
 * a snapshot away before it deletes anything, so a folder that looks complete is.
 */

export const PARTIAL_SUFFIX = '.partial';
export const DELETING_SUFFIX = '.deleting';

const STAMP = /^\d{8}T\d{6}Z$/;
const SNAPSHOT = /^(.+)-(\d{8}T\d{6}Z)(?:-(\d+))?$/;

/** A host name as it may appear in a folder name: letters, digits, dot, underscore and hyphen. */
export function safeHostName(host: string): string {
  const cleaned = host.trim().replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '');
  return cleaned === '' ? 'host' : cleaned;
}

/** `20261122T013000Z`: UTC, to the second, sortable as text. */
export function utcStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** The snapshot name for a host and a time; `n` > 0 tells apart two backups in the same second. */
export function snapshotName(host: string, now: Date, n = 0): string {
  return `${safeHostName(host)}-${utcStamp(now)}${n > 0 ? `-${n}` : ''}`;
}

export interface ParsedName {
  readonly name: string;
  readonly host: string;
  readonly stamp: string;
  readonly state: 'complete' | 'partial' | 'deleting';
}

/** What a folder name in a backup root is; undefined for anything provision did not name. */
export function parseSnapshotName(folder: string): ParsedName | undefined {
  let state: ParsedName['state'] = 'complete';
  let name = folder;
  if (name.endsWith(PARTIAL_SUFFIX)) {
    state = 'partial';
    name = name.slice(0, -PARTIAL_SUFFIX.length);
  } else if (name.startsWith('.') && name.endsWith(DELETING_SUFFIX)) {
    state = 'deleting';
    name = name.slice(1, -DELETING_SUFFIX.length);
  }
  const m = SNAPSHOT.exec(name);
  if (!m || !STAMP.test(m[2]!)) return undefined;
  return { name, host: m[1]!, stamp: m[2]!, state };
}
