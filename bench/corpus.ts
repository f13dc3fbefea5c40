import * as fs from 'node:fs';
import * as path from 'node:path';

/** The kinds of DB_CONFIG the benchmark corpus mixes, with the share of files each gets. */
export const KINDS = [
  { kind: 'master', share: 0.25 },
  { kind: 'replicant', share: 0.35 },
  { kind: 'vendor', share: 0.15 },
  { kind: 'tuning', share: 0.1 },
  { kind: 'broken', share: 0.15 },
] as const;

export type Kind = (typeof KINDS)[number]['kind'];

export interface CorpusSummary {
  readonly dir: string;
  readonly files: number;
  readonly bytes: number;
  readonly lines: number;
  readonly byKind: Readonly<Record<Kind, number>>;
  readonly crlf: number;
}

/** A small deterministic PRNG (mulberry32), so every run lints the same corpus. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

const ACK = ['DB_REPMGR_ACKS_ONE', 'DB_REPMGR_ACKS_QUORUM', 'DB_REPMGR_ACKS_ALL_PEERS', 'DB_REPMGR_ACKS_ONE_PEER'];
const TIMEOUTS = [
  'rep_set_timeout DB_REP_CONNECTION_RETRY 1000000',
  'rep_set_timeout DB_REP_ELECTION_RETRY 2000000',
  'rep_set_timeout DB_REP_HEARTBEAT_SEND 5000000',
  'rep_set_timeout DB_REP_HEARTBEAT_MONITOR 15000000',
  'rep_set_timeout DB_REP_ACK_TIMEOUT 1000000',
];
/** Tuning lines a site might carry; none of them asks lint to look at the disk. */
const TUNING = [
  () => 'set_cachesize 0 33554432 1',
  () => 'set_cachesize 0 67108864 1',
  () => 'set_cachesize 1 0 2',
  () => 'set_lk_max_locks 20000',
  () => 'set_lk_max_objects 20000',
  () => 'set_lk_max_lockers 5000',
  () => 'set_tx_max 500',
  () => 'set_lg_bsize 262144',
  () => 'set_lg_max 10485760',
  () => 'set_lg_regionmax 1048576',
  () => 'set_lk_detect DB_LOCK_DEFAULT',
  () => 'set_flags DB_TXN_WRITE_NOSYNC',
  () => 'set_flags DB_AUTO_COMMIT',
  () => 'set_mp_mmapsize 268435456',
  () => 'set_thread_count 64',
  () => 'rep_set_config DB_REP_CONF_BULK on',
  () => 'rep_set_limit 0 10485760',
];
const COMMENTS = [
  '# Berkeley DB environment settings',
  '# Managed by the operations team; edit with care.',
  '# Cache: 32 MB in one region',
  '# Locking',
  '# Logging',
  '# Replication group settings below',
  '#',
  '# ------------------------------------------------------------------',
];

function host(rng: Rng, group: number, site: number): string {
  return rng() < 0.95 ? `10.${group % 250}.${int(rng, 0, 9)}.${10 + site}` : `db${site}.site${group}.example.com`;
}

function padding(rng: Rng, n: number): string[] {
  const out: string[] = [];
  while (out.length < n) out.push(rng() < 0.35 ? pick(rng, COMMENTS) : rng() < 0.1 ? '' : pick(rng, TUNING)());
  return out;
}

/** Distinct tuning lines, so a clean file never repeats a setting. */
function tuning(rng: Rng, n: number): string[] {
  const seen = new Set<string>();
  for (let i = 0; i < n * 3 && seen.size < n; i++) {
    const line = pick(rng, TUNING)();
    const name = line.split(' ')[0]!;
    if (name !== 'set_flags' && [...seen].some((l) => l.startsWith(`${name} `))) continue;
    seen.add(line);
  }
  return [...seen];
}

function replication(rng: Rng, role: 'master' | 'replicant', group: number, peers: number): string[] {
  const port = pick(rng, [5010, 15010, 6000]);
  const self = host(rng, group, 0);
  const lines = [
    `# replication: ${role}`,
    `rep_set_priority ${role === 'master' ? pick(rng, [1, 100]) : 0}`,
    role === 'master' ? `repmgr_site ${self} ${port} db_local_site on db_group_creator on` : `repmgr_site ${self} ${port} db_local_site on`,
  ];
  for (let i = 1; i <= peers; i++) {
    lines.push(role === 'replicant' && i === 1 ? `repmgr_site ${host(rng, group, i)} ${port} db_bootstrap_helper on` : `repmgr_site ${host(rng, group, i)} ${port}`);
  }
  lines.push(`repmgr_set_ack_policy ${pick(rng, ACK)}`);
  for (const t of TIMEOUTS) if (rng() < 0.4) lines.push(t);
  return lines;
}

/** A file shipped by a vendor: both replication blocks commented out, one of them sometimes un-commented. */
function vendor(rng: Rng, group: number): string[] {
  const uncomment = rng() < 0.5 ? pick(rng, ['master', 'replicant'] as const) : undefined;
  const block = (role: 'master' | 'replicant') =>
    replication(rng, role, group, int(rng, 1, 3))
      .slice(1)
      .map((l) => (uncomment === role ? l : `#${l}`));
  return [
    '# DB_CONFIG shipped with the server.',
    '# Replication: un-comment ONE of the two blocks below.',
    '',
    '# ---- Master -----------------------------------------------------------',
    ...block('master'),
    '',
    '# ---- Replicant --------------------------------------------------------',
    ...block('replicant'),
    '',
    ...tuning(rng, int(rng, 2, 6)),
  ];
}

/** What people get wrong: inline comments, hyphens, host:port, `=` signs, short keywords, a BOM. */
function broken(rng: Rng, group: number): { lines: string[]; bom: boolean } {
  const lines = replication(rng, pick(rng, ['master', 'replicant'] as const), group, int(rng, 1, 3));
  const mistakes = [
    () => lines.splice(1, 1, 'rep-set-priority 0'),
    () => (lines[2] = `${lines[2]}   # this server`),
    () => (lines[2] = lines[2]!.replace(/ (\d+) db_local/, ':$1 db_local')),
    () => lines.push('set_cachesize = 0 33554432 1'),
    () => lines.push('repmgr_set_ack_policy ONE'),
    () => lines.push('set-lk-max-locks 20000  # more locks'),
    () => lines.push('set_data_dir data   '),
  ];
  for (let i = int(rng, 1, 3); i > 0; i--) pick(rng, mistakes)();
  return { lines, bom: rng() < 0.3 };
}

function render(rng: Rng, kind: Kind, group: number): { text: string; bom: boolean } {
  let lines: string[];
  let bom = false;
  switch (kind) {
    case 'master':
    case 'replicant':
      lines = [...replication(rng, kind, group, int(rng, 1, 4)), ...(rng() < 0.5 ? ['', ...tuning(rng, int(rng, 0, 10))] : [])];
      break;
    case 'vendor':
      lines = vendor(rng, group);
      break;
    case 'tuning':
      lines = [pick(rng, COMMENTS), ...tuning(rng, int(rng, 4, 14)), ...padding(rng, int(rng, 0, 10)).filter((l) => l.startsWith('#'))];
      break;
    case 'broken':
      ({ lines, bom } = broken(rng, group));
      lines.push(...padding(rng, int(rng, 0, 12)));
      break;
  }
  // NOTE: keep every file between 5 and 40 lines, as the issue describes the fleet.
  while (lines.length < 5) lines.push(pick(rng, COMMENTS));
  return { text: lines.slice(0, 40).join('\n'), bom };
}

/**
 * Write `count` DB_CONFIG files below `dir`, as `group-NNN/site-NNN/DB_CONFIG`
 * (what `provision lint DIR` finds). A fifth of them are CRLF (saved on Windows).
 */
export function generateCorpus(dir: string, count: number, seed = 20240611): CorpusSummary {
  const rng = seededRandom(seed);
  const byKind = Object.fromEntries(KINDS.map((k) => [k.kind, 0])) as Record<Kind, number>;
  let bytes = 0;
  let lines = 0;
  let crlf = 0;
  const perGroup = 100;
  for (let i = 0; i < count; i++) {
    const group = Math.floor(i / perGroup);
    const siteDir = path.join(dir, `group-${String(group).padStart(3, '0')}`, `site-${String(i % perGroup).padStart(3, '0')}`);
    let r = rng();
    const kind = KINDS.find((k) => (r -= k.share) < 0)?.kind ?? 'master';
    byKind[kind]++;
    const rendered = render(rng, kind, group);
    const windows = rng() < 0.2;
    const text = `${rendered.text}${rng() < 0.95 ? '\n' : ''}`;
    const body = Buffer.from(windows ? text.replace(/\n/g, '\r\n') : text, 'utf8');
    const file = rendered.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
    fs.mkdirSync(siteDir, { recursive: true });
    fs.writeFileSync(path.join(siteDir, 'DB_CONFIG'), file);
    if (windows) crlf++;
    bytes += file.length;
    lines += Math.min(40, Math.max(5, rendered.text.split("\n").length));
  }
  return { dir, files: count, bytes, lines, byKind, crlf };
}

/** A small replicant file lint finds nothing in: the start-up measurement lints it alone. */
export const CLEAN_FILE = [
  '# replication: replicant',
  'rep_set_priority 0',
  'repmgr_site 10.0.0.2 5010 db_local_site on',
  'repmgr_site 10.0.0.1 5010 db_bootstrap_helper on',
  'repmgr_set_ack_policy DB_REPMGR_ACKS_ONE',
  'rep_set_timeout DB_REP_CONNECTION_RETRY 1000000',
  '',
].join('\n');
