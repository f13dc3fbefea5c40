import { asciiLower, lookupDirective } from '../dbconfig/catalogue.js';
import { convertNumber } from '../dbconfig/numbers.js';
import type { DirectiveView, RuleContext } from './types.js';

/** Well-formed lines of one directive (or its alias), in file order. */
export function validLines(ctx: RuleContext, name: string): DirectiveView[] {
  const lines = ctx.named(lookupDirective(name)?.aliasOf ?? name);
  const valid: DirectiveView[] = [];
  for (let i = 0; i < lines.length; i++) if (lines[i]!.problems.length === 0) valid.push(lines[i]!);
  return valid;
}

/** The numeric values of a well-formed line. */
export function numbers(v: DirectiveView): bigint[] {
  return v.args.map((a) => {
    const n = convertNumber(a.text, 'uint');
    return n.ok ? n.value : 0n;
  });
}

/**
 * Whether the file leaves a keyword flag of `set_flags`, `set_open_flags` and
 * the like on: the value of its last well-formed line (a bare flag means on),
 * or undefined when no line sets it. `also` names another directive and keyword
 * that set the same flag (`set_flags DB_LOG_INMEMORY` for `log_set_config
 * DB_LOG_IN_MEMORY`): the last line of them all wins.
 */
export function flagSetting(ctx: RuleContext, name: string, flag: string, also?: readonly [name: string, flag: string]): boolean | undefined {
  let on: boolean | undefined;
  let at = 0;
  for (const [directive, keyword] of also === undefined ? [[name, flag] as const] : [[name, flag] as const, also]) {
    const lines = validLines(ctx, directive);
    for (let i = 0; i < lines.length; i++) {
      const [key, value] = lines[i]!.args;
      if (asciiLower(key!.text) !== asciiLower(keyword) || lines[i]!.st.line < at) continue;
      at = lines[i]!.st.line;
      on = value === undefined || asciiLower(value.text) === 'on';
    }
  }
  return on;
}

/** The value of the last well-formed line of a one-number directive, or undefined. */
export function lastNumber(ctx: RuleContext, name: string): bigint | undefined {
  const lines = validLines(ctx, name);
  return lines.length === 0 ? undefined : numbers(lines[lines.length - 1]!)[0];
}
