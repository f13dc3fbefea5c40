import * as fs from 'node:fs';
import * as path from 'node:path';
import { debuglog } from 'node:util';
import { directoryExistsFrom } from '../env/directories.js';
import { REGION_FILE } from '../env/region-files.js';
import type { EnvironmentFacts } from '../lint/types.js';
import { CliError } from './errors.js';
import { ioReason } from '../io-reason.js';
import { globDirectories, globToRegExp, isGlob } from './glob.js';
import type { ReaderHandle } from './reader-start.js';
import { ReaderThread, type ReadFile } from './reader-thread.js';
import { createWalker, type Walker, type WalkState } from './walk.js';

/**
 * Directories and files a walk goes through in this thread before it starts a
 * reader thread (a tree of a few hundred environments: the thread's start costs
 * more than it saves below that).
 */
const READER_THRESHOLD = 1000;

/** Files walked and read in this thread before lint gets them. */
const IN_THREAD_BATCH = 128;

/** `NODE_DEBUG=provision`: says when a walk goes to the reader thread, and what it read. */
const debug = debuglog('provision');

/** The patterns of a glob's rest, or a usage error naming the glob (a range out of order: `[z-a]`). */
function globPatterns(arg: string, rest: string): { files: RegExp; directories: RegExp } {
  try {
    return { files: globToRegExp(rest), directories: globDirectories(rest) };
  } catch (error) {
    // "Invalid regular expression: /^...$/: Range out of order in character class": keep the reason.
    const reason = String((error as Error).message).split(': ').pop()!.toLowerCase();
    throw new CliError(`not a valid glob: ${arg} (${reason}; a range in [...] goes from low to high, as in [a-z])`, 2, { cause: error });
  }
}

/**
 * When a file and the region files beside it were last modified (stale-region-files
 * compares them): the file's mtime, then each region file's, in the order of the
 * file's `nearby` list. The reader thread takes them while it has the file open, so
 * that the lint thread need not stat them.
 */
export type RegionTimes = readonly number[];

/** One of lint's inputs: `-` (stdin, for the caller to read), or a file with its bytes. */
export interface LintInput {
  readonly file: string;
  readonly bytes?: Buffer;
  /** The bytes as a binary string, when the reader thread decoded them (see ReadFile). */
  readonly source?: string | undefined;
  /** For a file a walk found: what its directory holds that lint asks about (see Walker.nearby). */
  readonly nearby?: readonly string[];
  /** For a file the reader thread read beside region files: their times and its own (see RegionTimes). */
  readonly times?: RegionTimes | null | undefined;
}

export interface ReadInputsOptions {
  /**
   * Directories and files walked in this thread before a reader thread starts;
   * Infinity for none. By default READER_THRESHOLD, or none on a single processor.
   */
  readonly threshold?: number;
  /**
   * Hand a walk to the reader thread exactly after `threshold` entries (or, with
   * `reader`, at once), waiting for it to start, instead of walking on here until
   * it is ready (tests).
   */
  readonly waitForReader?: boolean;
  /**
   * A reader thread started earlier (bin/provision.js starts one before the command line
   * loads when lint is given a large tree): a walk goes to it as soon as it is ready, however
   * small the walk, and it is stopped when the walks are done, used or not.
   */
  readonly reader?: ReaderHandle | undefined;
  /** Called when a walk goes to the reader thread, with the walk's counts so far (tests). */
  readonly onHandOff?: (walked: { listed: number; found: number }, reader: ReaderThread) => void;
}

/**
 * Lint's path arguments, resolved and read, in order, each file once, a batch
 * of files at a time (the caller's loop over a fleet's files is then a function
 * of its own, not one that also waits and walks): a file is
 * itself, a directory is every file named DB_CONFIG below it (sorted, skipping
 * node_modules and version control directories, not following directory symlinks,
 * skipping a DB_CONFIG that is or leads to a FIFO, a device or a directory),
 * a glob is what it matches (walking only the directories a match could lie in),
 * `-` is stdin. Errors are CliErrors (exit 2): an argument that cannot be resolved
 * (missing, no DB_CONFIG below it, an unreadable directory) before a file that
 * cannot be read, whatever their order.
 *
 * A large tree is walked and read on by a second thread while the caller lints
 * what it has; the caller sees a plain synchronous iteration. An error may come
 * after files were yielded: a caller that prints as it goes has printed theirs.
 */
export function* readInputs(args: readonly string[], cwd: string, options: ReadInputsOptions = {}): Generator<readonly LintInput[]> {
  const walks = new Walks(options);
  // One argument cannot name a file twice; several can.
  const seen = args.length > 1 ? new Set<string>() : undefined;
  // The first file that cannot be read: raised once every argument is resolved, as when all were resolved first.
  let unreadable: CliError | undefined;
  const skip = (file: string) => unreadable !== undefined || seen?.has(file) === true;
  try {
    for (const arg of args) {
      const target = resolveArgument(arg, cwd, walks.walker);
      if (typeof target !== 'string') {
        for (const batch of walks.run(target, skip)) {
          if (unreadable !== undefined) continue;
          const inputs: LintInput[] = [];
          unreadable = addUsable(batch, seen, inputs);
          if (inputs.length > 0) yield inputs;
        }
        if (target.found === 0) throw new CliError(target.name === null ? `no files match ${arg}` : `no file named DB_CONFIG in ${arg} or below it`, 2);
      } else if (!skip(target)) {
        seen?.add(target);
        if (target === '-') yield [{ file: target }];
        else {
          const input = readFile(walks.walker, target);
          if (input.failure) unreadable = input.failure;
          else yield [{ file: target, bytes: input.bytes! }];
        }
      }
    }
    if (unreadable) throw unreadable;
  } finally {
    walks.close();
  }
}

/**
 * Add the files of a walk's batch that lint uses to `inputs`: each once (`seen`,
 * when several arguments could name a file twice), up to the first that cannot be
 * read, whose error is returned (lint uses no file after it).
 */
function addUsable(batch: readonly ReadFile[], seen: Set<string> | undefined, inputs: LintInput[]): CliError | undefined {
  for (let i = 0; i < batch.length; i++) {
    const input = batch[i]!;
    if (seen !== undefined) {
      if (seen.has(input.file)) continue;
      seen.add(input.file);
    }
    if (input.failure) return input.failure;
    inputs.push(input);
  }
  return undefined;
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
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new CliError(`no such file or directory: ${arg}`, 2, { cause: error });
      throw new CliError(`cannot read ${arg}: ${ioReason(error)}`, 2, { cause: error });
    }
    return stat.isDirectory() ? walker.begin(abs, 'DB_CONFIG', null) : abs;
  }
  // A glob: walk from its longest literal directory prefix.
  const parts = arg.replace(/\\/g, '/').split('/');
  const literal: string[] = [];
  while (parts.length > 1 && !isGlob(parts[0]!)) literal.push(parts.shift()!);
  const base = path.resolve(cwd, literal.join('/') || '.');
  const patterns = globPatterns(arg, parts.join('/'));
  if (!fs.existsSync(base)) throw new CliError(`no files match ${arg}`, 2);
  return walker.begin(base, null, patterns.files.source, patterns.directories.source);
}

/** A file and its bytes, or why it cannot be read. */
function readFile(walker: Walker, file: string, nearby: readonly string[] = []): ReadFile {
  try {
    return { file, bytes: fs.readFileSync(file), nearby };
  } catch (error) {
    return { file, nearby, failure: walker.readFailure(file, error) as CliError };
  }
}

let processors: number | undefined;
/** Whether a reader thread can run beside lint; node:os is loaded only for a walk that large (start-up is measured). */
const manyProcessors = (): boolean => (processors ??= process.getBuiltinModule('node:os').availableParallelism()) > 1;

/**
 * The walks of one lint: each begins in this thread and, once lint has seen
 * `threshold` entries, goes on in a reader thread as soon as that has started.
 */
class Walks {
  readonly walker = createWalker(fs, path, (what, cause) => new CliError(`${what}: ${ioReason(cause)}`, 2, { cause }));
  private readonly threshold: number;
  /** Undefined until the walks are large enough to start one, null when none could start. */
  private reader: ReaderThread | null | undefined;
  /** Entries (directories listed, files kept) of the walks done. */
  private walked = 0;

  constructor(private readonly options: ReadInputsOptions) {
    this.threshold = options.threshold ?? READER_THRESHOLD;
    if (options.reader !== undefined) {
      this.reader = ReaderThread.start(options.reader) ?? null;
      if (this.reader !== null && options.waitForReader) this.reader.waitUntilReady();
    }
  }

  /**
   * The files of a walk with their bytes (or why they cannot be read), in order,
   * a batch at a time; in this thread, those `skip` says lint will not use are
   * neither yielded nor read.
   */
  *run(state: WalkState, skip: (file: string) => boolean): Generator<readonly ReadFile[]> {
    const large = () =>
      this.reader === undefined && this.walked + state.listed + state.found >= this.threshold && (this.options.threshold !== undefined || manyProcessors());
    for (;;) {
      if (large()) {
        this.reader = ReaderThread.start() ?? null;
        if (this.reader !== null && this.options.waitForReader) this.reader.waitUntilReady();
      }
      if (this.reader?.ready && state.rels.length > 0) {
        debug('the reader thread walks on from %s after %d directories and %d files', state.root, state.listed, state.found);
        this.options.onHandOff?.({ listed: state.listed, found: state.found }, this.reader);
        const before = state.found;
        // The reader walks on with a copy of `state`; the counts come back at the end.
        const counts = yield* this.reader.walk(state);
        debug('the reader thread read %d files', counts.found - before);
        state.listed = counts.listed;
        state.found = counts.found;
        break;
      }
      // NOTE: walked and read a batch at a time, not a file at a time between lint's files: the
      // system calls run about twice as slow when they take turns with linting (the caches each evict).
      const batch: ReadFile[] = [];
      let failure: unknown;
      let done = false;
      try {
        while (batch.length < IN_THREAD_BATCH && !large()) {
          const file = this.walker.next(state);
          if (file === undefined) {
            done = true;
            break;
          }
          if (!skip(file)) batch.push(readFile(this.walker, file, this.walker.nearby()));
        }
      } catch (error) {
        failure = error;
      }
      // The files before a directory that cannot be listed go first, as in the reader thread.
      if (batch.length > 0) yield batch;
      if (failure !== undefined) throw failure;
      if (done) break;
    }
    this.walked += state.listed + state.found;
  }

  close(): void {
    this.reader?.close();
  }
}

/** A DB_CONFIG's name with the separator before it. */
export const CONFIG_SUFFIX = `${path.sep}DB_CONFIG`;
const NO_REGIONS: EnvironmentFacts['regionFiles'] = [];

/**
 * What lint needs to know about the environment directory a DB_CONFIG sits in;
 * `nearby`: what the walk that found it listed there (see Walker.nearby), which
 * spares a listing, and a stat for each directory the file names that is not there;
 * `times`: the times of the file and of its region files, when the reader thread
 * took them (see RegionTimes), which spares their stats.
 */
export function environmentFacts(file: string, nearby?: readonly string[], times?: RegionTimes | null): EnvironmentFacts | undefined {
  try {
    // A walked file ends with its separator and name: its directory is the rest (what path.dirname gives; on
    // Windows path.dirname, which keeps the root of `C:\DB_CONFIG`).
    const dir = path.sep === '/' && file.length > CONFIG_SUFFIX.length && file.endsWith(CONFIG_SUFFIX) ? file.slice(0, -CONFIG_SUFFIX.length) : path.dirname(file);
    const regions = nearby === undefined ? regionFiles(dir) : nearby.length === 0 ? nearby : nearby.filter((n) => REGION_FILE.test(n));
    const directoryExists = directoryExistsFrom(dir, nearby);
    // Only compared with region files: no stat when there are none (most runs).
    if (regions.length === 0) return { configMtimeMs: 0, regionFiles: NO_REGIONS, directoryExists };
    if (times != null && times.length === regions.length + 1) {
      return { configMtimeMs: times[0]!, regionFiles: regions.map((name, i) => ({ name, mtimeMs: times[i + 1]! })), directoryExists };
    }
    return {
      configMtimeMs: fs.statSync(file).mtimeMs,
      regionFiles: regions.map((name) => ({ name, mtimeMs: fs.statSync(path.join(dir, name)).mtimeMs })),
      directoryExists,
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
