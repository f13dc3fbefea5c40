import type { Rule } from '../types.js';
import { flagSetting, numbers, validLines } from '../valid.js';

/**
 * The least set_memory_max Berkeley DB 5.3 accepted for an environment opened
 * with DB_INIT_REP, with every other setting at its smallest (the cache, the
 * lock and transaction counts at 1, set_lg_bsize 1, set_lg_regionmax 130000):
 * 1 MiB for replication and 17137 bytes for the rest (so 17137 with
 * DB_INIT_REP off). Other settings only add to it (about 1.5 MB with the defaults; see
 * docs/bdb-facts.md), so below this no file opens.
 */
export const MIN_MEMORY_MAX_WITH_REP = 1065713n;

const GIGABYTE = 1n << 30n;

export const memoryMaxTooSmall: Rule = {
  id: 'memory-max-too-small',
  severity: 'error',
  description: 'set_memory_max (not 0) below 1065713 bytes, the least any file opens with when replication is on: Berkeley DB refuses to open (BDB1542). The real minimum depends on the other settings (about 1.5 MB with the defaults); lint reports only what is too small whatever they are.',
  check(ctx) {
    // Berkeley DB checks at open, with the last value: an earlier line is overridden, not refused.
    const v = validLines(ctx, 'set_memory_max').at(-1);
    if (v === undefined) return;
    // NOTE: without DB_INIT_REP (`set_open_flags db_init_rep off`) the floor is far lower (17137 bytes measured);
    // such a file is no replication site, and lint does not guess its minimum.
    if (flagSetting(ctx, 'set_open_flags', 'DB_INIT_REP') === false) return;
    const [gbytes, bytes] = numbers(v);
    const total = gbytes! * GIGABYTE + bytes!;
    if (total !== 0n && total < MIN_MEMORY_MAX_WITH_REP) {
      ctx.report({
        line: v.st.line,
        start: v.args[0]!.start,
        end: v.args[1]!.end,
        message: `set_memory_max ${gbytes} ${bytes} allows ${total} bytes, less than the ${MIN_MEMORY_MAX_WITH_REP} Berkeley DB needs at the least with replication on (1 MB of it for replication), so it refuses to open (BDB1542 Minimum environment memory size ... is bigger than specified max). Delete the line (no limit) or allow at least 2 MB (set_memory_max 0 2097152); the exact minimum, which Berkeley DB prints, depends on the other settings (about 1.5 MB with the defaults).`,
      });
    }
  },
};
