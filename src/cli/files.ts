import * as fs from 'node:fs';
import * as path from 'node:path';
import { directoryExistsFrom } from '../env/directories.js';
import type { EnvironmentFacts } from '../lint/types.js';
import { CliError } from './errors.js';
import { createWalker, type Walker, type WalkState } from './walk.js';

/** Region files: `__db.001` ... (never `__db.rep.*`, `__dbq.*` or `__dbp.*`). */
const REGION_FILE = /^__db\.\d{3}$/;

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

/** One of lint's inputs: `-` (stdin, for the caller to read), or a file with its bytes. */
export interface LintInput {
  readonly file: string;
  readonly bytes?: Buffer;
  /** For a file a walk found: the region files of its directory, sorted. */
  readonly regions?: readonly string[];
}

/**
 * Lint's path arguments, resolved and read, in order, each file once: a file is
 * itself, a directory is every file named DB_CONFIG below it (sorted, skipping
 * node_modules and version control directories, not following directory symlinks),
 * a glob is what it matches, `-` is stdin. Errors are CliErrors (exit 2): an
 * argument that cannot be resolved (missing, no DB_CONFIG below it, an unreadable
 * directory) before a file that cannot be read, whatever their order. An error
 * may come after files were yielded: a caller that prints as it goes has printed theirs.
 */
export function* readInputs(args: readonly string[], cwd: string): Generator<LintInput> {
  const walker = createWalker(fs, path, (message, cause) => new CliError(message, 2, { cause }));
  // One argument cannot name a file twice; several can.
  const seen = args.length > 1 ? new Set<string>() : undefined;
  // The first file that cannot be read: raised once every argument is resolved, as when all were resolved first.
  let unreadable: CliError | undefined;
  const skip = (file: string) => unreadable !== undefined || seen?.has(file) === true;
  for (const arg of args) {
    const target = resolveArgument(arg, cwd, walker);
    if (typeof target !== 'string') {
      for (const input of walkFiles(walker, target, skip)) {
        if (skip(input.file)) continue;
        seen?.add(input.file);
        if (input.failure) unreadable = input.failure;
        else yield { file: input.file, bytes: input.bytes!, regions: input.regions };
      }
      if (target.found === 0) throw new CliError(target.name === null ? `no files match ${arg}` : `no file named DB_CONFIG in ${arg} or below it`, 2);
    } else if (!skip(target)) {
      seen?.add(target);
      if (target === '-') yield { file: target };
      else {
        const input = readFile(walker, target);
        if (input.failure) unreadable = input.failure;
        else yield { file: target, bytes: input.bytes! };
      }
    }
  }
  if (unreadable) throw unreadable;
}

/** `-`, a file (absolute), or the walk of a directory or glob, not begun. */
function resolveArgument(arg: string, cwd: string, walker: Walker): string | WalkState {
  if (arg === '-') return arg;
  const abs = path.resolve(cwd, arg);
  if (!isGlob(arg) || fs.existsSync(abs)) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (error) {
      throw new CliError(`no such file or directory: ${arg}`, 2, { cause: error });
    }
    return stat.isDirectory() ? walker.begin(abs, 'DB_CONFIG', null) : abs;
  }
  // A glob: walk from its longest literal directory prefix.
  const parts = arg.replace(/\\/g, '/').split('/');
  const literal: string[] = [];
  while (parts.length > 1 && !isGlob(parts[0]!)) literal.push(parts.shift()!);
  const base = path.resolve(cwd, literal.join('/') || '.');
  if (!fs.existsSync(base)) throw new CliError(`no files match ${arg}`, 2);
  return walker.begin(base, null, globToRegExp(parts.join('/')).source);
}

/** A file that was read, or could not be read (`failure`). */
interface ReadFile {
  readonly file: string;
  readonly bytes?: Buffer;
  readonly regions: readonly string[];
  readonly failure?: CliError;
}

/** A file and its bytes, or why it cannot be read. */
function readFile(walker: Walker, file: string, regions: readonly string[] = []): ReadFile {
  try {
    return { file, bytes: fs.readFileSync(file), regions };
  } catch (error) {
    return { file, regions, failure: walker.readFailure(file, error) as CliError };
  }
}

/** The files of a walk with their bytes (or why they cannot be read), in order; those `skip` names are not read. */
function* walkFiles(walker: Walker, state: WalkState, skip: (file: string) => boolean): Generator<ReadFile> {
  for (let file = walker.next(state); file !== undefined; file = walker.next(state)) {
    if (!skip(file)) yield readFile(walker, file, walker.regions());
  }
}

/**
 * What lint needs to know about the environment directory a DB_CONFIG sits in;
 * `walked`: its region files as the walk that found it listed them.
 */
export function environmentFacts(file: string, walked?: readonly string[]): EnvironmentFacts | undefined {
  try {
    const dir = path.dirname(file);
    const regions = walked ?? regionFiles(dir);
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
