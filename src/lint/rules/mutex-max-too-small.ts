import type { Rule, RuleContext } from '../types.js';
import { flagSetting, lastNumber, numbers, validLines } from '../valid.js';

/**
 * How many mutexes an environment opened as a Replication Manager site opens
 * it (DB_CREATE|DB_RECOVER|DB_THREAD|DB_INIT_REP|DB_INIT_TXN|DB_INIT_LOCK|
 * DB_INIT_LOG|DB_INIT_MPOOL) needs at the least, measured on Berkeley DB 5.3
 * (docs/bdb-facts.md): 39 plus one per lock partition plus one per cache hash
 * mutex (set_mp_mtxcount), 7 fewer each when the file turns DB_THREAD or
 * DB_INIT_REP off. Fewer make the open PANIC (BDB2034 unable to allocate memory
 * for mutex).
 */
const BASE_MUTEXES = 39n;
const PER_OPEN_FLAG = 7n;
/**
 * What lint assumes when the file does not set them. The lock partitions
 * default to 10 per CPU (1 on a one-CPU machine), which lint cannot know, so
 * it counts 1; the hash mutexes default to one per hash bucket, at least 37
 * (the smallest cache).
 */
const FEWEST_PARTITIONS = 1n;
const FEWEST_HASH_MUTEXES = 37n;

/**
 * The fewest mutexes Berkeley DB can open this file with (and whether the lock
 * partitions were assumed), or undefined when lint cannot tell.
 */
function leastMutexes(ctx: RuleContext): { least: bigint; assumed: boolean } | undefined {
  // NOTE: DB_NOLOCKING needs almost no mutexes (mutex_set_max 1 opens).
  if (flagSetting(ctx, 'set_flags', 'DB_NOLOCKING') === true) return undefined;
  const partitions = lastNumber(ctx, 'set_lk_partitions');
  const hash = lastNumber(ctx, 'set_mp_mtxcount');
  let least = BASE_MUTEXES + (partitions || FEWEST_PARTITIONS) + (hash || FEWEST_HASH_MUTEXES);
  if (flagSetting(ctx, 'set_open_flags', 'DB_THREAD') === false) least -= PER_OPEN_FLAG;
  if (flagSetting(ctx, 'set_open_flags', 'DB_INIT_REP') === false) least -= PER_OPEN_FLAG;
  return { least, assumed: !partitions };
}

export const mutexMaxTooSmall: Rule = {
  id: 'mutex-max-too-small',
  severity: 'error',
  description: 'mutex_set_max (not 0) below the mutexes Berkeley DB needs at open, which makes it panic; counted for one CPU, so a value that is too small only on a bigger machine is not reported.',
  check(ctx) {
    // Berkeley DB sizes the region at open, with the last value: an earlier line is overridden, not refused.
    const v = validLines(ctx, 'mutex_set_max').at(-1);
    if (v === undefined) return;
    const need = leastMutexes(ctx);
    const [max] = numbers(v);
    if (need !== undefined && max! !== 0n && max! < need.least) {
      const assumed = need.assumed ? ' (counting one lock partition, as on a one-CPU machine; there are 10 per CPU unless set_lk_partitions says otherwise)' : '';
      ctx.report({
        line: v.st.line,
        start: v.args[0]!.start,
        end: v.args[0]!.end,
        message: `mutex_set_max ${max} is below the ${need.least} mutexes Berkeley DB needs at the least to open this environment${assumed}, so the open panics (BDB2034 unable to allocate memory for mutex; resize mutex region). Delete the line (0, the default, sizes the region itself) or raise it well above that: the need also grows with the cache size.`,
      });
    }
  },
};
