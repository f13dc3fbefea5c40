import { parseAddress, type Address } from './address.js';
import { normaliseAckPolicy, QUESTIONS, TIMEOUT_NAMES, whereToAnswer, type RawAnswers, type Role } from './questions.js';

/** One replication site, validated: what the templates render. */
export interface Site {
  readonly role: Role;
  readonly env: string;
  readonly local: Address;
  /** Remote sites; the replicant's master is its bootstrap helper. */
  readonly remotes: readonly { readonly address: Address; readonly helper: boolean }[];
  readonly priority: number;
  readonly ackPolicy: string;
  readonly clientPort: number;
  /** The master's local site creates the group. */
  readonly groupCreator: boolean;
  readonly timeouts: readonly { readonly name: string; readonly usec: number }[];
}

export interface SiteProblem {
  /** The question whose answer to correct. */
  readonly question: keyof RawAnswers;
  /** The flag (and answers-file key) to correct. */
  readonly where: string;
  readonly message: string;
}

const same = (a: Address, b: Address) => a.host === b.host && a.port === b.port;

function question(name: keyof RawAnswers) {
  return QUESTIONS.find((q) => q.name === name)!;
}

/**
 * Validate a complete set of answers and build the site. Every value is
 * checked here (again, whatever its source), so nothing unvalidated reaches
 * a template.
 */
export function buildSite(role: Role, answers: RawAnswers): { site?: Site; problems: SiteProblem[] } {
  const problems: SiteProblem[] = [];
  const check = (name: keyof RawAnswers, value: string | undefined): string | undefined => {
    const q = question(name);
    if (value === undefined) {
      if (q.required && q.roles.includes(role)) problems.push({ question: name, where: whereToAnswer(q), message: `missing: ${q.help.toLowerCase()}` });
      return undefined;
    }
    const bad = q.validate(value);
    if (bad) {
      problems.push({ question: name, where: whereToAnswer(q), message: bad });
      return undefined;
    }
    return value;
  };
  const addr = (name: keyof RawAnswers, value: string | undefined) => {
    const v = check(name, value);
    if (v === undefined) return undefined;
    const r = parseAddress(v);
    return r.ok ? r.address : undefined;
  };

  const env = check('env', answers.env);
  const local = addr('local', answers.local);
  const master = role === 'replicant' ? addr('master', answers.master) : undefined;
  const others = (role === 'master' ? answers.replicants : answers.sites) ?? [];
  const othersName: keyof RawAnswers = role === 'master' ? 'replicants' : 'sites';
  const otherAddrs = others.map((o) => addr(othersName, o)).filter((a): a is Address => a !== undefined);
  const priorityText = check('priority', answers.priority);
  const ackText = check('ackPolicy', answers.ackPolicy);
  const clientText = check('clientPort', answers.clientPort);

  const remotes = [...(master ? [{ address: master, helper: true }] : []), ...otherAddrs.map((address) => ({ address, helper: false }))];
  if (local) {
    for (const r of remotes) {
      if (same(r.address, local)) {
        const name = r.helper ? 'master' : othersName;
        problems.push({ question: name, where: whereToAnswer(question(name)), message: `${r.address.host}:${r.address.port} is this site's own address (--local); name the other site` });
      }
    }
    const hosts = new Map<string, string>();
    for (const a of [local, ...remotes.map((r) => r.address)]) {
      const other = hosts.get(a.host.toLowerCase());
      if (other !== undefined && other !== a.host) {
        problems.push({ question: 'local', where: whereToAnswer(question('local')), message: `host "${a.host}" differs only in case from "${other}"; Berkeley DB compares host strings exactly, so write it the same everywhere` });
      }
      hosts.set(a.host.toLowerCase(), a.host);
    }
  }
  const seen = new Set<string>();
  for (const r of remotes) {
    const k = `${r.address.host} ${r.address.port}`;
    if (seen.has(k)) problems.push({ question: othersName, where: whereToAnswer(question(othersName)), message: `${r.address.host}:${r.address.port} is named twice` });
    seen.add(k);
  }
  const priority = priorityText === undefined ? undefined : Number(priorityText);
  if (role === 'master' && priority === 0) {
    problems.push({ question: 'priority', where: whereToAnswer(question('priority')), message: 'a master needs a priority above 0 (0 means it can never be elected master)' });
  }
  const clientPort = clientText === undefined ? undefined : Number(clientText);
  if (local && clientPort === local.port) {
    problems.push({ question: 'clientPort', where: whereToAnswer(question('clientPort')), message: `the client port ${clientPort} is also the replication port of --local; clients and replication need different ports (the vendor default is 5000 for clients, 5010 for replication)` });
  }
  const timeouts: { name: string; usec: number }[] = [];
  for (const [name, bdbName] of Object.entries(TIMEOUT_NAMES) as [keyof RawAnswers, string][]) {
    const v = check(name, answers[name] as string | undefined);
    if (v !== undefined) timeouts.push({ name: bdbName, usec: Number(v) });
  }
  if (problems.length > 0 || env === undefined || local === undefined || priority === undefined || ackText === undefined || clientPort === undefined) {
    return { problems };
  }
  return {
    site: {
      role,
      env,
      local,
      remotes,
      priority,
      ackPolicy: normaliseAckPolicy(ackText)!,
      clientPort,
      groupCreator: role === 'master',
      timeouts,
    },
    problems,
  };
}
