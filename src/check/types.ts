/**
 * The facts `provision check` gathers about a site, and the results it
 * derives from them. Gathering does the I/O (src/check/gather.ts); evaluating
 * is pure (src/check/evaluate.ts), so every verdict is testable from data.
 */

/** Nagios' order: a site's status is the worst of its results. */
export type CheckStatus = 'OK' | 'WARNING' | 'CRITICAL';

/** One verdict. `id` is stable (docs/check.md lists them); `subject` says what it is about (a host:port, a path). */
export interface CheckResult {
  readonly id: CheckId;
  readonly status: CheckStatus;
  readonly message: string;
  readonly subject?: string;
}

export type CheckId =
  | 'config'
  | 'host-resolves'
  | 'local-port'
  | 'remote-reachable'
  | 'env-writable'
  | 'region-files'
  | 'backup-space'
  | 'client-port';

/** Whether the site's server should be running now: it decides what the local port must look like. */
export type Expectation = 'running' | 'stopped';

/** A replication address as DB_CONFIG (or the answers file) names it. */
export interface SiteAddress {
  readonly host: string;
  readonly port: number;
  /** db_bootstrap_helper on: the site a new replicant joins through. */
  readonly helper?: boolean;
}

/** What a site is checked from: one of these per site (a topology gives several). */
export interface SiteInput {
  /** How the site is named in the report (the topology's site name, or the environment path). */
  readonly name: string;
  /** The environment directory (absolute). */
  readonly env: string;
  /** Addresses from an answers file or a topology, used when DB_CONFIG does not exist yet. */
  readonly planned?: { readonly local?: SiteAddress; readonly remotes: readonly SiteAddress[]; readonly from?: 'answers' | 'topology' };
  readonly clientPort?: number;
  /** Where backups go (a --backup flag, a topology's backup root), or undefined to look for the layout manifest. */
  readonly backupRoot?: string;
  /** Where backupRoot came from (default: flag). */
  readonly backupFrom?: 'flag' | 'topology';
  /** What a backup copies, when known (a topology's data root); default: the environment and its DB_CONFIG's directories. */
  readonly dataRoot?: string;
  /** Default: decided from the environment's state (docs/check.md). */
  readonly expect?: Expectation;
}

/** The result of one TCP probe. */
export type PortProbe =
  | { readonly state: 'listening' }
  /** Nothing listens, and this machine could listen there. */
  | { readonly state: 'free' }
  /** Nothing accepted a connection, but the port cannot be bound: another process holds it (or it is not this machine's address). */
  | { readonly state: 'unbindable'; readonly code: string }
  | { readonly state: 'unreachable'; readonly code: string };

export interface ResolvedHost {
  readonly host: string;
  /** The addresses the system resolver gives, in its order. */
  readonly addresses: readonly { readonly address: string; readonly family: 4 | 6 }[];
  /** The resolver's error code (ENOTFOUND...), when it failed. */
  readonly error?: string;
}

/** Lint's findings in a site's DB_CONFIG, as counts and the first one that decides the verdict. */
export interface LintSummary {
  readonly errors: number;
  readonly warnings: number;
  /** The first error, else the first warning; absent when there is neither. */
  readonly first?: { readonly line: number; readonly column: number; readonly ruleId: string; readonly message: string };
}

/** Everything check knows about one site. Plain data: JSON-serialisable, built by gather, read by evaluate. */
export interface SiteFacts {
  readonly name: string;
  readonly env: {
    readonly path: string;
    readonly exists: boolean;
    readonly isDirectory: boolean;
    readonly writable: boolean;
    readonly error?: string;
  };
  readonly config: {
    readonly path: string;
    readonly exists: boolean;
    readonly mtimeMs?: number;
    /** Where the addresses came from. */
    readonly source: 'DB_CONFIG' | 'answers' | 'topology' | 'none';
    readonly local?: SiteAddress;
    readonly remotes: readonly SiteAddress[];
    readonly error?: string;
    /** What `provision lint` finds in DB_CONFIG (when it was read): the counts, and the first finding of the worse severity found. */
    readonly lint?: LintSummary;
  };
  /** Region files (__db.001...) with their modification times. */
  readonly regions: readonly { readonly name: string; readonly mtimeMs: number }[];
  /** Whether __db.rep.* files exist: the site has been started as a replication site. */
  readonly replicationIdentity: boolean;
  /** The --expect flag, when given. */
  readonly expect?: Expectation;
  readonly resolved?: ResolvedHost;
  readonly localPort?: PortProbe;
  readonly remotes: readonly (SiteAddress & { readonly probe: PortProbe })[];
  readonly clientPort?: number;
  readonly backup:
    | {
        readonly root: string;
        readonly source: 'manifest' | 'flag' | 'topology';
        /** The folder whose file system was measured: the root, or its nearest existing folder when the root does not exist yet. */
        readonly measuredAt?: string;
        readonly freeBytes?: number;
        readonly dataBytes?: number;
        readonly dataRoot: string;
        readonly error?: string;
      }
    | { readonly skipped: string };
  /** The TCP timeout used, in milliseconds (for messages). */
  readonly timeoutMs: number;
}

/** One site's verdict. */
export interface SiteReport {
  readonly name: string;
  readonly env: string;
  readonly status: CheckStatus;
  readonly results: readonly CheckResult[];
}
