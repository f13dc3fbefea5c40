import * as fs from 'node:fs';
import * as path from 'node:path';
import { directoryExistsFrom } from '../env/directories.js';
import type { EnvironmentFacts } from '../lint/types.js';
import { CliError } from './errors.js';

/** Region files: `__db.001` ... (never `__db.rep.*`, `__dbq.*` or `__dbp.*`). */
const REGION_FILE = /^__db\.\d{3}$/;

/** Region files of the directories the last walk listed, so lint need not list them again. */
const regionFilesSeen = new Map<string, string[]>();

/** Directories never searched for DB_CONFIG files. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i);
      if (end === -1) re += '\\[';
      else {
        re += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function isGlob(p: string): boolean {
  return /[*?[]/.test(p);
}

/** Every file below `dir` for which `keep(relativePath)` holds; never follows directory symlinks. */
function walk(dir: string, keep: (rel: string) => boolean, rel = ''): string[] {
  const found: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
  } catch (error) {
    throw new CliError(`cannot read directory ${path.join(dir, rel)}: ${(error as NodeJS.ErrnoException).code}`, 2, { cause: error });
  }
  const regions = entries.filter((e) => REGION_FILE.test(e.name)).map((e) => e.name).sort();
  regionFilesSeen.set(path.join(dir, rel), regions);
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) found.push(...walk(dir, keep, child));
    } else if ((e.isFile() || e.isSymbolicLink()) && keep(child)) {
      found.push(path.join(dir, child));
    }
  }
  return found;
}

/**
 * Resolve lint's path arguments to files: a file is itself, a directory is
 * every file named DB_CONFIG below it, a glob is what it matches, `-` is stdin.
 */
export function resolveInputs(args: readonly string[], cwd: string): string[] {
  const files: string[] = [];
  for (const arg of args) {
    if (arg === '-') {
      files.push('-');
      continue;
    }
    const abs = path.resolve(cwd, arg);
    if (!isGlob(arg) || fs.existsSync(abs)) {
      let stat: fs.Stats;
      try {
        stat = fs.statSync(abs);
      } catch (error) {
        throw new CliError(`no such file or directory: ${arg}`, 2, { cause: error });
      }
      if (stat.isDirectory()) {
        const found = walk(abs, (rel) => path.posix.basename(rel) === 'DB_CONFIG');
        if (found.length === 0) throw new CliError(`no file named DB_CONFIG in ${arg} or below it`, 2);
        files.push(...found);
      } else files.push(abs);
      continue;
    }
    // A glob: walk from its longest literal directory prefix.
    const normalized = arg.replace(/\\/g, '/');
    const parts = normalized.split('/');
    const literal: string[] = [];
    while (parts.length > 1 && !isGlob(parts[0]!)) literal.push(parts.shift()!);
    const base = path.resolve(cwd, literal.join('/') || '.');
    const re = globToRegExp(parts.join('/'));
    const found = fs.existsSync(base) ? walk(base, (rel) => re.test(rel)) : [];
    if (found.length === 0) throw new CliError(`no files match ${arg}`, 2);
    files.push(...found);
  }
  return [...new Set(files)];
}

export function readInput(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${file}: ${code === 'EISDIR' ? 'it is a directory' : code}`, 2, { cause: error });
  }
}

/** What lint needs to know about the environment directory a DB_CONFIG sits in. */
export function environmentFacts(file: string): EnvironmentFacts | undefined {
  try {
    const dir = path.dirname(file);
    const regions = regionFilesSeen.get(dir) ?? regionFiles(dir);
    return {
      // Only compared with region files: no stat when there are none (most runs).
      configMtimeMs: regions.length > 0 ? fs.statSync(file).mtimeMs : 0,
      regionFiles: regions.map((name) => ({ name, mtimeMs: fs.statSync(path.join(dir, name)).mtimeMs })),
      directoryExists: directoryExistsFrom(dir),
    };
  } catch {
    return undefined;
  }
}

/** The region files (`__db.001`, ...) of an environment directory, sorted; none when it cannot be read. */
export function regionFiles(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((n) => REGION_FILE.test(n)).sort();
  } catch {
    return [];
  }
}
