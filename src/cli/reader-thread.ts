import * as fs from 'node:fs';
import type * as WorkerThreads from 'node:worker_threads';
import { CliError } from './errors.js';
import { createWalker, type WalkState } from './walk.js';

/** The slots of the Int32Array the two threads share. */
const SLOTS = {
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

/** How long the lint thread waits for a batch before it checks that the reader is still alive. */
const LIVENESS_MS = 200;
/** The first batch is small, so linting starts soon; each next one is twice as large, up to the last two. */
const FIRST_BATCH_FILES = 32;
const MAX_BATCH_FILES = 256;
const MAX_BATCH_BYTES = 1 << 20;

/** What the reader could not do: the message lint prints and the system's error code. */
interface Failure {
  readonly message: string;
  readonly code?: string;
  /** A failure of the reader's own code rather than of the file system. */
  readonly bug?: boolean;
}
/** Files read, their bytes one after the other in `buffer`; a length of -1 is a file that could not be read. */
interface Batch {
  readonly files: readonly string[];
  readonly lengths: readonly number[];
  readonly regions: readonly (readonly string[])[];
  readonly failures: readonly (readonly [number, Failure])[];
  readonly buffer: ArrayBuffer;
}
/** The walk is over, or `error` stopped it. */
interface End {
  readonly end: true;
  readonly listed: number;
  readonly found: number;
  readonly error?: Failure;
}

/** A file the reader read, or could not read (`failure`). */
export interface ReadFile {
  readonly file: string;
  readonly bytes?: Buffer;
  readonly regions: readonly string[];
  readonly failure?: CliError;
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
  const fsys = require('node:fs') as typeof fs;
  const { port, shared, slots } = threads.workerData as { port: WorkerThreads.MessagePort; shared: Int32Array; slots: typeof SLOTS };
  const walker = makeWalker(fsys, require('node:path'), (message, cause) => Object.assign(new Error(message, { cause }), { name: 'ReadFailure' }));
  const failure = (error: unknown): Failure => {
    const e = error as { name?: string; message?: string; stack?: string; cause?: { code?: unknown } } | undefined;
    if (e?.name !== 'ReadFailure') return { message: String(e?.stack ?? error), bug: true };
    return { message: String(e.message), ...(typeof e.cause?.code === 'string' ? { code: e.cause.code } : {}) };
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
    let regions: (readonly string[])[] = [];
    let chunks: (Buffer | null)[] = [];
    let failures: [number, Failure][] = [];
    let size = 0;
    let limit = firstBatch;
    const flush = () => {
      if (files.length === 0) return;
      const buffer = new ArrayBuffer(size);
      const bytes = new Uint8Array(buffer);
      const lengths: number[] = [];
      let at = 0;
      for (const chunk of chunks) {
        if (chunk === null) lengths.push(-1);
        else {
          bytes.set(chunk, at);
          at += chunk.length;
          lengths.push(chunk.length);
        }
      }
      post({ files, lengths, regions, failures, buffer }, [buffer]);
      files = [];
      regions = [];
      chunks = [];
      failures = [];
      size = 0;
      limit = Math.min(limit * 2, maxBatch);
    };
    try {
      for (let file = walker.next(state); file !== undefined; file = walker.next(state)) {
        files.push(file);
        regions.push(walker.regions());
        try {
          const chunk = fsys.readFileSync(file);
          chunks.push(chunk);
          size += chunk.length;
        } catch (error) {
          chunks.push(null);
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

/**
 * A thread that walks on with a walk the lint thread began and reads the files,
 * while the lint thread lints those it already has. Synchronous for the lint
 * thread: it waits on a shared counter the reader bumps after each batch.
 */
export class ReaderThread {
  private received = 0;

  private constructor(
    private readonly worker: WorkerThreads.Worker,
    private readonly port: WorkerThreads.MessagePort,
    private readonly shared: Int32Array,
    private readonly receive: typeof WorkerThreads.receiveMessageOnPort,
  ) {}

  /** Start a reader; undefined when no thread can be started. It is ready to take a walk some time later. */
  static start(): ReaderThread | undefined {
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
      return new ReaderThread(worker, port1, shared, threads.receiveMessageOnPort);
    } catch {
      return undefined;
    }
  }

  /** Whether the thread has started and can take a walk. */
  get ready(): boolean {
    return Atomics.load(this.shared, SLOTS.state) === SLOTS.READY;
  }

  /**
   * Walk on with `state` in the reader, yielding each file it reads, in the walk's
   * order; returns the walk's counts (this thread's and the reader's together).
   * Throws the CliError of a directory that cannot be listed, as the walk in this
   * thread would, and one when the reader stops unexpectedly.
   */
  *walk(state: WalkState): Generator<ReadFile, { listed: number; found: number }> {
    this.port.postMessage({ state, firstBatch: FIRST_BATCH_FILES, maxBatch: MAX_BATCH_FILES, maxBytes: MAX_BATCH_BYTES });
    for (;;) {
      const message = this.next();
      if ('end' in message) {
        if (message.error?.bug) throw new Error(`the thread reading the files failed: ${message.error.message}`);
        if (message.error) throw new CliError(message.error.message, 2, { cause: message.error });
        return { listed: message.listed, found: message.found };
      }
      const { files, lengths, regions, failures, buffer } = message;
      let failed = 0;
      let at = 0;
      for (let i = 0; i < files.length; i++) {
        const length = lengths[i]!;
        if (length >= 0) {
          yield { file: files[i]!, bytes: Buffer.from(buffer, at, length), regions: regions[i]! };
          at += length;
        } else {
          const [, why] = failures[failed++]!;
          if (why.bug) throw new Error(`the thread reading the files failed: ${why.message}`);
          yield { file: files[i]!, regions: regions[i]!, failure: new CliError(why.message, 2, { cause: why }) };
        }
      }
    }
  }

  /** Wait until the thread is ready, or has ended, or for at most `ms`. */
  waitUntilReady(ms = 30_000): void {
    const until = Date.now() + ms;
    while (Atomics.load(this.shared, SLOTS.state) === SLOTS.STARTING && Date.now() < until) Atomics.wait(this.shared, SLOTS.state, SLOTS.STARTING, 5);
  }

  /** Stop the thread (it may be in the middle of a walk). */
  close(): void {
    this.port.close();
    void this.worker.terminate();
  }

  /** The reader's next message, waiting for it as long as the reader lives. */
  private next(): Batch | End {
    for (;;) {
      const got = this.receive(this.port);
      if (got !== undefined) {
        this.received++;
        return got.message as Batch | End;
      }
      const posted = Atomics.load(this.shared, SLOTS.posted);
      // A message posted is in the port before the counter moves: only wait when there is none.
      if (posted === this.received) {
        const exited = Atomics.load(this.shared, SLOTS.state) === SLOTS.EXITED;
        if (exited || (Atomics.wait(this.shared, SLOTS.posted, posted, LIVENESS_MS) === 'timed-out' && !this.alive())) {
          throw new CliError('cannot read the files to lint: the thread reading them stopped unexpectedly', 2);
        }
      }
    }
  }

  /** Whether the reader's thread still runs (killed for lack of memory, it runs no exit handler). */
  private alive(): boolean {
    const tid = Atomics.load(this.shared, SLOTS.tid);
    return tid === 0 || fs.existsSync(`/proc/self/task/${tid}`);
  }
}
