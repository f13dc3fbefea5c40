import * as fs from 'node:fs';
import * as path from 'node:path';
import { runOnce } from './measure.js';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface HotFunction {
  /** `name file:line`, with the path shortened to dist/... or node_modules/... */
  readonly where: string;
  readonly selfMs: number;
  /** Time in this function and everything it called (recursion counted once). */
  readonly totalMs: number;
}

export interface Profile {
  readonly file: string;
  readonly sampledMs: number;
  readonly hottest: readonly HotFunction[];
}

function frameName(n: ProfileNode): string {
  const url = n.callFrame.url.replace(/^.*?\/(dist|node_modules)\//, '$1/').replace(/^file:\/\//, '');
  return `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`;
}

/** Self and total time of every function in a V8 CPU profile (`node --cpu-prof`). */
export function summarizeProfile(profile: CpuProfile): { sampledMs: number; functions: HotFunction[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const perNode = new Map<number, number>();
  profile.samples.forEach((id, i) => perNode.set(id, (perNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let sampled = 0;
  for (const [id, us] of perNode) {
    sampled += us;
    const leaf = frameName(byId.get(id)!);
    self.set(leaf, (self.get(leaf) ?? 0) + us);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = frameName(byId.get(cur)!);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + us);
    }
  }
  const functions = [...total].map(([where, us]) => ({ where, selfMs: (self.get(where) ?? 0) / 1000, totalMs: us / 1000 }));
  return { sampledMs: sampled / 1000, functions };
}

/**
 * Run one command under `node --cpu-prof`, keep the profile in `outFile`
 * (open it in Chrome DevTools, Performance tab) and list the functions of
 * provision and its dependencies that take the most time.
 */
export function profileNode(args: readonly string[], cwd: string, outFile: string, top = 15): Profile {
  const dir = fs.mkdtempSync(path.join(path.dirname(outFile), '.cpu-prof-'));
  try {
    const r = runOnce(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, ...args], { cwd, discardStdout: true });
    if (r.status !== 0 && r.status !== 1) throw new Error(`profiling failed (exit ${r.status}):\n${r.stderr.trim()}`);
    const written = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!written) throw new Error('node --cpu-prof wrote no profile');
    fs.copyFileSync(path.join(dir, written), outFile);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const { sampledMs, functions } = summarizeProfile(JSON.parse(fs.readFileSync(outFile, 'utf8')) as CpuProfile);
  const ours = functions.filter((f) => /(dist|node_modules)\//.test(f.where));
  return { file: outFile, sampledMs, hottest: ours.sort((a, b) => b.totalMs - a.totalMs).slice(0, top) };
}
