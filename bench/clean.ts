/**
 * The clean benchmark: `npm run build && node dist/bench/clean.js [options]`
 * (see bench/README.md). Times `provision clean --env DIR --yes` (quarantine,
 * the default) and `--purge` on an environment of 100,000 stale region and
 * transient files, against the floor `find DIR -maxdepth 1 -name '__db.0*'
 * -delete` on an identical tree. Every run gets a tree of its own, built
 * before the clock starts; the three commands take turns going first.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { expectExit, hasGnuTime, runOnce, summarize, type Timing } from './measure.js';
import { fileSystemOf, ms, positiveInt, table } from './cli-helpers.js';
import { profileNode, summarizeProfile, type HotFunction } from './profile.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'provision.js');

/** The goal: clean, with quarantine, within this factor of the floor. */
export const CLEAN_GOAL = 2;

const USAGE = `Usage: npm run build && node dist/bench/clean.js [options]

  --files N    stale files in the environment (default 100000)
  --runs N     timed runs of each command, each on a fresh tree (default 3)
  --dir DIR    where to build the trees (default: the temporary directory);
               the file system is what is measured, so pick the one environments live on
  --json       print the results as JSON instead of a table
  --out FILE   where to write the JSON (default bench/clean-results.json; - for none)
  --profile    also run one quarantine clean and one --purge under node --cpu-prof,
               list the hottest functions and keep bench/clean.cpuprofile and
               bench/clean-purge.cpuprofile (open them in Chrome DevTools)
  -h, --help   this text
`;

/** Files clean keeps, and the floor's glob does not match: they must all be there afterwards. */
const KEPT: Readonly<Record<string, string>> = {
  DB_CONFIG: 'set_cachesize 0 1048576 1\nset_lg_bsize 65536\n',
  'app.db': 'data',
  'log.0000000001': 'log',
  '__db.rep.gen': 'gen',
  '__dbq.q.0': 'queue extent',
  '__db.register': '',
};

/**
 * Write an environment of `count` stale files, every one matching the floor's
 * `__db.0*`: nine in ten region files (`__db.0000001`), one in ten transient
 * names (`__db.0<hex>.<hex>`); most empty, one in eight 16 bytes.
 */
export function buildEnvironment(home: string, count: number): void {
  fs.mkdirSync(home, { recursive: true });
  for (const [name, text] of Object.entries(KEPT)) fs.writeFileSync(path.join(home, name), text);
  const tiny = Buffer.from('0123456789abcdef');
  for (let i = 1; i <= count; i++) {
    const name = i % 10 === 0 ? `__db.0${i.toString(16)}.${((i * 7919) % 4096).toString(16)}` : `__db.0${String(i).padStart(6, '0')}`;
    const fd = fs.openSync(path.join(home, name), 'wx');
    if (i % 8 === 0) fs.writeSync(fd, tiny);
    fs.closeSync(fd);
  }
  // Flush the build's metadata now, so a timed command does not pay for its write-back.
  spawnSync('sync');
}

type Command = 'floor' | 'quarantine' | 'purge';
const COMMANDS: readonly Command[] = ['floor', 'quarantine', 'purge'];

function argsOf(command: Command, home: string): [string, string[]] {
  if (command === 'floor') return ['find', [home, '-maxdepth', '1', '-name', '__db.0*', '-delete']];
  return [process.execPath, [BIN, 'clean', '--env', home, '--yes', ...(command === 'purge' ? ['--purge'] : [])]];
}

/** Throw unless exactly the stale files went (and, with quarantine, are in one quarantine folder). */
function verify(command: Command, home: string, count: number): void {
  const left = fs.readdirSync(home).sort();
  const kept = Object.keys(KEPT).sort();
  if (JSON.stringify(left) !== JSON.stringify(kept)) throw new Error(`${command}: ${left.length} entries left in ${home}, expected ${kept.join(', ')}`);
  const root = path.join(path.dirname(home), '.provision-quarantine', path.basename(home));
  const folders = fs.existsSync(root) ? fs.readdirSync(root) : [];
  if (command === 'quarantine') {
    const stored = folders.length === 1 ? fs.readdirSync(path.join(root, folders[0]!, '0')).length : 0;
    if (stored !== count) throw new Error(`quarantine: ${folders.length} folders with ${stored} files, expected 1 with ${count}`);
  } else if (folders.length > 0) throw new Error(`${command}: left a quarantine folder`);
}

export interface CleanFigures {
  readonly timing: Timing;
  /** Peak RSS of the command, median, KiB. */
  readonly maxRssKb: number | null;
}

export interface CleanResults {
  readonly date: string;
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly fileSystem: string;
  readonly files: number;
  readonly floor: CleanFigures;
  readonly quarantine: CleanFigures & { readonly ratio: number; readonly goal: number };
  readonly purge: CleanFigures & { readonly ratio: number };
  readonly profile?: { readonly quarantine: ProfileSummary; readonly purge: ProfileSummary };
}

export interface ProfileSummary {
  readonly file: string;
  readonly sampledMs: number;
  /** Provision's and its dependencies' functions, by time including callees. */
  readonly hottest: readonly HotFunction[];
  /** Every frame, native ones too (system calls, the garbage collector), by time of its own. */
  readonly selfTime: readonly HotFunction[];
}

function progress(text: string): void {
  process.stderr.write(`bench clean: ${text}\n`);
}



function profileOne(command: 'quarantine' | 'purge', base: string, count: number): ProfileSummary {
  const run = path.join(base, `profile-${command}`);
  const home = path.join(run, 'env');
  progress(`profiling ${command}: building ${count} files`);
  buildEnvironment(home, count);
  const file = path.join(ROOT, 'bench', command === 'purge' ? 'clean-purge.cpuprofile' : 'clean.cpuprofile');
  const [, args] = argsOf(command, home);
  const p = profileNode(args, run, file, 15);
  verify(command, home, count);
  fs.rmSync(run, { recursive: true, force: true });
  const all = summarizeProfile(JSON.parse(fs.readFileSync(file, 'utf8')));
  return { file: p.file, sampledMs: p.sampledMs, hottest: p.hottest, selfTime: all.functions.sort((a, b) => b.selfMs - a.selfMs).slice(0, 15) };
}

const mb = (kb: number | null) => (kb === null ? 'n/a' : `${(kb / 1024).toFixed(0)} MB`);


/** The results as a small table. */
export function formatCleanReport(r: CleanResults): string {
  const row = (name: string, f: CleanFigures, ratio: number) => [name, ms(f.timing.medianMs), ms(f.timing.minMs), ms(f.timing.maxMs), mb(f.maxRssKb), `${ratio.toFixed(2)}x`];
  const q = r.quarantine;
  const lines = [
    `provision clean bench, ${r.date.slice(0, 10)}, node ${r.node}, ${r.platform}, ${r.cpus} CPUs (${r.cpuModel}), ${r.fileSystem}`,
    `${r.files} stale files (region and transient, empty or 16 bytes) and 6 kept; median of ${q.timing.runs} runs, a fresh tree for each`,
    '',
    table([
      ['', 'median', 'min', 'max', 'maxRSS', 'vs floor'],
      row("floor: find DIR -maxdepth 1 -name '__db.0*' -delete", r.floor, 1),
      row('provision clean --env DIR --yes (quarantine)', q, q.ratio),
      row('provision clean --env DIR --yes --purge', r.purge, r.purge.ratio),
    ]),
    '',
    `Goal: quarantine within ${q.goal}x of the floor: ${q.ratio <= q.goal ? 'met' : 'MISSED'} (${q.ratio.toFixed(2)}x).`,
  ];
  for (const [name, p] of Object.entries(r.profile ?? {}) as [string, ProfileSummary][]) {
    lines.push('', `Profile of one ${name} clean (${ms(p.sampledMs)} sampled; ${path.relative(ROOT, p.file)}):`);
    lines.push(table([['self time, every frame', 'self', 'total'], ...p.selfTime.slice(0, 10).map((f) => [f.where, ms(f.selfMs), ms(f.totalMs)])]));
    lines.push(table([['provision and its dependencies, by total', 'self', 'total'], ...p.hottest.slice(0, 12).map((f) => [f.where, ms(f.selfMs), ms(f.totalMs)])]));
  }
  return `${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      files: { type: 'string' },
      runs: { type: 'string' },
      dir: { type: 'string' },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      profile: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const count = positiveInt('files', values.files, 100_000);
  const runs = positiveInt('runs', values.runs, 3);
  const out = values.out ?? path.join(ROOT, 'bench', 'clean-results.json');
  const base = fs.mkdtempSync(path.join(path.resolve(values.dir ?? os.tmpdir()), 'provision-bench-clean-'));
  try {
    const times: Record<Command, number[]> = { floor: [], quarantine: [], purge: [] };
    const rss: Record<Command, number[]> = { floor: [], quarantine: [], purge: [] };
    for (let i = 0; i < runs; i++) {
      // Take turns going first, so a slow moment of the disk hits every command alike.
      const order = COMMANDS.map((_, k) => COMMANDS[(i + k) % COMMANDS.length]!);
      for (const command of order) {
        const run = path.join(base, `run-${i}-${command}`);
        const home = path.join(run, 'env');
        progress(`run ${i + 1}/${runs}, ${command}: building ${count} files`);
        buildEnvironment(home, count);
        const [cmd, args] = argsOf(command, home);
        const r = runOnce(cmd, args, { cwd: run, discardStdout: true, memory: command !== 'floor' });
        expectExit(r, command);
        verify(command, home, count);
        times[command].push(r.ms);
        if (r.maxRssKb !== undefined) rss[command].push(r.maxRssKb);
        progress(`run ${i + 1}/${runs}, ${command}: ${Math.round(r.ms)} ms`);
        fs.rmSync(run, { recursive: true, force: true });
      }
    }
    const figures = (c: Command): CleanFigures => ({ timing: summarize(times[c]), maxRssKb: rss[c].length > 0 ? summarize(rss[c]).medianMs : null });
    const floor = figures('floor');
    const ratio = (c: Command) => summarize(times[c]).medianMs / floor.timing.medianMs;
    const profile = values.profile ? { quarantine: profileOne('quarantine', base, count), purge: profileOne('purge', base, count) } : undefined;
    const results: CleanResults = {
      date: new Date().toISOString(),
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      fileSystem: fileSystemOf(base),
      files: count,
      floor,
      quarantine: { ...figures('quarantine'), ratio: ratio('quarantine'), goal: CLEAN_GOAL },
      purge: { ...figures('purge'), ratio: ratio('purge') },
      ...(profile ? { profile } : {}),
    };
    if (!hasGnuTime()) progress('no GNU time: maxRSS comes from an --import probe');
    process.stdout.write(values.json ? `${JSON.stringify(results, null, 2)}\n` : formatCleanReport(results));
    if (out !== '-') {
      fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
      progress(`wrote ${out}`);
    }
    return 0;
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`bench clean: ${(error as Error).message}\n`);
  process.exitCode = 2;
}
