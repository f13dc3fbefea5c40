import type * as Fs from 'node:fs';
import type * as Path from 'node:path';
import type * as WorkerThreads from 'node:worker_threads';
import type { RegionTimes } from './files.js';
import { createWalker, type WalkState } from './walk.js';

// The thread that reads lint's files, started from here. A module of its own, built to a small file
// (dist/cli/reader-start.cjs) that bin/provision.js loads before the command line: a lint of a tree
// starts its reader at once, and the thread starts while the command line loads.

/** The slots of the Int32Array the two threads share. */
export const SLOTS = {
  /** How many messages the reader has posted (it bumps this after each, and wakes the waiting thread). */
  posted: 0,
  /** STARTING, then READY once it takes walks, EXITED when its thread ends. */
  state: 1,
  /** The reader's thread id in the kernel (Linux), 0 when unknown. */
  tid: 2,
  STARTING: 0,
  READY: 1,
  EXITED: 2,
} as const;

/**
 * What the reader could not do ("cannot read X") and why: the system's error code, or the error's message
 * when it has none (the lint thread puts them in words, src/io-reason.ts).
 */
export interface Failure {
  readonly message: string;
  readonly code?: string;
  readonly reason?: string;
  /** A failure of the reader's own code rather than of the file system. */
  readonly bug?: boolean;
}
/** Files read, their bytes one after the other from the start of `buffer` (which may be longer); a length of -1 is a file that could not be read. */
export interface Batch {
  readonly files: readonly string[];
  readonly lengths: readonly number[];
  readonly nearby: readonly (readonly string[])[];
  /** For a file named DB_CONFIG beside region files: see RegionTimes; null when it has none, one could not be stat'd, or the file could not be opened. */
  readonly times: readonly (RegionTimes | null)[];
  readonly failures: readonly (readonly [number, Failure])[];
  readonly buffer: ArrayBuffer;
}
/** The walk is over, or `error` stopped it. */
export interface End {
  readonly end: true;
  readonly listed: number;
  readonly found: number;
  readonly error?: Failure;
}

/**
 * The reader thread's code: it walks on from the state it is given and reads
 * every file it keeps, posting them in batches, one transferred buffer each.
 *
 * NOTE: self-contained on purpose (it uses only its parameters and globals): it
 * runs from its source text in the worker, with the walker's source as argument.
 */
function readerMain(makeWalker: typeof createWalker): void {
  const threads = require('node:worker_threads') as typeof WorkerThreads;
  const fsys = require('node:fs') as typeof Fs;
  const { port, shared, slots } = threads.workerData as { port: WorkerThreads.MessagePort; shared: Int32Array; slots: typeof SLOTS };
  const paths = require('node:path') as typeof Path;
  /** The name of the files lint judges an environment for. */
  const CONFIG = 'DB_CONFIG';
  const walker = makeWalker(fsys, paths, (what, cause) => Object.assign(new Error(what, { cause }), { name: 'ReadFailure' }));
  const failure = (error: unknown): Failure => {
    const e = error as { name?: string; message?: string; stack?: string; cause?: { code?: unknown; message?: unknown } } | undefined;
    if (e?.name !== 'ReadFailure') return { message: String(e?.stack ?? error), bug: true };
    const why = typeof e.cause?.code === 'string' ? { code: e.cause.code } : { reason: String(e.cause?.message ?? e.cause) };
    return { message: String(e.message), ...why };
  };
  const post = (message: Batch | End, transfer: ArrayBuffer[] = []) => {
    port.postMessage(message, transfer);
    Atomics.add(shared, slots.posted, 1);
    Atomics.notify(shared, slots.posted);
  };
  process.on('exit', () => {
    Atomics.store(shared, slots.state, slots.EXITED);
    Atomics.notify(shared, slots.posted);
  });
  port.on('message', ({ state, firstBatch, maxBatch, maxBytes }: { state: WalkState; firstBatch: number; maxBatch: number; maxBytes: number }) => {
    let files: string[] = [];
    let nearby: (readonly string[])[] = [];
    let times: (RegionTimes | null)[] = [];
    let lengths: number[] = [];
    let failures: [number, Failure][] = [];
    // The batch's bytes, one file after the other, read straight into it (no buffer a file, no copying
    // at the end); it doubles when a file does not fit, and goes to the lint thread whole.
    let store = new Uint8Array(1 << 16);
    let size = 0;
    let limit = firstBatch;
    const flush = () => {
      if (files.length === 0) return;
      // NOTE: the length first: a transferred buffer is detached, and its arrays have none.
      const capacity = store.length;
      post({ files, lengths, nearby, times, failures, buffer: store.buffer as ArrayBuffer }, [store.buffer as ArrayBuffer]);
      files = [];
      nearby = [];
      times = [];
      lengths = [];
      failures = [];
      store = new Uint8Array(capacity);
      size = 0;
      limit = Math.min(limit * 2, maxBatch);
    };
    /**
     * The times of `file`, open as `fd`, and of the region files in `near` (RegionTimes); null when it
     * has none or one is gone, and for a file not named DB_CONFIG (a glob's: lint judges no environment for it).
     */
    const regionTimes = (file: string, fd: number, near: readonly string[]): RegionTimes | null => {
      const dir = file.slice(0, file.lastIndexOf(paths.sep) + 1);
      if (file.length - dir.length !== CONFIG.length || !file.endsWith(CONFIG)) return null;
      let out: number[] | null = null;
      for (let i = 0; i < near.length; i++) {
        if (!walker.isRegionFile(near[i]!)) continue;
        try {
          out ??= [fsys.fstatSync(fd).mtimeMs];
          out.push(fsys.statSync(`${dir}${near[i]}`).mtimeMs);
        } catch {
          // Gone since the listing: the lint thread asks again, and says what it finds.
          return null;
        }
      }
      return out;
    };
    /** Read a file to its end at `size` of the batch, and add its times to `times` (see regionTimes); its length. */
    const read = (file: string, near: readonly string[]): number => {
      const fd = fsys.openSync(file, 'r');
      const from = size;
      try {
        // One entry a file opened; the loop below adds null for one that could not be.
        times.push(near.length === 0 ? null : regionTimes(file, fd, near));
        for (;;) {
          if (size === store.length) {
            const larger = new Uint8Array(store.length * 2);
            larger.set(store.subarray(0, size));
            store = larger;
          }
          const room = store.length - size;
          const n = fsys.readSync(fd, store, size, room, null);
          size += n;
          // The walk gives regular files only (a symlink to one), which read short only at their end: no read more
          // to be told so (one syscall in four a file).
          if (n < room) return size - from;
        }
      } catch (error) {
        size = from;
        throw error;
      } finally {
        fsys.closeSync(fd);
      }
    };
    try {
      for (let file = walker.next(state); file !== undefined; file = walker.next(state)) {
        files.push(file);
        const near = walker.nearby();
        nearby.push(near);
        try {
          lengths.push(read(file, near));
        } catch (error) {
          if (times.length < files.length) times.push(null); // not opened
          lengths.push(-1);
          failures.push([files.length - 1, failure(walker.readFailure(file, error))]);
        }
        if (files.length >= limit || size >= maxBytes) flush();
      }
      flush();
      post({ end: true, listed: state.listed, found: state.found });
    } catch (error) {
      // The files before a directory that cannot be listed go first, as in the lint thread's own walk.
      let end: End = { end: true, listed: state.listed, found: state.found, error: failure(error) };
      try {
        flush();
      } catch (flushing) {
        end = { ...end, error: failure(flushing) };
      }
      post(end);
    }
  });
  try {
    // "PID/task/TID": the lint thread checks that this thread still exists when it waits long.
    Atomics.store(shared, slots.tid, Number(/task\/(\d+)$/.exec(fsys.readlinkSync('/proc/thread-self'))?.[1] ?? 0));
  } catch {
    // Not Linux: the exit handler above is then the only sign of an unexpected end.
  }
  Atomics.store(shared, slots.state, slots.READY);
  Atomics.notify(shared, slots.state);
}

const SOURCE = `(${readerMain.toString()})(${createWalker.toString()})`;

/** A reader thread just started: the lint thread takes it over (ReaderThread). */
export interface ReaderHandle {
  readonly worker: WorkerThreads.Worker;
  readonly port: WorkerThreads.MessagePort;
  readonly shared: Int32Array;
}

/** Start a reader thread; undefined when none can be started. It is ready to take a walk some time later. */
export function startReader(): ReaderHandle | undefined {
  // Loaded only here: most runs of the command line start no thread.
  const threads = process.getBuiltinModule('node:worker_threads');
  try {
    const shared = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
    const { port1, port2 } = new threads.MessageChannel();
    const worker = new threads.Worker(SOURCE, {
      eval: true,
      workerData: { port: port2, shared, slots: SLOTS },
      transferList: [port2],
      // No --cpu-prof, --import probes and the like: the reader needs none of them.
      execArgv: [],
      env: threads.SHARE_ENV,
    });
    // NOTE: the reader reports its failures through `shared` and the port; an 'error' event
    // without a listener (a thread that could not start) would end the whole process.
    worker.on('error', () => undefined);
    worker.unref();
    port1.unref();
    return { worker, port: port1, shared };
  } catch {
    return undefined;
  }
}

/** Stop a reader thread, whether or not it was used (again: harmless). */
export function stopReader(handle: ReaderHandle): void {
  handle.port.close();
  void handle.worker.terminate();
}

/** A tree estimated to hold at least this many entries gets its reader thread first thing (twice the walk's own threshold). */
export const LARGE_TREE_ENTRIES = 2000;

/**
 * About how many entries a tree holds, listing a few directories a level, at most
 * `depth` levels down: its entries, and each subdirectory counted as large as the
 * largest of its first, middle and last (a fleet's tree repeats its shape). Stops
 * counting at `enough`; 0 when it cannot be listed.
 */
export function estimateEntries(dir: string, fs: Pick<typeof Fs, 'readdirSync'>, enough: number, depth = 3): number {
  let entries: Fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  const dirs = entries.filter((e) => e.isDirectory());
  if (dirs.length === 0 || depth <= 1 || entries.length >= enough) return entries.length;
  let each = 0;
  for (const e of new Set([dirs[0]!, dirs[dirs.length >> 1]!, dirs[dirs.length - 1]!])) {
    each = Math.max(each, estimateEntries(`${dir}/${e.name}`, fs, Math.ceil(enough / dirs.length), depth - 1));
  }
  return entries.length + dirs.length * each;
}

/**
 * Whether a command line (the arguments after the program) lints a large tree on
 * a machine with more than one processor: then its reader thread is worth starting
 * before the command line loads (a few milliseconds to start and to stop it, which
 * a lint of a few files would feel). A guess from the words and a few listings.
 */
export function lintsLargeTree(argv: readonly string[], fs: Pick<typeof Fs, 'statSync' | 'readdirSync'>, processors: () => number): boolean {
  if (argv[0] !== 'lint' || argv.includes('--help') || argv.includes('-h')) return false;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('-')) continue;
    // The processors last: asking loads a module, which a lint of one file would feel.
    if (isDirectory(arg, fs) && estimateEntries(arg, fs, LARGE_TREE_ENTRIES) >= LARGE_TREE_ENTRIES) return processors() > 1;
  }
  return false;
}

/** Whether `arg` names a directory; false for anything stat refuses (too long a name, a file on the way): lint says why. */
function isDirectory(arg: string, fs: Pick<typeof Fs, 'statSync'>): boolean {
  try {
    return fs.statSync(arg, { throwIfNoEntry: false })?.isDirectory() === true;
  } catch {
    return false;
  }
}
