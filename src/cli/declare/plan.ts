import { KEEP_AT_LEAST_ONE, numberOption, wholeAtLeast } from '../number-option.js';
import { declare, type DeclareContext } from './declare.js';

/** `provision plan`. */
export function planCommand({ io, done }: DeclareContext) {
  return declare(
    'plan <file>',
    'Render every site of a topology file (DB_CONFIG, layout script) and a runbook for the whole group',
    (y) =>
      y
        .positional('file', { describe: 'The topology file (INI, docs/topology.md)', type: 'string', demandOption: true })
        .option('out', { alias: 'o', describe: 'The folder the plan goes to: <site>/DB_CONFIG, <site>/layout.sh|ps1, runbook.md, runbook.json', type: 'string', demandOption: true })
        .option('dry-run', { alias: 'n', describe: 'Show the changes; write nothing', type: 'boolean', default: false })
        .option('json', { describe: 'Print the plan, the runbook and what was written as JSON', type: 'boolean', default: false })
        .option('config', { alias: 'c', describe: 'Rule settings file (default: the nearest .provisionrc)', type: 'string' })
        .option('keep-backups', { describe: 'How many backups of each replaced file to keep', requiresArg: true, default: 5 })
        .example('provision plan group.ini --out plan --dry-run', 'Show what would be written')
        .example('provision plan group.ini --out plan', 'Write the plan; then follow plan/runbook.md')
        .epilog(
          [
            'The topology is checked first (provision lint --topology FILE): a file with errors is not planned.',
            'Every DB_CONFIG comes from the generator\'s templates, and the set is linted as one group; a',
            'DB_CONFIG already in the plan folder (edited by hand) is merged, not replaced. Replaced files are',
            'kept as <name>.<UTC time>.bak. Running it again on an unchanged topology writes nothing.',
            '',
            'Exit codes: 0 written or nothing to do, 1 refused (errors in the topology), 2 usage or I/O error.',
          ].join('\n'),
        ),
    async (args) => {
      const { runPlan } = await import('../commands/plan.js');
      const code = await runPlan(
        {
          file: String(args.file),
          out: String(args.out),
          dryRun: args['dry-run'],
          json: args.json,
          keepBackups: numberOption('keep-backups', args['keep-backups'], KEEP_AT_LEAST_ONE, wholeAtLeast(1)),
          ...(args.config !== undefined ? { config: String(args.config) } : {}),
        },
        io,
      );
      done(code);
    },
  );
}
