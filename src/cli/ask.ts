import { splitList, type Question, type Role } from '../site/questions.js';
import type { Io } from './io.js';

/** The one seam through which provision asks a person anything. */
export interface Asker {
  ask(question: Question, role: Role): Promise<string | string[]>;
  confirm(message: string): Promise<boolean>;
  /** Ask the person to type `expected` (a directory name, or any one of several answers) before something drastic. */
  confirmByTyping(expected: string | readonly string[], message: string): Promise<boolean>;
}

/** The inquirer `input` configuration of a question: its message, default, and the shared validator. */
export function inputConfig(q: Question, role: Role): { message: string; default?: string; validate: (value: string) => string | true } {
  const fallback = q.defaultFor?.(role);
  return {
    message: q.message,
    ...(fallback !== undefined ? { default: fallback } : {}),
    validate: (value: string) => {
      if (q.multiple) {
        for (const item of splitList(value)) {
          const bad = q.validate(item);
          if (bad) return bad;
        }
        return true;
      }
      if (value.trim() === '' && q.required) return 'an answer is required';
      return q.validate(value.trim()) ?? true;
    },
  };
}

/** Prompts on the terminal with inquirer, validating with the same code as flags and lint. */
export async function terminalAsker(io: Io): Promise<Asker> {
  const { input, confirm } = await import('@inquirer/prompts');
  // Prompts go to stderr, so stdout carries only results (--json stays parseable).
  const context = { input: io.stdin as NodeJS.ReadStream, output: io.stderr as unknown as NodeJS.WriteStream };
  return {
    async ask(q, role) {
      const answer = await input(inputConfig(q, role), context);
      return q.multiple ? splitList(answer) : answer.trim();
    },
    async confirm(message) {
      return confirm({ message, default: true }, context);
    },
    async confirmByTyping(expected, message) {
      const typed = (await input({ message }, context)).trim();
      return typeof expected === 'string' ? typed === expected : expected.includes(typed);
    },
  };
}
