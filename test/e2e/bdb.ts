/**
 * Run the real Berkeley DB on a DB_CONFIG file: build the small C harness in
 * harness/dbopen.c once, then open a fresh environment with it for each file.
 * The end-to-end suites use these helpers to compare lint's verdict with the
 * library's.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: the nearest directory above this module with a package.json. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`No package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return dir;
}

const HEADER_DIRS = ['/usr/include', '/usr/local/include'];
const LIBRARY_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib'];
const LIBRARY = 'db-5.3';

/** Why the real Berkeley DB cannot be used here, or undefined when it can. */
export function whyBdbUnavailable(): string | undefined {
  if (!HEADER_DIRS.some((d) => existsSync(join(d, 'db.h')))) {
    return `db.h not found in ${HEADER_DIRS.join(' or ')} (install libdb5.3-dev)`;
  }
  if (!LIBRARY_DIRS.some((d) => existsSync(join(d, `lib${LIBRARY}.so`)) || existsSync(join(d, `lib${LIBRARY}.a`)))) {
    return `lib${LIBRARY} not found in ${LIBRARY_DIRS.join(', ')} (install libdb5.3-dev)`;
  }
  try {
    execFileSync('cc', ['--version'], { stdio: 'ignore' });
  } catch (cause) {
    return `no C compiler: "cc --version" failed (${(cause as Error).message})`;
  }
  return undefined;
}

/** Whether db.h, libdb-5.3 and a C compiler are present. */
export function bdbAvailable(): boolean {
  return whyBdbUnavailable() === undefined;
}

/**
 * Compile harness/dbopen.c into .tmp/e2e/dbopen (unless the binary is newer
 * than the source) and return the binary's path.
 */
export function buildHarness(): string {
  const root = projectRoot();
  const source = join(root, 'test', 'e2e', 'harness', 'dbopen.c');
  const outDir = join(root, '.tmp', 'e2e');
  const binary = join(outDir, 'dbopen');
  if (existsSync(binary) && statSync(binary).mtimeMs >= statSync(source).mtimeMs) return binary;
  mkdirSync(outDir, { recursive: true });
  // NOTE: compile to a private name and rename, so two suites building at once never run a half-written binary.
  const partial = `${binary}.${process.pid}`;
  try {
    execFileSync('cc', ['-Wall', '-Wextra', '-O1', '-o', partial, source, `-l${LIBRARY}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (cause) {
    const stderr = (cause as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`Could not compile the Berkeley DB harness ${source}:\n${stderr}`, { cause });
  }
  renameSync(partial, binary);
  return binary;
}

/** What the harness prints on stdout. */
export interface HarnessReport {
  readonly ok: boolean;
  readonly ret: number;
  readonly step: string;
  readonly error: string;
  readonly version: string;
  readonly messages: readonly string[];
}

export interface BdbVerdict {
  /** DB_ENV->open succeeded and the environment closed cleanly. */
  readonly accepted: boolean;
  /** The signal that killed the harness (SIGSEGV, SIGFPE...), if it crashed. */
  readonly crashed?: NodeJS.Signals;
  /** The harness did not finish within the time limit (it was killed). */
  readonly timedOut: boolean;
  readonly exitCode: number | null;
  /** Berkeley DB's own messages. */
  readonly stderr: string;
  /** The JSON line, when the harness lived to print it. */
  readonly report?: HarnessReport;
}

export interface OpenOptions {
  /** Milliseconds before the harness is killed; default 5000. */
  readonly timeoutMs?: number;
  /** The harness binary (default: buildHarness()). */
  readonly harness?: string;
}

/**
 * Write `config` as DB_CONFIG into a fresh, empty environment directory and
 * open it with the real Berkeley DB. The directory is always removed.
 */
export async function openWithBdb(config: Uint8Array, options: OpenOptions = {}): Promise<BdbVerdict> {
  const harness = options.harness ?? buildHarness();
  const timeout = options.timeoutMs ?? 5000;
  const home = await mkdtemp(join(tmpdir(), 'provision-e2e-'));
  try {
    await writeFile(join(home, 'DB_CONFIG'), config);
    return await new Promise<BdbVerdict>((resolve) => {
      // cwd is the home too, so nothing a DB_CONFIG names relatively can land outside it.
      execFile(harness, [home], { cwd: home, timeout, killSignal: 'SIGKILL', encoding: 'latin1', maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
        const failure = error as (Error & { code?: number | string; signal?: NodeJS.Signals; killed?: boolean }) | null;
        const signal = failure?.signal ?? undefined;
        const timedOut = failure?.killed === true && signal === 'SIGKILL';
        const exitCode = failure === null ? 0 : typeof failure.code === 'number' ? failure.code : null;
        let report: HarnessReport | undefined;
        const line = stdout.split('\n').find((l) => l.startsWith('{'));
        if (line) {
          try {
            report = JSON.parse(line) as HarnessReport;
          } catch {
            report = undefined;
          }
        }
        resolve({
          accepted: exitCode === 0 && report?.ok === true,
          ...(signal && !timedOut ? { crashed: signal } : {}),
          timedOut,
          exitCode,
          stderr,
          ...(report ? { report } : {}),
        });
      });
    });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
