import { declare, type DeclareContext } from './declare.js';

/** `provision demo`. */
export function demoCommand({ io, done }: DeclareContext) {
  return declare(
    'demo [dir]',
    'Provision a demo master and replicant into a scratch folder and lint them',
    (y) =>
      y
        .positional('dir', { describe: 'Scratch folder (default: a new temporary folder)', type: 'string' })
        .example('provision demo', 'Run the demo in a temporary folder')
        .example('provision demo ./demo', 'Run it in ./demo'),
    async (args) => {
      const { runDemo } = await import('../commands/demo.js');
      const code = await runDemo({ ...(args.dir !== undefined ? { dir: args.dir } : {}) }, io);
      done(code);
    },
  );
}
