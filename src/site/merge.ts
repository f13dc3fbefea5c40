import { asciiLower } from '../dbconfig/catalogue.js';
import type { DbConfigDocument } from '../dbconfig/document.js';
import {
  commentedTokens, findDirective, insertDirective, moveInlineComments, removeDirective, removeLines, rewriteDirective, setDirective, uncommentLines,
} from '../dbconfig/edit.js';
import { siteFlagValue } from '../dbconfig/site-config.js';
import { fromText } from '../dbconfig/text.js';
import type { Role } from './questions.js';

const isSite = (name: string | undefined) => name !== undefined && asciiLower(name) === 'repmgr_site';

function isLocalSite(tokens: readonly string[]): boolean {
  for (let i = 3; i + 1 < tokens.length; i += 2) {
    if (asciiLower(tokens[i]!) === 'db_local_site') return siteFlagValue(tokens[i + 1]!) === true;
  }
  return false;
}

/**
 * A vendor DB_CONFIG ships the master and replicant settings as commented-out
 * blocks. When no replication is active yet, un-comment the block of this
 * role (found by its `#rep_set_priority` line: 0 for a replicant, above 0 for
 * a master); the other block stays commented.
 */
export function reviveVendorBlock(doc: DbConfigDocument, role: Role): DbConfigDocument {
  const active = findDirective(doc, { name: 'rep_set_priority' }).length + findDirective(doc, { name: 'repmgr_site' }).length;
  if (active > 0) return doc;
  const candidates = findDirective(doc, { name: 'rep_set_priority' }, true);
  const pick = candidates.find((i) => {
    const value = commentedTokens(doc.lines[i]!)?.[1]?.text;
    return value !== undefined && (value === '0') === (role === 'replicant');
  });
  if (pick === undefined) return doc;
  // The block: the run of commented-out directives around it; when the master and replicant blocks touch,
  // the run is cut at each #rep_set_priority (lines before the first one belong to the first block).
  const commented = (i: number) => i >= 0 && i < doc.lines.length && commentedTokens(doc.lines[i]!) !== undefined;
  let runStart = pick;
  let runEnd = pick + 1;
  while (commented(runStart - 1)) runStart--;
  while (commented(runEnd)) runEnd++;
  const inRun = candidates.filter((i) => i >= runStart && i < runEnd);
  const from = inRun[0] === pick ? runStart : pick;
  const to = inRun.find((i) => i > pick) ?? runEnd;
  return uncommentLines(doc, from, to);
}

/**
 * Make the document's repmgr_site lines say exactly `wanted` (argument lists,
 * the local site first), changing as few lines as possible: lines already
 * right stay, the rest are rewritten in place, extras removed, missing ones
 * added after the last site line.
 */
function reconcileSites(doc: DbConfigDocument, wanted: readonly string[][]): DbConfigDocument {
  const lines = doc.lines
    .map((line, index) => ({ index, tokens: line.kind === 'directive' ? line.tokens.map((t) => t.text) : [] }))
    .filter((l) => isSite(l.tokens[0]));
  const want = wanted.map((args) => args.map(fromText));
  const assigned = new Map<number, number>(); // wanted index -> line index
  const used = new Set<number>();
  // The local site pairs with the existing local line, whatever its address.
  const localLine = lines.find((l) => isLocalSite(l.tokens));
  const wantLocal = want.findIndex((w) => isLocalSite(['repmgr_site', ...w]));
  if (localLine && wantLocal !== -1) {
    assigned.set(wantLocal, localLine.index);
    used.add(localLine.index);
  }
  // Remote sites pair with a line naming the same host and port, then with the remaining lines in order.
  want.forEach((w, i) => {
    if (assigned.has(i)) return;
    const match = lines.find((l) => !used.has(l.index) && !isLocalSite(l.tokens) && l.tokens[1] === w[0] && Number(l.tokens[2]) === Number(w[1]));
    if (match) {
      assigned.set(i, match.index);
      used.add(match.index);
    }
  });
  want.forEach((_, i) => {
    if (assigned.has(i)) return;
    const free = lines.find((l) => !used.has(l.index));
    if (free) {
      assigned.set(i, free.index);
      used.add(free.index);
    }
  });
  let out = doc;
  for (const [i, index] of assigned) {
    const name = doc.lines[index]!.tokens[0]!.text;
    out = rewriteDirective(out, index, Buffer.from(name, 'latin1').toString('utf8'), wanted[i]!);
  }
  const extra = lines.filter((l) => !used.has(l.index)).map((l) => l.index);
  out = removeLines(out, extra);
  const missing = want.map((_, i) => i).filter((i) => !assigned.has(i));
  for (const i of missing) {
    const siteLines = findDirective(out, { name: 'repmgr_site' });
    const priority = findDirective(out, { name: 'rep_set_priority' });
    const after = siteLines[siteLines.length - 1] ?? priority[priority.length - 1];
    out = after === undefined ? setDirective(out, 'repmgr_site', wanted[i]!, { revive: false }) : insertDirective(out, after, 'repmgr_site', wanted[i]!);
  }
  return out;
}

/**
 * Bring an existing DB_CONFIG to the settings of a freshly rendered one,
 * keeping its comments, order, unknown directives, spacing and line endings:
 * only the lines that must change change.
 */
export function mergeSiteConfig(existing: DbConfigDocument, rendered: DbConfigDocument, role: Role): DbConfigDocument {
  // Comments written after a directive survive: they move to their own line above it.
  let doc = reviveVendorBlock(moveInlineComments(existing), role);
  const directives = rendered.lines.filter((l) => l.kind === 'directive').map((l) => l.tokens.map((t) => Buffer.from(t.text, 'latin1').toString('utf8')));
  doc = reconcileSites(doc, directives.filter((t) => isSite(t[0])).map((t) => t.slice(1)));
  for (const [name, ...args] of directives) {
    if (!isSite(name)) doc = setDirective(doc, name!, args);
  }
  // rep_set_nsites makes Berkeley DB refuse a Replication Manager configuration.
  return removeDirective(doc, { name: 'rep_set_nsites' });
}
