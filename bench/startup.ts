import { expectExit, median, runOnce, summarize, type Timing } from './measure.js';

export type StartupFigure = Timing & { readonly maxRssKb: number | null; readonly ratio: number };

export interface Startup {
  readonly bareNode: StartupFigure;
  readonly version: StartupFigure;
  readonly lintOneFile: StartupFigure;
  readonly masterHelp: StartupFigure;
}

/**
 * Start-up: bare Node, `provision --version`, `provision lint ONE_FILE` and
 * `provision master --help`, run round-robin so a busy moment hits all alike;
 * then one more run of each for its peak memory.
 */
export function measureStartup(bin: string, oneFile: string, cwd: string, runs: number, progress: (text: string) => void): Startup {
  const commands: Record<keyof Startup, string[]> = {
    bareNode: ['-e', '0'],
    version: [bin, '--version'],
    lintOneFile: [bin, 'lint', oneFile],
    masterHelp: [bin, 'master', '--help'],
  };
  const names = Object.keys(commands) as (keyof Startup)[];
  // NOTE: the one file is clean, but a new rule finding something in it must not stop the bench.
  const codes = (n: keyof Startup) => (n === 'lintOneFile' ? [0, 1] : [0]);
  for (const n of names) {
    const run = runOnce(process.execPath, commands[n], { cwd });
    expectExit(run, n, codes(n));
    if (run.status !== 0) progress(`note: lint finds something in the "clean" file:\n${run.stdout.trim()}`);
  }
  progress(`start-up: ${runs} runs of each`);
  const ms = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<keyof Startup, number[]>;
  for (let i = 0; i < runs; i++) {
    for (const n of names) {
      const run = runOnce(process.execPath, commands[n], { cwd, discardStdout: true });
      expectExit(run, n, codes(n));
      ms[n].push(run.ms);
    }
  }
  const bare = median(ms.bareNode);
  const figure = (n: keyof Startup): StartupFigure => ({
    ...summarize(ms[n]),
    ratio: median(ms[n]) / bare,
    maxRssKb: runOnce(process.execPath, commands[n], { cwd, discardStdout: true, memory: true }).maxRssKb ?? null,
  });
  return { bareNode: figure('bareNode'), version: figure('version'), lintOneFile: figure('lintOneFile'), masterHelp: figure('masterHelp') };
}
