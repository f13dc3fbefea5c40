import * as path from 'node:path';
import { count } from '../count.js';
import { parseDbConfig } from '../dbconfig/document.js';
import { emitPs1, emitSh } from '../layout/emit.js';
import { lintGroup } from '../lint/group.js';
import type { LintMessage } from '../lint/types.js';
import type { Change, Plan } from '../plan/types.js';
import { planSite, RejectedConfig } from '../site/plan.js';
import type { Template } from '../site/render.js';
import { buildSite } from '../site/site.js';
import { topologySiteAnswers } from './answers.js';
import { checkTopology, type TopologyRuleSettings } from './check.js';
import { buildRunbook, renderRunbookMarkdown, siteFiles, type Runbook } from './runbook.js';
import type { ResolvedTopology } from './sites.js';
import type { TopologyProblem } from './types.js';

export interface TopologyPlanInput {
  readonly resolved: ResolvedTopology;
  /** The generator's templates (templates/master.DB_CONFIG.hbs, replicant.DB_CONFIG.hbs). */
  readonly templates: { readonly master: Template; readonly replicant: Template };
  /** Where the plan goes (absolute, on this machine). */
  readonly outDir: string;
  /** The current bytes of a file below outDir, or null when there is none (the caller's one read). */
  readonly read: (file: string) => Buffer | null;
  /** Whether a folder exists. */
  readonly exists: (dir: string) => boolean;
  /** The topology file's name, as the runbook shows it. */
  readonly topologyName: string;
  readonly rules?: TopologyRuleSettings;
}

/** What one site gets. */
export interface TopologySitePlan {
  readonly name: string;
  readonly configPath: string;
  /** The DB_CONFIG the plan writes (merged into a hand-edited one). */
  readonly content: Buffer;
  readonly scriptPath?: string;
  /** Lint warnings of the site's file and of the group (errors refuse the plan). */
  readonly findings: readonly LintMessage[];
}

export interface TopologyPlan {
  readonly plan: Plan;
  readonly sites: readonly TopologySitePlan[];
  readonly runbook: Runbook;
  /** Warnings of the topology file (its rules) and of the rendered files. */
  readonly warnings: readonly TopologyProblem[];
}

/** A topology that may not be planned: its errors, each with its line. */
export class RejectedTopology extends Error {
  constructor(message: string, readonly problems: readonly TopologyProblem[]) {
    super(message);
    this.name = 'RejectedTopology';
  }
}

/**
 * Plan a whole group (pure apart from loading handlebars and the reads the
 * caller hands in): check the topology (errors refuse), render every site's
 * DB_CONFIG from the generator's templates through planSite (an existing one
 * is merged, not replaced), lint the rendered files as one group, and write
 * each site's layout script and the runbook. Every write is a plan change, so
 * an unchanged topology plans nothing.
 */
export async function planTopology(input: TopologyPlanInput): Promise<TopologyPlan> {
  const { resolved, outDir } = input;
  const checked = checkTopology(resolved, input.rules);
  const errors = checked.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new RejectedTopology(`the topology has ${count(errors.length, 'error')}; it is not planned`, errors);

  const changes: Change[] = [];
  const sites: { name: string; configPath: string; content: Buffer; scriptPath?: string; findings: LintMessage[] }[] = [];
  for (const s of resolved.sites) {
    const { role, answers } = topologySiteAnswers(resolved, s.name);
    const built = buildSite(role, answers);
    if (!built.site) throw new Error(`site "${s.name}" passed the topology rules but the generator refuses it: ${built.problems.map((p) => p.message).join('; ')}`);
    const dir = path.join(outDir, s.name);
    const configPath = path.join(dir, 'DB_CONFIG');
    const envExists = input.exists(dir);
    const planned = await planSite({
      site: built.site,
      template: input.templates[role],
      configPath,
      existing: envExists ? input.read(configPath) : null,
      envExists,
      regionFiles: [],
    });
    changes.push(...planned.plan.changes.map((c) => (c.kind === 'write' ? { ...c, reason: `${c.before === null ? 'new' : c.before.equals(c.after) ? 'unchanged' : 'updated'} DB_CONFIG of site "${s.name}" (${role})` } : { ...c, reason: `the folder of site "${s.name}"` })));
    let scriptPath: string | undefined;
    if (s.layout) {
      scriptPath = path.join(outDir, ...siteFiles(s)[1]!.split('/'));
      const script = Buffer.from(s.target === 'windows' ? emitPs1(s.layout) : emitSh(s.layout), 'utf8');
      changes.push({ kind: 'write', path: scriptPath, before: input.read(scriptPath), after: script, reason: `the layout script of site "${s.name}"` });
    }
    sites.push({ name: s.name, configPath, content: planned.content, ...(scriptPath !== undefined ? { scriptPath } : {}), findings: [...planned.findings] });
  }

  // The rendered files must be right together, not only one by one.
  const group = lintGroup(sites.map((s) => ({ filePath: s.name, doc: parseDbConfig(s.content) })));
  for (const s of sites) {
    const found = group.get(s.name) ?? [];
    const bad = found.filter((m) => m.severity === 2);
    if (bad.length > 0) {
      throw new RejectedConfig(`the rendered ${s.name}/DB_CONFIG line ${bad[0]!.line}: ${bad[0]!.message} [${bad[0]!.ruleId}]; the topology needs a fix provision does not make`, bad);
    }
    s.findings.push(...found);
  }

  const runbook = buildRunbook(resolved, input.topologyName);
  for (const [file, text] of [['runbook.md', renderRunbookMarkdown(runbook)], ['runbook.json', `${JSON.stringify(runbook, null, 2)}\n`]] as const) {
    const p = path.join(outDir, file);
    changes.push({ kind: 'write', path: p, before: input.read(p), after: Buffer.from(text, 'utf8'), reason: file === 'runbook.md' ? 'the runbook, for people' : 'the runbook, as data' });
  }
  return { plan: { changes }, sites, runbook, warnings: checked.filter((p) => p.severity === 'warning') };
}
