import yargs from 'yargs';
import { EXIT } from '../errors.js';
import type { Io } from '../io.js';

export type Shell = 'bash' | 'zsh';

export interface CompletionArgs {
  readonly shell?: Shell;
}

/** The shell a completion script is for when none is named: zsh when $SHELL (or $ZSH_NAME) says zsh, else bash. */
export function defaultShell(env: NodeJS.ProcessEnv): Shell {
  return env.SHELL?.includes('zsh') === true || env.ZSH_NAME?.includes('zsh') === true ? 'zsh' : 'bash';
}

/**
 * yargs' completion script for `shell`. yargs chooses between its bash and zsh
 * scripts from $SHELL when a parser is made, so one is made here with $SHELL set
 * to the shell asked for, then $SHELL is put back.
 */
export async function completionScript(shell: Shell): Promise<string> {
  const saved = { SHELL: process.env.SHELL, ZSH_NAME: process.env.ZSH_NAME };
  process.env.SHELL = `/bin/${shell}`;
  delete process.env.ZSH_NAME;
  let parser;
  try {
    parser = yargs().scriptName('provision').completion('completion');
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  const script = await new Promise<string>((resolve, reject) => {
    void parser.parse(['completion'], {}, (error, _argv, output) => (error ? reject(error) : resolve(output)));
  });
  // NOTE: the completions provision answers differ by shell (zsh gets "name:description"), and it tells them
  // apart by $SHELL too; a bash started from a zsh login keeps SHELL=zsh, so the script says which it is.
  return `${script.replace(/\bprovision --get-yargs-completions/g, `SHELL=${shell} provision --get-yargs-completions`).trimEnd()}\n`;
}

/** `provision completion [shell]`: print the script on stdout. */
export async function runCompletion(args: CompletionArgs, io: Io): Promise<number> {
  io.stdout.write(await completionScript(args.shell ?? defaultShell(io.env)));
  return EXIT.ok;
}
