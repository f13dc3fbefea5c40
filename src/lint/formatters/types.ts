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

/**
 * A report made as lint goes: `add` takes results in the order they are shown
 * (lint adds each batch's while the next is read), `end` finishes it. The text
 * goes to `emit` piece by piece, as a Writer's does.
 */
export interface ReportWriter {
  add(results: readonly LintResult[]): void;
  end(): void;
}

/** Opens a report (see ReportWriter). */
export type OpenReport = (options: FormatOptions, emit: Emit) => ReportWriter;

/** The writer of a report: every result added at once. */
export function writerOf(open: OpenReport): Writer {
  return (results, options, emit) => {
    const report = open(options, emit);
    report.add(results);
    report.end();
  };
}

/** The size of the pieces a writer gives (about: it gives whole results). */
export const CHUNK_CHARS = 64 * 1024;

/**
 * A report's text, given to `emit` in pieces of about CHUNK_CHARS, each one
 * flat string joined from its parts. (Text built with `+=` is a tree of its
 * parts until something reads it; a report held until lint's walk is done
 * would keep every tree for the garbage collector to copy again and again.)
 */
export class Pieces {
  private parts: string[] = [];
  private length = 0;

  constructor(private readonly emit: Emit) {}

  add(text: string): void {
    this.parts.push(text);
    this.length += text.length;
    if (this.length >= CHUNK_CHARS) this.flush();
  }

  /** Give what has been added since the last piece, if anything. */
  flush(): void {
    if (this.length === 0) return;
    this.emit(this.parts.join(''));
    this.parts = [];
    this.length = 0;
  }
}

/** The whole text of a writer. */
export function collect(write: Writer, results: readonly LintResult[], options: FormatOptions): string {
  const chunks: string[] = [];
  write(results, options, (chunk) => chunks.push(chunk));
  return chunks.join('');
}
