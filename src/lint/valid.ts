import { lookupDirective } from '../dbconfig/catalogue.js';
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
