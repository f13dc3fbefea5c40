/**
 * Every directive Berkeley DB 5.3 reads from DB_CONFIG, as data. The parser's
 * view, the linter, the generator's validation and the prompts all read this
 * one table (see docs/dbconfig.md for the facts behind it).
 */

/** Numeric kinds, named for the C conversion Berkeley DB applies. */
export type NumberKind = 'uint' | 'uint32' | 'int' | 'long';

/** Limits a setter checks beyond the C type's range. */
export interface NumberLimits {
  readonly min?: number;
  readonly max?: number;
  /** 0 is accepted whatever `min` says (it means "use the default"). */
  readonly zeroAllowed?: boolean;
  /** The value must be a power of two (so 0 is refused). */
  readonly powerOfTwo?: boolean;
}

export type ArgSpec =
  | ({ readonly kind: NumberKind; readonly name: string } & NumberLimits)
  | { readonly kind: 'keyword'; readonly name: string; readonly values: readonly string[] }
  | { readonly kind: 'onoff'; readonly name: string };

export interface DirectiveSpec {
  /** Canonical spelling. */
  readonly name: string;
  /** Simple directives are looked up with strcmp; complex ones with strcasecmp. */
  readonly caseSensitive: boolean;
  /** `args`: whitespace-separated arguments; `string`: the rest of the line, verbatim; `site`: repmgr_site. */
  readonly shape: 'args' | 'string' | 'site';
  readonly args: readonly ArgSpec[];
  /** How many trailing arguments may be left out. */
  readonly optional?: number;
  /** The current name of an outdated alias. */
  readonly aliasOf?: string;
  /** What a second occurrence does: override, add to, override per first argument, or merge per site. */
  readonly repeat: 'last-wins' | 'accumulates' | 'per-key' | 'per-site';
  /** Replication Manager directive (cannot be mixed with rep_set_nsites). */
  readonly repmgr?: boolean | readonly string[];
  /** First-argument keywords whose numeric value must be above 0 (rep_set_timeout). */
  readonly positiveFor?: readonly string[];
  /**
   * Keywords Berkeley DB knows but refuses unless it was built with
   * --enable-o_direct (Debian's and most distributions' builds are not):
   * `always` refuses on and off alike, `on` only turning it on.
   */
  readonly unsupported?: Readonly<Record<string, 'always' | 'on'>>;
  /**
   * set_cachesize: the most gigabytes one cache may hold. Berkeley DB adds the
   * whole gigabytes of `bytes` to `gbytes`, divides by `ncache` (0 counts as
   * 1), rounding down, and refuses a quotient above this (BDB3004).
   */
  readonly maxGbytesPerCache?: number;
  readonly summary: string;
  readonly defaultValue?: string;
}

const uint = (name: string, extra: NumberLimits = {}): ArgSpec => ({ kind: 'uint', name, ...extra });
const uint32 = (name: string, extra: NumberLimits = {}): ArgSpec => ({ kind: 'uint32', name, ...extra });
const int = (name: string, extra: NumberLimits = {}): ArgSpec => ({ kind: 'int', name, ...extra });
const keyword = (name: string, values: readonly string[]): ArgSpec => ({ kind: 'keyword', name, values });
const onoff: ArgSpec = { kind: 'onoff', name: 'on|off' };

export const REP_CONFIG_FLAGS = [
  'DB_REP_CONF_AUTOINIT', 'DB_REP_CONF_AUTOROLLBACK', 'DB_REP_CONF_BULK', 'DB_REP_CONF_DELAYCLIENT',
  'DB_REP_CONF_INMEM', 'DB_REP_CONF_LEASE', 'DB_REP_CONF_NOWAIT',
  'DB_REPMGR_CONF_2SITE_STRICT', 'DB_REPMGR_CONF_ELECTIONS',
] as const;

export const REP_TIMEOUTS = [
  'DB_REP_ACK_TIMEOUT', 'DB_REP_CHECKPOINT_DELAY', 'DB_REP_CONNECTION_RETRY', 'DB_REP_ELECTION_TIMEOUT',
  'DB_REP_ELECTION_RETRY', 'DB_REP_FULL_ELECTION_TIMEOUT', 'DB_REP_HEARTBEAT_MONITOR',
  'DB_REP_HEARTBEAT_SEND', 'DB_REP_LEASE_TIMEOUT',
] as const;

/** Timeouts that may not be 0 (BDB3566 timeout value must be > 0). */
export const NONZERO_REP_TIMEOUTS = [
  'DB_REP_CONNECTION_RETRY', 'DB_REP_ELECTION_RETRY', 'DB_REP_ELECTION_TIMEOUT', 'DB_REP_LEASE_TIMEOUT',
] as const;

/** Timeouts that only a Replication Manager application may set. */
export const REPMGR_TIMEOUTS = [
  'DB_REP_ACK_TIMEOUT', 'DB_REP_CONNECTION_RETRY', 'DB_REP_ELECTION_RETRY',
  'DB_REP_HEARTBEAT_MONITOR', 'DB_REP_HEARTBEAT_SEND',
] as const;

export const ACK_POLICIES = [
  'DB_REPMGR_ACKS_ALL', 'DB_REPMGR_ACKS_ALL_AVAILABLE', 'DB_REPMGR_ACKS_ALL_PEERS', 'DB_REPMGR_ACKS_NONE',
  'DB_REPMGR_ACKS_ONE', 'DB_REPMGR_ACKS_ONE_PEER', 'DB_REPMGR_ACKS_QUORUM',
] as const;

export const SITE_FLAGS = ['db_bootstrap_helper', 'db_group_creator', 'db_legacy', 'db_local_site', 'db_repmgr_peer'] as const;
export type SiteFlag = (typeof SITE_FLAGS)[number];

/** Berkeley DB splits a line into at most this many tokens (CFG_SLOTS); the rest of the line is dropped. */
export const MAX_TOKENS = 10;
/**
 * `repmgr_site host port` takes at most this many keyword/value pairs: with
 * the name, host and port, a fourth pair would need 11 tokens, and the 10 that
 * are read leave a keyword without its value (BDB1584).
 */
export const MAX_SITE_PAIRS = Math.floor((MAX_TOKENS - 3) / 2);
/** fgets reads into a 256-byte buffer: longer lines are read as several. */
export const MAX_LINE_BYTES = 255;

const ENV_FLAGS = [
  // NOTE: no DB_MPOOL_AIO: newer releases read it, 5.3 refuses it (BDB1584).
  'DB_AUTO_COMMIT', 'DB_CDB_ALLDB', 'DB_DIRECT_DB', 'DB_DSYNC_DB', 'DB_MULTIVERSION',
  'DB_NOLOCKING', 'DB_NOMMAP', 'DB_NOPANIC', 'DB_OVERWRITE', 'DB_REGION_INIT', 'DB_TIME_NOTGRANTED',
  'DB_TXN_NOSYNC', 'DB_TXN_NOWAIT', 'DB_TXN_SNAPSHOT', 'DB_TXN_WRITE_NOSYNC', 'DB_YIELDCPU',
  // set_flags also takes these log flags (note AUTOREMOVE, against log_set_config's AUTO_REMOVE).
  'DB_DIRECT_LOG', 'DB_DSYNC_LOG', 'DB_LOG_AUTOREMOVE', 'DB_LOG_INMEMORY',
];
const LOG_CONFIG = ['DB_LOG_DIRECT', 'DB_LOG_DSYNC', 'DB_LOG_AUTO_REMOVE', 'DB_LOG_IN_MEMORY', 'DB_LOG_ZERO'];
const LOCK_DETECT = [
  'DB_LOCK_DEFAULT', 'DB_LOCK_EXPIRE', 'DB_LOCK_MAXLOCKS', 'DB_LOCK_MAXWRITE', 'DB_LOCK_MINLOCKS',
  'DB_LOCK_MINWRITE', 'DB_LOCK_OLDEST', 'DB_LOCK_RANDOM', 'DB_LOCK_YOUNGEST',
];
const OPEN_FLAGS = ['DB_INIT_REP', 'DB_PRIVATE', 'DB_REGISTER', 'DB_THREAD'];
const VERBOSE = [
  'DB_VERB_BACKUP', 'DB_VERB_DEADLOCK', 'DB_VERB_FILEOPS', 'DB_VERB_FILEOPS_ALL', 'DB_VERB_RECOVERY',
  'DB_VERB_REGISTER', 'DB_VERB_REPLICATION', 'DB_VERB_REP_ELECT', 'DB_VERB_REP_LEASE', 'DB_VERB_REP_MISC',
  'DB_VERB_REP_MSGS', 'DB_VERB_REP_SYNC', 'DB_VERB_REP_SYSTEM', 'DB_VERB_REP_TEST',
  'DB_VERB_REPMGR_CONNFAIL', 'DB_VERB_REPMGR_MISC', 'DB_VERB_WAITSFOR',
];
const MEM_INIT = ['DB_MEM_LOCK', 'DB_MEM_LOCKER', 'DB_MEM_LOCKOBJECT', 'DB_MEM_TRANSACTION', 'DB_MEM_THREAD', 'DB_MEM_LOGID'];

function simple(name: string, args: readonly ArgSpec[] | 'string', summary: string, extra: Partial<DirectiveSpec> = {}): DirectiveSpec {
  return {
    name,
    caseSensitive: true,
    shape: args === 'string' ? 'string' : 'args',
    args: args === 'string' ? [] : args,
    repeat: 'last-wins',
    summary,
    ...extra,
  };
}

function complex(name: string, args: readonly ArgSpec[], summary: string, extra: Partial<DirectiveSpec> = {}): DirectiveSpec {
  return { name, caseSensitive: false, shape: 'args', args, repeat: 'last-wins', summary, ...extra };
}

export const DIRECTIVES: readonly DirectiveSpec[] = [
  // Replication.
  simple('rep_set_priority', [uint('priority')], 'Election priority; 0 means the site can never win an election.', { defaultValue: '100' }),
  simple('rep_set_nsites', [uint('nsites')], 'Group size for base replication; fails in a Replication Manager configuration.'),
  simple('rep_set_clockskew', [uint('fast'), uint('slow')], 'Clock skew between sites (fast >= slow).', { defaultValue: '1 1' }),
  simple('rep_set_limit', [uint('gbytes'), uint('bytes')], 'Transmit limit per message batch.', { defaultValue: '0 10485760' }),
  simple('rep_set_request', [uint('min_us'), uint('max_us')], 'Retransmission request interval (min <= max).', { defaultValue: '40000 1280000' }),
  complex('rep_set_config', [keyword('flag', REP_CONFIG_FLAGS), onoff], 'Turn a replication option on or off.', {
    optional: 1, repeat: 'per-key', repmgr: ['DB_REPMGR_CONF_2SITE_STRICT', 'DB_REPMGR_CONF_ELECTIONS'],
  }),
  complex('rep_set_timeout', [keyword('timeout', REP_TIMEOUTS), uint32('usec')], 'A replication timeout in microseconds.', {
    repeat: 'per-key', repmgr: REPMGR_TIMEOUTS, positiveFor: NONZERO_REP_TIMEOUTS,
  }),
  complex('repmgr_set_ack_policy', [keyword('policy', ACK_POLICIES)], 'Which acknowledgements a master waits for.', {
    repmgr: true, defaultValue: 'DB_REPMGR_ACKS_QUORUM',
  }),
  {
    name: 'repmgr_site', caseSensitive: false, shape: 'site',
    args: [{ kind: 'uint', name: 'port' }],
    repeat: 'per-site', repmgr: true,
    summary: 'A Replication Manager site: host, port and up to 3 flags (db_local_site, db_bootstrap_helper, ...).',
  },
  // Directories (the rest of the line is the value).
  simple('set_data_dir', 'string', 'Add a data directory.', { repeat: 'accumulates' }),
  simple('add_data_dir', 'string', 'Add a data directory.', { repeat: 'accumulates' }),
  simple('db_data_dir', 'string', 'Outdated name of set_data_dir.', { repeat: 'accumulates', aliasOf: 'set_data_dir' }),
  simple('set_lg_dir', 'string', 'Log directory; it must exist.'),
  simple('db_log_dir', 'string', 'Outdated name of set_lg_dir.', { aliasOf: 'set_lg_dir' }),
  simple('set_tmp_dir', 'string', 'Temporary file directory.', { defaultValue: '/var/tmp' }),
  simple('db_tmp_dir', 'string', 'Outdated name of set_tmp_dir.', { aliasOf: 'set_tmp_dir' }),
  simple('set_create_dir', 'string', 'Data directory new databases are created in; must be one of the data directories.'),
  simple('set_metadata_dir', 'string', 'Directory for persistent replication metadata (__db.rep.*).'),
  simple('set_intermediate_dir_mode', 'string', 'Mode of intermediate directories, written rwxr-x--- style.'),
  // Logging.
  simple('set_lg_bsize', [uint('bytes')], 'Log buffer size.', { defaultValue: '32000' }),
  simple('set_lg_max', [uint('bytes')], 'Log file size.', { defaultValue: '10485760' }),
  simple('set_lg_regionmax', [uint('bytes', { min: 130000, zeroAllowed: true })], 'Log region size (at least 130000, or 0 for the default).'),
  simple('set_lg_filemode', [int('mode')], 'Log file mode.'),
  complex('log_set_config', [keyword('flag', LOG_CONFIG), onoff], 'Turn a logging option on or off.', {
    optional: 1, repeat: 'per-key', unsupported: { DB_LOG_DIRECT: 'always' },
  }),
  // Locking and transactions.
  simple('set_lk_max_lockers', [uint('count')], 'Maximum lockers.'),
  simple('set_lk_max_locks', [uint('count')], 'Maximum locks.'),
  simple('set_lk_max_objects', [uint('count')], 'Maximum locked objects.'),
  simple('set_lk_partitions', [uint('count', { min: 1 })], 'Lock table partitions (0 crashes Berkeley DB with SIGFPE).'),
  simple('set_lk_tablesize', [uint('count')], 'Lock table size.'),
  complex('set_lk_detect', [keyword('policy', LOCK_DETECT)], 'Deadlock detection policy.'),
  complex('set_lock_timeout', [uint32('usec')], 'Lock timeout in microseconds.'),
  complex('set_txn_timeout', [uint32('usec')], 'Transaction timeout in microseconds.'),
  complex('set_reg_timeout', [uint32('usec')], 'Registry timeout in microseconds.'),
  simple('set_tx_max', [uint('count')], 'Maximum active transactions.'),
  // Memory pool and mutexes.
  complex('set_cachesize', [uint32('gbytes'), uint32('bytes'), int('ncache')], 'Cache size: gigabytes, bytes and number of caches (at most 10000 GB a cache).', {
    maxGbytesPerCache: 10000,
  }),
  simple('set_cache_max', [uint('gbytes'), uint('bytes')], 'Maximum cache size.'),
  simple('set_memory_max', [uint('gbytes'), uint('bytes')], 'Maximum memory for the environment.'),
  complex('set_memory_init', [keyword('structure', MEM_INIT), uint32('count')], 'Initial number of a structure.', { repeat: 'per-key' }),
  simple('set_mp_max_openfd', [int('count')], 'Maximum open file descriptors in the cache.'),
  simple('set_mp_max_write', [int('count'), int('sleep_us')], 'Maximum sequential writes and the sleep between them.'),
  simple('set_mp_mmapsize', [uint('bytes')], 'Maximum file size to map.'),
  simple('set_mp_mtxcount', [uint('count')], 'Mutexes for the cache hash table.'),
  simple('set_mp_pagesize', [uint('bytes')], 'Cache page size.'),
  simple('mutex_set_align', [uint('bytes', { powerOfTwo: true })], 'Mutex alignment (a power of two).'),
  simple('mutex_set_increment', [uint('count')], 'Extra mutexes to allocate.'),
  simple('mutex_set_init', [uint('count')], 'Initial mutexes.'),
  simple('mutex_set_max', [uint('count')], 'Maximum mutexes.'),
  simple('mutex_set_tas_spins', [uint('count')], 'Test-and-set spins.'),
  simple('set_tas_spins', [uint('count')], 'Outdated name of mutex_set_tas_spins.', { aliasOf: 'mutex_set_tas_spins' }),
  // Environment.
  simple('set_shm_key', [{ kind: 'long', name: 'key' }], 'Base shared memory key.'),
  simple('set_thread_count', [uint('count')], 'Thread count for failchk.'),
  simple('set_data_len', [uint('bytes')], 'Data length shown by utilities.'),
  complex('set_flags', [keyword('flag', ENV_FLAGS), onoff], 'Turn an environment flag on or off.', {
    optional: 1, repeat: 'per-key', unsupported: { DB_DIRECT_DB: 'on', DB_DIRECT_LOG: 'always' },
  }),
  complex('set_open_flags', [keyword('flag', OPEN_FLAGS), onoff], 'Turn an environment open flag on or off.', { optional: 1, repeat: 'per-key' }),
  complex('set_verbose', [keyword('category', VERBOSE), onoff], 'Turn a verbose message category on or off.', { optional: 1, repeat: 'per-key' }),
  complex('set_region_init', [int('value', { max: 1 })], 'Page-fault the regions in at open (0 or 1).'),
  complex('set_intermediate_dir', [int('mode', { min: 1 })], 'Mode of intermediate directories, as an integer.'),
];

const exact = new Map(DIRECTIVES.filter((d) => d.caseSensitive).map((d) => [d.name, d]));
const folded = new Map(DIRECTIVES.filter((d) => !d.caseSensitive).map((d) => [d.name, d]));

/** ASCII-only lower case, as strcasecmp in the C locale compares. */
export function asciiLower(s: string): string {
  let upper = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Only bytes A-Z fold (a binary string may hold bytes 0xC0-0xDE, which toLowerCase would change).
    if (c >= 0x80) return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
    if (c >= 0x41 && c <= 0x5a) upper = true;
  }
  // Most names and keywords are already lower case (or all upper): no new string for the first.
  return upper ? s.toLowerCase() : s;
}

/** Look a name up exactly as Berkeley DB does: simple names case-sensitively, complex ones in any case. */
export function lookupDirective(name: string): DirectiveSpec | undefined {
  return exact.get(name) ?? folded.get(asciiLower(name));
}

const foldedKeywords = new WeakMap<readonly string[], Map<string, string>>();

/** Case-insensitive keyword match; returns the canonical spelling. */
export function matchKeyword(values: readonly string[], token: string): string | undefined {
  let folded = foldedKeywords.get(values);
  if (!folded) {
    folded = new Map(values.map((v) => [asciiLower(v), v]));
    foldedKeywords.set(values, folded);
  }
  return folded.get(asciiLower(token));
}

/**
 * Names seen in vendor documentation and old releases that Berkeley DB 5.3
 * rejects, with what to write instead.
 */
export const KNOWN_MISSPELLINGS: Readonly<Record<string, string>> = {
  set_rep_priority: 'rep_set_priority',
  repmgr_set_local_site: 'repmgr_site HOST PORT db_local_site on',
  repmgr_add_remote_site: 'repmgr_site HOST PORT',
  rep_set_transport: '(nothing: the transport is set by the application, not DB_CONFIG)',
};

/** Numeric range of each kind, as Berkeley DB checks it. */
export const NUMBER_RANGES: Readonly<Record<NumberKind, { min: bigint; max: bigint }>> = {
  uint: { min: 0n, max: 4294967295n },
  uint32: { min: 0n, max: 4294967295n },
  int: { min: 0n, max: 2147483647n },
  long: { min: 0n, max: 9223372036854775807n },
};
