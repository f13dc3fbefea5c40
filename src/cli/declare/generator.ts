import type { Argv } from 'yargs';
import { QUESTIONS, splitList, type RawAnswers, type Role } from '../../site/questions.js';
import { CliError } from '../errors.js';
import { KEEP_AT_LEAST_ONE, numberOption, wholeAtLeast } from '../number-option.js';
import type { Io } from '../io.js';
import type { DeclareContext } from './declare.js';

/** Options of `provision master|replicant`, declared from the one table of questions. */
function generatorOptions(y: Argv, role: Role) {
  let out = y;
  for (const q of QUESTIONS.filter((x) => x.roles.includes(role))) {
    out = out.option(q.flag, { describe: `${q.help} [answers file: ${q.key}]`, type: 'string', ...(q.multiple ? { array: true } : {}), group: 'Site:' });
  }
  const other = role === 'master' ? 'replicant' : 'master';
  return out
    .option('answers', { alias: 'a', describe: 'INI answers file (flags win over it)', type: 'string' })
    .option('templates', { describe: `Directory with your own ${role}.DB_CONFIG.hbs`, type: 'string' })
    .option('dry-run', { alias: 'n', describe: 'Show the change; write nothing', type: 'boolean', default: false })
    .option('json', { describe: 'Print the plan, warnings and next steps as JSON', type: 'boolean', default: false })
    .option('yes', { alias: 'y', describe: 'Never prompt; a missing answer is an error', type: 'boolean', default: false })
    .option('keep-backups', { describe: 'How many backups of DB_CONFIG to keep', requiresArg: true, default: 5 })
    .option('reset-state', { describe: 'Also move the stale region files to quarantine (provision clean), in the same plan', type: 'boolean', default: false })
    .epilog(
      [
        'Examples:',
        '  Every answer from flags, no prompts:',
        role === 'master'
          ? '    provision master --env /var/db/app --local 10.0.0.1:5010 --replicant 10.0.0.2:5010 --yes'
          : '    provision replicant --env /var/db/app --local 10.0.0.2:5010 --master 10.0.0.1:5010 --yes',
        '  Answers from a file (docs/answers.md); on a terminal, prompts for the rest:',
        `    provision ${role} --answers site.ini`,
        '  Ask for every answer (on a terminal):',
        `    provision ${role}`,
        '  Show the DB_CONFIG change; write nothing:',
        `    provision ${role} --answers site.ini --dry-run`,
        '',
        `Run provision ${other} on the other machine. IPv6: --local [::1]:5010.`,
        'Exit codes: 0 written or unchanged, 1 refused (a file lint rejects, or not confirmed),',
        '2 usage or I/O error, 130 cancelled at a prompt.',
      ].join('\n'),
    );
}

function flagAnswers(args: Record<string, unknown>, role: Role): RawAnswers {
  const out: Record<string, unknown> = {};
  for (const q of QUESTIONS.filter((x) => x.roles.includes(role))) {
    const v = args[q.flag];
    if (v === undefined) continue;
    out[q.name] = q.multiple ? (v as unknown[]).map(String).flatMap(splitList) : String(v);
  }
  return out as RawAnswers;
}

/** `provision master` and `provision replicant`: one declaration, two roles. */
export function generatorCommand(role: Role, { io, done }: DeclareContext) {
  return {
    command: role,
    describe: `Write or update the DB_CONFIG of a ${role} site`,
    builder: (y: Argv) => generatorOptions(y, role),
    handler: async (args: Record<string, unknown>) => done(await generate(role, args, io)),
  };
}

async function generate(role: Role, args: Record<string, unknown>, io: Io): Promise<number> {
  const keep = numberOption('keep-backups', args['keep-backups'], KEEP_AT_LEAST_ONE, wholeAtLeast(1));
  const { runGenerate } = await import('../commands/generate.js');
  const { terminalAsker } = await import('../ask.js');
  return runGenerate(
    {
      role,
      flags: flagAnswers(args, role),
      ...(args.answers !== undefined ? { answers: String(args.answers) } : {}),
      ...(args.templates !== undefined ? { templates: String(args.templates) } : {}),
      dryRun: args['dry-run'] === true,
      json: args.json === true,
      yes: args.yes === true,
      keepBackups: keep,
      resetState: args['reset-state'] === true,
    },
    io,
    () => terminalAsker(io),
  );
}
