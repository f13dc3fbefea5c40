import { asciiLower, lookupDirective, SITE_FLAGS } from '../dbconfig/catalogue.js';
import type { DbConfigDocument } from '../dbconfig/document.js';
import { moveInlineComments, removeLines, rewriteDirective } from '../dbconfig/edit.js';
import type { Line } from '../dbconfig/line.js';
import { isRepmgrStatement } from '../dbconfig/site-config.js';
import { readStatements } from '../dbconfig/statements.js';
import { buildMigrationPlan } from './build-plan.js';
import type { GroupSite, MigrationPlan } from './types.js';

const text = (binary: string) => Buffer.from(binary, 'latin1').toString('utf8');

/** The old keyword of repmgr_add_remote_site's optional flag. */
const PEER = 'db_repmgr_peer';

/** A hyphenated token in its real spelling, when the catalogue knows it (`rep-set-priority` -> `rep_set_priority`). */
function unhyphenateName(token: string): string | undefined {
  if (!token.includes('-')) return undefined;
  const spec = lookupDirective(token.replace(/-/g, '_'));
  return spec ? token.replace(/-/g, '_') : undefined;
}

/** A hyphenated keyword value in its real spelling, when the argument takes that keyword. */
function unhyphenateValue(token: string, values: readonly string[]): string | undefined {
  if (!token.includes('-')) return undefined;
  const candidate = asciiLower(token.replace(/-/g, '_'));
  // The catalogue's own spelling: Berkeley DB compares keywords in any case, people read them upper-case.
  return values.find((v) => asciiLower(v) === candidate);
}

/** The modern form of one line's tokens, or undefined when it is already modern. */
function modernTokens(line: Line): string[] | undefined {
  if (line.kind !== 'directive') return undefined;
  const tokens = line.tokens.map((t) => text(t.text));
  let changed = false;
  const name = unhyphenateName(tokens[0]!);
  if (name !== undefined) {
    tokens[0] = name;
    changed = true;
  }
  const lower = asciiLower(tokens[0]!);
  if (lower === 'repmgr_set_local_site' && tokens.length >= 3) {
    return ['repmgr_site', tokens[1]!, tokens[2]!, 'db_local_site', 'on'];
  }
  if (lower === 'repmgr_add_remote_site' && tokens.length >= 3) {
    const peer = tokens.slice(3).some((t) => /^(db_repmgr_)?peer$/i.test(t.replace(/-/g, '_')));
    return ['repmgr_site', tokens[1]!, tokens[2]!, ...(peer ? [PEER, 'on'] : [])];
  }
  const spec = lookupDirective(tokens[0]!);
  if (spec && spec.shape !== 'string') {
    for (let i = 1; i < tokens.length; i++) {
      const arg = spec.shape === 'site' ? (i >= 3 && i % 2 === 1 ? { kind: 'keyword' as const, values: SITE_FLAGS } : undefined) : spec.args[i - 1];
      if (arg?.kind !== 'keyword') continue;
      const fixed = unhyphenateValue(tokens[i]!, arg.values);
      if (fixed !== undefined) {
        tokens[i] = fixed;
        changed = true;
      }
    }
  }
  return changed ? tokens : undefined;
}

/**
 * Bring one file up to what Berkeley DB 5.3 accepts: the BOM goes, inline
 * comments move to their own line, hyphenated names and keywords get their
 * real spelling, repmgr_set_local_site / repmgr_add_remote_site become
 * repmgr_site lines, and rep_set_nsites goes from a Replication Manager
 * configuration (5.3 refuses the mix). Every other byte stays.
 */
export function moderniseDocument(doc: DbConfigDocument): DbConfigDocument {
  let out: DbConfigDocument = doc.bom ? { ...doc, bom: false } : doc;
  out = moveInlineComments(out);
  out.lines.forEach((line, index) => {
    const tokens = modernTokens(line);
    if (tokens) out = rewriteDirective(out, index, tokens[0]!, tokens.slice(1));
  });
  const statements = readStatements(out);
  if (statements.some(isRepmgrStatement)) {
    const nsites = statements.filter((st) => st.kind === 'directive' && st.spec?.name === 'rep_set_nsites').map((st) => st.line - 1);
    out = removeLines(out, nsites);
  }
  return out;
}

/** Modernise every file given. Pure. */
export function planModernise(sites: readonly GroupSite[]): MigrationPlan {
  return buildMigrationPlan(
    'modernise',
    sites,
    sites.map((site) => ({ site, doc: moderniseDocument(site.doc), reason: 'modernise for Berkeley DB 5.3' })),
    { steps: ['Restart each changed site with its region files removed (this migration cleans them) so Berkeley DB reads the new file.'] },
  );
}
