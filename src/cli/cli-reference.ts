import { buildParser } from './commands.js';
import type { DeclareContext } from './declare/declare.js';
import type { Io } from './io.js';

/** The column help is wrapped at in docs/cli-reference.md, whatever the terminal. */
const WRAP = 100;
/** The version is not part of the reference: it would change the file at every release. */
const VERSION = '0.0.0';

/** A context whose handlers are never run: only help is asked for. */
function inertContext(): DeclareContext {
  const fail = () => {
    throw new Error('the CLI reference asked a command to run');
  };
  const sink = { write: fail };
  return { io: { cwd: '/', env: {}, stdout: sink, stderr: sink, stdin: process.stdin } satisfies Io, done: fail };
}

/** What `provision ARGV` prints for help, in English, wrapped at WRAP. */
async function helpText(argv: readonly string[]): Promise<string> {
  const parser = buildParser([], inertContext(), VERSION, { wrap: WRAP }).locale('en');
  return new Promise<string>((resolve, reject) => {
    void parser.parse([...argv], {}, (error, _args, output) => (error ? reject(error) : resolve(output)));
  });
}

/** Every command the parser declares (not hidden ones), in the order `provision --help` lists them. */
export function registeredCommands(): string[] {
  const parser = buildParser([], inertContext(), VERSION, { wrap: WRAP });
  // NOTE: yargs' typings do not declare getInternalMethods; the usage instance lists commands as `provision --help` does.
  const internal = parser as unknown as { getInternalMethods(): { getUsageInstance(): { getCommands(): [string, string | false, ...unknown[]][] } } };
  return internal
    .getInternalMethods()
    .getUsageInstance()
    .getCommands()
    .filter(([, describe]) => describe !== false)
    .map(([command]) => command.split(/\s+/)[0]!);
}

/**
 * docs/cli-reference.md: `provision --help` and `provision <command> --help` for
 * every command the parser declares, so the reference follows the declarations.
 * Call it from the CommonJS bundle dist/tools/cli-reference.cjs (scripts/bundle.js),
 * as scripts/cli-doc.js does: like the command line, that loads yargs' CommonJS
 * build, whose help wraps at word boundaries as users see it (its ES module build
 * cuts words in two).
 */
export async function renderCliReference(): Promise<string> {
  const commands = registeredCommands();
  const sections = [
    '# Command-line reference',
    '',
    '<!-- Generated from the command declarations (src/cli/declare/) by `npm run build && node scripts/cli-doc.js`;',
    '     test/docs.test.ts fails when it is out of date. Do not edit by hand. -->',
    '',
    'The help of every command, as `provision <command> --help` prints it. What the commands do, exit codes and',
    '`.provisionrc` are explained in [cli.md](cli.md).',
    '',
    ...commands.map((c) => `- [provision ${c}](#provision-${c})`),
    '',
    '## provision',
    '',
    fence(await helpText(['--help'])),
  ];
  for (const command of commands) {
    sections.push('', `## provision ${command}`, '', fence(await helpText([command, '--help'])));
  }
  return `${sections.join('\n')}\n`;
}

function fence(text: string): string {
  return ['```text', text.replace(/[ \t]+$/gm, '').trimEnd(), '```'].join('\n');
}
