import type { CorpusSummary } from './corpus.js';
import type { ImportStep } from './imports.js';
import type { LibraryFigures } from './library.js';
import type { Profile } from './profile.js';
import type { Startup } from './startup.js';
import type { WholeTree, WithRss } from './whole-tree.js';

/** The goals stated in the project's issue. */
export const GOALS = {
  /** `provision lint DIR` within this factor of walking and reading the same files. */
  lintOverReadFloor: 1.5,
  /** `provision --version` and `provision lint ONE_FILE` within this factor of `node -e 0`. */
  startupOverBareNode: 1.3,
} as const;

export interface Results {
  readonly date: string;
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryFrom: string;
  readonly corpus: Omit<CorpusSummary, 'dir'> & { readonly errors: number; readonly warnings: number; readonly cleanFiles: number };
  readonly tree: Omit<WholeTree, 'errors' | 'warnings' | 'cleanFiles'> & { readonly goal: number };
  readonly library: LibraryFigures;
  readonly startup: Startup & { readonly goal: number };
  readonly imports: readonly ImportStep[];
  readonly profile?: Profile;
}

const ms = (n: number) => (n >= 100 ? `${Math.round(n)} ms` : `${n.toFixed(1)} ms`);
const mb = (kb: number | null) => (kb === null ? 'n/a' : `${(kb / 1024).toFixed(0)} MB`);
const x = (n: number) => `${n.toFixed(2)}x`;
const cpu = (n: number | null) => (n === null ? 'n/a' : ms(n));
const wholeRow = (w: WithRss) => [ms(w.medianMs), ms(w.minMs), ms(w.maxMs), cpu(w.cpuMs), mb(w.maxRssKb)];
const verdict = (ratio: number, goal: number) => (ratio <= goal ? `meets goal ${goal}x` : `MISSES goal ${goal}x`);

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd())
    .join('\n');
}

/** The results as the small table `npm run bench` prints. */
export function formatReport(r: Results): string {
  const c = r.corpus;
  const t = r.tree;
  const s = r.startup;
  const kinds = Object.entries(c.byKind).map(([k, n]) => `${n} ${k}`).join(', ');
  return `${[
    `provision bench, ${r.date.slice(0, 10)}, node ${r.node}, ${r.platform}, ${r.cpus} CPUs (${r.cpuModel})`,
    `corpus: ${c.files} files (${kinds}; ${c.crlf} CRLF), ${(c.bytes / 1e6).toFixed(2)} MB, ${c.lines} lines;` +
      ` lint finds ${c.errors} errors and ${c.warnings} warnings, ${c.cleanFiles} files clean`,
    '',
    `Whole tree (median of ${t.lint.runs} run${t.lint.runs === 1 ? '' : 's'}; CPU: user and system time, every thread)`,
    table([
      ['', 'median', 'min', 'max', 'CPU', 'maxRSS', 'vs floor'],
      ['read floor: walk + read every file', ...wholeRow(t.readFloor), x(1)],
      ['provision lint DIR --format json', ...wholeRow(t.lint), x(t.ratio)],
      ...(t.oneCore
        ? [
            ['read floor, one CPU (taskset -c 0)', ...wholeRow(t.oneCore.readFloor), x(1)],
            ['provision lint DIR, one CPU', ...wholeRow(t.oneCore.lint), x(t.oneCore.ratio)],
          ]
        : []),
      ['library: lintDbConfig, in process', ms(r.library.warm.medianMs), ms(r.library.warm.minMs), ms(r.library.warm.maxMs), '', '', ''],
    ]),
    `lint / read floor = ${x(t.ratio)}: ${verdict(t.ratio, t.goal)}.` +
      (t.oneCore ? ` On one CPU: ${x(t.oneCore.ratio)}.` : '') +
      ` Library: ${r.library.perFileUs.toFixed(0)} us a file warm, first pass ${ms(r.library.coldMs)}.`,
    '',
    `Start-up (median of ${s.bareNode.runs} run${s.bareNode.runs === 1 ? '' : 's'})`,
    table([
      ['', 'median', 'min', 'max', 'maxRSS', 'vs node'],
      ['node -e 0', ms(s.bareNode.medianMs), ms(s.bareNode.minMs), ms(s.bareNode.maxMs), mb(s.bareNode.maxRssKb), x(1)],
      ['provision --version', ms(s.version.medianMs), ms(s.version.minMs), ms(s.version.maxMs), mb(s.version.maxRssKb), x(s.version.ratio)],
      ['provision lint ONE_FILE', ms(s.lintOneFile.medianMs), ms(s.lintOneFile.minMs), ms(s.lintOneFile.maxMs), mb(s.lintOneFile.maxRssKb), x(s.lintOneFile.ratio)],
      ['provision master --help', ms(s.masterHelp.medianMs), ms(s.masterHelp.minMs), ms(s.masterHelp.maxMs), mb(s.masterHelp.maxRssKb), x(s.masterHelp.ratio)],
    ]),
    `--version: ${verdict(s.version.ratio, s.goal)}. lint ONE_FILE: ${verdict(s.lintOneFile.ratio, s.goal)}. (master --help: for information.)`,
    '',
    'Module loading, in the order lint loads them (median ms each step adds)',
    table(r.imports.map((i) => [`import ${i.name}`, ms(i.medianMs)])),
    ...(r.profile
      ? [
          '',
          `Profile of one lint of the tree (${ms(r.profile.sampledMs)} sampled; ${r.profile.file})`,
          table([['', 'total', 'self'], ...r.profile.hottest.map((f) => [f.where, ms(f.totalMs), ms(f.selfMs)])]),
        ]
      : []),
  ].join('\n')}\n`;
}
