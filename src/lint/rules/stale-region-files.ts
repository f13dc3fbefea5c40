import type { EnvironmentFacts, Rule } from '../types.js';

/** Whether a region file is older than the DB_CONFIG beside it: Berkeley DB then keeps the old settings. */
export function isStale(region: EnvironmentFacts['regionFiles'][number], env: EnvironmentFacts): boolean {
  return region.mtimeMs < env.configMtimeMs;
}

export const staleRegionFiles: Rule = {
  id: 'stale-region-files',
  severity: 'warning',
  description: 'Region files (__db.001...) older than DB_CONFIG: Berkeley DB keeps the old settings until they are removed.',
  check(ctx) {
    const env = ctx.environment;
    if (!env) return;
    const stale = env.regionFiles.filter((f) => isStale(f, env)).map((f) => f.name).sort();
    if (stale.length === 0) return;
    ctx.report({
      line: 1,
      start: 0,
      message: `DB_CONFIG is newer than the region files ${stale.join(', ')}; Berkeley DB keeps the old settings until they are removed with the server stopped (provision clean, or run recovery).`,
    });
  },
};
