import { declare, type DeclareContext } from './declare.js';

/** `provision clean`. */
export function cleanCommand({ io, done }: DeclareContext) {
  return declare(
    'clean',
    'Remove stale Berkeley DB state from a stopped environment (to a quarantine you can undo)',
    (y) =>
      y
        .option('env', { describe: 'Environment directory (where DB_CONFIG lives)', type: 'string' })
        .option('answers', { alias: 'a', describe: 'Take the environment from an answers file (its env key)', type: 'string' })
        .option('replication-state', { describe: 'Also remove the replication identity (__db.rep.*)', type: 'boolean' })
        .option('all-but-config', { describe: 'Empty the environment except DB_CONFIG (a brand-new replicant)', type: 'boolean' })
        .option('purge', { describe: 'Delete instead of moving to quarantine', type: 'boolean', default: false })
        .option('dry-run', { alias: 'n', describe: 'Show what would go; remove nothing', type: 'boolean', default: false })
        .option('json', { describe: 'Print the plan and the result as JSON', type: 'boolean', default: false })
        .option('list', { describe: 'Show every entry, its class, and whether it would go', type: 'boolean', default: false })
        .option('undo', { describe: 'Put back the newest quarantine (or the one named)', type: 'string' })
        .option('yes', { alias: 'y', describe: 'Do not ask for confirmation', type: 'boolean', default: false })
        .option('discard-partial-init', { describe: 'With --replication-state: also remove __db.rep.init (restart an unfinished initialisation)', type: 'boolean', default: false })
        .option('quarantine', { describe: 'Quarantine folder (default: .provision-quarantine beside the environment)', type: 'string' })
        .conflicts('replication-state', 'all-but-config')
        .epilog(
          [
            'What goes, by mode (docs/environment.md has every name):',
            '  default              region files __db.001... and transient __db.* names: what a changed DB_CONFIG needs',
            '  --replication-state  also __db.rep.* (a master then needs every replicant reset)',
            '  --all-but-config     everything but DB_CONFIG: logs and databases too (a brand-new replicant)',
            'Never touched: DB_CONFIG; __dbq.* and __dbp.* (queue and partition data) and *.db outside --all-but-config;',
            'anything through a symbolic link. Vendor documents write "__db." as "_db." and "__db.rep." as "db.rep.":',
            'the real names have two underscores; a file really named _db.* or db.rep.* is unknown and kept.',
            'It refuses while a process has the environment open or listens on its replication port.',
            '',
            'Examples:',
            '  provision clean --env /var/db/app --dry-run',
            '  provision clean --env /var/db/app --yes',
            '  provision clean --env /var/db/app --all-but-config',
            '  provision clean --env /var/db/app --undo',
            '',
            'Exit codes: 0 cleaned, undone or nothing to do, 1 refused (in use, not confirmed, a file that cannot be moved),',
            '2 usage or I/O error.',
          ].join('\n'),
        ),
    async (args) => {
      const { runClean } = await import('../commands/clean.js');
      const { terminalAsker } = await import('../ask.js');
      const code = await runClean(
        {
          ...(args.env !== undefined ? { env: args.env } : {}),
          ...(args.answers !== undefined ? { answers: args.answers } : {}),
          mode: args['all-but-config'] === true ? 'all-but-config' : args['replication-state'] === true ? 'replication-state' : 'state',
          purge: args.purge,
          dryRun: args['dry-run'],
          json: args.json,
          list: args.list,
          ...(args.undo !== undefined ? { undo: args.undo === '' ? (true as const) : args.undo } : {}),
          yes: args.yes,
          discardPartialInit: args['discard-partial-init'],
          ...(args.quarantine !== undefined ? { quarantine: args.quarantine } : {}),
        },
        io,
        () => terminalAsker(io),
      );
      done(code);
    },
  );
}
