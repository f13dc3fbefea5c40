import { MAX_LINE_BYTES, MAX_SITE_PAIRS } from '../dbconfig/catalogue.js';
import { checkHost } from '../site/address.js';

const TAB = 0x09;
const SPACE = 0x20;

export const SITE_PREFIX = 'repmgr_site ';
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const FLAG = ' db_(local_site|bootstrap_helper|repmgr_peer|group_creator|legacy) on';
/**
 * A fleet's commonest directive line, from where it starts (sticky) to the
 * line's end (multiline `$`): `repmgr_site`, an IPv4 address as Node's isIPv4
 * reads it (checkHost's test) or what may be a host name, a port without
 * leading zeros and up to MAX_SITE_PAIRS flags written `on` (each flag's name
 * is a group), one space between.
 */
const COMMON_SITE = new RegExp(`${SITE_PREFIX}(?:((?:${OCTET}\\.){3}${OCTET})|([A-Za-z0-9_.-]+)) ([1-9][0-9]{0,4})${`(?:${FLAG})?`.repeat(MAX_SITE_PAIRS)}$`, 'my');
/** The group of the first flag's name in a match of COMMON_SITE (the flags' names, without `db_`, are the groups from here on). */
export const FIRST_FLAG = 4;

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

/** A match `m` of COMMON_SITE checked as the argument checks would check its host and port; undefined when they would refuse them. */
export function checkedSite(m: RegExpExecArray | null): CommonSite | undefined {
  if (m === null) return undefined;
  const address = m[1];
  const host = address ?? m[2]!;
  const port = m[3]!;
  if (Number(port) > 65535) return undefined;
  if (address === undefined) {
    const h = checkHost(host);
    if (!h.ok || h.kind !== 'name') return undefined;
  }
  return { match: m, host, port, isName: address === undefined };
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
