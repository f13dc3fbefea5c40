import { declare, type DeclareContext } from './declare.js';

/** `provision migrate`. */
export function migrateCommand({ io, done }: DeclareContext) {
  return declare(
    'migrate <migration> [args..]',
    'One-shot changes to a site or a group: promote, demote, failover, takeover, restore-main, rename-host, modernise; rollback and list',
    (y) =>
      y
        .positional('migration', {
          describe: 'What to do',
          choices: ['promote', 'demote', 'failover', 'takeover', 'restore-main', 'rename-host', 'modernise', 'rollback', 'list'] as const,
          demandOption: true,
        })
        .positional('args', { describe: 'rename-host: OLD NEW; rollback: [ID]', type: 'string', array: true })
        .option('env', { describe: 'One site: its environment directory or DB_CONFIG file (promote, demote: the site they change; --group or --site add the rest of its group, for the group checks)', type: 'string' })
        .option('group', { describe: 'A group: DIR/<site>/DB_CONFIG for every site (as provision plan renders it)', type: 'string' })
        .option('site', { describe: 'A site of the group: NAME=PATH (PATH a DB_CONFIG or environment directory; repeat)', type: 'string', array: true })
        .option('topology', { describe: 'A topology file to keep in step (its role and host keys; its priorities come first for a site whose role changes), with --group DIR', type: 'string' })
        .option('to', { describe: 'failover, takeover: the site that becomes master (with --topology, by default the first site of its failover_order that is not master)', type: 'string' })
        .option('main', { describe: 'restore-main: the main server (default: the master before the last takeover, from the journal)', type: 'string' })
        .option('helper', { describe: 'demote: the new master, HOST:PORT, made this site\'s bootstrap helper', type: 'string' })
        .option('priority', { describe: 'promote, demote: the site\'s new rep_set_priority; failover, takeover, restore-main: the new master\'s (default: the one it had as master before, else its own when above 0, else 1)', type: 'string' })
        .option('demoted-priority', { describe: 'failover, takeover, restore-main: the old master\'s new rep_set_priority (default: the one it had as replicant before, else 0)', type: 'string' })
        .option('confirm', { describe: 'takeover: the confirmation code for today (or the site\'s name), for scripts', type: 'string' })
        .option('date', { describe: 'takeover: the date the code is made from, YYYY-MM-DD (default: today, local time)', type: 'string' })
        .option('force', { describe: 'takeover: go ahead although the old master still accepts connections on its replication port', type: 'boolean', default: false })
        .option('clean', { describe: 'Move each changed site\'s region files to quarantine (--no-clean: leave them, and do it before restarting)', type: 'boolean', default: true })
        .option('dry-run', { alias: 'n', describe: 'Show the plan; write nothing', type: 'boolean', default: false })
        .option('json', { describe: 'Print the plan and the result as JSON', type: 'boolean', default: false })
        .option('yes', { alias: 'y', describe: 'Do not ask for confirmation (takeover still needs its code: --confirm CODE)', type: 'boolean', default: false })
        .epilog(
          [
            'Sites: --env DIR (one site), --group DIR (every DIR/<site>/DB_CONFIG), or --site NAME=PATH (repeat).',
            'Every migration is planned, shown, then applied with backups; each changed file must pass lint and the group',
            'its group rules; a journal entry goes to .provision-journal/ beside each changed DB_CONFIG (docs/migrate.md).',
            '',
            'Examples:',
            '  provision migrate failover --group ./group --to b --dry-run',
            '  provision migrate takeover --env /var/db/app --confirm 2926',
            '  provision migrate restore-main --group ./group --yes',
            '  provision migrate rename-host --group ./group old.example.com 10.0.0.9',
            '  provision migrate failover --topology group.ini --group ./plan --to backup --yes',
            '  provision migrate modernise --env /var/db/app',
            '  provision migrate rollback --group ./group',
            '',
            'Exit codes: 0 applied, nothing to do or dry run, 1 refused (not confirmed, wrong code, a file changed, in use,',
            'the result would not pass lint), 2 usage or I/O error (also --yes or --confirm missing without a terminal).',
          ].join('\n'),
        ),
    async (args) => {
      const { runMigrate } = await import('../commands/migrate.js');
      const { terminalAsker } = await import('../ask.js');
      const code = await runMigrate(
        {
          migration: args.migration,
          args: (args.args ?? []).map(String),
          ...(args.env !== undefined ? { env: args.env } : {}),
          ...(args.group !== undefined ? { group: args.group } : {}),
          sites: (args.site ?? []).map(String),
          ...(args.topology !== undefined ? { topology: args.topology } : {}),
          ...(args.to !== undefined ? { to: args.to } : {}),
          ...(args.main !== undefined ? { main: args.main } : {}),
          ...(args.helper !== undefined ? { helper: args.helper } : {}),
          ...(args.priority !== undefined ? { priority: args.priority } : {}),
          ...(args['demoted-priority'] !== undefined ? { demotedPriority: args['demoted-priority'] } : {}),
          ...(args.confirm !== undefined ? { confirm: args.confirm } : {}),
          ...(args.date !== undefined ? { date: args.date } : {}),
          force: args.force,
          clean: args.clean,
          dryRun: args['dry-run'],
          json: args.json,
          yes: args.yes,
        },
        io,
        () => terminalAsker(io),
      );
      done(code);
    },
  );
}
