/**
 * The region files lint compares with a DB_CONFIG (stale-region-files): `__db.001`
 * ... (never `__db.rep.*`, `__dbq.*` or `__dbp.*`). cli/walk.ts keeps its own copy:
 * its source also runs in the thread that reads lint's files, which imports nothing.
 */
export const REGION_FILE = /^__db\.\d{3}$/;
