import type { RawAnswers, Role } from '../site/questions.js';

/** A value of the topology file and where it was written (1-based line; 1-based byte column of the value). */
export interface Located<T> {
  readonly value: T;
  readonly line: number;
  readonly column: number;
}

/** The generator's answers a topology sets for the whole group (answers-file key names). */
export type GroupAnswerName = Extract<
  keyof RawAnswers,
  'ackPolicy' | 'clientPort' | 'connectionRetry' | 'ackTimeout' | 'heartbeatSend' | 'heartbeatMonitor' | 'electionTimeout' | 'electionRetry'
>;

/** The `[group]` section. */
export interface TopologyGroup {
  /** Line of the `[group]` header (0: the file has none). */
  readonly line: number;
  readonly name?: Located<string>;
  /** The default replication port of the sites. */
  readonly port?: Located<number>;
  /** Answers shared by every site (ack_policy, client_port, the timeouts), as typed. */
  readonly answers: Readonly<Partial<Record<GroupAnswerName, Located<string>>>>;
  /** Sites in the order they take over from the master, by name. */
  readonly failoverOrder?: readonly Located<string>[];
}

/** The roots and layout of a site, as written. */
export type SitePathKey = 'env' | 'root' | 'program' | 'data' | 'backup';

/** One `[site "NAME"]` section. */
export interface TopologySite {
  readonly name: string;
  /** Line and column of the section header. */
  readonly line: number;
  readonly column: number;
  readonly host?: Located<string>;
  readonly port?: Located<number>;
  readonly role?: Located<Role>;
  readonly priority?: Located<string>;
  readonly clientPort?: Located<string>;
  /** A shipped layout preset (templates/layouts). */
  readonly layout?: Located<string>;
  /** The machine's path rules; inferred from the paths when not given. */
  readonly target?: Located<'posix' | 'windows'>;
  readonly paths: Readonly<Partial<Record<SitePathKey, Located<string>>>>;
  /** The emergency-backup ID, as typed (the rule topology-backup-id judges it). */
  readonly backupId?: Located<string>;
}

/** A topology file: one replication group. */
export interface Topology {
  readonly group: TopologyGroup;
  readonly sites: readonly TopologySite[];
}

export type TopologySeverity = 'error' | 'warning';

/**
 * A problem of a topology file: a syntax or value error of the parser
 * (`topology-syntax`, `topology-value`, `topology-missing`) or a group rule's
 * finding (TOPOLOGY_RULES). Lines and columns are 1-based.
 */
export interface TopologyProblem {
  readonly ruleId: string;
  readonly severity: TopologySeverity;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}
