/**
 * Validation of the host names and ports a replication site is reached at.
 * Lint, the generator's flags and answers file, and the prompts all use these,
 * so a value that passes here can never inject anything into DB_CONFIG.
 */

export type HostKind = 'ipv4' | 'ipv6' | 'name';

export type HostCheck = { readonly ok: true; readonly kind: HostKind } | { readonly ok: false; readonly reason: string };

const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * Whether `host` is an IPv4 address as node:net's isIPv4 reads it: four parts
 * 0-255 joined by dots, in decimal digits without leading zeros. A loop, not a
 * pattern: V8 compiles a pattern on its first uses, which count in the
 * start-up of a lint of one file (bench/).
 */
export function isIPv4(host: string): boolean {
  let i = 0;
  for (let part = 1; ; part++) {
    const start = i;
    let value = 0;
    for (let c = host.charCodeAt(i); c >= ZERO && c <= NINE && i - start < 3; c = host.charCodeAt(++i)) value = value * 10 + c - ZERO;
    const digits = i - start;
    if (digits === 0 || value > 255 || (digits > 1 && host.charCodeAt(start) === ZERO)) return false;
    if (part === 4) return i === host.length;
    if (host.charCodeAt(i) !== DOT) return false;
    i++;
  }
}

/**
 * node:net's isIP, loaded when a host has a colon: node:net and the stream modules it loads take about 3 ms
 * of a lint's start-up, which is measured (bench/), and the IPv4 check above is all most files need.
 */
const isIP = (text: string): number => process.getBuiltinModule('node:net').isIP(text);

/**
 * A host as Berkeley DB will resolve it: an IPv4 or IPv6 literal, or an
 * RFC 1123 host name (underscores tolerated: Windows machine names use them).
 */
export function checkHost(host: string): HostCheck {
  if (host.length === 0) return { ok: false, reason: 'the host is empty' };
  const bad = /[^\x21-\x7e]/.exec(host);
  if (bad) {
    const code = bad[0].charCodeAt(0);
    const what = code === 0x20 ? 'a space' : code < 0x20 || code === 0x7f ? `a control character (0x${code.toString(16).padStart(2, '0')})` : `"${bad[0]}"`;
    return { ok: false, reason: `the host contains ${what}` };
  }
  const odd = /[^A-Za-z0-9._:%[\]-]/.exec(host);
  if (odd) return { ok: false, reason: `the host contains ${JSON.stringify(odd[0])}, which no host name or address has` };
  // Every IPv6 address has a colon: a name need not go through the long IPv6 pattern.
  const ip = host.includes(':') ? isIP(host) : isIPv4(host) ? 4 : 0;
  if (ip === 4) return { ok: true, kind: 'ipv4' };
  if (ip === 6) return { ok: true, kind: 'ipv6' };
  if (host.startsWith('[') && host.endsWith(']') && isIP(host.slice(1, -1)) === 6) {
    return { ok: false, reason: `write the IPv6 address without brackets (${host.slice(1, -1)}) in DB_CONFIG` };
  }
  if (/^[0-9.]+$/.test(host)) return { ok: false, reason: 'the host looks like an IPv4 address but is not a valid one' };
  if (host.length > 253) return { ok: false, reason: 'the host name is longer than 253 characters' };
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  for (const label of name.split('.')) {
    if (!LABEL.test(label)) {
      return { ok: false, reason: `${JSON.stringify(label)} is not a valid host name label (letters, digits and hyphens, not starting or ending with a hyphen)` };
    }
  }
  return { ok: true, kind: 'name' };
}

export type PortCheck = { readonly ok: true; readonly port: number } | { readonly ok: false; readonly reason: string };

/** A TCP port, 1-65535, written in decimal digits. */
export function checkPort(text: string): PortCheck {
  if (!/^[0-9]{1,5}$/.test(text)) return { ok: false, reason: `${JSON.stringify(text)} is not a port number (1-65535)` };
  const port = Number(text);
  if (port < 1 || port > 65535) return { ok: false, reason: `port ${port} is outside 1-65535` };
  return { ok: true, port };
}

export interface Address {
  readonly host: string;
  readonly port: number;
}

/** Parse `HOST:PORT` or `[IPV6]:PORT` as typed on a command line. */
export function parseAddress(text: string): { ok: true; address: Address } | { ok: false; reason: string } {
  const m = /^\[([^\]]*)\]:([^:]*)$/.exec(text) ?? /^([^:[\]]*):([^:]*)$/.exec(text);
  if (!m) {
    return isIP(text) === 6
      ? { ok: false, reason: `write an IPv6 address with brackets and a port: [${text}]:PORT` }
      : { ok: false, reason: `${JSON.stringify(text)} is not HOST:PORT` };
  }
  const host = checkHost(m[1]!);
  if (!host.ok) return { ok: false, reason: host.reason };
  const port = checkPort(m[2]!);
  if (!port.ok) return { ok: false, reason: port.reason };
  return { ok: true, address: { host: m[1]!, port: port.port } };
}

/** An address as typed on a command line: IPv6 in brackets. */
export function formatAddress(a: Address): string {
  return isIP(a.host) === 6 ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
