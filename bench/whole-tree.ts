import { fileURLToPath } from 'node:url';
import { expectExit, median, runOnce, summarize, type Timing } from './measure.js';

/** Wall-clock timing with the median peak memory and median CPU time (user and system, every thread). */
export type WithRss = Timing & { readonly maxRssKb: number | null; readonly cpuMs: number | null };

/** The read floor and lint with both pinned to one CPU (`taskset -c 0`). */
export interface OneCore {
  readonly readFloor: WithRss;
  readonly lint: WithRss;
  readonly ratio: number;
}

export interface WholeTree {
  readonly readFloor: WithRss;
  readonly lint: WithRss;
  /** Median lint time over median read-floor time. */
  readonly ratio: number;
  /** The same on one CPU, when taskset is there and the machine has more than one. */
  readonly oneCore?: OneCore;
  /** What lint reported on the warm-up run. */
  readonly errors: number;
  readonly warnings: number;
  readonly cleanFiles: number;
}

const READ_FLOOR = fileURLToPath(new URL('./read-floor.js', import.meta.url));

/**
 * `provision lint TREE --format json > /dev/null` against the read floor,
 * each in its own process, interleaved so a slow patch of the machine hits both
 * alike. A first run of each fills the page cache and checks the file count.
 */
export function measureWholeTree(
  bin: string,
  tree: string,
  cwd: string,
  files: number,
  runs: number,
  progress: (text: string) => void,
  oneCore = false,
): WholeTree {
  const node = process.execPath;
  const floorArgs = [READ_FLOOR, tree];
  const lintArgs = lintTreeArgs(bin, tree);
  progress('warming up (the first runs fill the page cache)');
  const floorCheck = runOnce(node, floorArgs);
  expectExit(floorCheck, 'the read floor');
  const floorFiles = (JSON.parse(floorCheck.stdout) as { files: number }).files;
  const lintCheck = runOnce(node, lintArgs, { cwd });
  expectExit(lintCheck, 'provision lint', [0, 1]);
  const report = JSON.parse(lintCheck.stdout) as { errorCount: number; warningCount: number }[];
  if (report.length !== files || floorFiles !== files) {
    throw new Error(`expected ${files} files; lint reported ${report.length}, the read floor read ${floorFiles}`);
  }

  const both = (pinned: boolean) => {
    const floor = { ms: [] as number[], rss: [] as number[], cpu: [] as number[] };
    const lint = { ms: [] as number[], rss: [] as number[], cpu: [] as number[] };
    const keep = (to: typeof floor, r: ReturnType<typeof runOnce>) => {
      to.ms.push(r.ms);
      if (r.maxRssKb !== undefined) to.rss.push(r.maxRssKb);
      if (r.cpuMs !== undefined) to.cpu.push(r.cpuMs);
    };
    for (let i = 0; i < runs; i++) {
      progress(`whole tree${pinned ? ' on one CPU' : ''}, run ${i + 1}/${runs}`);
      const f = runOnce(node, floorArgs, { discardStdout: true, memory: true, oneCore: pinned });
      expectExit(f, 'the read floor');
      keep(floor, f);
      const l = runOnce(node, lintArgs, { cwd, discardStdout: true, memory: true, oneCore: pinned });
      expectExit(l, 'provision lint', [0, 1]);
      keep(lint, l);
    }
    const withRss = (x: typeof floor): WithRss => ({
      ...summarize(x.ms),
      maxRssKb: x.rss.length ? median(x.rss) : null,
      cpuMs: x.cpu.length ? median(x.cpu) : null,
    });
    return { readFloor: withRss(floor), lint: withRss(lint), ratio: median(lint.ms) / median(floor.ms) };
  };
  const all = both(false);
  return {
    ...all,
    ...(oneCore ? { oneCore: both(true) } : {}),
    errors: report.reduce((n, r) => n + r.errorCount, 0),
    warnings: report.reduce((n, r) => n + r.warningCount, 0),
    cleanFiles: report.filter((r) => r.errorCount + r.warningCount === 0).length,
  };
}

/** The arguments of the lint command measured above, for profiling the same run. */
export function lintTreeArgs(bin: string, tree: string): string[] {
  return [bin, 'lint', tree, '--format', 'json'];
}
