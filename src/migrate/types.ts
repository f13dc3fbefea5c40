import type { DbConfigDocument } from '../dbconfig/document.js';
import type { Plan } from '../plan/types.js';

/** The migrations `provision migrate` knows. */
export const MIGRATIONS = ['promote', 'demote', 'failover', 'takeover', 'restore-main', 'rename-host', 'modernise'] as const;
export type MigrationName = (typeof MIGRATIONS)[number];

/** One site of a group, as read: its name (the folder's, or the one given), its DB_CONFIG and the bytes read. */
export interface GroupSite {
  readonly name: string;
  /** The DB_CONFIG file. */
  readonly path: string;
  /** The environment directory (the folder holding DB_CONFIG): its state is cleaned, its journal kept there. */
  readonly env: string;
  readonly bytes: Buffer;
  readonly doc: DbConfigDocument;
}

/** A site's role before and after a migration. */
export interface RoleMove {
  readonly site: string;
  readonly before: string;
  readonly after: string;
  readonly priorityBefore?: string;
  readonly priorityAfter?: string;
}

/**
 * What a migration would do, computed purely: the file writes in the order
 * they must be applied (a demoted master first), the environments whose
 * state must then be cleaned, and what to tell the operator.
 */
export interface MigrationPlan {
  readonly migration: MigrationName | 'rollback';
  readonly plan: Plan;
  /** Site name of each write, in the same order as plan.changes. */
  readonly siteOf: readonly string[];
  /** Environments (of changed files) whose region files must go before the next start. */
  readonly cleanEnvs: readonly string[];
  readonly roles: readonly RoleMove[];
  readonly warnings: readonly string[];
  /** What the operator does next, in order. */
  readonly steps: readonly string[];
  /** Facts the journal keeps for later migrations (the master before a takeover, the backup's priority). */
  readonly details: Readonly<Record<string, string>>;
}
