import { MAX_LINE_BYTES, MAX_SITE_PAIRS, SITE_FLAGS } from '../dbconfig/catalogue.js';
import { checkHost, isIPv4 } from '../site/address.js';

const TAB = 0x09;
const SPACE = 0x20;

export const SITE_PREFIX = 'repmgr_site ';
/** The flags' names without `db_`, as COMMON_SITE's groups hold them. */
const FLAGS: ReadonlySet<string> = new Set(SITE_FLAGS.map((flag) => flag.slice('db_'.length)));
/**
 * A fleet's commonest directive line, from where it starts (sticky) to the
 * line's end (multiline `$`): `repmgr_site`, what may be a host (an IPv4
 * address or a name, checkedSite tells), a port without leading zeros and up
 * to MAX_SITE_PAIRS words `db_NAME on` (each NAME is a group, checkedSite
 * checks it is a flag), one space between. Loose and short on purpose: V8
 * compiles a pattern on its first two uses, which count in a lint of one file.
 */
const COMMON_SITE = new RegExp(`${SITE_PREFIX}([A-Za-z0-9_.-]+) ([1-9][0-9]{0,4})${'(?: db_([a-z_]+) on)?'.repeat(MAX_SITE_PAIRS)}$`, 'my');
/** The group of the first flag's name in a match of COMMON_SITE (the flags' names, without `db_`, are the groups from here on). */
export const FIRST_FLAG = 3;

/** A match of COMMON_SITE at `at` of `text`, to the end of the line (or of the text); null when there is none. */
export function matchCommonSite(text: string, at: number): RegExpExecArray | null {
  COMMON_SITE.lastIndex = at;
  return COMMON_SITE.exec(text);
}

/** The parts of a common site line: a match of COMMON_SITE whose port is at most 65535 and whose host, if not an address, is a valid name. */
export interface CommonSite {
  readonly match: RegExpExecArray;
  readonly host: string;
  readonly port: string;
  readonly isName: boolean;
}

/**
 * A match `m` of COMMON_SITE checked as the argument checks would check it:
 * undefined when they would refuse its host or port, or when a word is no flag.
 */
export function checkedSite(m: RegExpExecArray | null): CommonSite | undefined {
  if (m === null) return undefined;
  const host = m[1]!;
  const port = m[2]!;
  if (Number(port) > 65535) return undefined;
  for (let g = FIRST_FLAG; g < m.length; g++) if (m[g] !== undefined && !FLAGS.has(m[g]!)) return undefined;
  const isName = !isIPv4(host);
  if (isName) {
    const h = checkHost(host);
    if (!h.ok || h.kind !== 'name') return undefined;
  }
  return { match: m, host, port, isName };
}

let fastPaths = true;

/**
 * Turn the fast paths of the full engine off (or back on): the differential
 * tests compare what they give with what every rule finds the long way.
 */
export function useFastPaths(on: boolean): void {
  fastPaths = on;
}

/**
 * Whether a line (its text, without the line end) is a common site line that no
 * per-line rule reports and whose arguments have no problem: COMMON_SITE from its
 * first non-blank byte to its end, with a port and host the argument checks
 * accept, short enough for one read. The full engine judges such a line at once,
 * as the plain-file path does: a site line is seldom seen twice, so no memo
 * spares it the argument checks and the per-line rules
 * (test/lint/plain-file.test.ts compares the two).
 */
export function isCommonSiteLine(text: string): boolean {
  if (!fastPaths) return false;
  // Two bytes for the longest line end: a longer line is read by Berkeley DB in pieces (line-too-long).
  if (text.length + 2 > MAX_LINE_BYTES) return false;
  let i = 0;
  while (i < text.length && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i++;
  if (!text.startsWith(SITE_PREFIX, i)) return false;
  const m = matchCommonSite(text, i);
  // NOTE: the match must end the text: in a multiline pattern `$` also matches before a CR (stray-cr's).
  return m !== null && m.index + m[0].length === text.length && checkedSite(m) !== undefined;
}
