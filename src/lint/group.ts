import type { DbConfigDocument } from '../dbconfig/document.js';
import { describeSite, type SiteDescription } from '../dbconfig/site-config.js';
import { readStatements } from '../dbconfig/statements.js';
import { display } from '../dbconfig/text.js';
import { findDisableComments, isDisabled, type DisableComment } from './disable.js';
import { GROUP_RULES } from './group-rules.js';
import type { LintMessage, RuleSetting, Severity } from './types.js';

export { GROUP_RULES };

export interface GroupMember {
  readonly filePath: string;
  readonly doc: DbConfigDocument;
}

const key = (host: string, port: number) => `${host} ${port}`;

/**
 * Findings for the group as a whole, by file path. Pure. A finding is left out when its rule is
 * set to "off" or when a `# provision-disable-next-line` comment on the line before it, in the
 * file it is reported in, names its rule (or names none), as for the file rules.
 */
export function lintGroup(members: readonly GroupMember[], settings: Readonly<Record<string, RuleSetting>> = {}): Map<string, LintMessage[]> {
  const out = new Map<string, LintMessage[]>(members.map((m) => [m.filePath, []]));
  const sites = members.map((m) => ({ ...m, site: describeSite(readStatements(m.doc)) as SiteDescription }));
  const docs = new Map(members.map((m) => [m.filePath, m.doc]));
  // A file's disable comments are looked for only once it has a finding: most files of a group have none.
  const disabled = new Map<string, DisableComment[]>();
  const isSilenced = (filePath: string, line: number, ruleId: string) => {
    let comments = disabled.get(filePath);
    if (comments === undefined) disabled.set(filePath, (comments = findDisableComments(docs.get(filePath)!)));
    return comments.length > 0 && isDisabled(comments, line, ruleId);
  };
  const report = (filePath: string, ruleId: string, line: number, column: number, message: string, severity?: Severity) => {
    const rule = GROUP_RULES.find((r) => r.id === ruleId)!;
    const setting = settings[ruleId] ?? severity ?? rule.severity;
    if (setting === 'off' || isSilenced(filePath, line, ruleId)) return;
    out.get(filePath)!.push({ ruleId, severity: setting === 'error' ? 2 : 1, line, column, message });
  };
  const locals = new Map<string, string>();
  for (const m of sites) {
    const local = m.site.local;
    if (!local) {
      report(m.filePath, 'group-local-site', 1, 1, 'This site names no local site (repmgr_site HOST PORT db_local_site on), so the group cannot reach it.');
      continue;
    }
    const k = key(local.host, local.port);
    const other = locals.get(k);
    if (other) report(m.filePath, 'group-duplicate-address', local.line, local.column + 1, `Local site ${display(k)} is also the local site of ${other}; every site needs its own host and port.`);
    else locals.set(k, m.filePath);
  }
  const lowerLocals = new Map([...locals.keys()].map((k) => [k.toLowerCase(), k]));
  for (const m of sites) {
    for (const remote of m.site.remotes) {
      const k = key(remote.host, remote.port);
      if (locals.has(k) && locals.get(k) !== m.filePath) continue;
      const near = lowerLocals.get(k.toLowerCase());
      report(
        m.filePath,
        'group-unknown-remote',
        remote.line,
        remote.column + 1,
        near && near !== k
          ? `Remote site ${display(k)} differs only in case from the local site ${display(near)} of ${locals.get(near)}; Berkeley DB compares host strings exactly. Spell it the same.`
          : `Remote site ${display(k)} is not the local site of any file in the group. Use the exact host string and port the other site names as its local site.`,
      );
    }
  }
  if (sites.length > 0 && sites.every((m) => m.site.priority?.value === 0n)) {
    const first = sites[0]!;
    report(first.filePath, 'group-no-master', first.site.priority?.line ?? 1, 1, 'Every site has rep_set_priority 0, so no site can become master. Give the master a priority above 0.');
  }
  const creators = sites.filter((m) => m.site.local?.flags.db_group_creator === true);
  if (creators.length > 1) {
    for (const m of creators.slice(1)) {
      report(m.filePath, 'group-creator', m.site.local!.line, m.site.local!.column + 1, `More than one site is marked db_group_creator (also ${creators[0]!.filePath}); only the master's local site should be.`);
    }
  } else if (creators.length === 0 && sites.length > 0) {
    const first = sites.find((m) => m.site.local) ?? sites[0]!;
    report(first.filePath, 'group-creator', first.site.local?.line ?? 1, 1, 'No site is marked db_group_creator; the first master must then be started explicitly as master. Add "db_group_creator on" to the master\'s local site.', 'warning');
  }
  return out;
}
