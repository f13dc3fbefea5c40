type IniParse = (text: string) => Record<string, unknown>;
let iniParse: IniParse | undefined;

/**
 * The `ini` package's parser, loaded on first use (most lint runs have no
 * .provisionrc), and node:module with it: that loads Node's ES module loader,
 * about 0.4 ms of a lint's start-up (bench/).
 */
function parseIniLine(text: string): Record<string, unknown> {
  iniParse ??= (process.getBuiltinModule('node:module').createRequire(import.meta.url)('ini') as { parse: IniParse }).parse;
  return iniParse(text);
}

/** One `key = value` of an INI file, with where it stands. */
export interface IniEntry {
  /** The section name ('' before the first section header). */
  readonly section: string;
  readonly key: string;
  readonly value: string;
  readonly line: number;
}

export interface IniProblem {
  readonly line: number;
  readonly message: string;
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Read an INI file (answers, settings) into entries with line numbers, so
 * every error can name file:line. Values are decoded by the `ini` package
 * (quotes, `;`/`#` comments); keys like `__proto__` are refused.
 */
export function readIni(text: string): { entries: IniEntry[]; problems: IniProblem[] } {
  const entries: IniEntry[] = [];
  const problems: IniProblem[] = [];
  let section = '';
  text.replace(/^\ufeff/, '').split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith(';') || trimmed.startsWith('#')) return;
    const header = /^\[(.+)\]$/.exec(trimmed);
    if (header) {
      section = header[1]!.trim();
      return;
    }
    const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(trimmed);
    if (!kv) {
      problems.push({ line, message: `expected "key = value", found "${trimmed}"` });
      return;
    }
    const key = kv[1]!.replace(/\[\]$/, '');
    if (FORBIDDEN.has(key)) {
      problems.push({ line, message: `"${key}" is not allowed as a key` });
      return;
    }
    const decoded = parseIniLine(`v = ${kv[2]!}`).v as unknown;
    entries.push({ section, key, value: decoded === undefined || decoded === null ? '' : String(decoded), line });
  });
  return { entries, problems };
}
