/**
 * The provision benchmark: `npm run bench -- [options]` (see bench/README.md).
 * Generates a corpus of DB_CONFIG files in a temporary directory, measures
 * lint against the read floor, the library alone, start-up and peak memory,
 * prints a table and writes the figures as JSON.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CLEAN_FILE, generateCorpus } from './corpus.js';
import { measureImports } from './imports.js';
import { measureLibrary } from './library.js';
import { hasGnuTime, median, runOnce, summarize, type Run } from './measure.js';
import { profileNode } from './profile.js';
import { formatReport, GOALS, type Results } from './report.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'provision.js');
const READ_FLOOR = fileURLToPath(new URL('./read-floor.js', import.meta.url));
const NODE = process.execPath;

const USAGE = `Usage: npm run bench -- [options]

  --runs N          timed runs of each 10,000-file measurement (default 5)
  --startup-runs N  timed runs of each start-up measurement (default 20)
  --files N         DB_CONFIG files in the corpus (default 10000)
  --seed N          corpus seed (default 20240611)
  --json            print the results as JSON instead of a table
  --out FILE        where to write the JSON (default bench/results.json; - for none)
  --profile         also profile one lint of the tree (node --cpu-prof), list the
                    hottest functions and keep the profile as bench/lint.cpuprofile
  --keep            keep the temporary corpus and print where it is
  -h, --help        this text
`;

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number of 1 or more, got "${value}"`);
  return n;
}

/** Lint exits 1 when it finds errors, which the corpus has on purpose; only 2 and up is a failure. */
function checkLint(run: Run, what: string): void {
  if (run.status !== 0 && run.status !== 1) {
    throw new Error(`${what} exited with ${run.status}:\n${run.stderr.trim()}`);
  }
}

function checkOk(run: Run, what: string): void {
  if (run.status !== 0) throw new Error(`${what} exited with ${run.status}:\n${run.stderr.trim()}`);
}

function progress(text: string): void {
  process.stderr.write(`bench: ${text}\n`);
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string' },
      'startup-runs': { type: 'string' },
      files: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      profile: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const runs = positiveInt('runs', values.runs, 5);
  const startupRuns = positiveInt('startup-runs', values['startup-runs'], 20);
  const count = positiveInt('files', values.files, 10_000);
  const seed = positiveInt('seed', values.seed, 20240611);
  const out = values.out ?? path.join(ROOT, 'bench', 'results.json');

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'provision-bench-'));
  try {
    const tree = path.join(tmp, 'tree');
    progress(`writing ${count} DB_CONFIG files below ${tree}`);
    const { dir: _dir, ...corpusFigures } = generateCorpus(tree, count, seed);
    const oneFile = path.join(tmp, 'one', 'DB_CONFIG');
    fs.mkdirSync(path.dirname(oneFile));
    fs.writeFileSync(oneFile, CLEAN_FILE);

    // --- Lint of the whole tree against the read floor --------------------------------
    const floorArgs = [READ_FLOOR, tree];
    const lintArgs = [BIN, 'lint', tree, '--format', 'json'];
    progress('warming up (the first runs fill the page cache)');
    const floorCheck = runOnce(NODE, floorArgs);
    checkOk(floorCheck, 'the read floor');
    const floorTotals = JSON.parse(floorCheck.stdout) as { files: number; bytes: number };
    const lintCheck = runOnce(NODE, lintArgs, { cwd: tmp });
    checkLint(lintCheck, 'provision lint');
    const report = JSON.parse(lintCheck.stdout) as { errorCount: number; warningCount: number }[];
    if (report.length !== count || floorTotals.files !== count) {
      throw new Error(`expected ${count} files; lint reported ${report.length}, the read floor read ${floorTotals.files}`);
    }
    const floorMs: number[] = [];
    const lintMs: number[] = [];
    const floorRss: number[] = [];
    const lintRss: number[] = [];
    for (let i = 0; i < runs; i++) {
      progress(`tree run ${i + 1}/${runs}`);
      // Interleaved, so a slow patch of the machine hits both alike.
      const f = runOnce(NODE, floorArgs, { discardStdout: true, memory: true });
      checkOk(f, 'the read floor');
      floorMs.push(f.ms);
      if (f.maxRssKb !== undefined) floorRss.push(f.maxRssKb);
      const l = runOnce(NODE, lintArgs, { cwd: tmp, discardStdout: true, memory: true });
      checkLint(l, 'provision lint');
      lintMs.push(l.ms);
      if (l.maxRssKb !== undefined) lintRss.push(l.maxRssKb);
    }

    progress('library: lintDbConfig over buffers in memory');
    const library = measureLibrary(tree, runs);

    // --- Start-up ------------------------------------------------------------------------
    const startup = {
      bareNode: [NODE, ['-e', '0']],
      version: [NODE, [BIN, '--version']],
      lintOneFile: [NODE, [BIN, 'lint', oneFile]],
      masterHelp: [NODE, [BIN, 'master', '--help']],
    } as const;
    const names = Object.keys(startup) as (keyof typeof startup)[];
    const startupMs = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<keyof typeof startup, number[]>;
    // NOTE: lint exits 1 when it finds something; the clean file should stay clean, but a new rule must not break the bench.
    const check = (n: keyof typeof startup, run: Run) => (n === 'lintOneFile' ? checkLint(run, n) : checkOk(run, n));
    for (const n of names) {
      const [cmd, args] = startup[n];
      const run = runOnce(cmd, args, { cwd: tmp });
      check(n, run);
      if (n === 'lintOneFile' && run.status !== 0) progress(`note: lint finds something in the "clean" file:\n${run.stdout.trim()}`);
    }
    progress(`start-up: ${startupRuns} runs of each`);
    for (let i = 0; i < startupRuns; i++) {
      for (const n of names) {
        const [cmd, args] = startup[n];
        const run = runOnce(cmd, args, { cwd: tmp, discardStdout: true });
        check(n, run);
        startupMs[n].push(run.ms);
      }
    }
    const startupRss = Object.fromEntries(
      names.map((n) => [n, runOnce(startup[n][0], startup[n][1], { cwd: tmp, discardStdout: true, memory: true }).maxRssKb ?? null]),
    ) as Record<keyof typeof startup, number | null>;

    progress('module load times');
    const imports = measureImports(ROOT, Math.max(5, Math.round(startupRuns / 2)));

    let profile;
    if (values.profile) {
      progress('profiling one lint of the tree');
      profile = profileNode(lintArgs, tmp, path.join(ROOT, 'bench', 'lint.cpuprofile'));
    }

    const bare = median(startupMs.bareNode);
    const timing = (ms: number[]) => summarize(ms);
    const results: Results = {
      date: new Date().toISOString(),
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      memoryFrom: hasGnuTime() ? '/usr/bin/time -f %M' : 'process.resourceUsage().maxRSS (--import probe)',
      corpus: { ...corpusFigures, errors: report.reduce((n, r) => n + r.errorCount, 0), warnings: report.reduce((n, r) => n + r.warningCount, 0), cleanFiles: report.filter((r) => r.errorCount + r.warningCount === 0).length },
      tree: {
        readFloor: { ...timing(floorMs), maxRssKb: floorRss.length ? median(floorRss) : null },
        lint: { ...timing(lintMs), maxRssKb: lintRss.length ? median(lintRss) : null },
        ratio: median(lintMs) / median(floorMs),
        goal: GOALS.lintOverReadFloor,
      },
      library,
      startup: {
        bareNode: { ...timing(startupMs.bareNode), maxRssKb: startupRss.bareNode },
        version: { ...timing(startupMs.version), ratio: median(startupMs.version) / bare, maxRssKb: startupRss.version },
        lintOneFile: { ...timing(startupMs.lintOneFile), ratio: median(startupMs.lintOneFile) / bare, maxRssKb: startupRss.lintOneFile },
        masterHelp: { ...timing(startupMs.masterHelp), ratio: median(startupMs.masterHelp) / bare, maxRssKb: startupRss.masterHelp },
        goal: GOALS.startupOverBareNode,
      },
      imports,
      ...(profile ? { profile } : {}),
    };

    if (values.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    else process.stdout.write(formatReport(results));
    if (out !== '-') {
      fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
      progress(`wrote ${out}`);
    }
    return 0;
  } finally {
    if (values.keep) progress(`kept the corpus in ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exitCode = 2;
}
