import type { Rule } from '../types.js';
import { flagSetting, numbers, validLines } from '../valid.js';

/**
 * The least set_memory_max Berkeley DB 5.3 accepted for an environment opened
 * with DB_INIT_REP: the replication region alone takes 1 MiB. Measured with
 * every other setting at its smallest the minimum was 1065713 bytes, with the
 * defaults about 1.5 MB (docs/bdb-facts.md); the other settings only add to
 * it, so lint checks the 1 MiB that no configuration goes below.
 */
export const MIN_MEMORY_MAX_WITH_REP = 1n << 20n;

const GIGABYTE = 1n << 30n;

export const memoryMaxTooSmall: Rule = {
  id: 'memory-max-too-small',
  severity: 'error',
  description: 'set_memory_max below 1 MB (but not 0): with replication on, Berkeley DB needs more than that and refuses to open (BDB1542).',
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
        message: `set_memory_max ${gbytes} ${bytes} allows ${total} bytes, less than the 1 MB the replication region alone takes, so Berkeley DB refuses to open (BDB1542 Minimum environment memory size ... is bigger than specified max). Delete the line (no limit) or allow at least 2 MB (set_memory_max 0 2097152); the exact minimum, which Berkeley DB prints, depends on the other settings (about 1.5 MB with the defaults).`,
      });
    }
  },
};
