/**
 * Swap two directories in one step, where the platform can: Linux's
 * renameat2(RENAME_EXCHANGE). Node has no binding for it, so the call goes
 * through Perl's syscall(), which Debian and Ubuntu always have (perl-base is
 * essential there). Anywhere else the caller falls back to two renames and a
 * journal (swap.ts).
 */
import { spawnSync } from 'node:child_process';
import { constants } from 'node:os';

/** renameat2's number on each Linux architecture Node runs on. */
const RENAMEAT2: Readonly<Partial<Record<string, number>>> = { x64: 316, arm64: 276, riscv64: 276, loong64: 276, arm: 382, ia32: 353, ppc64: 357, s390x: 347 };
const AT_FDCWD = -100;
const RENAME_EXCHANGE = 2;
// NOTE: the paths must reach syscall() as strings (pointers), so they are never used as numbers here.
const SCRIPT = `my ($nr, $a, $b) = @ARGV; exit 0 if syscall($nr + 0, ${AT_FDCWD}, $a, ${AT_FDCWD}, $b, ${RENAME_EXCHANGE}) == 0; print STDERR ($! + 0); exit 3;`;

/** Errors that mean "this kernel or file system cannot exchange": fall back. */
const UNSUPPORTED = new Set([constants.errno.EINVAL, constants.errno.ENOSYS, constants.errno.EOPNOTSUPP].filter((n) => n !== undefined));

/** An exchange the system refused for another reason than lack of support. */
export class ExchangeError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
    this.name = 'ExchangeError';
  }
}

/**
 * Atomically swap `a` and `b` (both must exist). True when done; false when
 * this platform cannot, and nothing was changed.
 *
 * NOTE: if provision alone is killed (not its process group) while perl runs,
 * perl may still make the exchange a moment later. Either way the target holds
 * one whole tree, and recovery tells which by inode (swap.ts).
 */
export function exchangePaths(a: string, b: string): boolean {
  if (process.platform !== 'linux') return false;
  const nr = RENAMEAT2[process.arch];
  if (nr === undefined) return false;
  const r = spawnSync('perl', ['-e', SCRIPT, String(nr), a, b], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.error !== undefined || r.status === null) return false; // no perl
  if (r.status === 0) return true;
  const errno = Number(r.stderr.trim());
  if (r.status !== 3 || !Number.isInteger(errno) || UNSUPPORTED.has(errno)) return false;
  const code = Object.entries(constants.errno).find(([, n]) => n === errno)?.[0] ?? `errno ${errno}`;
  throw new ExchangeError(`cannot swap ${a} and ${b} (${code})`, code);
}
