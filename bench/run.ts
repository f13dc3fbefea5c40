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
import { hasGnuTime, hasTaskset } from './measure.js';
import { profileNode } from './profile.js';
import { formatReport, GOALS, type Results } from './report.js';
import { measureStartup } from './startup.js';
import { lintTreeArgs, measureWholeTree } from './whole-tree.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'provision.js');

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
  --no-one-core     skip the whole-tree runs pinned to one CPU (taskset -c 0)
  -h, --help        this text
`;

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number of 1 or more, got "${value}"`);
  return n;
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
      'one-core': { type: 'boolean', default: true },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowNegative: true,
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
    const { dir: _dir, ...corpus } = generateCorpus(tree, count, seed);
    const oneFile = path.join(tmp, 'one', 'DB_CONFIG');
    fs.mkdirSync(path.dirname(oneFile));
    fs.writeFileSync(oneFile, CLEAN_FILE);

    // On one CPU too: lint reads on a second thread when it has one, the read floor never does.
    const oneCore = values['one-core'] && os.availableParallelism() > 1 && hasTaskset();
    const { errors, warnings, cleanFiles, ...wholeTree } = measureWholeTree(BIN, tree, tmp, count, runs, progress, oneCore);
    progress('library: lintDbConfig over buffers in memory');
    const library = measureLibrary(tree, runs);
    const startup = measureStartup(BIN, oneFile, tmp, startupRuns, progress);
    progress('module load times');
    const imports = measureImports(ROOT, Math.max(5, Math.round(startupRuns / 2)));
    let profile;
    if (values.profile) {
      progress('profiling one lint of the tree');
      profile = profileNode(lintTreeArgs(BIN, tree), tmp, path.join(ROOT, 'bench', 'lint.cpuprofile'));
    }

    const results: Results = {
      date: new Date().toISOString(),
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      memoryFrom: hasGnuTime() ? '/usr/bin/time -f %M' : 'process.resourceUsage().maxRSS (--import probe)',
      corpus: { ...corpus, errors, warnings, cleanFiles },
      tree: { ...wholeTree, goal: GOALS.lintOverReadFloor },
      library,
      startup: { ...startup, goal: GOALS.startupOverBareNode },
      imports,
      ...(profile ? { profile } : {}),
    };
    process.stdout.write(values.json ? `${JSON.stringify(results, null, 2)}\n` : formatReport(results));
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
