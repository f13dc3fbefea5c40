import { declare, type DeclareContext } from './declare.js';

/** `provision completion`. */
export function completionCommand({ io, done }: DeclareContext) {
  return declare(
    'completion [shell]',
    'Print a bash or zsh script that completes provision commands and options',
    (y) =>
      y
        .positional('shell', { describe: 'The shell (default: zsh when $SHELL is zsh, else bash)', type: 'string', choices: ['bash', 'zsh'] as const })
        .example('provision completion bash >> ~/.bashrc', 'Complete in every new bash')
        .example('provision completion zsh >> ~/.zshrc', 'The same for zsh (after compinit)')
        .epilog('The script asks provision itself (provision --get-yargs-completions ...), so it completes the commands and options of the installed version.'),
    async (args) => {
      const { runCompletion } = await import('../commands/completion.js');
      done(await runCompletion({ ...(args.shell !== undefined ? { shell: args.shell } : {}) }, io));
    },
  );
}
