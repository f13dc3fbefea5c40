import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDbConfig } from '../../dbconfig/document.js';
import { formatResults } from '../../lint/formatters/index.js';
import { lintGroup } from '../../lint/group.js';
import { lintDbConfig, toResult } from '../../lint/lint.js';
import { applyPlan } from '../../plan/apply.js';
import { parseAnswersFile } from '../../site/answers-file.js';
import { planSite } from '../../site/plan.js';
import { withDefaults, type Role } from '../../site/questions.js';
import { buildSite } from '../../site/site.js';
import { CliError, EXIT } from '../errors.js';
import { shownPath, useColor, type Io } from '../io.js';
import { templatesDir } from './generate.js';

/** The embedded answers files of the demo group: a master and a replicant on loopback. */
const DEMO: readonly { role: Role; answers: string }[] = [
  { role: 'master', answers: 'env = master\nlocal = 127.0.0.1:5010\nreplicants = 127.0.0.1:5011\nclient_port = 5000\n' },
  { role: 'replicant', answers: 'env = replicant\nlocal = 127.0.0.1:5011\nmaster = 127.0.0.1:5010\nclient_port = 5001\nconnection_retry = 1000000\n' },
];

/**
 * `provision demo`: provision a master and a replicant into a scratch folder
 * with the real generator, then lint them as one replication group.
 */
export async function runDemo(args: { dir?: string }, io: Io): Promise<number> {
  // `-` stands for standard input or output elsewhere, and an empty name for nothing: neither names a folder.
  if (args.dir === '-') throw new CliError('demo writes into a folder, and "-" is none; name one, as in provision demo ./demo (./- is a folder named -)');
  if (args.dir === '') throw new CliError('demo writes into a folder, and an empty name is none; name one, as in provision demo ./demo');
  const root = args.dir !== undefined ? path.resolve(io.cwd, args.dir) : fs.mkdtempSync(path.join(os.tmpdir(), 'provision-demo-'));
  io.stdout.write(`Provisioning a demo group in ${shownPath(io.cwd, root)}\n`);
  const members = [];
  for (const { role, answers } of DEMO) {
    const parsed = parseAnswersFile(answers, role);
    const { site, problems } = buildSite(role, withDefaults(role, { ...parsed.answers, env: path.join(root, parsed.answers.env!) }));
    if (!site) throw new CliError(`demo answers for the ${role}: ${problems[0]?.message}`, EXIT.internal);
    const configPath = path.join(site.env, 'DB_CONFIG');
    const existing = fs.existsSync(configPath) ? fs.readFileSync(configPath) : null;
    const planned = await planSite({
      site,
      template: { name: `${role}.DB_CONFIG.hbs`, text: fs.readFileSync(path.join(templatesDir(), `${role}.DB_CONFIG.hbs`), 'utf8') },
      configPath,
      existing,
      envExists: fs.existsSync(site.env),
      regionFiles: [],
    });
    const applied = applyPlan(planned.plan).find((a) => a.change.kind === 'write')!;
    io.stdout.write(`\n${role}: ${applied.status === 'unchanged' ? 'unchanged' : applied.status} ${shownPath(io.cwd, configPath)}\n${planned.content.toString('utf8').replace(/^/gm, '  | ').replace(/\s*\|\s*$/, '')}\n`);
    members.push({ filePath: shownPath(io.cwd, configPath), doc: parseDbConfig(planned.content) });
  }
  const group = lintGroup(members);
  const results = members.map((m) => {
    const r = lintDbConfig(m.doc, { filePath: m.filePath });
    return toResult(r.filePath, [...r.messages, ...(group.get(m.filePath) ?? [])]);
  });
  const out = formatResults('stylish', results, { color: useColor(io), cwd: io.cwd });
  const errors = results.reduce((n, r) => n + r.errorCount, 0);
  io.stdout.write(`\nprovision lint --group:\n${out || `  ${results.length} files, no problems.\n`}`);
  io.stdout.write(`\nNext: start the master first (in ${shownPath(io.cwd, path.join(root, 'master'))}), then the replicant.\n`);
  return errors > 0 ? EXIT.findings : EXIT.ok;
}
