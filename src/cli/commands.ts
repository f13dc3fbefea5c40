import yargs, { type Argv } from 'yargs';
import { QUESTIONS, splitList, type RawAnswers, type Role } from '../site/questions.js';
import { CliError, EXIT } from './errors.js';
import { LINT_OPTIONS, toLintArgs } from './lint-options.js';
import type { Io } from './io.js';

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
    .option('keep-backups', { describe: 'How many backups of DB_CONFIG to keep', type: 'number', default: 5 })
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

/**
 * The command declarations. Each handler lazy-imports its command module,
 * so `provision lint` never loads what `provision master` needs.
 */
export async function runCommand(argv: readonly string[], io: Io, version: string): Promise<number> {
  let code: number = EXIT.ok;
  // NOTE: yargs drops a lone "-" from positionals; carry it through as a sentinel.
  const STDIN = '\u0000stdin';
  const parser = yargs(argv.map((a) => (a === '-' ? STDIN : a)))
    .scriptName('provision')
    .usage('provision <command> [options]\n\nWrite, update and lint Berkeley DB DB_CONFIG files for replication sites.')
    .version(version)
    .alias('v', 'version')
    .help()
    .alias('h', 'help')
    .strict()
    .demandCommand(1, 'Name a command: provision master, replicant, lint, clean, layout, backup, restore or demo')
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
    .wrap(process.stdout.isTTY ? Math.min(120, process.stdout.columns || 80) : 120)
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      throw new CliError(`${message} (see provision --help)`);
    })
    .command(
      'lint [paths..]',
      'Check DB_CONFIG files the way Berkeley DB reads them',
      (y) =>
        y
          .positional('paths', { describe: 'Files, directories (every DB_CONFIG below them), globs, or - for stdin', type: 'string', array: true, default: ['.'] })
          .options(LINT_OPTIONS)
          .conflicts('fix', 'fix-dry-run')
          .example('provision lint /var/db/DB_CONFIG', 'Lint one file')
          .example('provision lint C:/POSERA/MAITRED/DATA', 'Lint every DB_CONFIG below a directory')
          .example("provision lint 'sites/*/DB_CONFIG' --group", 'Lint the files of a group, and the group as a whole')
          .example('provision lint . --format sarif > lint.sarif', 'SARIF for code scanning')
          .example('provision lint --fix-dry-run DB_CONFIG', 'Show what --fix would change')
          .example('cat DB_CONFIG | provision lint -', 'Lint standard input')
          .epilog('Exit codes: 0 no errors, 1 errors (or more warnings than --max-warnings), 2 usage or I/O error.\nRules: docs/rules.md. Disable one for a line with a comment above it:\n  # provision-disable-next-line RULE -- reason'),
      async (args) => {
        const { runLint } = await import('./commands/lint.js');
        code = await runLint(
          toLintArgs(args, (args.paths ?? ['.']).map((p) => (p === STDIN ? '-' : p))),
          io,
        );
      },
    )
    .command(generatorCommand('master', io, (c) => (code = c)))
    .command(generatorCommand('replicant', io, (c) => (code = c)))
    .command(
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
        const { runClean } = await import('./commands/clean.js');
        const { terminalAsker } = await import('./ask.js');
        code = await runClean(
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
      },
    )
    .command(
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
        const { runLayout } = await import('./commands/layout.js');
        const { terminalAsker } = await import('./ask.js');
        const given = <K extends 'preset' | 'layout' | 'root' | 'program' | 'data' | 'backup' | 'answers'>(k: K) => {
          const v: unknown = args[k];
          if (Array.isArray(v)) throw new CliError(`--${k} is given ${v.length} times; give it once`);
          return v !== undefined ? { [k]: String(v) } : {};
        };
        code = await runLayout(
          {
            ...given('preset'), ...given('layout'), ...given('root'), ...given('program'), ...given('data'), ...given('backup'), ...given('answers'),
            ...(args.target !== undefined ? { target: args.target } : {}),
            ...(args.emit !== undefined ? { emit: args.emit } : {}),
            dryRun: args['dry-run'],
            json: args.json,
            yes: args.yes,
          },
          io,
          () => terminalAsker(io),
        );
      },
    )
    .command(
      'backup',
      'Take a verified cold copy of a data root or environment, into a new snapshot in the backup root',
      (y) =>
        y
          .option('data', { describe: 'The data root or environment directory to copy (default: the data root provision layout recorded)', type: 'string' })
          .option('to', { describe: 'The backup root, where snapshots go (default: the one provision layout recorded)', type: 'string' })
          .option('keep', { describe: 'After a good backup, keep this many snapshots of this data root and host (and remove interrupted backups)', type: 'number' })
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
        const { runBackup } = await import('./commands/backup.js');
        code = await runBackup(
          {
            ...onlyOnce(args, 'data'),
            ...onlyOnce(args, 'to'),
            ...(args.keep !== undefined ? { keep: Number(args.keep) } : {}),
            ...(args.verify !== undefined ? { verify: onlyOnce(args, 'verify').verify === '' ? (true as const) : String(args.verify) } : {}),
            list: args.list,
            dryRun: args['dry-run'],
            json: args.json,
          },
          io,
        );
      },
    )
    .command(
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
        const { runRestore } = await import('./commands/restore.js');
        code = await runRestore(
          {
            ...onlyOnce(args, 'from'),
            ...onlyOnce(args, 'data'),
            ...onlyOnce(args, 'to'),
            replace: args.replace,
            ...(args.undo !== undefined ? { undo: onlyOnce(args, 'undo').undo === '' ? (true as const) : String(args.undo) } : {}),
            recover: args.recover,
            dryRun: args['dry-run'],
            json: args.json,
          },
          io,
        );
      },
    )
    .command(
      'demo [dir]',
      'Provision a demo master and replicant into a scratch folder and lint them',
      (y) =>
        y
          .positional('dir', { describe: 'Scratch folder (default: a new temporary folder)', type: 'string' })
          .example('provision demo', 'Run the demo in a temporary folder')
          .example('provision demo ./demo', 'Run it in ./demo'),
      async (args) => {
        const { runDemo } = await import('./commands/demo.js');
        code = await runDemo({ ...(args.dir !== undefined ? { dir: args.dir } : {}) }, io);
      },
    );
  await parser.parseAsync();
  return code;
}

/** `provision master` and `provision replicant`: one declaration, two roles. */
function generatorCommand(role: Role, io: Io, done: (code: number) => void) {
  return {
    command: role,
    describe: `Write or update the DB_CONFIG of a ${role} site`,
    builder: (y: Argv) => generatorOptions(y, role),
    handler: async (args: Record<string, unknown>) => done(await generate(role, args, io)),
  };
}

async function generate(role: Role, args: Record<string, unknown>, io: Io): Promise<number> {
  const keep = Number(args['keep-backups']);
  if (!Number.isInteger(keep) || keep < 1) throw new CliError(`--keep-backups must be a whole number of at least 1, found ${JSON.stringify(String(args['keep-backups']))}`);
  const { runGenerate } = await import('./commands/generate.js');
  const { terminalAsker } = await import('./ask.js');
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

/** A string option as `{ [key]: value }` when given, refusing one given twice (yargs would make it a list). */
function onlyOnce<K extends string>(args: Record<string, unknown>, key: K): { [P in K]?: string } {
  const v = args[key];
  if (Array.isArray(v)) throw new CliError(`--${key} is given ${v.length} times; give it once`);
  return (v !== undefined ? { [key]: String(v) } : {}) as { [P in K]?: string };
}
