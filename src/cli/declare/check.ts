import { numberOption, TIMEOUT_SECONDS } from '../number-option.js';
import { declare, type DeclareContext } from './declare.js';
import { given } from './given.js';

/** `provision check`. */
export function checkCommand({ io, done }: DeclareContext) {
  return declare(
    'check [config]',
    'Preflight and health of a site: host, ports, remote sites, environment, region files, backup space',
    (y) =>
      y
        .positional('config', { describe: 'The site\'s DB_CONFIG (or its environment directory)', type: 'string' })
        .option('env', { describe: 'Environment directory (where DB_CONFIG lives)', type: 'string' })
        .option('answers', { alias: 'a', describe: 'The generator\'s answers file: env, addresses (until DB_CONFIG is written) and client_port', type: 'string' })
        .option('topology', { alias: 't', describe: 'A topology file: check its sites that live on this machine (or --site)', type: 'string' })
        .option('site', { describe: 'With --topology: check this site (its section name)', type: 'string' })
        .option('client-port', { describe: 'The port the server answers clients on (must differ from the replication port)', type: 'string' })
        .option('backup', { describe: 'Backup root whose free space to check (default: from the layout manifest)', type: 'string' })
        .option('expect', { describe: 'Whether the server should be running now (default: running once the environment has been started)', choices: ['running', 'stopped'] as const })
        .option('timeout', { describe: 'Seconds each TCP connection may take (above 0, at most 600)', requiresArg: true, default: 2 })
        .option('json', { describe: 'Print the results as JSON', type: 'boolean', default: false })
        .option('nagios', { describe: 'Nagios plugin output and exit codes (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)', type: 'boolean', default: false })
        .epilog(
          [
            'Checks (docs/check.md): config, env-writable, host-resolves, local-port, remote-reachable',
            '(one per remote site), region-files, backup-space, client-port. config lints DB_CONFIG with',
            'the nearest .provisionrc, as provision lint does. The local port must be free before the first',
            'start (no region files and no __db.rep.* in the environment) and listening after it; --expect',
            'overrides that guess.',
            '',
            'Examples:',
            '  provision check --env /var/db/app',
            '  provision check /var/db/app/DB_CONFIG --expect stopped --backup /mnt/backup/app',
            '  provision check --answers site.ini --json',
            '  provision check --env /var/db/app --nagios --timeout 1',
            '  provision check --topology group.ini              # the sites of the group on this machine',
            '  provision check --topology group.ini --site main',
            '',
            'Exit codes: 0 every check OK or only warnings, 1 a check is CRITICAL or the topology has',
            'errors (refused, as provision plan refuses it), 2 usage or I/O error; with --nagios: 0 OK,',
            '1 WARNING, 2 CRITICAL, 3 UNKNOWN (the check could not run: any error; a PROVISION CHECK',
            'UNKNOWN line on stdout).',
          ].join('\n'),
        ),
    async (args) => {
      const { runCheck } = await import('../commands/check.js');
      const pick = (k: 'config' | 'env' | 'answers' | 'topology' | 'site' | 'client-port' | 'backup', name: string) => {
        const v = given(args, k)[k];
        return v === undefined ? {} : { [name]: v };
      };
      const code = await runCheck(
        {
          ...pick('config', 'config'), ...pick('env', 'env'), ...pick('answers', 'answers'), ...pick('topology', 'topology'), ...pick('site', 'site'), ...pick('client-port', 'clientPort'), ...pick('backup', 'backup'),
          ...(args.expect !== undefined ? { expect: args.expect } : {}),
          timeout: numberOption('timeout', args.timeout, TIMEOUT_SECONDS, (n) => n > 0 && n <= 600),
          json: args.json,
          nagios: args.nagios,
        },
        io,
      );
      done(code);
    },
  );
}
