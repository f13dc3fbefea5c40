import * as path from 'node:path';
import { parseDbConfig } from '../dbconfig/document.js';
import { describeSite } from '../dbconfig/site-config.js';
import { readStatements } from '../dbconfig/statements.js';
import type { Place } from './classify.js';

/** The directories of one environment, as its DB_CONFIG names them (relative names are under the home). */
export interface EnvironmentLayout {
  readonly home: string;
  readonly dirs: readonly { readonly path: string; readonly place: Place }[];
  /** The local site's replication port, if DB_CONFIG names one. */
  readonly port?: number;
  /** A master by its DB_CONFIG: priority above 0 (the default is 100) or group creator. */
  readonly master: boolean;
}

const toText = (binary: string) => Buffer.from(binary, 'latin1').toString('utf8');

/**
 * Read an environment's layout from its DB_CONFIG bytes (null: none). Pure.
 * `resolve` turns a DB_CONFIG directory value into a path (the caller knows the platform's path rules).
 */
export function environmentLayout(home: string, config: Buffer | null, resolve: (home: string, value: string) => string = path.resolve): EnvironmentLayout {
  const dirs: { path: string; place: Place }[] = [{ path: home, place: 'home' }];
  if (config === null) return { home, dirs, master: false };
  const statements = readStatements(parseDbConfig(config));
  let log: string | undefined;
  let metadata: string | undefined;
  for (const st of statements) {
    const name = st.spec?.aliasOf ?? st.spec?.name;
    if (!st.value || st.value.text === '') continue;
    const value = toText(st.value.text);
    if (name === 'set_data_dir' || name === 'add_data_dir') dirs.push({ path: resolve(home, value), place: 'data' });
    else if (name === 'set_lg_dir') log = resolve(home, value);
    else if (name === 'set_metadata_dir') metadata = resolve(home, value);
  }
  if (log !== undefined) dirs.push({ path: log, place: 'log' });
  if (metadata !== undefined) dirs.push({ path: metadata, place: 'metadata' });
  const unique = dirs.filter((d, i) => dirs.findIndex((o) => o.path === d.path) === i);
  const site = describeSite(statements);
  const priority = site.priority?.value ?? 100n;
  return {
    home,
    dirs: unique,
    ...(site.local ? { port: site.local.port } : {}),
    master: site.local !== undefined && (priority > 0n || site.local.flags.db_group_creator === true),
  };
}
