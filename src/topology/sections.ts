import { readIni, type IniEntry } from '../config/ini.js';
import type { TopologyProblem } from './types.js';

/**
 * A site name: a folder name of `provision plan`'s output on any system, so
 * letters, digits, `-` and `_` (no dots: `runbook.md` is a file there).
 */
export function checkSiteName(name: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(name)) {
    return `site name ${JSON.stringify(name)} must be 1-63 letters, digits, "-" or "_", starting with a letter or digit (it names the site's folder in the plan)`;
  }
  if (/^(?:CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])$/i.test(name)) return `site name "${name}" is a reserved device name on Windows; choose another`;
  return undefined;
}

export interface Header {
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

/** Section headers with their lines and columns, read the way readIni reads them. */
function headers(lines: readonly string[]): Header[] {
  const out: Header[] = [];
  lines.forEach((raw, i) => {
    const trimmed = raw.trim();
    if (/^\[(.+)\]$/.test(trimmed)) out.push({ text: trimmed.slice(1, -1).trim(), line: i + 1, column: raw.indexOf('[') + 1 });
  });
  return out;
}

/** 1-based byte column where the value of a `key = value` line starts. */
function valueColumn(raw: string): number {
  const eq = raw.indexOf('=');
  if (eq < 0) return 1;
  let i = eq + 1;
  while (raw[i] === ' ' || raw[i] === '\t') i++;
  return Buffer.byteLength(raw.slice(0, i)) + 1;
}

/** A key of a section, with the column its value starts at. */
export type SectionEntry = IniEntry & { readonly column: number };

/** The sections of a topology file and their keys, before any value is judged. */
export interface Sections {
  /** The file's lines (BOM removed), for columns. */
  readonly lines: readonly string[];
  /** Line of `[group]` (0: none). */
  readonly groupLine: number;
  /** The accepted `[site "NAME"]` headers, by section text, in file order. */
  readonly siteHeaders: ReadonlyMap<string, Header & { readonly name: string }>;
  /** Whether the file has any site header at all, accepted or not. */
  readonly anySite: boolean;
  /** Each section's keys (only known keys, each once). */
  readonly values: ReadonlyMap<string, ReadonlyMap<string, SectionEntry>>;
}

/**
 * Read a topology file's shape (pure): `[group]` and `[site "NAME"]` headers,
 * each section's known keys once, with every problem of form (`topology-syntax`,
 * a bad site name as `topology-value`). Keys below a refused header are not read.
 */
export function readSections(text: string, known: { readonly group: readonly string[]; readonly site: readonly string[] }, problems: TopologyProblem[]): Sections {
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  const report = (ruleId: 'topology-syntax' | 'topology-value', line: number, column: number, message: string) =>
    problems.push({ ruleId, severity: 'error', line, column, message });
  const { entries, problems: iniProblems } = readIni(text);
  for (const p of iniProblems) report('topology-syntax', p.line, 1, p.message);

  // Sections: [group] and [site "NAME"].
  let groupLine = 0;
  const siteHeaders = new Map<string, Header & { name: string }>();
  const sectionKind = new Map<string, 'group' | 'site' | 'bad'>();
  const seenNames = new Map<string, Header & { name: string }>();
  const all = headers(lines);
  // Headers whose keys are read; the keys below a refused header (a second [group], a site twice) are not.
  const accepted = new Set<number>();
  for (const h of all) {
    if (h.text === 'group') {
      if (groupLine !== 0) report('topology-syntax', h.line, h.column, `[group] is also on line ${groupLine}; a topology file has one [group] section`);
      else {
        groupLine = h.line;
        accepted.add(h.line);
      }
      sectionKind.set(h.text, 'group');
      continue;
    }
    const site = /^site\s+"([^"]*)"$/.exec(h.text);
    if (!site) {
      sectionKind.set(h.text, 'bad');
      const bare = /^site\s+(\S.*)$/.exec(h.text);
      report('topology-syntax', h.line, h.column, bare
        ? `write the site's name in double quotes: [site "${bare[1]!.replace(/^['"]|['"]$/g, '')}"]`
        : `unknown section [${h.text}]; a topology file has a [group] section and one [site "NAME"] section per site`);
      continue;
    }
    const name = site[1]!;
    sectionKind.set(h.text, 'site');
    const bad = checkSiteName(name);
    if (bad) {
      report('topology-value', h.line, h.column, bad);
      continue;
    }
    const earlier = seenNames.get(name.toLowerCase());
    if (earlier) {
      report('topology-syntax', h.line, h.column, earlier.name === name
        ? `site "${name}" is also on line ${earlier.line}; each site has one section`
        : `site "${name}" and site "${earlier.name}" (line ${earlier.line}) differ only in case, and their folders in the plan would be one on Windows; rename one`);
      continue;
    }
    const header = { ...h, name };
    seenNames.set(name.toLowerCase(), header);
    siteHeaders.set(h.text, header);
    accepted.add(h.line);
  }
  const headerOf = (line: number) => all.filter((h) => h.line < line).pop();

  // Keys, each section's own; a key twice is an error.
  const values = new Map<string, Map<string, SectionEntry>>();
  for (const e of entries) {
    const kind = sectionKind.get(e.section);
    const column = valueColumn(lines[e.line - 1] ?? '');
    if (e.section === '') {
      report('topology-syntax', e.line, 1, `"${e.key}" is outside a section; put it under [group] or a [site "NAME"] section`);
      continue;
    }
    if (kind === 'bad' || !accepted.has(headerOf(e.line)?.line ?? -1)) continue; // its header is already reported
    const allowed = kind === 'group' ? known.group : known.site;
    if (!allowed.includes(e.key)) {
      const elsewhere = kind === 'group' ? known.site.includes(e.key) : known.group.includes(e.key);
      report('topology-syntax', e.line, 1, `unknown key "${e.key}" in [${e.section}]${elsewhere ? ` (it belongs in ${kind === 'group' ? 'a [site "NAME"] section' : '[group]'})` : ''}; the keys there are ${allowed.join(', ')}`);
      continue;
    }
    const keys = values.get(e.section) ?? new Map<string, SectionEntry>();
    values.set(e.section, keys);
    const earlier = keys.get(e.key);
    if (earlier) {
      report('topology-syntax', e.line, 1, `"${e.key}" is also set on line ${earlier.line} of [${e.section}]; keep one`);
      continue;
    }
    keys.set(e.key, { ...e, column });
  }

  return { lines, groupLine, siteHeaders, anySite: seenNames.size > 0, values };
}
