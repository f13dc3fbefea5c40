import { readIni } from '../config/ini.js';
import { QUESTIONS, splitList, type RawAnswers, type Role } from './questions.js';

/** Keys of the answers file that provision layout reads. */
const LAYOUT_KEYS = new Set(['root', 'program', 'data', 'backup']);

export interface AnswersFileProblem {
  readonly line: number;
  readonly message: string;
}

/**
 * Parse an answers file (INI, top-level keys; see docs/answers.md):
 *   env = /var/db/site
 *   local = 10.0.0.2:5010
 *   master = 10.0.0.1:5010
 * Every key is a generator flag with underscores; lists are comma-separated.
 * Pure: returns the answers and the problems, each with its line.
 */
export function parseAnswersFile(text: string, role: Role): { answers: RawAnswers; problems: AnswersFileProblem[] } {
  const { entries, problems } = readIni(text);
  const out: AnswersFileProblem[] = [...problems];
  const answers: RawAnswers = {};
  const seen = new Map<string, number>();
  for (const e of entries) {
    if (e.section !== '') {
      out.push({ line: e.line, message: `sections are not used in answers files; move "${e.key}" above [${e.section}]` });
      continue;
    }
    // One answers file can serve a site's every command: the layout's keys are read by provision layout.
    if (LAYOUT_KEYS.has(e.key)) continue;
    if (e.key === 'role') {
      if (e.value !== role) out.push({ line: e.line, message: `this answers file is for a ${e.value}, not a ${role}` });
      continue;
    }
    const q = QUESTIONS.find((x) => x.key === e.key);
    if (!q) {
      const keys = ['role', ...QUESTIONS.map((x) => x.key), ...LAYOUT_KEYS].join(', ');
      out.push({ line: e.line, message: `unknown key "${e.key}"; the keys are ${keys}` });
      continue;
    }
    if (!q.roles.includes(role)) {
      out.push({ line: e.line, message: `"${e.key}" does not apply to a ${role}` });
      continue;
    }
    const earlier = seen.get(e.key);
    if (earlier !== undefined) {
      out.push({ line: e.line, message: `"${e.key}" is also set on line ${earlier}` });
      continue;
    }
    seen.set(e.key, e.line);
    if (q.multiple) {
      const list = splitList(e.value);
      for (const item of list) {
        const bad = q.validate(item);
        if (bad) out.push({ line: e.line, message: `${e.key}: ${bad}` });
      }
      (answers[q.name] as string[] | undefined) = list;
    } else {
      const bad = q.validate(e.value);
      if (bad) out.push({ line: e.line, message: `${e.key}: ${bad}` });
      (answers[q.name] as string | undefined) = e.value;
    }
  }
  return { answers, problems: out.sort((a, b) => a.line - b.line) };
}
