/**
 * Property test of clean over random environment trees. For every tree, every
 * mode, with and without --purge: exactly the entries whose class the mode
 * removes are gone; every other byte, mode bit, inode and link target below
 * the environment's parent (and in a directory outside it that links point
 * to) is as it was; a move that fails part-way leaves the environment exactly
 * as it was and no quarantine; undo puts the tree back byte for byte and inode
 * for inode.
 *
 * NOTE: the expected fate of an entry is the label its generator gave it, from
 * the table of file names Berkeley DB creates, never the classifier's answer:
 * the point is to check the classifier.
 *
 * Reproduce a failure with CLEAN_FUZZ_ONLY=<tree> (and CLEAN_FUZZ_SEED if it
 * was set); CLEAN_FUZZ_TREES=<n> runs more or fewer trees.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Place } from '../../src/env/classify.js';
import { planClean, type CleanMode } from '../../src/env/clean-plan.js';
import { environmentLayout } from '../../src/env/layout.js';
import { CleanError, listQuarantines, quarantineEntries, undoQuarantine } from '../../src/env/quarantine.js';
import { scanEnvironment } from '../../src/env/scan.js';
import { provision } from '../cli/run.js';
import { prng, tempDir } from '../helpers.js';

const TREES = Number(process.env.CLEAN_FUZZ_TREES ?? 1000);
const SEED = Number(process.env.CLEAN_FUZZ_SEED ?? 20240611);
const ONLY = process.env.CLEAN_FUZZ_ONLY === undefined ? undefined : Number(process.env.CLEAN_FUZZ_ONLY);

type Label = 'region' | 'transient' | 'replication' | 'identity' | 'log' | 'data' | 'config' | 'unknown';
type Kind = 'file' | 'directory' | 'symlink' | 'other';
const MODES: readonly CleanMode[] = ['state', 'replication-state', 'all-but-config'];

/** What each mode removes, written down from the issue, not imported from src. */
const REMOVES: Readonly<Record<CleanMode, ReadonlySet<Label>>> = {
  state: new Set(['region', 'transient']),
  'replication-state': new Set(['region', 'transient', 'replication', 'identity']),
  'all-but-config': new Set(['region', 'transient', 'replication', 'identity', 'log', 'data', 'unknown']),
};

// ---------------------------------------------------------------- generator

type Rand = () => number;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const word = (r: Rand) => pick(r, ['app', 'orders', 'q', 'p', 'myqueue', 'parts', 'users', 'x', 'inventory', 'oracle']);
const hex = (r: Rand) => Math.floor(r() * 0xfffff).toString(16);

/** File names with the class the table of names in docs/environment.md (from observed Berkeley DB runs) gives them. */
const NAMERS: readonly (readonly [number, Label, (r: Rand) => string])[] = [
  [10, 'region', (r) => `__db.${pad(int(r, 1, r() < 0.9 ? 12 : 9999), 3)}`],
  [3, 'identity', (r) => pick(r, ['__db.rep.gen', '__db.rep.egen', '__db.rep.system', '__db.rep.init'])],
  [3, 'replication', (r) => pick(r, ['__db.rep.db', '__db.reppg.db'])],
  [
    5,
    'transient',
    (r) => pick(r, [() => `__db.rep.diag${pad(int(r, 0, 1), 2)}`, () => `__db.__db.${word(r)}.db`, () => '__db.__db.reppg.db', () => `__db.${hex(r)}.${hex(r)}`, () => `__db.${word(r)}.db`])(),
  ],
  [5, 'log', (r) => `log.${pad(int(r, 1, 200), 10)}`],
  [
    6,
    'data',
    (r) => pick(r, [() => `${word(r)}.db`, () => `__dbq.${word(r)}.${int(r, 0, 9)}`, () => `__dbq.${word(r)}.db.${int(r, 0, 9)}`, () => `__dbp.${word(r)}.${int(r, 0, 9)}`, () => `__dbp.${word(r)}.db.${pad(int(r, 0, 9), 3)}`])(),
  ],
  [2, 'unknown', () => '__db.register'],
  // Vendor documents' spellings: Berkeley DB never creates them.
  [4, 'unknown', (r) => pick(r, ['_db.001', '_db.002', '_db.rep.gen', '_db.register', 'db.rep.gen', 'db.rep.egen', 'db.rep.system'])],
  // Other cases: Berkeley DB's names are case-sensitive.
  [4, 'unknown', (r) => pick(r, ['db_config', 'Db_Config', 'DB_config', 'db_CONFIG', '__DB.001', '__DB.REP.GEN', 'LOG.0000000001', '__DBQ.q.0', 'APP.DB', '__Db.002'])],
  // Near misses and names no tool would expect.
  [
    4,
    'unknown',
    (r) => pick(r, ['log.1', 'log.00000000001', 'log.000000001', '__db.', '__db', '__dbx', '__db_001', 'notes.txt', 'README', 'DB_CONFIG.bak', 'DB_CONFIG~', 'app.db.bak', 'log.0000000001.gz', 'my notes', 'ünïcødé', '-rf', 'new\nline', ' leading space', '.hidden']),
  ],
];
const NAMER_WEIGHT = NAMERS.reduce((n, [w]) => n + w, 0);

function randomName(r: Rand): { name: string; label: Label } {
  let x = r() * NAMER_WEIGHT;
  for (const [w, label, make] of NAMERS) {
    if ((x -= w) < 0) return { name: make(r), label };
  }
  return { name: 'notes.txt', label: 'unknown' };
}

type Node =
  | { readonly type: 'file'; readonly path: string; readonly bytes: Buffer; readonly mode: number }
  | { readonly type: 'dir'; readonly path: string; readonly mode: number }
  | { readonly type: 'symlink'; readonly path: string; readonly target: string }
  | { readonly type: 'fifo'; readonly path: string };

interface Tree {
  readonly index: number;
  readonly base: string;
  readonly world: string;
  readonly home: string;
  readonly far: string;
  readonly nodes: Node[];
  /** The layout DB_CONFIG describes, path -> place, first wins (as Berkeley DB adds data dirs in order). */
  readonly layout: Map<string, Place>;
  /** Every entry of every directory clean scans, by absolute path, with its generator's label. */
  readonly entries: Map<string, { readonly label: Label; readonly kind: Kind }>;
  readonly huge: boolean;
  readonly stats: { danglingLinks: number; outsideLinks: number; readOnly: number; fifos: number; namedDirs: Record<string, number> };
}

function randomBytes(r: Rand): Buffer {
  const roll = r();
  const size = roll < 0.4 ? 0 : roll < 0.8 ? int(r, 1, 64) : roll < 0.98 ? int(r, 65, 4096) : roll < 0.9995 ? int(r, 4097, 65536) : int(r, 1 << 20, (1 << 20) + 5000);
  const b = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i += 4) {
    const v = Math.floor(r() * 0x100000000);
    for (let k = 0; k < 4 && i + k < size; k++) b[i + k] = (v >>> (8 * k)) & 0xff;
  }
  return b;
}

const fileMode = (r: Rand) => pick(r, [0o644, 0o644, 0o644, 0o644, 0o444, 0o444, 0o600, 0o755]);

/** One random environment tree below `root/t<index>`, and what clean must do to it. */
function generateTree(root: string, index: number, fifos: boolean): Tree {
  const r = prng(SEED + index * 7919);
  const base = path.join(root, `t${index}`);
  const world = path.join(base, 'world');
  const home = path.join(world, 'env');
  const far = path.join(base, 'far');
  const huge = index % 333 === 17;
  const nodes: Node[] = [];
  const stats = { danglingLinks: 0, outsideLinks: 0, readOnly: 0, fifos: 0, namedDirs: {} as Record<string, number> };
  const file = (p: string, bytes: Buffer, mode = 0o644) => {
    nodes.push({ type: 'file', path: p, bytes, mode });
    if (mode === 0o444) stats.readOnly++;
  };
  const dir = (p: string, mode = 0o755) => nodes.push({ type: 'dir', path: p, mode });

  dir(base);
  dir(world);
  dir(home, r() < 0.1 ? 0o555 : 0o755);
  dir(far);
  // Outside the environment: link targets and a neighbouring environment, all of which must stay as they are.
  const outsideFiles = ['__db.001', 'app.db', 'log.0000000001', '__db.rep.gen'].map((n) => path.join(far, 'outside', n));
  dir(path.join(far, 'outside'));
  for (const p of outsideFiles) file(p, randomBytes(r));
  dir(path.join(far, 'dir-target'));
  file(path.join(far, 'dir-target', '__db.002'), randomBytes(r));
  dir(path.join(far, 'linked-target'));
  for (const n of ['__db.001', '__db.rep.gen', 'a.db', 'log.0000000001']) file(path.join(far, 'linked-target', n), randomBytes(r));
  dir(path.join(world, 'other-env'));
  for (const n of ['DB_CONFIG', '__db.001', '__db.rep.gen', 'app.db']) file(path.join(world, 'other-env', n), randomBytes(r));
  file(path.join(world, 'notes.txt'), randomBytes(r));

  // DB_CONFIG and the directories it names.
  const layout = new Map<string, Place>([[home, 'home']]);
  const scanned: { path: string; place: Place }[] = [{ path: home, place: 'home' }];
  const reserved = new Set<string>(); // named paths: never entries of their parent
  const lines: string[] = [];
  const hasConfig = r() < 0.9;
  if (hasConfig) {
    for (let n = int(r, 0, 4); n > 0; n--) {
      lines.push(pick(r, ['rep_set_priority 0', 'rep_set_priority 100', 'set_cachesize 0 1048576 1', 'set_lg_bsize 65536', '# a comment', 'set_flags DB_TXN_NOSYNC', 'repmgr_site 127.0.0.1 1 db_local_site on', '']));
    }
    if (r() < 0.5) {
      type Named = { value: string; physical: 'real' | 'missing' | 'symlink' | 'dangling' | 'file' | 'home' };
      const pool: Named[] = [
        { value: 'data', physical: 'real' },
        { value: 'data2', physical: 'real' },
        { value: 'logs', physical: 'real' },
        { value: 'meta', physical: 'real' },
        { value: '../shared-data', physical: 'real' },
        { value: path.join(world, 'abs-logs'), physical: 'real' },
        { value: '.', physical: 'home' },
        { value: 'missing-data', physical: 'missing' },
        { value: '../missing-logs', physical: 'missing' },
        { value: 'linked', physical: 'symlink' },
        { value: 'linked-dangling', physical: 'dangling' },
        { value: 'notadir', physical: 'file' },
        // Below a directory DB_CONFIG does not name: that directory is not an entry either.
        { value: 'deep/data', physical: 'real' },
      ];
      const chosen: { directive: string; named: Named }[] = [];
      for (let n = int(r, 1, 3); n > 0; n--) chosen.push({ directive: pick(r, ['set_data_dir', 'add_data_dir', 'db_data_dir']), named: pick(r, pool) });
      if (r() < 0.5) chosen.push({ directive: pick(r, ['set_lg_dir', 'db_log_dir']), named: pick(r, pool) });
      if (r() < 0.4) chosen.push({ directive: 'set_metadata_dir', named: pick(r, pool) });
      // A named directory inside another named one (both named: the inner is not an entry of the outer).
      if (chosen.some((c) => c.named.value === 'data') && r() < 0.3) chosen.push({ directive: 'add_data_dir', named: { value: 'data/more', physical: 'real' } });
      const made = new Set<string>();
      const namedPaths = new Set(chosen.map((c) => path.resolve(home, c.named.value)));
      const placeOf = (d: string): Place => (d === 'set_lg_dir' || d === 'db_log_dir' ? 'log' : d === 'set_metadata_dir' ? 'metadata' : 'data');
      // The order Berkeley DB and the layout reader use: data directories, then the log, then metadata.
      const ordered = [...chosen.filter((c) => placeOf(c.directive) === 'data'), ...chosen.filter((c) => placeOf(c.directive) === 'log'), ...chosen.filter((c) => placeOf(c.directive) === 'metadata')];
      for (const { directive, named } of ordered) {
        const abs = path.resolve(home, named.value);
        if (!layout.has(abs)) layout.set(abs, placeOf(directive));
        stats.namedDirs[named.physical] = (stats.namedDirs[named.physical] ?? 0) + 1;
        if (!made.has(abs)) {
          made.add(abs);
          reserved.add(abs);
          if (named.physical === 'real') {
            for (let up = path.dirname(abs); up.startsWith(home + path.sep); up = path.dirname(up)) {
              reserved.add(up);
              if (namedPaths.has(up) || made.has(up)) continue;
              made.add(up);
              dir(up);
              // Not scanned, so kept in every mode, state-like names and all.
              for (const n of ['__db.001', '__db.rep.gen', 'app.db']) file(path.join(up, n), randomBytes(r));
            }
            dir(abs, r() < 0.15 ? 0o555 : 0o755);
            scanned.push({ path: abs, place: layout.get(abs)! });
          } else if (named.physical === 'symlink') nodes.push({ type: 'symlink', path: abs, target: path.join(far, 'linked-target') });
          else if (named.physical === 'dangling') nodes.push({ type: 'symlink', path: abs, target: path.join(far, 'nope') });
          else if (named.physical === 'file') file(abs, randomBytes(r));
        }
      }
      for (const { directive, named } of chosen) lines.splice(int(r, 0, lines.length), 0, `${directive} ${named.value}`);
    }
    file(path.join(home, 'DB_CONFIG'), Buffer.from(lines.join('\n') + (r() < 0.9 ? '\n' : '')), r() < 0.2 ? 0o444 : 0o644);
  }

  const entries = new Map<string, { label: Label; kind: Kind }>();
  if (hasConfig) entries.set(path.join(home, 'DB_CONFIG'), { label: 'config', kind: 'file' });
  const taken = (p: string) => entries.has(p) || reserved.has(p);

  const linkTarget = (from: string): string => {
    const roll = r();
    const dirOf = path.dirname(from);
    if (roll < 0.15) return pick(r, ['__db.001', '__db.002', 'DB_CONFIG', 'app.db', 'sub/child']); // a sibling: there or not
    if (roll < 0.25) return path.join(home, 'DB_CONFIG');
    if (roll < 0.45) {
      stats.outsideLinks++;
      return pick(r, outsideFiles);
    }
    if (roll < 0.55) {
      stats.outsideLinks++;
      return path.relative(dirOf, pick(r, outsideFiles));
    }
    if (roll < 0.62) return path.join(far, 'dir-target');
    if (roll < 0.7) return path.join(world, 'other-env', '__db.001');
    stats.danglingLinks++;
    if (roll < 0.8) return path.join(far, `nope-${int(r, 0, 99)}`);
    if (roll < 0.9) return path.relative(dirOf, path.join(base, 'nowhere', 'x'));
    return path.basename(from); // a loop
  };

  const populate = (d: string, place: Place, count: number) => {
    for (let k = 0; k < count; k++) {
      let { name, label } = randomName(r);
      if (place !== 'home' && r() < 0.03) [name, label] = ['DB_CONFIG', 'unknown'];
      const p = path.join(d, name);
      if (taken(p)) continue;
      const roll = r();
      if (roll < 0.78) {
        file(p, randomBytes(r), fileMode(r));
        entries.set(p, { label, kind: 'file' });
      } else if (roll < 0.89) {
        // A directory named like a state file, with state-like names inside: kept whole, or moved whole.
        const mode = pick(r, [0o755, 0o755, 0o555, 0o700]);
        dir(p, mode);
        if (mode === 0o555) stats.readOnly++;
        for (let c = int(r, 0, 4); c > 0; c--) {
          const child = path.join(p, randomName(r).name);
          if (nodes.some((n) => n.path === child)) continue;
          if (r() < 0.8) file(child, randomBytes(r), fileMode(r));
          else nodes.push({ type: 'symlink', path: child, target: linkTarget(child) });
        }
        if (r() < 0.3) {
          dir(path.join(p, 'sub'));
          file(path.join(p, 'sub', '__db.001'), randomBytes(r));
        }
        entries.set(p, { label: 'unknown', kind: 'directory' });
      } else {
        nodes.push({ type: 'symlink', path: p, target: linkTarget(p) });
        entries.set(p, { label: 'unknown', kind: 'symlink' });
      }
    }
  };
  for (const { path: d, place } of scanned) populate(d, place, int(r, 0, d === home ? 24 : 8));
  if (huge) {
    // A few thousand stale files, as a long-running environment leaves them.
    const count = int(r, 1500, 3000);
    for (let k = 0; k < count; k++) {
      const roll = r();
      const [name, label]: [string, Label] = roll < 0.7 ? [`__db.${1000 + k}`, 'region'] : roll < 0.9 ? [`__db.${k.toString(16)}.${hex(r)}`, 'transient'] : [`__dbq.q.${k}`, 'data'];
      const p = path.join(home, name);
      if (taken(p)) continue;
      file(p, r() < 0.9 ? Buffer.alloc(0) : randomBytes(r), 0o644);
      entries.set(p, { label, kind: 'file' });
    }
  }
  if (fifos && r() < 0.05) {
    const p = path.join(home, pick(r, ['__db.009', 'fifo', '__db.rep.gen']));
    if (!taken(p)) {
      nodes.push({ type: 'fifo', path: p });
      entries.set(p, { label: 'unknown', kind: 'other' });
      stats.fifos++;
    }
  }
  return { index, base, world, home, far, nodes, layout, entries, huge, stats };
}

function buildTree(tree: Tree): void {
  for (const n of tree.nodes) {
    if (n.type === 'dir') fs.mkdirSync(n.path, { recursive: true });
    else if (n.type === 'file') fs.writeFileSync(n.path, n.bytes, { mode: n.mode });
    else if (n.type === 'symlink') fs.symlinkSync(n.target, n.path);
    else {
      const made = spawnSync('mkfifo', [n.path]);
      if (made.status !== 0) throw new Error(`mkfifo ${n.path} failed`);
    }
  }
  // Modes last, deepest first, so a read-only directory does not stop its own contents being written.
  for (const n of [...tree.nodes].reverse()) if (n.type === 'file' || n.type === 'dir') fs.chmodSync(n.path, n.mode);
}

// ---------------------------------------------------------------- snapshots

/** Relative path -> "type mode inode contents", for everything below `root`; never follows a link. */
type Shot = Map<string, string>;

/**
 * SHA-256 of files already read, by inode, size, mtime and ctime. NOTE: any
 * write, chmod or rename sets an inode's ctime to now and nothing can set it
 * back, so an unchanged key means unchanged bytes; a file clean moved or wrote
 * is read again.
 */
const hashes = new Map<string, string>();

function contentHash(p: string, st: fs.Stats): string {
  const key = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  let h = hashes.get(key);
  if (h === undefined) {
    h = createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    if (hashes.size > 200_000) hashes.clear();
    hashes.set(key, h);
  }
  return h;
}

/** Everything below `root` but `exclude`; with `contents: false`, files by size only. */
function snapshot(root: string, options: { exclude?: string; contents?: boolean } = {}): Shot {
  const out: Shot = new Map();
  const walk = (d: string, prefix: string) => {
    for (const name of fs.readdirSync(d)) {
      const p = `${d}/${name}`;
      if (p === options.exclude) continue;
      const st = fs.lstatSync(p);
      const head = `${(st.mode & 0o7777).toString(8)} ino=${st.ino}`;
      const key = prefix + name;
      if (st.isSymbolicLink()) out.set(key, `link ${head} -> ${fs.readlinkSync(p)}`);
      else if (st.isDirectory()) {
        out.set(key, `dir ${head}`);
        walk(p, `${key}/`);
      } else if (st.isFile()) out.set(key, `file ${head} ${st.size}${options.contents === false ? '' : ` ${contentHash(p, st)}`}`);
      else out.set(key, `other ${head}`);
    }
  };
  walk(root, '');
  return out;
}

function diffShots(expected: Shot, actual: Shot): string[] {
  const out: string[] = [];
  for (const [k, v] of expected) {
    const a = actual.get(k);
    if (a === undefined) out.push(`missing ${JSON.stringify(k)} (${v})`);
    else if (a !== v) out.push(`changed ${JSON.stringify(k)}: ${v} => ${a}`);
  }
  for (const [k, v] of actual) if (!expected.has(k)) out.push(`unexpected ${JSON.stringify(k)} (${v})`);
  return out;
}

// ---------------------------------------------------------------- checks

type Category = 'layout' | 'plan' | 'apply' | 'quarantine' | 'undo' | 'inject' | 'cli';

class Finding extends Error {
  constructor(
    readonly category: Category,
    message: string,
  ) {
    super(message);
  }
}

function check(category: Category, ok: boolean, message: () => string): void {
  if (!ok) throw new Finding(category, message());
}

function expectShot(category: Category, what: string, expected: Shot, actual: Shot): void {
  const diff = diffShots(expected, actual);
  check(category, diff.length === 0, () => `${what}: ${diff.length} differences, first: ${diff.slice(0, 4).join('; ')}`);
}

const quarantineRoot = (tree: Tree) => path.join(tree.world, '.provision-quarantine', 'env');
const snap = (tree: Tree) => snapshot(tree.base, { exclude: path.join(tree.world, '.provision-quarantine') });
const rel = (tree: Tree, p: string) => path.relative(tree.base, p);
const leftoverFolders = (tree: Tree) => (fs.existsSync(quarantineRoot(tree)) ? fs.readdirSync(quarantineRoot(tree)) : []);

function readConfig(home: string): Buffer | null {
  try {
    return fs.readFileSync(path.join(home, 'DB_CONFIG'));
  } catch {
    return null;
  }
}

/** Scan and plan, checking the layout and the plan against the generator's labels. */
function planFor(tree: Tree, mode: CleanMode, gone: ReadonlySet<string> = new Set()) {
  const layout = environmentLayout(tree.home, readConfig(tree.home));
  const got = layout.dirs.map((d) => `${d.place} ${d.path}`).sort();
  const want = [...tree.layout].map(([p, place]) => `${place} ${p}`).sort();
  check('layout', JSON.stringify(got) === JSON.stringify(want), () => `layout dirs ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  const { entries } = scanEnvironment(layout);
  const plan = planClean(entries, layout, mode, { discardPartialInit: true });
  check('plan', plan.refusal === undefined, () => `refused: ${plan.refusal}`);
  const listed = [...plan.remove, ...plan.keep].map((e) => path.join(e.dir, e.name)).sort();
  const all = [...tree.entries.keys()].filter((p) => !gone.has(p)).sort();
  check('plan', JSON.stringify(listed) === JSON.stringify(all), () => `scanned entries differ: extra ${JSON.stringify(listed.filter((p) => !tree.entries.has(p)).slice(0, 3))}, missing ${JSON.stringify(all.filter((p) => !listed.includes(p)).slice(0, 3))}`);
  const removed = new Set(plan.remove.map((e) => path.join(e.dir, e.name)));
  for (const [p, { label, kind }] of tree.entries) {
    if (gone.has(p)) continue;
    const want = REMOVES[mode].has(label);
    check('plan', removed.has(p) === want, () => `${mode}: ${JSON.stringify(rel(tree, p))} (${kind}, labelled ${label}) ${want ? 'should be removed but is kept' : 'should be kept but is removed'}`);
  }
  for (const e of plan.remove) check('plan', e.kind === tree.entries.get(path.join(e.dir, e.name))?.kind, () => `kind of ${e.name}: ${e.kind}`);
  return plan;
}

/** Is `key` one of `paths` or below one of them? */
function belowAny(key: string, paths: ReadonlySet<string>): boolean {
  for (let k = key; k !== '.' && k !== ''; k = path.dirname(k)) if (paths.has(k)) return true;
  return false;
}

/** The snapshot `before` without the removed entries and everything below them. */
function without(tree: Tree, before: Shot, removed: readonly string[]): Shot {
  const gone = new Set(removed.map((p) => rel(tree, p)));
  return new Map([...before].filter(([k]) => !belowAny(k, gone)));
}

/**
 * One clean of `tree` in `mode`, checked; without purge, then undone and
 * checked again. `gone`: entries an earlier purge removed. Returns what went.
 */
function cleanAndUndo(tree: Tree, before: Shot, mode: CleanMode, purge: boolean, r: Rand, counts: Counts, gone: ReadonlySet<string> = new Set()): string[] {
  const plan = planFor(tree, mode, gone);
  const removed = plan.remove.map((e) => path.join(e.dir, e.name));
  let q;
  try {
    q = quarantineEntries(tree.home, mode, plan.remove, { purge });
  } catch (error) {
    throw new Finding('apply', `${mode}${purge ? ' --purge' : ''} threw: ${(error as Error).message}`);
  }
  counts.removed += removed.length;
  const after = snap(tree);
  expectShot('apply', `${mode}${purge ? ' --purge' : ''}: the tree after clean`, without(tree, before, removed), after);
  check('apply', !tree.entries.has(path.join(tree.home, 'DB_CONFIG')) || fs.existsSync(path.join(tree.home, 'DB_CONFIG')), () => 'DB_CONFIG is gone');
  if (purge) {
    check('apply', leftoverFolders(tree).length === 0, () => `--purge left ${leftoverFolders(tree).join(', ')}`);
    return removed;
  }
  // The quarantine holds exactly what went, moved (same inodes), not copied, outside the environment.
  check('quarantine', q.folder.startsWith(quarantineRoot(tree) + path.sep), () => `quarantine folder ${q.folder}`);
  const manifest = listQuarantines(tree.home).find((m) => m.id === q.id);
  check('quarantine', manifest !== undefined && manifest.entries.length === removed.length, () => `manifest of ${q.id}: ${manifest?.entries.length} entries, expected ${removed.length}`);
  // Sizes and inodes only: the bytes are checked against the manifest's hashes, and again after undo.
  const stored = snapshot(q.folder, { contents: false });
  const expected: Shot = new Map();
  const storedAs = new Map(manifest!.entries.map((m) => [rel(tree, path.join(m.dir, m.name)), m.stored]));
  for (const [k, v] of before) {
    // The entry this key is or is below, if it went.
    for (let top = k; top !== '.' && top !== ''; top = path.dirname(top)) {
      const at = storedAs.get(top);
      if (at !== undefined) {
        expected.set(at + k.slice(top.length), v.startsWith('file ') ? v.replace(/ [0-9a-f]{64}$/, '') : v);
        break;
      }
    }
  }
  for (const m of manifest!.entries) {
    const orig = rel(tree, path.join(m.dir, m.name));
    const shot = before.get(orig);
    check('quarantine', shot !== undefined, () => `manifest names ${orig}, which was not there`);
    const kind = tree.entries.get(path.join(m.dir, m.name))?.kind;
    check('quarantine', m.kind === kind, () => `manifest kind of ${orig}: ${m.kind}, expected ${kind}`);
    if (kind === 'file') {
      const [, , , size, sha] = shot!.split(' ');
      check('quarantine', String(m.size) === size && m.sha256 === sha, () => `manifest of ${orig}: size ${m.size} sha256 ${m.sha256}, the file had ${size} ${sha}`);
    }
  }
  const inFolder = new Map([...stored].filter(([k]) => k !== 'manifest.json' && k.includes(path.sep)));
  expectShot('quarantine', `${mode}: the quarantine folder`, expected, inFolder);

  // Sometimes: something comes back under a removed name; undo must refuse and change nothing.
  if (removed.length > 0 && r() < 0.1) {
    const p = pick(r, removed);
    if (fs.existsSync(path.dirname(p))) {
      const dangling = r() < 0.5;
      if (dangling) fs.symlinkSync(path.join(tree.far, 'nope-again'), p);
      else fs.writeFileSync(p, 'recreated');
      const blocked = snap(tree);
      const folderBefore = snapshot(q.folder);
      let threw: unknown;
      try {
        undoQuarantine(tree.home, q.id);
      } catch (error) {
        threw = error;
      }
      counts.undoRefusals++;
      check('undo', threw instanceof CleanError, () => `undo over a ${dangling ? 'dangling symbolic link' : 'file'} recreated at ${rel(tree, p)} did not refuse${threw ? `: ${(threw as Error).message}` : ''}`);
      expectShot('undo', 'a refused undo: the tree', blocked, snap(tree));
      expectShot('undo', 'a refused undo: the quarantine', folderBefore, snapshot(q.folder));
      fs.rmSync(p);
    }
  }
  try {
    undoQuarantine(tree.home, q.id);
  } catch (error) {
    throw new Finding('undo', `${mode}: undo threw: ${(error as Error).message}`);
  }
  expectShot('undo', `${mode}: the tree after undo`, before, snap(tree));
  check('undo', leftoverFolders(tree).length === 0, () => `undo left ${leftoverFolders(tree).join(', ')}`);
  return removed;
}

/**
 * Purge in each mode from a random one on, on the same tree: the modes remove
 * nested sets of classes, so each purge must remove what its mode removes
 * minus what the ones before it took, and nothing else.
 */
function purgeFrom(tree: Tree, before: Shot, r: Rand, counts: Counts): void {
  const gone = new Set<string>();
  let current = before;
  for (const mode of MODES.slice(int(r, 0, MODES.length - 1))) {
    for (const p of cleanAndUndo(tree, current, mode, true, r, counts, gone)) gone.add(p);
    counts.cleans++;
    current = snap(tree);
  }
  expectShot('apply', 'after every purge: only DB_CONFIG and what no mode removes', without(tree, before, [...tree.entries].filter(([, e]) => e.label !== 'config').map(([p]) => p)), current);
}

/**
 * Make one move fail and check that nothing changed. As root a read-only
 * directory does not stop a rename, so the failures are an entry that
 * vanished after planning (before apply, or part-way) and a name already
 * taken in the quarantine folder part-way.
 */
function injectFailure(tree: Tree, before: Shot, hold: string, r: Rand, counts: Counts): void {
  const mode = pick(r, MODES);
  const purge = r() < 0.5;
  const plan = planFor(tree, mode);
  const n = plan.remove.length;
  if (n === 0) return;
  const variant = n >= 2 ? pick(r, ['vanished', 'vanishes part-way', 'collides part-way'] as const) : 'vanished';
  const j = variant === 'vanished' ? int(r, 0, n - 1) : int(r, 1, n - 1);
  const k = int(r, 1, j);
  const victim = path.join(plan.remove[j]!.dir, plan.remove[j]!.name);
  const away = path.join(hold, `away-${tree.index}`);
  let moved = false;
  const moveAway = () => {
    fs.renameSync(victim, away);
    moved = true;
  };
  const collide = () => {
    const folder = path.join(quarantineRoot(tree), fs.readdirSync(quarantineRoot(tree))[0]!);
    const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8')) as { entries: { stored: string }[] };
    const target = path.join(folder, manifest.entries[j]!.stored);
    fs.mkdirSync(target, { recursive: true });
    fs.writeFileSync(path.join(target, 'in-the-way'), '');
  };
  if (variant === 'vanished') moveAway();
  let threw: unknown;
  try {
    quarantineEntries(tree.home, mode, plan.remove, {
      purge,
      onProgress: (done) => {
        if (done !== k) return;
        if (variant === 'vanishes part-way') moveAway();
        else if (variant === 'collides part-way') collide();
      },
    });
  } catch (error) {
    threw = error;
  }
  counts.injected[variant] = (counts.injected[variant] ?? 0) + 1;
  const expected = moved ? without(tree, before, [victim]) : before;
  const what = `${mode}${purge ? ' --purge' : ''}, entry ${j + 1} of ${n} ${variant}${variant === 'vanished' ? '' : ` after ${k} moves`}`;
  check('inject', threw instanceof CleanError, () => `${what}: ${threw ? `threw ${(threw as Error).name}: ${(threw as Error).message}` : 'did not fail'}`);
  check('inject', (threw as Error).message.includes(victim), () => `${what}: the message does not name ${victim}: ${(threw as Error).message}`);
  expectShot('inject', `${what}: the tree`, expected, snap(tree));
  check('inject', leftoverFolders(tree).length === 0, () => `${what}: left a quarantine: ${leftoverFolders(tree).join(', ')}`);
  if (moved) fs.renameSync(away, victim);
  expectShot('inject', `${what}: the tree once the entry is back`, before, snap(tree));
}

/** The same through the real command line, for a few trees. */
function cleanWithCli(tree: Tree, before: Shot, r: Rand): void {
  const mode = pick(r, MODES);
  const purge = r() < 0.3;
  const flags = mode === 'state' ? [] : mode === 'replication-state' ? ['--replication-state', '--discard-partial-init'] : ['--all-but-config'];
  const run = provision(['clean', '--env', tree.home, '--yes', '--json', ...flags, ...(purge ? ['--purge'] : [])]);
  check('cli', run.code === 0, () => `clean ${flags.join(' ')} exited ${run.code}: ${run.stderr}`);
  const removed = [...tree.entries].filter(([, e]) => REMOVES[mode].has(e.label)).map(([p]) => p);
  expectShot('cli', `provision clean ${flags.join(' ')}${purge ? ' --purge' : ''}: the tree`, without(tree, before, removed), snap(tree));
  if (purge || removed.length === 0) return;
  const undo = provision(['clean', '--env', tree.home, '--undo']);
  check('cli', undo.code === 0, () => `--undo exited ${undo.code}: ${undo.stderr}`);
  expectShot('cli', 'provision clean --undo: the tree', before, snap(tree));
}

// ---------------------------------------------------------------- the run

interface Counts {
  trees: number;
  entries: number;
  removed: number;
  byLabel: Record<string, number>;
  byKind: Record<string, number>;
  huge: number;
  cleans: number;
  undoRefusals: number;
  cli: number;
  injected: Record<string, number>;
  stats: { danglingLinks: number; outsideLinks: number; readOnly: number; fifos: number; namedDirs: Record<string, number> };
}

const counts: Counts = { trees: 0, entries: 0, removed: 0, byLabel: {}, byKind: {}, huge: 0, cleans: 0, undoRefusals: 0, cli: 0, injected: {}, stats: { danglingLinks: 0, outsideLinks: 0, readOnly: 0, fifos: 0, namedDirs: {} } };
const findings: { tree: number; finding: Finding }[] = [];
let elapsedMs = 0;

/**
 * Where the trees go. NOTE: a RAM file system when there is one: creating a
 * file on the test machines' disks takes 25 to 500 µs, and the fuzz creates
 * about 100,000 of them. CLEAN_FUZZ_DIR picks another place.
 */
function scratch(): { dir: string; cleanup: () => void } {
  let root = process.env.CLEAN_FUZZ_DIR;
  if (root === undefined) {
    try {
      fs.accessSync('/dev/shm', fs.constants.W_OK);
      if (fs.statSync('/dev/shm').isDirectory()) root = '/dev/shm';
    } catch {
      // no RAM file system: the usual temporary directory
    }
  }
  if (root === undefined) return tempDir('provision-fuzz-');
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(root, 'provision-fuzz-')));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

test.before(() => {
  const started = Date.now();
  const t = scratch();
  const hold = path.join(t.dir, 'hold');
  fs.mkdirSync(hold);
  const fifos = spawnSync('mkfifo', ['--version']).status === 0;
  try {
    for (let i = 0; i < TREES; i++) {
      if (ONLY !== undefined && i !== ONLY) continue;
      const tree = generateTree(t.dir, i, fifos);
      const r = prng(SEED ^ (i * 104729));
      buildTree(tree);
      let before = snap(tree);
      counts.trees++;
      counts.entries += tree.entries.size;
      if (tree.huge) counts.huge++;
      for (const e of tree.entries.values()) {
        counts.byLabel[e.label] = (counts.byLabel[e.label] ?? 0) + 1;
        counts.byKind[e.kind] = (counts.byKind[e.kind] ?? 0) + 1;
      }
      for (const [k, v] of Object.entries(tree.stats)) {
        if (typeof v === 'number') (counts.stats as unknown as Record<string, number>)[k]! += v;
        else for (const [kk, vv] of Object.entries(v)) counts.stats.namedDirs[kk] = (counts.stats.namedDirs[kk] ?? 0) + vv;
      }
      // Each step starts from the tree as generated; after a failed step it is built again.
      const step = (fn: () => void) => {
        try {
          fn();
        } catch (error) {
          if (!(error instanceof Finding)) throw error;
          findings.push({ tree: i, finding: error });
          fs.rmSync(tree.base, { recursive: true, force: true });
          buildTree(tree);
          before = snap(tree);
        }
      };
      for (const mode of MODES) step(() => cleanAndUndo(tree, before, mode, false, r, counts));
      counts.cleans += MODES.length;
      if (r() < 0.3) step(() => injectFailure(tree, before, hold, r, counts));
      if (i % 333 === 42 && counts.cli < 3) {
        counts.cli++;
        step(() => cleanWithCli(tree, before, r));
        // The command line may have purged: start again from the generated tree.
        fs.rmSync(tree.base, { recursive: true, force: true });
        buildTree(tree);
        before = snap(tree);
      }
      step(() => purgeFrom(tree, before, r, counts));
      fs.rmSync(tree.base, { recursive: true, force: true });
    }
  } finally {
    t.cleanup();
    elapsedMs = Date.now() - started;
  }
  if (process.env.CLEAN_FUZZ_VERBOSE) console.log(JSON.stringify({ elapsedMs, ...counts }, null, 1));
});

function noFindings(category: Category): void {
  const mine = findings.filter((f) => f.finding.category === category);
  if (mine.length === 0) return;
  // One example of each kind of failure (numbers and paths blanked), with the tree that shows it.
  const kinds = new Map<string, { tree: number; message: string; n: number }>();
  for (const { tree, finding } of mine) {
    const key = finding.message.replace(/"[^"]*"|\/\S+|\d+/g, '#').slice(0, 80);
    const k = kinds.get(key);
    if (k) k.n++;
    else kinds.set(key, { tree, message: finding.message, n: 1 });
  }
  const lines = [...kinds.values()].map((k) => `${k.n}x, e.g. CLEAN_FUZZ_ONLY=${k.tree}: ${k.message}`);
  assert.unreachable(`${mine.length} ${category} failures in ${counts.trees} trees (seed ${SEED}):\n${lines.join('\n')}`);
}

test('fuzz: at least 1,000 random trees with every kind of entry', () => {
  if (ONLY !== undefined || process.env.CLEAN_FUZZ_TREES !== undefined) return;
  assert.ok(counts.trees >= 1000, `${counts.trees} trees`);
  assert.ok(counts.huge >= 3, `${counts.huge} trees with thousands of files`);
  for (const label of ['region', 'transient', 'replication', 'identity', 'log', 'data', 'config', 'unknown']) assert.ok((counts.byLabel[label] ?? 0) > 100, `entries labelled ${label}: ${counts.byLabel[label]}`);
  for (const kind of ['file', 'directory', 'symlink']) assert.ok((counts.byKind[kind] ?? 0) > 100, `${kind} entries: ${counts.byKind[kind]}`);
  assert.ok(counts.stats.danglingLinks > 100 && counts.stats.outsideLinks > 100 && counts.stats.readOnly > 100, JSON.stringify(counts.stats));
  for (const physical of ['real', 'missing', 'symlink', 'dangling', 'file', 'home']) assert.ok((counts.stats.namedDirs[physical] ?? 0) > 10, `named directories that are ${physical}: ${counts.stats.namedDirs[physical]}`);
  for (const variant of ['vanished', 'vanishes part-way', 'collides part-way']) assert.ok((counts.injected[variant] ?? 0) > 30, `injected "${variant}": ${counts.injected[variant]}`);
  assert.ok(counts.undoRefusals > 30, `undo refusals: ${counts.undoRefusals}`);
});

test('fuzz: DB_CONFIG names the data, log and metadata directories the layout reads', () => noFindings('layout'));
test('fuzz: each mode plans to remove exactly the entries of the classes it removes, by Berkeley DB\'s names', () => noFindings('plan'));
test('fuzz: clean (quarantine or purge) removes exactly those; every other byte, mode, inode and link below the parent stays', () => noFindings('apply'));
test('fuzz: the quarantine holds what went, moved not copied, with names, kinds, sizes and hashes', () => noFindings('quarantine'));
test('fuzz: undo restores the tree byte for byte and inode for inode, and refuses to overwrite', () => noFindings('undo'));
test('fuzz: a move that fails part-way leaves the environment as it was and no quarantine', () => noFindings('inject'));
test('fuzz: the command line does the same', () => noFindings('cli'));

// ---------------------------------------------------------------- minimal cases of bugs the fuzz found

/** A tree of files and links below `dir`: a string is a file's text, `{ link }` a symbolic link. */
function plant(dir: string, spec: Record<string, string | { link: string }>): void {
  for (const [name, what] of Object.entries(spec)) {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    if (typeof what === 'string') fs.writeFileSync(p, what);
    else fs.symlinkSync(what.link, p);
  }
}

function cleanDir(home: string, mode: CleanMode) {
  const layout = environmentLayout(home, readConfig(home));
  const plan = planClean(scanEnvironment(layout).entries, layout, mode, { discardPartialInit: true });
  return { plan, q: quarantineEntries(home, mode, plan.remove) };
}

// Regression, found by the fuzz test (src/env/quarantine.ts, undoQuarantine): it tested with fs.existsSync, which follows links.
// A quarantined link whose target does not resolve from the quarantine folder (dangling, or relative
// to the environment) counts as absent: undo skips it, reports success, then deletes the folder with
// the link in it. And a dangling link put back at a removed name does not stop undo from replacing it.
// Fix: test presence with fs.lstatSync(p, { throwIfNoEntry: false }) in both places.
test('undo puts back links that do not resolve from the quarantine, and will not replace a dangling link', () => {
  const t = tempDir();
  try {
    const home = path.join(t.dir, 'env');
    plant(t.dir, { 'env/DB_CONFIG': '', 'env/dangling': { link: '/nonexistent/target' }, 'env/relative': { link: '../outside/x' }, 'outside/x': 'x', 'env/__db.001': 'r' });
    const before = snapshot(t.dir, { exclude: path.join(t.dir, '.provision-quarantine') });
    cleanDir(home, 'all-but-config');
    undoQuarantine(home);
    assert.equal(diffShots(before, snapshot(t.dir, { exclude: path.join(t.dir, '.provision-quarantine') })), []);

    cleanDir(home, 'state');
    fs.symlinkSync('/nonexistent/new', path.join(home, '__db.001'));
    assert.throws(() => undoQuarantine(home), /exists again; nothing was restored/);
    assert.is(fs.readlinkSync(path.join(home, '__db.001')), '/nonexistent/new');
  } finally {
    t.cleanup();
  }
});

// Regression, found by the fuzz test (src/env/classify.ts, classifyEntry): every symbolic link was "unknown", so a DB_CONFIG
// that links to a managed file (a common deployment) is removed by --all-but-config, and the
// environment restarts without its replication settings. Fix: name === 'DB_CONFIG' in the home is
// 'config' whatever its kind (checked before the symlink and directory cases).
test('a DB_CONFIG that is a symbolic link is the configuration, never removed', () => {
  const t = tempDir();
  try {
    const home = path.join(t.dir, 'env');
    plant(t.dir, { 'etc/DB_CONFIG': 'rep_set_priority 0\n', 'env/DB_CONFIG': { link: '../etc/DB_CONFIG' }, 'env/__db.001': 'r', 'env/app.db': 'd' });
    for (const mode of MODES) {
      const { plan } = cleanDir(home, mode);
      assert.not.ok(plan.remove.some((e) => e.name === 'DB_CONFIG'), `${mode} removes DB_CONFIG`);
      assert.is(fs.readlinkSync(path.join(home, 'DB_CONFIG')), '../etc/DB_CONFIG');
      undoQuarantine(home);
    }
  } finally {
    t.cleanup();
  }
});

// Regression, found by the fuzz test (src/env/scan.ts, scanEnvironment): a named directory below an unnamed one (set_data_dir
// data/sub) makes "data" an entry of the home; --all-but-config moves "data" whole, then cannot move
// data/sub's entries (ENOENT) and gives up: "cannot be moved ... Is the environment still in use?",
// every time. Fix: an entry with a named directory inside it is not an entry (like the named
// directory itself); only the named directory's own entries go.
test('--all-but-config with a data directory below an unnamed one empties it and keeps it', () => {
  const t = tempDir();
  try {
    const home = path.join(t.dir, 'env');
    plant(t.dir, { 'env/DB_CONFIG': 'set_data_dir data/sub\n', 'env/data/sub/app.db': 'd', 'env/data/sub/__db.001': 'r', 'env/__db.002': 'r' });
    cleanDir(home, 'all-but-config');
    assert.equal(fs.readdirSync(path.join(home, 'data', 'sub')), []);
    assert.ok(fs.existsSync(path.join(home, 'DB_CONFIG')));
  } finally {
    t.cleanup();
  }
});

test.run();
