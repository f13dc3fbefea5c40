import type { Target } from '../layout/types.js';
import { QUESTIONS, type RawAnswers } from '../site/questions.js';
import { siteAddress, topologySiteAnswers } from './answers.js';
import type { PlacedSite, ResolvedTopology } from './sites.js';

/** The kinds of step, in the order they run. */
export type RunbookPhase = 'stop' | 'backup' | 'layout' | 'config' | 'clean' | 'start' | 'verify';

/** One thing an operator does on one machine. */
export interface RunbookStep {
  readonly step: number;
  readonly phase: RunbookPhase;
  readonly site: string;
  readonly host: string;
  /** What to do and why, in a sentence or two. */
  readonly text: string;
  /** Commands to type on that machine, in order (POSIX shell or PowerShell, by the site's target). */
  readonly commands: readonly string[];
  readonly shell: 'sh' | 'powershell';
}

export interface RunbookSite {
  readonly name: string;
  readonly role: string;
  readonly address: string;
  readonly target: Target;
  readonly env: string;
  /** Files of the plan for this site, relative to the plan's folder, `/`-separated. */
  readonly files: readonly string[];
}

/** The steps that bring a whole group to what a topology file says, in order across machines. */
export interface Runbook {
  readonly group: string;
  /** The topology file's name. */
  readonly topology: string;
  readonly sites: readonly RunbookSite[];
  readonly steps: readonly RunbookStep[];
}

const SAFE = /^[A-Za-z0-9_./:@%+=,\\-]+$/;

/** A word for the site's shell: as is when it is plain, else quoted (sh: '...', PowerShell: '...' with '' inside). */
function word(value: string, target: Target): string {
  if (SAFE.test(value) && !(target === 'posix' && value.includes('\\'))) return value;
  return target === 'posix' ? `'${value.replace(/'/g, `'\\''`)}'` : `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

/** `provision master|replicant ...` with every answer as a flag: run on the site, it writes (or merges) the same DB_CONFIG. */
export function generatorCommand(resolved: ResolvedTopology, site: PlacedSite): string {
  const { role, answers } = topologySiteAnswers(resolved, site.name);
  const parts = ['provision', role];
  for (const q of QUESTIONS) {
    if (!q.roles.includes(role)) continue;
    const v = answers[q.name as keyof RawAnswers];
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) parts.push(`--${q.flag}`, word(item, site.target));
  }
  parts.push('--yes');
  return parts.join(' ');
}

/** The backup step on a group that does not exist yet: `provision backup` refuses a missing data root. */
const NEW_GROUP = 'For a new group, whose data root does not exist yet, there is nothing to back up: skip this step.';

/** `provision layout ...` for a site with a layout: creates its roots there. */
function layoutCommand(site: PlacedSite): string {
  const l = site.layout!;
  const roots = (['program', 'data', 'backup'] as const).flatMap((k) => [`--${k}`, word(l.roots[k], site.target)]);
  return ['provision', 'layout', ...(l.preset !== undefined ? ['--preset', l.preset] : []), '--target', site.target, ...roots, '--yes'].join(' ');
}

/** The plan's files for a site, relative to the plan's folder. */
export function siteFiles(site: PlacedSite): string[] {
  return [`${site.name}/DB_CONFIG`, ...(site.layout ? [`${site.name}/${site.target === 'windows' ? 'layout.ps1' : 'layout.sh'}`] : [])];
}

/**
 * The runbook (pure): stop every server (replicants first, so none of them
 * holds an election while the master goes away), back up the master (a cold
 * copy, so it comes once the master is stopped), create the layouts, write
 * every DB_CONFIG, clean the state that would keep the old settings, start the
 * master, then each replicant, and verify.
 */
export function buildRunbook(resolved: ResolvedTopology, topologyName: string): Runbook {
  const master = resolved.sites.find((s) => s.role === 'master')!;
  const replicants = resolved.sites.filter((s) => s !== master);
  const steps: RunbookStep[] = [];
  const add = (phase: RunbookPhase, s: PlacedSite, text: string, commands: string[] = []) =>
    steps.push({ step: steps.length + 1, phase, site: s.name, host: s.host, text, commands, shell: s.target === 'windows' ? 'powershell' : 'sh' });
  const env = (s: PlacedSite) => word(s.env, s.target);

  for (const s of [...replicants, master]) {
    add('stop', s, `Stop the database server of site "${s.name}" on ${s.host} (environment ${s.env})${s === master ? ', the master, last' : ''}. Berkeley DB reads DB_CONFIG only when the environment opens.`);
  }
  if (master.backupRoot !== undefined) {
    add('backup', master, `Back up the master's data root while it is stopped (a verified cold copy). ${NEW_GROUP}`, [`provision backup --data ${word(master.dataRoot, master.target)} --to ${word(master.backupRoot, master.target)}`]);
  } else {
    add('backup', master, `Back up the master's environment while it is stopped; it has no backup root, so choose a folder on another disk for BACKUP_DIR. ${NEW_GROUP}`, [`provision backup --data ${env(master)} --to BACKUP_DIR`]);
  }
  for (const s of resolved.sites) {
    if (!s.layout) continue;
    const script = siteFiles(s)[1]!;
    add('layout', s, `Create the folders of site "${s.name}" (where provision is not installed, run ${script} from the plan instead).`, [layoutCommand(s)]);
  }
  for (const s of resolved.sites) {
    add('config', s, `Write the DB_CONFIG of site "${s.name}" (the plan's ${s.name}/DB_CONFIG; an existing file is merged and backed up).`, [generatorCommand(resolved, s)]);
  }
  for (const s of resolved.sites) {
    add('clean', s, `Remove the region files of site "${s.name}" that would keep the old settings (into an undoable quarantine).`, [`provision clean --env ${env(s)} --yes`]);
  }
  add('start', master, `Start the master "${master.name}" (${siteAddress(master)}) and wait until it serves.`);
  // Berkeley DB adds a site to the group only with the acknowledgement of the sites already in it:
  // a join while another replicant is stopped or still joining fails with DB_REP_UNAVAIL.
  replicants.forEach((s, i) => {
    const next = i < replicants.length - 1 ? ' before starting the next replicant' : '';
    add('start', s, `Start the replicant "${s.name}" (${siteAddress(s)}); it joins through the master and copies the databases. Wait until it has joined${next}, and keep the sites already started running: a new site joins only with their acknowledgement.`);
  });
  for (const s of resolved.sites) {
    const stat = s.target === 'windows' ? 'db_stat' : 'db5.3_stat';
    add('verify', s, `Check site "${s.name}": its DB_CONFIG lints clean, and Berkeley DB reports it as a replication ${s.role === 'master' ? 'master' : 'client'}.`, [
      `provision lint ${word(`${s.env}${s.target === 'windows' ? '\\' : '/'}DB_CONFIG`, s.target)}`,
      `${stat} -r -h ${env(s)}`,
    ]);
  }
  return {
    group: resolved.topology.group.name?.value ?? 'group',
    topology: topologyName,
    sites: resolved.sites.map((s) => ({ name: s.name, role: s.role, address: siteAddress(s), target: s.target, env: s.env, files: siteFiles(s) })),
    steps,
  };
}

const PHASES: Readonly<Record<RunbookPhase, string>> = {
  stop: 'Stop the servers',
  backup: 'Back up the master',
  layout: 'Create the folders',
  config: 'Write the configurations',
  clean: 'Clean the state',
  start: 'Start the master, then each replicant',
  verify: 'Verify',
};

/** The runbook as Markdown, for people. */
export function renderRunbookMarkdown(runbook: Runbook): string {
  const out = [
    `# Runbook: replication group ${runbook.group}`,
    '',
    `Written by \`provision plan\` from ${runbook.topology}; run the steps in order, each on the machine it names.`,
    '',
    '| site | role | address | machine | environment | files |',
    '|---|---|---|---|---|---|',
    // NOTE: a | would end a table cell, even inside backticks.
    ...runbook.sites.map((s) => `| ${s.name} | ${s.role} | ${s.address} | ${s.target} | \`${s.env.replace(/\|/g, '\\|')}\` | ${s.files.map((f) => `\`${f}\``).join(', ')} |`),
  ];
  let phase: RunbookPhase | undefined;
  for (const s of runbook.steps) {
    if (s.phase !== phase) {
      phase = s.phase;
      out.push('', `## ${PHASES[phase]}`);
    }
    out.push('', `${s.step}. On **${s.site}** (${s.host}): ${s.text}`);
    // Four spaces keep the block inside the list item whatever the step's number's width.
    if (s.commands.length > 0) out.push('', `    \`\`\`${s.shell}`, ...s.commands.map((c) => `    ${c}`), '    ```');
  }
  return `${out.join('\n')}\n`;
}
