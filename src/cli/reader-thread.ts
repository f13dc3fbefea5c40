import * as fs from 'node:fs';
import type * as WorkerThreads from 'node:worker_threads';
import { CliError } from './errors.js';
import type { RegionTimes } from './files.js';
import { ioReason } from '../io-reason.js';
import { SLOTS, startReader, stopReader, type Batch, type End, type Failure, type ReaderHandle } from './reader-start.js';
import type { WalkState } from './walk.js';

/** How long the lint thread waits for a batch before it checks that the reader is still alive. */
const LIVENESS_MS = 200;
/** The first batch is small, so linting starts soon; each next one is twice as large, up to the last two. */
const FIRST_BATCH_FILES = 32;
const MAX_BATCH_FILES = 256;
const MAX_BATCH_BYTES = 1 << 20;

/** A file the reader read, or could not read (`failure`). */
export interface ReadFile {
  readonly file: string;
  readonly bytes?: Buffer;
  /** The bytes as a binary string (one char a byte), when they were decoded with the rest of their batch. */
  readonly source?: string;
  /** See Walker.nearby. */
  readonly nearby: readonly string[];
  /** When the reader thread took them: the times of the file and its region files (see RegionTimes). */
  readonly times?: RegionTimes | null | undefined;
  readonly failure?: CliError;
}

/**
 * A thread that walks on with a walk the lint thread began and reads the files,
 * while the lint thread lints those it already has. Synchronous for the lint
 * thread: it waits on a shared counter the reader bumps after each batch.
 */
export class ReaderThread {
  private received = 0;

  private readonly port: WorkerThreads.MessagePort;
  private readonly shared: Int32Array;

  private constructor(
    private readonly handle: ReaderHandle,
    private readonly receive: typeof WorkerThreads.receiveMessageOnPort,
  ) {
    this.port = handle.port;
    this.shared = handle.shared;
  }

  /**
   * Take over a reader thread (`startReader()` by default, or one started earlier);
   * undefined when none could be started. It is ready to take a walk some time later.
   */
  static start(handle: ReaderHandle | undefined = startReader()): ReaderThread | undefined {
    if (handle === undefined) return undefined;
    return new ReaderThread(handle, process.getBuiltinModule('node:worker_threads').receiveMessageOnPort);
  }

  /** Whether the thread has started and can take a walk. */
  get ready(): boolean {
    return Atomics.load(this.shared, SLOTS.state) === SLOTS.READY;
  }

  /**
   * Walk on with `state` in the reader, yielding the files it reads a batch at a
   * time, in the walk's order; returns the walk's counts (this thread's and the
   * reader's together). Throws the CliError of a directory that cannot be listed,
   * as the walk in this thread would, and one when the reader stops unexpectedly.
   */
  *walk(state: WalkState): Generator<readonly ReadFile[], { listed: number; found: number }> {
    this.port.postMessage({ state, firstBatch: FIRST_BATCH_FILES, maxBatch: MAX_BATCH_FILES, maxBytes: MAX_BATCH_BYTES });
    for (;;) {
      const message = this.next();
      if ('end' in message) {
        if (message.error?.bug) throw new Error(`the thread reading the files failed: ${message.error.message}`);
        if (message.error) throw readFailure(message.error);
        return { listed: message.listed, found: message.found };
      }
      const files: ReadFile[] = [];
      const bug = addFilesOf(message, files);
      if (files.length > 0) yield files;
      if (bug !== undefined) throw bug;
    }
  }

  /** Wait until the thread is ready, or has ended, or for at most `ms`. */
  waitUntilReady(ms = 30_000): void {
    const until = Date.now() + ms;
    while (Atomics.load(this.shared, SLOTS.state) === SLOTS.STARTING && Date.now() < until) Atomics.wait(this.shared, SLOTS.state, SLOTS.STARTING, 5);
  }

  /** Stop the thread (it may be in the middle of a walk). */
  close(): void {
    stopReader(this.handle);
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

/** The reader's failure to read or list (not a bug of its own), as lint reports it. */
function readFailure(why: Failure): CliError {
  return new CliError(`${why.message}: ${ioReason({ code: why.code, message: why.reason })}`, 2, { cause: why });
}

/**
 * Add a batch's files to `files`, in order, each with its bytes and their text
 * (a slice of the batch's, decoded once: one call instead of one a file). A
 * function of its own, apart from the walk: it loops over every file of a
 * fleet, the walk only over its batches. Returns the error of a failure that is
 * a bug in the reader, after the files before it.
 */
function addFilesOf(batch: Batch, files: ReadFile[]): Error | undefined {
  const { files: names, lengths, nearby, times, failures, buffer } = batch;
  let used = 0;
  for (let i = 0; i < lengths.length; i++) if (lengths[i]! > 0) used += lengths[i]!;
  const text = Buffer.from(buffer, 0, used).toString('latin1');
  let failed = 0;
  let at = 0;
  for (let i = 0; i < names.length; i++) {
    const length = lengths[i]!;
    if (length >= 0) {
      files.push({ file: names[i]!, bytes: Buffer.from(buffer, at, length), source: text.slice(at, at + length), nearby: nearby[i]!, times: times[i] });
      at += length;
    } else {
      const [, why] = failures[failed++]!;
      if (why.bug) return new Error(`the thread reading the files failed: ${why.message}`);
      files.push({ file: names[i]!, nearby: nearby[i]!, failure: readFailure(why) });
    }
  }
  return undefined;
}
