import { formatAddress } from '../site/address.js';
import { withDefaults, type RawAnswers, type Role } from '../site/questions.js';
import type { PlacedSite, ResolvedTopology } from './sites.js';
import type { GroupAnswerName } from './types.js';

/** A placed site's address as the generator takes it (`HOST:PORT`, `[IPV6]:PORT`). */
export const siteAddress = (s: PlacedSite): string => formatAddress({ host: s.host, port: s.port });

/**
 * The generator's answers for one site of a topology: its role, environment,
 * local address, the other sites (a master lists every replicant; a replicant
 * names the master, its bootstrap helper, and the other replicants), its
 * priority and client port, and the group's ack policy and timeouts. Defaults
 * are filled in as `provision master|replicant` fills them, so buildSite on the
 * result renders what that command would. Pure.
 */
export function topologySiteAnswers(resolved: ResolvedTopology, name: string): { role: Role; answers: RawAnswers } {
  const me = resolved.sites.find((s) => s.name === name);
  if (!me) throw new Error(`topologySiteAnswers: no placed site "${name}" (the sites are ${resolved.sites.map((s) => s.name).join(', ')})`);
  const others = resolved.sites.filter((s) => s !== me);
  const group = resolved.topology.group.answers;
  const answers: Record<string, unknown> = {};
  for (const [key, located] of Object.entries(group) as [GroupAnswerName, { value: string }][]) answers[key] = located.value;
  answers.env = me.env;
  answers.local = siteAddress(me);
  if (me.role === 'master') {
    answers.replicants = others.filter((s) => s.role !== 'master').map(siteAddress);
  } else {
    const master = others.find((s) => s.role === 'master');
    if (master) answers.master = siteAddress(master);
    answers.sites = others.filter((s) => s.role !== 'master').map(siteAddress);
  }
  if (me.site.priority) answers.priority = me.site.priority.value;
  if (me.site.clientPort) answers.clientPort = me.site.clientPort.value;
  return { role: me.role, answers: withDefaults(me.role, answers as RawAnswers) };
}
