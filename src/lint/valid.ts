import { lookupDirective } from '../dbconfig/catalogue.js';
import { convertNumber } from '../dbconfig/numbers.js';
import { argumentProblems } from './arguments.js';
import type { DirectiveView, RuleContext } from './types.js';

/** Well-formed lines of one directive (or its alias), in file order. */
export function validLines(ctx: RuleContext, name: string): DirectiveView[] {
  const canonical = lookupDirective(name)?.aliasOf ?? name;
  return ctx.directives.filter((v) => v.spec !== undefined && (v.spec.aliasOf ?? v.spec.name) === canonical && argumentProblems(v).length === 0);
}

/** The numeric values of a well-formed line. */
export function numbers(v: DirectiveView): bigint[] {
  return v.args.map((a) => {
    const n = convertNumber(a.text, 'uint');
    return n.ok ? n.value : 0n;
  });
}
