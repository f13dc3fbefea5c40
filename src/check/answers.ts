/** A site to check, from the generator's answers file: its environment, addresses and client port. Pure. */
import { readIni } from '../config/ini.js';
import { parseAnswersFile } from '../site/answers-file.js';
import { parseAddress } from '../site/address.js';
import type { Role } from '../site/questions.js';
import type { SiteAddress } from './types.js';

export interface AnswersSite {
  readonly role: Role;
  readonly env?: string;
  readonly local?: SiteAddress;
  readonly remotes: readonly SiteAddress[];
  readonly clientPort?: number;
}

/**
 * Read an answers file for check: the role is its `role` key, else a
 * replicant when it names a master, else a master. Problems carry their line.
 */
export function siteFromAnswers(text: string): { site?: AnswersSite; problems: { line: number; message: string }[] } {
  const { entries } = readIni(text);
  const roleKey = entries.find((e) => e.section === '' && e.key === 'role')?.value;
  const role: Role = roleKey === 'master' || roleKey === 'replicant' ? roleKey : entries.some((e) => e.section === '' && e.key === 'master') ? 'replicant' : 'master';
  const { answers, problems } = parseAnswersFile(text, role);
  if (problems.length > 0) return { problems };
  const address = (t: string | undefined, helper = false): SiteAddress[] => {
    const r = t === undefined ? undefined : parseAddress(t);
    return r?.ok ? [{ host: r.address.host, port: r.address.port, ...(helper ? { helper: true } : {}) }] : [];
  };
  const remotes = role === 'master' ? (answers.replicants ?? []).flatMap((a) => address(a)) : [...address(answers.master, true), ...(answers.sites ?? []).flatMap((a) => address(a))];
  const local = address(answers.local)[0];
  return {
    site: {
      role,
      ...(answers.env !== undefined ? { env: answers.env } : {}),
      ...(local ? { local } : {}),
      remotes,
      ...(answers.clientPort !== undefined ? { clientPort: Number(answers.clientPort) } : {}),
    },
    problems: [],
  };
}
