import { fstatSync, writeSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { isOutside, relativeInside } from '../normal-paths.js';
import { CliError, EXIT } from './errors.js';

/** What a command may touch of the outside world, so tests can run commands in-process. */
export interface Io {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
}

/** The streams processIo has made, each with its error handler. */
const made = new Set<NodeJS.WriteStream>();

/** `process.stdout` or `process.stderr`, made (Node makes each on first use) with processIo's error handler. */
function guarded(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  if (made.has(stream)) return stream;
  made.add(stream);
  stream.on('error', (error: NodeJS.ErrnoException) => {
    // A reader that stops early (`provision lint | head`) closes the pipe: finish quietly, no stack trace.
    if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    // Any other write error (a full disk, `> /dev/full`, a closed terminal) is an I/O error: exit 2, with one
    // line on stderr when stderr is not the stream that failed (written directly: the stream may be broken).
    if (stream === process.stdout) {
      try {
        writeSync(2, `provision: cannot write to standard output: ${error.code ?? error.message}\n`);
      } catch {
        // stderr cannot be written either: the exit code says it.
      }
    }
    process.exit(EXIT.usage);
  });
  return stream;
}

/**
 * Whether output written through processIo's streams is still queued (a pipe is
 * asynchronous on some systems). A stream it never made has nothing queued: a
 * clean lint writes nothing, and makes neither.
 */
export function outputQueued(): boolean {
  for (const stream of made) if (stream.writableLength > 0) return true;
  return false;
}

/**
 * The process's own streams. stdout and stderr are made when a command first
 * uses them: Node builds each then, about 4 ms of a start-up that is measured
 * (bench/), for a clean lint that writes nothing.
 */
export function processIo(): Io {
  return {
    cwd: process.cwd(),
    env: process.env,
    get stdout() {
      return guarded(process.stdout);
    },
    get stderr() {
      return guarded(process.stderr);
    },
    // Made when a command first reads it (a prompt, or `-`): Node builds the stream then, 2 to 4 ms of a
    // start-up that is measured when stdin is a file such as /dev/null.
    get stdin() {
      return process.stdin;
    },
  };
}

/** Colour only on a terminal, and never with NO_COLOR (https://no-color.org). */
export function useColor(io: Io): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.stdout.isTTY === true;
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/**
 * All of stdin. Node gives a process whose stdin is a directory (`< /tmp`) an empty
 * stream, so that is checked first: it is an input that cannot be read, not an empty one.
 */
export async function readStdin(io: Io): Promise<Buffer> {
  if (io.stdin === process.stdin) {
    let directory = false;
    try {
      directory = fstatSync(0).isDirectory();
    } catch {
      // A closed stdin: the stream says what it says.
    }
    if (directory) throw new CliError('cannot read stdin: it is a directory', EXIT.usage);
  }
  return readAll(io.stdin);
}

/** A path as printed to the user: relative to the working directory when inside it, absolute otherwise. */
export function shownPath(cwd: string, p: string): string {
  const inside = relativeInside(cwd, p);
  // Lint shows every file it walked: the shortcut skips path.relative's work for a path below cwd.
  if (inside !== undefined && !inside.startsWith('..')) return inside;
  // ...and for one outside it (a tree named by its absolute path), which is shown as it is.
  if (isOutside(cwd, p)) return p;
  const rel = relative(cwd, p);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? p : rel;
}
