/** Documented exit codes (docs/cli.md). */
export const EXIT = {
  ok: 0,
  /** Lint errors (or too many warnings), or a refusal. */
  findings: 1,
  /** Bad usage, or input that cannot be read. */
  usage: 2,
  /** `provision check --nagios` could not check (any error): Nagios UNKNOWN, since Nagios reads 1 and 2 as WARNING and CRITICAL. */
  nagiosUnknown: 3,
  /** Interrupted at a prompt (Ctrl-C), as shells report SIGINT. */
  cancelled: 130,
  /** A bug in provision. */
  internal: 70,
} as const;

/** An error the user can fix: printed as one line, no stack trace. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT.usage, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
  }
}
