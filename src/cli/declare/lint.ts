import { declare, type DeclareContext } from './declare.js';
import { LINT_OPTIONS, toLintArgs } from '../lint-options.js';

/** `provision lint`. */
export function lintCommand({ io, done }: DeclareContext) {
  return declare(
    'lint [paths..]',
    'Check DB_CONFIG files the way Berkeley DB reads them',
    (y) =>
      y
        .positional('paths', { describe: 'Files, directories (every DB_CONFIG below them), globs, or - for stdin', type: 'string', array: true })
        .options(LINT_OPTIONS)
        .conflicts('fix', 'fix-dry-run')
        .example('provision lint /var/db/DB_CONFIG', 'Lint one file')
        .example('provision lint C:/POSERA/MAITRED/DATA', 'Lint every DB_CONFIG below a directory')
        .example("provision lint 'sites/*/DB_CONFIG' --group", 'Lint the files of a group, and the group as a whole')
        .example('provision lint --topology group.ini', 'Lint a topology file and its group rules')
        .example('provision lint . --format sarif > lint.sarif', 'SARIF for code scanning')
        .example('provision lint --fix-dry-run DB_CONFIG', 'Show what --fix would change')
        .example('cat DB_CONFIG | provision lint -', 'Lint standard input')
        .epilog('Exit codes: 0 no errors, 1 errors (or more warnings than --max-warnings), 2 usage or I/O error.\nRules: docs/rules.md. Disable one for a line with a comment above it:\n  # provision-disable-next-line RULE -- reason'),
    async (args) => {
      const { runLint } = await import('../commands/lint.js');
      const code = await runLint(toLintArgs(args, args.paths ?? []), io);
      done(code);
    },
  );
}
