import { asciiLower, MAX_SITE_PAIRS, matchKeyword, SITE_FLAGS, type ArgSpec } from '../dbconfig/catalogue.js';
import type { Token } from '../dbconfig/line.js';
import { convertNumber, type NumberResult } from '../dbconfig/numbers.js';
import { display } from '../dbconfig/text.js';
import { checkHost } from '../site/address.js';
import { closest } from './suggest.js';
import type { DirectiveView } from './types.js';

/** What the argument checks read of a directive line: its catalogue entry, name and values. */
export type ArgumentView = Pick<DirectiveView, 'spec' | 'name' | 'args'>;

export type ArgumentRule = 'arity' | 'invalid-number' | 'number-range' | 'unknown-keyword' | 'port-range' | 'site-too-many-pairs' | 'invalid-host';

export interface ArgumentProblem {
  readonly rule: ArgumentRule;
  readonly token?: Token;
  readonly message: string;
  /** A replacement for `token` that is certainly what was meant. */
  readonly replacement?: string;
}

function usage(v: ArgumentView): string {
  const spec = v.spec!;
  if (spec.shape === 'site') return `${spec.name} HOST PORT [FLAG on|off]... (at most ${MAX_SITE_PAIRS} flags)`;
  const args = spec.args.map((a, i) => (i >= spec.args.length - (spec.optional ?? 0) ? `[${a.name}]` : `<${a.name}>`));
  return [spec.name, ...args].join(' ');
}

function numberProblem(result: NumberResult & { ok: false }, token: Token, what: string): ArgumentProblem {
  const shown = display(token.text);
  if (result.problem === 'invalid') {
    return { rule: 'invalid-number', token, message: `${what} "${shown}" is not a whole number; Berkeley DB accepts decimal digits only (no 0x, decimals or units).` };
  }
  if (result.problem === 'overflow') return { rule: 'number-range', token, message: `${what} "${shown}" is too large for Berkeley DB (numerical result out of range).` };
  if (result.problem === 'below-min') return { rule: 'number-range', token, message: `${what} "${shown}" is negative; it must be at least ${result.limit}.` };
  return { rule: 'number-range', token, message: `${what} "${shown}" is greater than the maximum ${result.limit}${token.text.startsWith('-') ? ' (a negative number wraps around in an unsigned field)' : ''}.` };
}

const ONOFF_HINTS: Readonly<Record<string, string>> = { yes: 'on', true: 'on', '1': 'on', enable: 'on', enabled: 'on', no: 'off', false: 'off', '0': 'off', disable: 'off', disabled: 'off' };

function keywordProblem(values: readonly string[], token: Token, what: string): ArgumentProblem | undefined {
  if (matchKeyword(values, token.text)) return undefined;
  const shown = display(token.text);
  const underscored = token.text.replace(/-/g, '_');
  // Vendor docs shorten DB_REPMGR_ACKS_ALL to ALL, write hyphens, or drop the DB_ prefix.
  const candidates = [underscored, `DB_${underscored}`];
  const common = values.length > 1 ? values.reduce((p, v) => { let i = 0; while (i < p.length && p[i] === v[i]) i++; return p.slice(0, i); }) : '';
  if (common) candidates.push(common + underscored);
  const certain = candidates.map((c) => matchKeyword(values, c)).find((v) => v !== undefined);
  const near = certain ?? closest(underscored, values);
  const list = values.length <= 9 ? values.join(', ') : `one of ${values.length} names (see docs/dbconfig.md)`;
  return {
    rule: 'unknown-keyword',
    token,
    message: `${what} "${shown}" is not known to Berkeley DB${near ? `; did you mean ${near}?` : '.'} Expected ${list}.`,
    ...(certain ? { replacement: certain } : {}),
  };
}

function checkOnOff(token: Token, what: string): ArgumentProblem | undefined {
  const t = asciiLower(token.text);
  if (t === 'on' || t === 'off') return undefined;
  const hint = ONOFF_HINTS[t];
  return { rule: 'unknown-keyword', token, message: `${what} "${display(token.text)}" must be on or off${hint ? `; write ${hint}` : ''}.`, ...(hint ? { replacement: hint } : {}) };
}

function checkArg(spec: ArgSpec, token: Token, directive: string): ArgumentProblem | undefined {
  const what = `${directive} ${spec.name}`;
  if (spec.kind === 'keyword') return keywordProblem(spec.values, token, what);
  if (spec.kind === 'onoff') return checkOnOff(token, what);
  const n = convertNumber(token.text, spec.kind);
  if (!n.ok) return numberProblem(n, token, what);
  if (spec.zeroAllowed && n.value === 0n) return undefined;
  if (spec.powerOfTwo && (n.value === 0n || (n.value & (n.value - 1n)) !== 0n)) {
    return { rule: 'number-range', token, message: `${what} is ${n.value}; Berkeley DB wants a power of two (1, 2, 4, 8, ...).` };
  }
  if ((spec.min !== undefined && n.value < BigInt(spec.min)) || (spec.max !== undefined && n.value > BigInt(spec.max))) {
    const range = (spec.max !== undefined ? `${spec.min ?? 0} to ${spec.max}` : `at least ${spec.min}`) + (spec.zeroAllowed ? ', or 0 for the default' : '');
    return { rule: 'number-range', token, message: `${what} is ${n.value}; it must be ${range}.` };
  }
  return undefined;
}

function checkSite(v: ArgumentView, problems: ArgumentProblem[]): void {
  // NOTE: indexes, not destructuring: every distinct site line comes here, in code that is still cold.
  const args = v.args;
  const host = args[0];
  const port = args[1];
  if (host === undefined || port === undefined) {
    problems.push({ rule: 'arity', message: `${v.name.text} needs a host and a port: ${usage(v)}.` });
    return;
  }
  const h = checkHost(host.text);
  if (!h.ok) problems.push({ rule: 'invalid-host', token: host, message: `Host "${display(host.text)}" cannot be resolved: ${h.reason}.` });
  const p = convertNumber(port.text, 'uint');
  if (!p.ok) problems.push(numberProblem(p, port, 'repmgr_site port'));
  else if (p.value < 1n || p.value > 65535n) problems.push({ rule: 'port-range', token: port, message: `Port ${p.value} is outside 1-65535.` });
  // The flags and their values: args[2] on.
  const pairs = args.length - 2;
  if (pairs > MAX_SITE_PAIRS * 2) {
    problems.push({ rule: 'site-too-many-pairs', token: args[2 + MAX_SITE_PAIRS * 2]!, message: `${v.name.text} has ${Math.ceil(pairs / 2)} flags; Berkeley DB reads at most ${MAX_SITE_PAIRS} per line. Drop db_group_creator or db_legacy if unneeded, or repeat the site on a second line.` });
    return;
  }
  if (pairs % 2 === 1) {
    problems.push({ rule: 'arity', token: args[args.length - 1]!, message: `Flag "${display(args[args.length - 1]!.text)}" has no value; write it as "FLAG on" or "FLAG off".` });
  }
  for (let i = 2; i + 1 < args.length; i += 2) {
    const flag = args[i]!;
    const value = args[i + 1]!;
    const bad = keywordProblem(SITE_FLAGS, flag, 'repmgr_site flag');
    if (bad) problems.push(bad);
    const t = asciiLower(value.text);
    if (t !== 'on' && t !== 'off' && !convertNumber(value.text, 'uint32').ok) {
      problems.push(checkOnOff(value, `${display(flag.text)} value`)!);
    }
  }
}

/** Problems that depend on the keyword a well-formed line starts with. */
function keyedProblems(v: ArgumentView): ArgumentProblem[] {
  const spec = v.spec!;
  const [key, value] = v.args;
  if (key === undefined) return [];
  // Only a keyword first value picks a rule (and a fresh [] would cost matchKeyword a new lookup table each call).
  if (spec.args[0]?.kind !== 'keyword') return [];
  const name = matchKeyword(spec.args[0].values, key.text);
  if (name === undefined) return [];
  const n = value === undefined ? undefined : convertNumber(value.text, 'uint32');
  if (value !== undefined && n?.ok && n.value === 0n && spec.positiveFor?.includes(name)) {
    return [{ rule: 'number-range', token: value, message: `${spec.name} ${name} must be above 0; Berkeley DB refuses 0 (timeout value must be > 0).` }];
  }
  const unsupported = spec.unsupported?.[name];
  if (unsupported === 'always' || (unsupported === 'on' && (value === undefined || asciiLower(value.text) === 'on'))) {
    return [{
      rule: 'unknown-keyword',
      token: key,
      message: `${name} needs direct I/O, which Berkeley DB supports only when built with --enable-o_direct (Debian's libdb5.3 is not), so it refuses this line${unsupported === 'always' ? ', even with off' : ''}. Delete it.`,
    }];
  }
  return [];
}

const GIGABYTE = 1n << 30n;

/** set_cachesize: each cache's size in whole gigabytes, as Berkeley DB's __memp_set_cachesize computes it (BDB3004). */
function cacheSizeProblem(v: ArgumentView, maxGbytes: number): ArgumentProblem | undefined {
  const [gbytes, bytes, ncache] = v.args.map((a) => convertNumber(a.text, 'uint'));
  if (!gbytes?.ok || !bytes?.ok || !ncache?.ok) return undefined;
  const caches = ncache.value === 0n ? 1n : ncache.value;
  const perCache = (gbytes.value + bytes.value / GIGABYTE) / caches;
  if (perCache <= BigInt(maxGbytes)) return undefined;
  const shown = v.args.map((a) => display(a.text)).join(' ');
  return {
    rule: 'number-range',
    token: v.args[0]!,
    message: `${v.spec!.name} ${shown} makes each cache ${perCache} GB; Berkeley DB refuses more than ${maxGbytes} GB a cache (BDB3004 individual cache size too large: maximum is 10TB). Lower gbytes, or spread it over more caches (ncache).`,
  };
}

/** Every problem with a known directive's arguments (a view carries those of its line: see views.ts). */
export function findArgumentProblems(v: ArgumentView): ArgumentProblem[] {
  const problems: ArgumentProblem[] = [];
  const spec = v.spec;
  if (spec?.shape === 'site') checkSite(v, problems);
  else if (spec?.shape === 'args') {
    const max = spec.args.length;
    const min = max - (spec.optional ?? 0);
    if (v.args.length < min || v.args.length > max) {
      const count = v.args.length === 1 ? '1 value' : `${v.args.length} values`;
      problems.push({ rule: 'arity', token: v.args[max], message: `${v.name.text} takes ${min === max ? min : `${min} or ${max}`} value${max === 1 ? '' : 's'}, found ${count}. Expected: ${usage(v)}.` });
    } else {
      v.args.forEach((token, i) => {
        const p = checkArg(spec.args[i]!, token, spec.name);
        if (p) problems.push(p);
      });
      if (problems.length === 0) problems.push(...keyedProblems(v));
      const size = problems.length === 0 && spec.maxGbytesPerCache !== undefined ? cacheSizeProblem(v, spec.maxGbytesPerCache) : undefined;
      if (size) problems.push(size);
    }
  }
  return problems;
}
