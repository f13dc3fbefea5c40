import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Run {
  /** Wall-clock time from spawn to exit, in milliseconds. */
  readonly ms: number;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Peak resident set size of the child in KiB, when asked for and measurable. */
  readonly maxRssKb?: number;
  /** CPU time of the child (user and system, all its threads), in milliseconds, measured with its memory. */
  readonly cpuMs?: number;
}

export interface RunOptions {
  readonly cwd?: string;
  /** Send stdout to /dev/null (like `> /dev/null`) instead of capturing it. */
  readonly discardStdout?: boolean;
  /** Also measure the child's peak memory and CPU time (runs it under /usr/bin/time). */
  readonly memory?: boolean;
  /** Run the child on the first CPU only (`taskset -c 0`); see hasTaskset. */
  readonly oneCore?: boolean;
}

let timeWorks: boolean | undefined;

/** Whether GNU time is there to report a child's maxRSS (`/usr/bin/time -f %M`). */
export function hasGnuTime(): boolean {
  if (timeWorks === undefined) {
    const r = spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' });
    timeWorks = r.status === 0 && /^\d+\s*$/.test(r.stderr);
  }
  return timeWorks;
}

let tasksetWorks: boolean | undefined;

/** Whether `taskset` can pin a child to one CPU (util-linux). */
export function hasTaskset(): boolean {
  tasksetWorks ??= spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  return tasksetWorks;
}

/**
 * Loaded with `--import` when GNU time is missing: writes the child's own
 * maxRSS (KiB) and CPU time (user and system seconds) at exit, as GNU time's
 * `%M %U %S` would.
 */
const PROBE = `data:text/javascript,${encodeURIComponent(
  "process.on('exit', () => { const u = process.resourceUsage(); process.getBuiltinModule('node:fs').writeFileSync(process.env.BENCH_RSS_FILE, `${u.maxRSS} ${u.userCPUTime / 1e6} ${u.systemCPUTime / 1e6}`); });",
)}`;

/**
 * Run a command once and time it. With `memory`, the peak RSS comes from
 * GNU time when it is installed, otherwise from a `--import` probe that writes
 * `process.resourceUsage().maxRSS` at exit (only for `node` commands).
 */
export function runOnce(command: string, args: readonly string[], options: RunOptions = {}): Run {
  const devNull = options.discardStdout ? fs.openSync('/dev/null', 'w') : undefined;
  const rssFile = options.memory ? path.join(os.tmpdir(), `provision-bench-rss-${process.pid}`) : undefined;
  let cmd = command;
  let argv = [...args];
  const env = { ...process.env };
  if (rssFile && hasGnuTime()) {
    argv = ['-f', '%M %U %S', '-o', rssFile, command, ...args];
    cmd = '/usr/bin/time';
  } else if (rssFile && command === process.execPath) {
    argv = ['--import', PROBE, ...args];
    env.BENCH_RSS_FILE = rssFile;
  }
  if (options.oneCore) {
    argv = ['-c', '0', cmd, ...argv];
    cmd = 'taskset';
  }
  try {
    const start = process.hrtime.bigint();
    const r = spawnSync(cmd, argv, {
      cwd: options.cwd,
      env,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', devNull ?? 'pipe', 'pipe'],
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.error) throw r.error;
    let maxRssKb: number | undefined;
    let cpuMs: number | undefined;
    if (rssFile && fs.existsSync(rssFile)) {
      // GNU time writes "Command exited with non-zero status 1" first when the child fails.
      const [kb, user, system] = (fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number);
      if (Number.isFinite(kb)) maxRssKb = kb;
      if (Number.isFinite(user) && Number.isFinite(system)) cpuMs = (user! + system!) * 1000;
      fs.rmSync(rssFile, { force: true });
    }
    return {
      ms,
      status: r.status,
      stdout: r.stdout ?? '',
      stderr: r.stderr ?? '',
      ...(maxRssKb !== undefined ? { maxRssKb } : {}),
      ...(cpuMs !== undefined ? { cpuMs } : {}),
    };
  } finally {
    if (devNull !== undefined) fs.closeSync(devNull);
  }
}

/**
 * Throw unless the command exited with one of `codes`. Lint exits 1 when it
 * finds errors, which the corpus has on purpose, so lint passes `[0, 1]`.
 */
export function expectExit(run: Run, what: string, codes: readonly number[] = [0]): void {
  if (run.status === null || !codes.includes(run.status)) {
    throw new Error(`${what} exited with ${run.status}:\n${run.stderr.trim()}`);
  }
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Summary of repeated timings: the median is the figure; min and max show the spread. */
export interface Timing {
  readonly runs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
}

export function summarize(ms: readonly number[]): Timing {
  return { runs: ms.length, medianMs: median(ms), minMs: Math.min(...ms), maxMs: Math.max(...ms) };
}
