import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDbConfig } from '../dbconfig/document.js';
import { MigrationError } from './role.js';
import type { GroupSite } from './types.js';
import { ioReason } from '../io-reason.js';

/** Where a site's DB_CONFIG is: PATH itself, or PATH/DB_CONFIG when PATH is a directory. */
export function configPath(p: string): string {
  try {
    return fs.statSync(p).isDirectory() ? path.join(p, 'DB_CONFIG') : p;
  } catch {
    return p;
  }
}

/** Read one site's DB_CONFIG. */
export function readSite(name: string, file: string): GroupSite {
  const p = path.resolve(configPath(file));
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(p);
  } catch (error) {
    throw new MigrationError(`cannot read ${p}: ${ioReason(error)}`, p);
  }
  return { name, path: p, env: path.dirname(p), bytes, doc: parseDbConfig(bytes) };
}

/** A group as `provision plan` renders it: every DIR/<site>/DB_CONFIG, named for its folder. */
export function readGroupDir(dir: string): GroupSite[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name).sort();
  } catch (error) {
    throw new MigrationError(`cannot read group directory ${dir}: ${ioReason(error)}`, dir);
  }
  const sites = names.filter((n) => fs.existsSync(path.join(dir, n, 'DB_CONFIG'))).map((n) => readSite(n, path.join(dir, n, 'DB_CONFIG')));
  if (sites.length === 0) throw new MigrationError(`${dir} holds no <site>/DB_CONFIG files (give the folder provision plan rendered, or --site NAME=PATH)`, dir);
  return sites;
}

/** Parse `NAME=PATH`. */
export function parseSiteSpec(spec: string): { name: string; file: string } {
  const eq = spec.indexOf('=');
  const name = spec.slice(0, eq);
  if (eq <= 0 || eq === spec.length - 1 || !/^[A-Za-z0-9._-]+$/.test(name)) {
    throw new MigrationError(`--site ${spec}: expected NAME=PATH (NAME letters, digits, ".", "_" or "-"; PATH a DB_CONFIG or an environment directory)`);
  }
  return { name, file: spec.slice(eq + 1) };
}
