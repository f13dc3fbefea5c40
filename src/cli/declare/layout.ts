import { declare, type DeclareContext } from './declare.js';
import { given } from './given.js';

/** `provision layout`. */
export function layoutCommand({ io, done }: DeclareContext) {
  return declare(
    'layout',
    'Create the program, data and backup roots of a site from a layout, or print them for another machine',
    (y) =>
      y
        .option('preset', { describe: 'A shipped layout: maitred, tapetrack or generic (default generic)', type: 'string', group: 'Layout:' })
        .option('layout', { describe: 'Your own layout file (INI, docs/layout.md)', type: 'string', group: 'Layout:' })
        .option('root', { describe: 'One folder holding the three roots, placed as the layout says', type: 'string', group: 'Roots:' })
        .option('program', { describe: 'The program root (wins over --root)', type: 'string', group: 'Roots:' })
        .option('data', { describe: 'The data root: what backups copy (wins over --root)', type: 'string', group: 'Roots:' })
        .option('backup', { describe: 'The backup root (wins over --root)', type: 'string', group: 'Roots:' })
        .option('answers', { alias: 'a', describe: 'Take the roots from an answers file (keys root, program, data, backup; flags win)', type: 'string', group: 'Roots:' })
        .option('target', { describe: 'The machine the layout is for: its path rules (default: this machine)', choices: ['posix', 'windows'] as const, group: 'Layout:' })
        .option('emit', { describe: 'Print the layout for another machine instead of creating it', choices: ['tree', 'json', 'sh', 'ps1'] as const })
        .option('dry-run', { alias: 'n', describe: 'Show the tree it would create; create nothing', type: 'boolean', default: false })
        .option('json', { describe: 'Print the plan and the result as JSON', type: 'boolean', default: false })
        .option('yes', { alias: 'y', describe: 'Do not ask for confirmation on a terminal', type: 'boolean', default: false })
        .epilog(
          [
            'Presets (templates/layouts/):',
            '  maitred    PRG, DATA (the environment) and BACKUP in one folder; C:\\POSERA\\MAITRED on Windows by default',
            '  tapetrack  the server folder as the program root, var (environment var/db) and backup in it',
            '  generic    program, data (environment data/env) and backup',
            'It creates what is missing (with the layout\'s POSIX modes), leaves what exists, and records the roots in',
            '<program>/provision-layout.ini for provision backup, restore and clean. It refuses a backup root inside the',
            'data root (or the reverse), a path through a symbolic link or onto a file, a layout path that leaves its root,',
            'and a Windows path for a POSIX target (or the reverse); it warns when data and backup share a disk.',
            '',
            'Examples:',
            '  provision layout --preset maitred --root /srv/maitred --dry-run',
            '  provision layout --preset generic --program /opt/app --data /var/lib/app --backup /mnt/backup/app',
            '  provision layout --preset maitred --target windows --emit ps1 > maitred-layout.ps1',
            '  provision layout --preset tapetrack --root /opt/tapetrack --emit sh > layout.sh',
            '  provision layout --layout site-layout.ini --answers site.ini --json',
            '',
            'Exit codes: 0 created, printed or nothing to do, 1 refused (or not confirmed), 2 usage or I/O error.',
          ].join('\n'),
        ),
    async (args) => {
      const { runLayout } = await import('../commands/layout.js');
      const { terminalAsker } = await import('../ask.js');
      const code = await runLayout(
        {
          ...given(args, 'preset'), ...given(args, 'layout'), ...given(args, 'root'), ...given(args, 'program'), ...given(args, 'data'), ...given(args, 'backup'), ...given(args, 'answers'),
          ...(args.target !== undefined ? { target: args.target } : {}),
          ...(args.emit !== undefined ? { emit: args.emit } : {}),
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
