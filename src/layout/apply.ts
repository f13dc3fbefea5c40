import * as fs from 'node:fs';
import { applyPlan, ApplyError, type Applied, type ApplyOptions } from '../plan/apply.js';
import type { LayoutPlan } from './plan.js';

/**
 * Apply a layout plan: applyPlan creates the folders and writes the manifest
 * (atomically, the old one kept as a backup), then each new folder gets its
 * exact mode.
 */
export function applyLayoutPlan(planned: LayoutPlan, options: ApplyOptions = {}): Applied[] {
  const applied = applyPlan(planned.plan, options);
  for (const a of applied) {
    if (a.status !== 'created' || a.change.kind !== 'mkdir' || a.change.mode === undefined) continue;
    // NOTE: mkdir's mode passes through the umask (0770 becomes 0750 under umask 022); the layout's mode is exact.
    try {
      fs.chmodSync(a.change.path, a.change.mode);
    } catch (error) {
      throw new ApplyError(`cannot set the mode of ${a.change.path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, a.change.path, { cause: error });
    }
  }
  return applied;
}
