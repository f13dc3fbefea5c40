import type { LintResult } from '../types.js';

export interface FormatOptions {
  /** Whether the output may contain ANSI colour codes (the CLI decides: TTY, NO_COLOR, --color). */
  readonly color: boolean;
  /** The directory paths are shown relative to (the CLI's working directory). */
  readonly cwd: string;
}

/** Renders lint results as text. Pure: no I/O, the same output for the same input. */
export type Formatter = (results: readonly LintResult[], options: FormatOptions) => string;
