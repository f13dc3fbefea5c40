import { ACK_POLICIES, matchKeyword, REP_TIMEOUTS } from '../dbconfig/catalogue.js';
import { convertNumber } from '../dbconfig/numbers.js';
import { parseAddress } from './address.js';

export type Role = 'master' | 'replicant';

/**
 * Everything the generator asks, as data: the flag, the answers-file key, the
 * prompt, and the one validator that flags, the answers file and prompts all
 * use. A validator returns an error message, or undefined when the value is good.
 */
export interface Question {
  /** Property name in Answers. */
  readonly name: keyof RawAnswers;
  /** Command-line flag, without dashes. */
  readonly flag: string;
  /** Answers-file key. */
  readonly key: string;
  readonly message: string;
  readonly roles: readonly Role[];
  readonly required: boolean;
  /** Several values (repeat the flag; comma-separated in the answers file). */
  readonly multiple?: boolean;
  readonly defaultFor?: (role: Role) => string | undefined;
  readonly validate: (value: string) => string | undefined;
  readonly help: string;
}

/** Answers as text, from whichever source gave them. */
export interface RawAnswers {
  env?: string;
  local?: string;
  master?: string;
  replicants?: string[];
  sites?: string[];
  priority?: string;
  ackPolicy?: string;
  clientPort?: string;
  connectionRetry?: string;
  ackTimeout?: string;
  heartbeatSend?: string;
  heartbeatMonitor?: string;
  electionTimeout?: string;
  electionRetry?: string;
}

const address = (value: string) => {
  const r = parseAddress(value);
  return r.ok ? undefined : r.reason;
};

const usec = (value: string) => {
  const n = convertNumber(value, 'uint32');
  return n.ok ? undefined : `${JSON.stringify(value)} is not a number of microseconds (0-4294967295)`;
};

/** The long-form ack policy for a value typed as `one`, `ONE` or `DB_REPMGR_ACKS_ONE`. */
export function normaliseAckPolicy(value: string): string | undefined {
  return matchKeyword(ACK_POLICIES, value) ?? matchKeyword(ACK_POLICIES, `DB_REPMGR_ACKS_${value.replace(/-/g, '_')}`);
}

const timeout = (name: Question['name'], flag: string, what: (typeof REP_TIMEOUTS)[number], help: string): Question => ({
  name,
  flag,
  key: flag.replace(/-/g, '_'),
  message: `${help} (microseconds)`,
  roles: ['master', 'replicant'],
  required: false,
  validate: usec,
  help: `${help}, in microseconds (rep_set_timeout ${what})`,
});

export const QUESTIONS: readonly Question[] = [
  {
    name: 'env', flag: 'env', key: 'env', roles: ['master', 'replicant'], required: true,
    message: 'Environment directory (where DB_CONFIG lives)',
    help: 'Environment directory, where DB_CONFIG lives',
    validate: (v) => (v.trim() === '' ? 'the directory is empty' : /[\0\r\n]/.test(v) ? 'the directory contains a control character' : undefined),
  },
  {
    name: 'local', flag: 'local', key: 'local', roles: ['master', 'replicant'], required: true,
    message: 'This site, as HOST:PORT (the replication port)',
    help: 'This site: HOST:PORT of its replication port ([::1]:5010 for IPv6)',
    validate: address,
  },
  {
    name: 'master', flag: 'master', key: 'master', roles: ['replicant'], required: true,
    message: 'The master site, as HOST:PORT',
    help: 'The master: HOST:PORT of its replication port',
    validate: address,
  },
  {
    name: 'replicants', flag: 'replicant', key: 'replicants', roles: ['master'], required: false, multiple: true,
    message: 'Replicant sites, as HOST:PORT (comma-separated, empty for none)',
    help: 'A replicant: HOST:PORT (repeat for several)',
    validate: address,
  },
  {
    name: 'sites', flag: 'site', key: 'sites', roles: ['replicant'], required: false, multiple: true,
    message: 'Other replicants of the group, as HOST:PORT (comma-separated, empty for none)',
    help: 'Another replicant of the group: HOST:PORT (repeat for several)',
    validate: address,
  },
  {
    name: 'priority', flag: 'priority', key: 'priority', roles: ['master', 'replicant'], required: true,
    message: 'Election priority (0: can never become master)',
    help: 'Election priority (default: master 1, replicant 0)',
    defaultFor: (role) => (role === 'master' ? '1' : '0'),
    validate: (v) => (convertNumber(v, 'uint').ok && /^\d+$/.test(v) ? undefined : `${JSON.stringify(v)} is not a priority (a whole number 0-4294967295)`),
  },
  {
    name: 'ackPolicy', flag: 'ack-policy', key: 'ack_policy', roles: ['master', 'replicant'], required: true,
    message: 'Acknowledgement policy',
    help: 'Which acknowledgements a master waits for: ONE, QUORUM, ALL, ... (default ONE)',
    defaultFor: () => 'DB_REPMGR_ACKS_ONE',
    validate: (v) => (normaliseAckPolicy(v) ? undefined : `${JSON.stringify(v)} is not an ack policy; use one of ${ACK_POLICIES.map((p) => p.replace('DB_REPMGR_ACKS_', '')).join(', ')}`),
  },
  {
    name: 'clientPort', flag: 'client-port', key: 'client_port', roles: ['master', 'replicant'], required: true,
    message: 'Port clients connect to (not the replication port)',
    help: 'Port the server answers clients on (default 5000; not a DB_CONFIG setting)',
    defaultFor: () => '5000',
    validate: (v) => (/^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? undefined : `${JSON.stringify(v)} is not a port (1-65535)`),
  },
  timeout('connectionRetry', 'connection-retry', 'DB_REP_CONNECTION_RETRY', 'Wait before retrying a lost connection'),
  timeout('ackTimeout', 'ack-timeout', 'DB_REP_ACK_TIMEOUT', 'How long a master waits for acknowledgements'),
  timeout('heartbeatSend', 'heartbeat-send', 'DB_REP_HEARTBEAT_SEND', 'How often a master sends heartbeats'),
  timeout('heartbeatMonitor', 'heartbeat-monitor', 'DB_REP_HEARTBEAT_MONITOR', 'How long a client waits for heartbeats'),
  timeout('electionTimeout', 'election-timeout', 'DB_REP_ELECTION_TIMEOUT', 'How long an election may take'),
  timeout('electionRetry', 'election-retry', 'DB_REP_ELECTION_RETRY', 'Wait before retrying a failed election'),
];

/** The rep_set_timeout name each timeout answer sets. */
export const TIMEOUT_NAMES: Readonly<Partial<Record<keyof RawAnswers, string>>> = {
  connectionRetry: 'DB_REP_CONNECTION_RETRY',
  ackTimeout: 'DB_REP_ACK_TIMEOUT',
  heartbeatSend: 'DB_REP_HEARTBEAT_SEND',
  heartbeatMonitor: 'DB_REP_HEARTBEAT_MONITOR',
  electionTimeout: 'DB_REP_ELECTION_TIMEOUT',
  electionRetry: 'DB_REP_ELECTION_RETRY',
};

export function questionsFor(role: Role): Question[] {
  return QUESTIONS.filter((q) => q.roles.includes(role));
}

/** "--local (answers file: local)": how to give an answer, for error messages. */
export function whereToAnswer(q: Question): string {
  return `--${q.flag} (answers file: ${q.key})`;
}

/** The answers with every unanswered question that has a default filled in. */
export function withDefaults(role: Role, answers: RawAnswers): RawAnswers {
  const out: Record<string, unknown> = { ...answers };
  for (const q of questionsFor(role)) {
    const fallback = q.defaultFor?.(role);
    if (out[q.name] === undefined && fallback !== undefined) out[q.name] = fallback;
  }
  return out as RawAnswers;
}

/** A list answer as typed: comma-separated, blanks dropped. */
export function splitList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}
