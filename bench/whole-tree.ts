import { fileURLToPath } from 'node:url';
import { expectExit, median, runOnce, summarize, type Timing } from './measure.js';

export type WithRss = Timing & { readonly maxRssKb: number | null };

export interface WholeTree {
  readonly readFloor: WithRss;
  readonly lint: WithRss;
  /** Median lint time over median read-floor time. */
  readonly ratio: number;
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
export function measureWholeTree(bin: string, tree: string, cwd: string, files: number, runs: number, progress: (text: string) => void): WholeTree {
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

  const floor = { ms: [] as number[], rss: [] as number[] };
  const lint = { ms: [] as number[], rss: [] as number[] };
  for (let i = 0; i < runs; i++) {
    progress(`whole tree, run ${i + 1}/${runs}`);
    const f = runOnce(node, floorArgs, { discardStdout: true, memory: true });
    expectExit(f, 'the read floor');
    floor.ms.push(f.ms);
    if (f.maxRssKb !== undefined) floor.rss.push(f.maxRssKb);
    const l = runOnce(node, lintArgs, { cwd, discardStdout: true, memory: true });
    expectExit(l, 'provision lint', [0, 1]);
    lint.ms.push(l.ms);
    if (l.maxRssKb !== undefined) lint.rss.push(l.maxRssKb);
  }
  const withRss = (x: { ms: number[]; rss: number[] }) => ({ ...summarize(x.ms), maxRssKb: x.rss.length ? median(x.rss) : null });
  return {
    readFloor: withRss(floor),
    lint: withRss(lint),
    ratio: median(lint.ms) / median(floor.ms),
    errors: report.reduce((n, r) => n + r.errorCount, 0),
    warnings: report.reduce((n, r) => n + r.warningCount, 0),
    cleanFiles: report.filter((r) => r.errorCount + r.warningCount === 0).length,
  };
}

/** The arguments of the lint command measured above, for profiling the same run. */
export function lintTreeArgs(bin: string, tree: string): string[] {
  return [bin, 'lint', tree, '--format', 'json'];
}
