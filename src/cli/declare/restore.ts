import { declare, type DeclareContext } from './declare.js';
import { given } from './given.js';

/** `provision restore`. */
export function restoreCommand({ io, done }: DeclareContext) {
  return declare(
    'restore',
    'Restore a snapshot into a data root: checked, staged beside it, then swapped in (the old contents kept)',
    (y) =>
      y
        .option('from', { describe: 'The snapshot: a path, a name in the backup root, or latest', type: 'string' })
        .option('data', { describe: 'Where to restore (default: where the snapshot was taken from)', type: 'string' })
        .option('to', { describe: 'The backup root, to find a snapshot by name (default: the one provision layout recorded)', type: 'string' })
        .option('replace', { describe: 'Replace a data root that is not empty; what it holds goes to a quarantine', type: 'boolean', default: false })
        .option('undo', { describe: 'Put back what the newest restore (or the one named) replaced', type: 'string' })
        .option('recover', { describe: 'Only finish or roll back an interrupted restore of --data', type: 'boolean', default: false })
        .option('dry-run', { alias: 'n', describe: 'Check the snapshot and show what would happen; change nothing', type: 'boolean', default: false })
        .option('json', { describe: 'Print the plan and the result as JSON', type: 'boolean', default: false })
        .epilog(
          [
            'It checks the snapshot against its manifest, copies it into a hidden folder beside the data root, checks',
            'that copy, and swaps it in with one atomic exchange: a kill at any moment leaves the old data root or the',
            'new one, never a mix. The old contents go to <parent>/.provision-quarantine/<name>/restore-<time>/data;',
            '--undo puts them back. It refuses while the data root is in use. Docs: docs/backup.md.',
            '',
            'Examples:',
            '  provision restore --from /mnt/backup/app/vm1-20261122T013000Z --data /var/db/app',
            '  provision restore --from latest --to /mnt/backup/app --data /var/db/app --replace',
            '  provision restore --from vm1-20261122T013000Z --data /var/db/app --dry-run',
            '  provision restore --data /var/db/app --undo',
            '',
            'Exit codes: 0 restored (or undone), 1 refused (not empty without --replace, in use) or a snapshot that does',
            'not match its manifest, 2 usage or I/O error.',
          ].join('\n'),
        ),
    async (args) => {
      const { runRestore } = await import('../commands/restore.js');
      const code = await runRestore(
        {
          ...given(args, 'from'),
          ...given(args, 'data'),
          ...given(args, 'to'),
          replace: args.replace,
          ...(args.undo !== undefined ? { undo: given(args, 'undo').undo === '' ? (true as const) : String(args.undo) } : {}),
          recover: args.recover,
          dryRun: args['dry-run'],
          json: args.json,
        },
        io,
      );
      done(code);
    },
  );
}
