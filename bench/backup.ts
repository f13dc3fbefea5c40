/**
 * The backup benchmark: `npm run build && node dist/bench/backup.js [options]`
 * (see bench/README.md). Builds a data root of about 540 MB in 4,780 files,
 * then times `provision backup` (copy, hash, manifest, read-back, flush,
 * rename) against the floor the issue sets: `cp -a` of the data root followed
 * by `sha256sum` of every copied file. For information it also times the floor
 * with a `sync -f` at the end (provision flushes its copy before it calls it a
 * snapshot) and `provision backup --verify` of one snapshot. The commands take
 * turns going first and each starts after a `sync`. Copies are kept until the
 * end (removing 540 MB between runs makes the disk busy with the removal, and
 * with discards on a file system mounted with `discard`, while the next
 * command runs); everything is removed at the end.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { expectExit, runOnce, summarize, type Timing } from './measure.js';
import { fileSystemOf, ms, positiveInt, table } from './cli-helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'provision.js');

/** The issue's goal: provision backup within this factor of the floor. */
export const BACKUP_GOAL = 1.3;

const USAGE = `Usage: npm run build && node dist/bench/backup.js [options]

  --runs N     timed runs of each command (default 3)
  --scale N    multiply the data root's file count by N (default 1: 4,780 files, about 540 MB)
  --dir DIR    where to build the data root and the copies (default: the temporary directory);
               the file system is what is measured, so pick the one backups go to
  --json       print the results as JSON instead of a table
  --out FILE   also write the JSON to FILE
  -h, --help   this text
`;

/** The data root: many small files (a database's extents and queues), fewer medium ones, and logs. */
const SHAPE = [
  { count: 4000, folder: 'small', name: (i: number) => `d${i % 40}/f${i}.db`, size: (i: number) => 4096 + ((i * 37) % 28) * 1024 },
  { count: 700, folder: 'medium', name: (i: number) => `d${i % 10}/m${i}.db`, size: (i: number) => 128 * 1024 + ((i * 13) % 16) * 32 * 1024 },
  { count: 80, folder: 'logs', name: (i: number) => `log.${String(i + 1).padStart(10, '0')}`, size: () => 2.5 * 1024 * 1024 },
] as const;

/** Write the data root from a pool of random bytes (each file a different slice, so no two are alike); returns files and bytes. */
export function buildDataRoot(dir: string, scale: number): { files: number; bytes: number } {
  const pool = randomBytes(8 << 20);
  let files = 0;
  let bytes = 0;
  for (const part of SHAPE) {
    for (let i = 0; i < part.count * scale; i++) {
      const file = path.join(dir, part.folder, part.name(i));
      if (i < 40 || part.count < 40) fs.mkdirSync(path.dirname(file), { recursive: true });
      const size = part.size(i);
      const head = Buffer.from(`${part.folder} ${i}\n`);
      const offset = (files * 7919 * 4096) % (pool.length - size);
      const fd = fs.openSync(file, 'wx', 0o640);
      try {
        fs.writeSync(fd, head);
        fs.writeSync(fd, pool, offset, size - head.length);
      } finally {
        fs.closeSync(fd);
      }
      files++;
      bytes += size;
    }
  }
  fs.writeFileSync(path.join(dir, 'DB_CONFIG'), 'set_data_dir small\nset_data_dir medium\nset_lg_dir logs\n');
  return { files: files + 1, bytes: bytes + fs.statSync(path.join(dir, 'DB_CONFIG')).size };
}

type Command = 'floor' | 'floor+sync' | 'backup';
const COMMANDS: readonly Command[] = ['floor', 'backup', 'floor+sync'];

const FLOOR = 'cp -a "$1" "$2" && cd "$2" && find . -type f -print0 | xargs -0 sha256sum > /dev/null';

function argsOf(command: Command, data: string, out: string): [string, string[]] {
  if (command === 'backup') return [process.execPath, [BIN, 'backup', '--data', data, '--to', out]];
  const script = command === 'floor' ? FLOOR : `${FLOOR} && sync -f .`;
  return ['sh', ['-c', script, 'floor', data, out]];
}

export interface BackupResults {
  readonly date: string;
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly fileSystem: string;
  readonly files: number;
  readonly bytes: number;
  readonly floor: Timing;
  readonly floorSync: Timing & { readonly ratio: number };
  readonly backup: Timing & { readonly ratio: number; readonly goal: number; readonly ratioToFloorSync: number };
  readonly verify: Timing;
  readonly totalMs: number;
}

function progress(text: string): void {
  process.stderr.write(`bench backup: ${text}\n`);
}





/** The results as a small table. */
export function formatBackupReport(r: BackupResults): string {
  const row = (name: string, t: Timing, ratio: string) => [name, ms(t.medianMs), ms(t.minMs), ms(t.maxMs), ratio];
  const b = r.backup;
  return `${[
    `provision backup bench, ${r.date.slice(0, 10)}, node ${r.node}, ${r.platform}, ${r.cpus} CPUs (${r.cpuModel}), ${r.fileSystem}`,
    `a data root of ${r.files} files, ${(r.bytes / 1e6).toFixed(0)} MB; median of ${b.runs} runs; ${(r.totalMs / 1000).toFixed(0)} s in all`,
    '',
    table([
      ['', 'median', 'min', 'max', 'vs floor'],
      row('floor: cp -a DATA COPY && sha256sum of every copied file', r.floor, '1.00x'),
      row('provision backup --data DATA --to BACKUPS', b, `${b.ratio.toFixed(2)}x`),
      row('(floor, then sync -f: what provision flushes too)', r.floorSync, `${r.floorSync.ratio.toFixed(2)}x`),
      row('(provision backup --verify SNAPSHOT)', r.verify, ''),
    ]),
    '',
    `Goal: provision backup within ${b.goal}x of the floor: ${b.ratio <= b.goal ? 'met' : 'MISSED'} (${b.ratio.toFixed(2)}x; ${b.ratioToFloorSync.toFixed(2)}x of the floor with its flush).`,
  ].join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string' },
      scale: { type: 'string' },
      dir: { type: 'string' },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const runs = positiveInt('runs', values.runs, 3);
  const scale = positiveInt('scale', values.scale, 1);
  const started = Date.now();
  const base = fs.mkdtempSync(path.join(path.resolve(values.dir ?? os.tmpdir()), 'provision-bench-backup-'));
  try {
    const data = path.join(base, 'DATA');
    progress(`building the data root in ${data}`);
    const { files, bytes } = buildDataRoot(data, scale);
    progress(`${files} files, ${(bytes / 1e6).toFixed(0)} MB`);
    const times: Record<Command, number[]> = { floor: [], 'floor+sync': [], backup: [] };
    const verifyTimes: number[] = [];
    for (let i = 0; i < runs; i++) {
      // Take turns going first, so a slow moment of the disk hits every command alike.
      for (const command of COMMANDS.map((_, k) => COMMANDS[(i + k) % COMMANDS.length]!)) {
        const out = path.join(base, `out-${i}-${command.replace('+', '-')}`);
        // Start from a quiet disk: the data root and the last copy are written back first.
        spawnSync('sync');
        const [cmd, args] = argsOf(command, data, out);
        const r = runOnce(cmd, args, { cwd: base, discardStdout: true });
        expectExit(r, command);
        times[command].push(r.ms);
        progress(`run ${i + 1}/${runs}, ${command}: ${Math.round(r.ms)} ms`);
        if (command === 'backup') {
          const [snapshot] = fs.readdirSync(out);
          const v = runOnce(process.execPath, [BIN, 'backup', '--verify', path.join(out, snapshot!)], { cwd: base, discardStdout: true });
          expectExit(v, 'backup --verify');
          verifyTimes.push(v.ms);
        } else if (fs.readdirSync(out).length === 0) throw new Error(`${command}: nothing was copied`);
      }
    }
    const floor = summarize(times.floor);
    const floorSync = summarize(times['floor+sync']);
    const backup = summarize(times.backup);
    const results: BackupResults = {
      date: new Date().toISOString(),
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      fileSystem: fileSystemOf(base),
      files,
      bytes,
      floor,
      floorSync: { ...floorSync, ratio: floorSync.medianMs / floor.medianMs },
      backup: { ...backup, ratio: backup.medianMs / floor.medianMs, goal: BACKUP_GOAL, ratioToFloorSync: backup.medianMs / floorSync.medianMs },
      verify: summarize(verifyTimes),
      totalMs: Date.now() - started,
    };
    process.stdout.write(values.json ? `${JSON.stringify(results, null, 2)}\n` : formatBackupReport(results));
    if (values.out !== undefined) {
      fs.writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
      progress(`wrote ${values.out}`);
    }
    return 0;
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`bench backup: ${(error as Error).message}\n`);
  process.exitCode = 2;
}
