import { KEEP_AT_LEAST_ONE, numberOption, wholeAtLeast } from '../number-option.js';
import { declare, type DeclareContext } from './declare.js';
import { given } from './given.js';

/** `provision backup`. */
export function backupCommand({ io, done }: DeclareContext) {
  return declare(
    'backup',
    'Take a verified cold copy of a data root or environment, into a new snapshot in the backup root',
    (y) =>
      y
        .option('data', { describe: 'The data root or environment directory to copy (default: the data root provision layout recorded)', type: 'string' })
        .option('to', { describe: 'The backup root, where snapshots go (default: the one provision layout recorded)', type: 'string' })
        .option('keep', { describe: 'After a good backup, keep this many snapshots of this data root and host (and remove interrupted backups)', requiresArg: true })
        .option('verify', { describe: 'Check a snapshot (a path or a name in the backup root) against its manifest; alone: every snapshot', type: 'string' })
        .option('list', { describe: 'List the snapshots in the backup root', type: 'boolean', default: false })
        .option('dry-run', { alias: 'n', describe: 'Show what would be copied and removed; copy nothing', type: 'boolean', default: false })
        .option('json', { describe: 'Print the plan and the result as JSON', type: 'boolean', default: false })
        .epilog(
          [
            'A snapshot is <backup root>/<host>-<UTC time>/: data/ (the copy, with modes and times; symbolic links',
            'copied as links, never followed) and manifest.json (the path, size and SHA-256 of every file). It is written',
            'as <name>.partial, read back against the manifest, and only then renamed: a folder without .partial is complete.',
            'It refuses while a process has the data open or listens on its replication port, and when a DB_CONFIG names',
            'a data, log or metadata directory outside the data root (the copy would miss it). Docs: docs/backup.md.',
            '',
            'Examples:',
            '  provision backup --data /var/db/app --to /mnt/backup/app',
            '  provision backup --data /var/db/app --to /mnt/backup/app --keep 7',
            '  provision backup                          # roots from provision layout',
            '  provision backup --to /mnt/backup/app --list',
            '  provision backup --to /mnt/backup/app --verify vm1-20261122T013000Z',
            '  provision backup --to /mnt/backup/app --verify      # every snapshot',
            '',
            'Exit codes: 0 snapshot written (or verified), 1 refused (in use, a directory outside the data root) or a',
            'snapshot that does not match its manifest, 2 usage or I/O error.',
          ].join('\n'),
        ),
    async (args) => {
      const { runBackup } = await import('../commands/backup.js');
      const code = await runBackup(
        {
          ...given(args, 'data'),
          ...given(args, 'to'),
          ...(args.keep !== undefined ? { keep: numberOption('keep', args.keep, KEEP_AT_LEAST_ONE, wholeAtLeast(1)) } : {}),
          ...(args.verify !== undefined ? { verify: given(args, 'verify').verify === '' ? (true as const) : String(args.verify) } : {}),
          list: args.list,
          dryRun: args['dry-run'],
          json: args.json,
        },
        io,
      );
      done(code);
    },
  );
}
