import type * as Fs from 'node:fs';
import type * as Path from 'node:path';

/**
 * Where a walk of a directory tree stands, as plain data, so one thread can start
 * a walk and another go on with it. The entries still to visit are a stack, the
 * next one last: a directory still to list, or a file already kept.
 */
export interface WalkState {
  /** The directory walked, absolute. */
  readonly root: string;
  /** Keep the files of this name... */
  readonly name: string | null;
  /** ...or, for a glob, those whose path below `root` (with `/`) matches this regular expression. */
  readonly pattern: string | null;
  /**
   * For a glob: enter only the directories whose path below `root`, followed by `/`,
   * matches this regular expression (those a matching file could lie below); null for all.
   */
  readonly directories: string | null;
  /** The entries still to visit, as paths below `root` with `/` (`''` is the root). */
  readonly rels: string[];
  /** For each entry: null for a directory; for a file, what its directory holds that lint asks about (Walker.nearby). */
  readonly nearby: (readonly string[] | null)[];
  /** Directories listed so far. */
  listed: number;
  /** Files kept so far. */
  found: number;
}

/** Walks trees the way lint looks for its input files. */
export interface Walker {
  /**
   * A walk of `root` keeping the files named `name`, or those matching `pattern`,
   * entering only the directories that match `directories` (null: all).
   */
  begin(root: string, name: string | null, pattern: string | null, directories?: string | null): WalkState;
  /**
   * The next file kept, absolute, or undefined when the walk is over; throws
   * `fail(what, cause)` when a directory cannot be listed.
   */
  next(state: WalkState): string | undefined;
  /**
   * What the directory of the file `next` returned last holds that lint's
   * environment facts ask about, sorted: its region files (`__db.001`...) and
   * every entry that is not a regular file (a directory a DB_CONFIG may name).
   */
  nearby(): readonly string[];
  /** Whether a name in `nearby()` is a region file (`__db.001`...). */
  isRegionFile(name: string): boolean;
  /** The error for a file that cannot be read. */
  readFailure(file: string, error: unknown): Error;
}

/**
 * A walker, sorted by name (UTF-16 code units), skipping node_modules and version
 * control directories, never following a symlink to a directory (a symlink named
 * like a kept file is kept, and read through, when it leads to a regular file; one
 * that leads to a directory, a FIFO or a device is skipped like those, one that leads
 * nowhere is kept, so that reading it says so). Files and subdirectories are visited
 * in one name order, so a subdirectory's files come before its later siblings'.
 * A glob's walk lists only the directories its `directories` pattern lets it enter.
 *
 * `fail(what, cause)` makes the error for what could not be done ("cannot read
 * directory X", "cannot read X") and the system's error that says why.
 *
 * NOTE: self-contained on purpose (it uses only its parameters and globals): its
 * source text also runs in the thread that reads lint's files (reader-thread.ts).
 */
export function createWalker(fs: typeof Fs, path: typeof Path, fail: (what: string, cause: unknown) => Error): Walker {
  const SEP = path.sep;
  const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);
  const REGION_FILE = /^__db\.\d{3}$/;
  const NONE: readonly string[] = Object.freeze([]);
  const byName = (a: Fs.Dirent, b: Fs.Dirent) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const patterns = new Map<string, RegExp>();
  let lastNearby = NONE;

  const absolute = (state: WalkState, rel: string) =>
    rel === '' ? state.root : `${state.root.endsWith(SEP) ? state.root : state.root + SEP}${SEP === '/' ? rel : rel.replaceAll('/', SEP)}`;

  /**
   * Whether a symlink is kept: when it leads to a regular file, or nowhere (reading it
   * then says why). One that leads to a directory, a FIFO or a device is skipped, as
   * those are themselves: reading a FIFO or /dev/zero would not end.
   */
  function leadsToFile(file: string): boolean {
    try {
      return fs.statSync(file).isFile();
    } catch {
      return true;
    }
  }

  /** A walk state's regular expression, compiled once (the state carries its source: it goes between threads). */
  function compiled(source: string): RegExp {
    let re = patterns.get(source);
    if (re === undefined) patterns.set(source, (re = new RegExp(source)));
    return re;
  }

  /** List a directory and stack its entries, the first name last (only the directories the walk enters). */
  function list(state: WalkState, rel: string): void {
    const dir = absolute(state, rel);
    let entries: Fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      throw fail(`cannot read directory ${dir}`, error);
    }
    state.listed++;
    if (entries.length > 1) entries.sort(byName);
    let nearby = NONE;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if (!e.isFile() || (e.name.charCodeAt(0) === 95 && REGION_FILE.test(e.name))) (nearby === NONE ? (nearby = []) : (nearby as string[])).push(e.name);
    }
    const re = state.pattern === null ? undefined : compiled(state.pattern);
    const enter = state.directories === null ? undefined : compiled(state.directories);
    const prefix = rel === '' ? '' : `${rel}/`;
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i]!;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && (enter === undefined || enter.test(`${prefix}${e.name}/`))) {
          state.rels.push(prefix + e.name);
          state.nearby.push(null);
        }
      } else if ((e.isFile() || e.isSymbolicLink()) && (re === undefined ? e.name === state.name : re.test(prefix + e.name)) && (!e.isSymbolicLink() || leadsToFile(`${dir}${dir.endsWith(SEP) ? '' : SEP}${e.name}`))) {
        state.rels.push(prefix + e.name);
        state.nearby.push(nearby);
      }
    }
  }

  return {
    begin: (root, name, pattern, directories = null) => ({ root, name, pattern, directories, rels: [''], nearby: [null], listed: 0, found: 0 }),
    next(state) {
      for (;;) {
        const rel = state.rels.pop();
        if (rel === undefined) return undefined;
        const nearby = state.nearby.pop()!;
        if (nearby === null) list(state, rel);
        else {
          state.found++;
          lastNearby = nearby;
          return absolute(state, rel);
        }
      }
    },
    nearby: () => lastNearby,
    isRegionFile: (name) => REGION_FILE.test(name),
    readFailure(file, error) {
      return fail(`cannot read ${file}`, error);
    },
  };
}
