import { asciiLower } from '../../dbconfig/catalogue.js';
import { display } from '../../dbconfig/text.js';
import type { DirectiveView, Rule } from '../types.js';

/** What a later line of the same setting overrides (undefined: repeating it adds, nothing is overridden). */
export function settingKey(v: Pick<DirectiveView, 'spec' | 'args'>): string | undefined {
  const spec = v.spec!;
  const name = spec.aliasOf ?? spec.name;
  if (spec.repeat === 'accumulates') return undefined;
  if (spec.repeat === 'per-key') return `${name} ${asciiLower(v.args[0]!.text)}`;
  if (spec.repeat === 'per-site') return `${name} ${v.args[0]!.text} ${Number(v.args[1]!.text)}`;
  return name;
}

/** The finding on a line whose setting (directive `name`, as written) line `winner` sets again. */
export function overriddenMessage(name: string, winner: number): string {
  return `${display(name)} is set again on line ${winner}, which silently overrides this line. Delete the one you do not mean.`;
}

export const duplicateSetting: Rule = {
  id: 'duplicate-setting',
  severity: 'warning',
  description: 'A setting given twice: the later line silently overrides the earlier one (or, for a site, merges with it).',
  check(ctx) {
    // The last line of each setting (each view carries its line's key, found once per distinct line).
    const last = new Map<string, DirectiveView>();
    for (let i = 0; i < ctx.directives.length; i++) {
      const v = ctx.directives[i]!;
      if (v.settingKey !== undefined) last.set(v.settingKey, v);
    }
    for (let i = 0; i < ctx.directives.length; i++) {
      const v = ctx.directives[i]!;
      const winner = v.settingKey === undefined ? undefined : last.get(v.settingKey);
      if (!winner || winner === v) continue;
      const site = v.spec!.shape === 'site';
      ctx.report({
        line: v.st.line,
        start: v.name.start,
        end: v.name.end,
        message: site
          ? `Site ${display(v.args[0]!.text)} ${v.args[1]!.text} is also named on line ${winner.st.line}; Berkeley DB merges the two and the later flags win. Keep one line per site.`
          : overriddenMessage(v.name.text, winner.st.line),
      });
    }
  },
};
