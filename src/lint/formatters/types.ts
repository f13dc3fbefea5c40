import type { LintResult } from '../types.js';

export interface FormatOptions {
  /** Whether the output may contain ANSI colour codes (the CLI decides: TTY, NO_COLOR, --color). */
  readonly color: boolean;
  /** The directory paths are shown relative to (the CLI's working directory). */
  readonly cwd: string;
}

/** Renders lint results as text. Pure: no I/O, the same output for the same input. */
export type Formatter = (results: readonly LintResult[], options: FormatOptions) => string;

/** Receives a format's text piece by piece, in order. */
export type Emit = (chunk: string) => void;

/**
 * Renders lint results as text given piece by piece to `emit` (the CLI writes
 * them as they come: a fleet's report is megabytes, and text held until the
 * end costs the garbage collector a copy or two of all of it).
 */
export type Writer = (results: readonly LintResult[], options: FormatOptions, emit: Emit) => void;

/** The size of the pieces a writer gives (about: it gives whole results). */
export const CHUNK_CHARS = 64 * 1024;

/** The whole text of a writer. */
export function collect(write: Writer, results: readonly LintResult[], options: FormatOptions): string {
  const chunks: string[] = [];
  write(results, options, (chunk) => chunks.push(chunk));
  return chunks.join('');
}
