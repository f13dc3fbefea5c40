import yargs, { type Argv } from 'yargs';
import { backupCommand } from './declare/backup.js';
import { checkCommand } from './declare/check.js';
import { cleanCommand } from './declare/clean.js';
import { completionCommand } from './declare/completion.js';
import type { DeclareContext } from './declare/declare.js';
import { demoCommand } from './declare/demo.js';
import { generatorCommand } from './declare/generator.js';
import { layoutCommand } from './declare/layout.js';
import { lintCommand } from './declare/lint.js';
import { migrateCommand } from './declare/migrate.js';
import { planCommand } from './declare/plan.js';
import { restoreCommand } from './declare/restore.js';
import { CliError, EXIT } from './errors.js';
import type { Io } from './io.js';
import { markPositionals, withPositionalMarks } from './mark-positionals.js';
import { withOptionChecks } from './option-values.js';

/** How the parser lays out help; the CLI reference fixes these so the generated file does not depend on the terminal. */
export interface ParserOptions {
  /** Column to wrap help at; default: the terminal width (at most 120), 120 when not a terminal. */
  readonly wrap?: number;
}

/**
 * The command declarations, assembled into one parser. Each handler lazy-imports
 * its command module, so `provision lint` never loads what `provision master` needs.
 * docs/cli-reference.md is generated from this parser (src/cli/cli-reference.ts),
 * so a command registered here appears there.
 */
export function buildParser(argv: readonly string[], context: DeclareContext, version: string, options: ParserOptions = {}): Argv {
  // Arguments after `--`, and a lone `-`, are positionals for every command (mark-positionals.ts).
  const parser = yargs(markPositionals(argv));
  return withOptionChecks(withPositionalMarks(parser), argv)
    .scriptName('provision')
    .usage('provision <command> [options]\n\nWrite, update and lint Berkeley DB DB_CONFIG files for replication sites.')
    .version(version)
    .alias('v', 'version')
    .help()
    .alias('h', 'help')
    .strict()
    // No `--format.x`: an option name with a dot is an unknown option, not an object (whose value would be shown raw).
    .parserConfiguration({ 'dot-notation': false })
    .demandCommand(1, 'Name a command: provision master, replicant, lint, plan, check, migrate, clean, layout, backup, restore, demo or completion')
    .recommendCommands()
    .epilog(
      [
        'Examples:',
        '  Set up this machine as a replicant, then the other as its master:',
        '    provision replicant --env /var/db/app --local 10.0.0.2:5010 --master 10.0.0.1:5010',
        '    provision master --env /var/db/app --local 10.0.0.1:5010 --replicant 10.0.0.2:5010',
        '  Check every DB_CONFIG below a directory:',
        '    provision lint /var/db/app',
        '  Try it: a master and a replicant in a scratch folder:',
        '    provision demo',
        '',
        'Run provision <command> --help for its options. Docs: README.md and docs/.',
      ].join('\n'),
    )
    .wrap(options.wrap ?? (process.stdout.isTTY ? Math.min(120, process.stdout.columns || 80) : 120))
    .exitProcess(false)
    .fail((message, error) => {
      // yargs' own usage errors (a missing option value, say) come as a YError: a one-line usage error too.
      if (error && error.name !== 'YError') throw error;
      // Some of yargs' messages take several lines ("Invalid values:" then the argument): errors are one line.
      throw new CliError(`${message.trim().replace(/\s*\n\s*/g, ' ')} (see provision --help)`);
    })
    .command(lintCommand(context))
    .command(generatorCommand('master', context))
    .command(generatorCommand('replicant', context))
    .command(planCommand(context))
    .command(checkCommand(context))
    .command(cleanCommand(context))
    .command(layoutCommand(context))
    .command(backupCommand(context))
    .command(restoreCommand(context))
    .command(migrateCommand(context))
    .command(demoCommand(context))
    .command(completionCommand(context));
}

/** Parse `argv` and run the command it names; returns the exit code. */
export async function runCommand(argv: readonly string[], io: Io, version: string): Promise<number> {
  let code: number = EXIT.ok;
  const parser = buildParser(argv, { io, done: (c) => (code = c) }, version);
  await parser.parseAsync();
  return code;
}
