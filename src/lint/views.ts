import { lookupDirective } from '../dbconfig/catalogue.js';
import type { Token } from '../dbconfig/line.js';
import type { Statement } from '../dbconfig/statements.js';
import { findArgumentProblems } from './arguments.js';
import { isCommonSiteLine } from './common-site.js';
import { settingKey } from './rules/duplicate-setting.js';
import type { DirectiveView } from './types.js';

/** Where an inline `#` comment starts in a directive line (rest-of-line directives have none: `#` is part of the value). */
export function inlineCommentAt(st: Statement): number | undefined {
  if (st.kind !== 'directive' || st.spec?.shape === 'string') return undefined;
  const name = st.tokens[0]!;
  const hash = st.text.indexOf('#', name.start - st.offset + 1);
  return hash === -1 ? undefined : hash + st.offset;
}

function slice(t: Token, from: number, to: number): Token {
  return { text: t.text.slice(from, to), start: t.start + from, end: t.start + to };
}

/** Split tokens at `=` signs, dropping the signs. */
function splitEquals(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    let from = 0;
    for (let i = 0; i <= t.text.length; i++) {
      if (i === t.text.length || t.text[i] === '=') {
        if (i > from) out.push(slice(t, from, i));
        from = i + 1;
      }
    }
  }
  return out;
}

/** What a directive line means, apart from where it is: the same in every file that has the line. */
type LineMeaning = Omit<DirectiveView, 'st'>;

const NO_PROBLEMS: DirectiveView['problems'] = [];

const MAX_MEANINGS = 20_000;
/** Meanings by the statement's text (a fleet repeats its lines from file to file); null: not a directive. */
const meanings = new Map<string, LineMeaning | null>();

/** A directive statement as its author meant it, with the problems of its arguments (see DirectiveView). */
export function viewDirective(st: Statement): DirectiveView | undefined {
  // NOTE: only a statement that starts its physical line is the same wherever its text is: a later
  // part of a long line has offsets that depend on the part. A site line is seldom seen twice (see
  // parseLine): it is not kept, and a common one is taken apart at once (nothing to split, no problem).
  if (st.offset !== 0 || st.spec?.shape === 'site') {
    if (st.offset === 0 && isCommonSiteLine(st.text)) {
      const args = st.tokens.slice(1);
      return { st, spec: st.spec, name: st.tokens[0]!, args, problems: NO_PROBLEMS, settingKey: settingKey({ spec: st.spec, args }) };
    }
    return withStatement(st, meanDirective(st));
  }
  let meaning = meanings.get(st.text);
  if (meaning === undefined) {
    meaning = meanDirective(st);
    // Bounded, so a long run keeps its memory.
    if (meanings.size >= MAX_MEANINGS) meanings.clear();
    meanings.set(st.text, meaning);
  }
  return withStatement(st, meaning);
}

function withStatement(st: Statement, meaning: LineMeaning | null): DirectiveView | undefined {
  return meaning === null ? undefined : { st, spec: meaning.spec, name: meaning.name, args: meaning.args, problems: meaning.problems, settingKey: meaning.settingKey };
}

function meanDirective(st: Statement): LineMeaning | null {
  const view = takeApart(st);
  if (view === undefined) return null;
  const problems = findArgumentProblems(view);
  // A directory directive's value is the rest of the line (never a problem); one with no value at all crashes
  // Berkeley DB (missing-value), so it sets nothing.
  const key = view.spec !== undefined && problems.length === 0 && (view.spec.shape !== 'string' || st.value !== null) ? settingKey(view) : undefined;
  return { spec: view.spec, name: view.name, args: view.args, problems, settingKey: key };
}

/** The name and values the author meant: an inline comment, `=` signs and `host:port` taken apart. */
function takeApart(st: Statement): Omit<LineMeaning, 'problems' | 'settingKey'> | undefined {
  if (st.kind !== 'directive' || st.tokens.length === 0) return undefined;
  if (st.spec?.shape === 'string') return { spec: st.spec, name: st.tokens[0]!, args: st.tokens.slice(1) };
  const hash = inlineCommentAt(st);
  // The common case: nothing to take apart.
  const address = st.spec?.shape === 'site' ? st.tokens[1] : undefined;
  if (hash === undefined && !st.text.includes('=') && !(address && splitHostPort(address.text))) {
    return { spec: st.spec, name: st.tokens[0]!, args: st.tokens.slice(1) };
  }
  let tokens = hash === undefined ? [...st.tokens] : st.tokens.filter((t) => t.start < hash).map((t) => (t.end > hash ? slice(t, 0, hash - t.start) : t));
  tokens = splitEquals(tokens);
  const name = tokens[0];
  if (name === undefined) return undefined;
  const spec = lookupDirective(name.text);
  let args = tokens.slice(1);
  const host = args[0];
  const joined = host && spec?.shape === 'site' ? splitHostPort(host.text) : undefined;
  if (host && joined) {
    args = [slice(host, joined.host[0], joined.host[1]), slice(host, joined.port[0], host.text.length), ...args.slice(1)].filter((t) => t.text.length > 0);
  }
  return { spec, name, args };
}

/** `host:port` or `[v6]:port` written as one token: the byte ranges of host and port. */
export function splitHostPort(text: string): { host: [number, number]; port: [number, number] } | undefined {
  const colon = text.indexOf(':');
  // Most hosts have no colon at all.
  if (colon === -1) return undefined;
  const bracket = /^\[([^\]]*)\]:(.*)$/.exec(text);
  if (bracket) return { host: [1, 1 + bracket[1]!.length], port: [bracket[1]!.length + 3, text.length] };
  if (text.indexOf(':', colon + 1) !== -1) return undefined;
  return { host: [0, colon], port: [colon + 1, text.length] };
}
