/**
 * Is an environment in use? Deleting region files while a process has the
 * environment open corrupts it silently (Berkeley DB creates a second set and
 * nothing notices), so `provision clean` asks this first and refuses when the
 * answer names anyone. On Linux the answer comes from /proc: open files
 * (/proc/PID/fd), mapped files (/proc/PID/maps) and listening TCP sockets
 * (/proc/net/tcp, tcp6). Elsewhere it is "not supported", and the caller falls
 * back on what it can see (a file that cannot be moved).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A process that uses the environment, and how. */
export interface Holder {
  /** 0 when the owner of a listening socket is not visible (another user's process, when not root). */
  readonly pid: number;
  /** Enough for an operator to find it: the command line (cut to about 80 characters), or "unknown process". */
  readonly command: string;
  /** "has /srv/env/__db.001 open", "maps /srv/env/__db.002", "listens on port 5010". */
  readonly what: string;
}

export interface InUse {
  /** False where processes cannot be inspected (not Linux, or no /proc): `holders` is then empty and proves nothing. */
  readonly supported: boolean;
  /** One entry per process and file or port, ordered by pid (unknown owners last). */
  readonly holders: readonly Holder[];
  /**
   * Processes whose open files could not be read (other users' processes, when
   * not root). A holder among them is not in `holders`, except as the unknown
   * owner of a listening port.
   */
  readonly unreadable?: number;
}

export interface FindHoldersOptions {
  /** Where proc is mounted (tests pass a fake tree); default /proc, Linux only. */
  readonly procRoot?: string;
  /** A pid never reported; default this process. */
  readonly self?: number;
}

const UNKNOWN = 'unknown process';
const MAX_COMMAND = 80;
const DELETED = ' (deleted)';
/** `start-end perms offset dev inode   /path`; the path column starts after padding and may hold spaces. */
const MAPS_LINE = /^\S+ \S+ \S+ \S+ \d+ +(\/.*)$/;

/**
 * Processes holding a file inside any of `dirs` open or mapped, and processes
 * listening on any of `ports` (TCP, IPv4 or IPv6). A path is inside a
 * directory when it is the directory or below it, compared with the
 * directory's real path. Processes that exit during the scan, and those that
 * cannot be read, are skipped.
 */
export function findHolders(dirs: readonly string[], ports: readonly number[], options: FindHoldersOptions = {}): InUse {
  if (options.procRoot === undefined && process.platform !== 'linux') return { supported: false, holders: [] };
  const procRoot = options.procRoot ?? '/proc';
  let pids: string[];
  try {
    pids = fs.readdirSync(procRoot).filter((name) => /^\d+$/.test(name));
  } catch {
    return { supported: false, holders: [] };
  }
  const inside = insideTest(dirs);
  const listeners = ports.length > 0 ? readListeners(procRoot, new Set(ports)) : new Map<string, number>();
  if (inside === undefined && listeners.size === 0) return { supported: true, holders: [], unreadable: 0 };

  const self = String(options.self ?? process.pid);
  const found = new Map<string, ReadonlySet<string>>(); // pid -> what it does
  const ownedSockets = new Set<string>();
  let unreadable = 0;
  for (const pid of pids) {
    if (pid === self) continue;
    const scan = scanProcess(`${procRoot}/${pid}`, inside, listeners);
    if (scan === 'unreadable') unreadable++;
    else if (scan !== undefined && scan.whats.size > 0) {
      found.set(pid, scan.whats);
      for (const inode of scan.sockets) ownedSockets.add(inode);
    }
  }

  const holders: Holder[] = [];
  for (const [pid, whats] of found) {
    const command = describeProcess(`${procRoot}/${pid}`);
    if (command === undefined) continue; // exited since
    for (const what of whats) holders.push({ pid: Number(pid), command, what });
  }
  holders.sort((a, b) => (a.pid === b.pid ? (a.what < b.what ? -1 : a.what > b.what ? 1 : 0) : a.pid - b.pid));
  const unowned = new Set<number>();
  for (const [inode, port] of listeners) if (!ownedSockets.has(inode)) unowned.add(port);
  for (const port of [...unowned].sort((a, b) => a - b)) holders.push({ pid: 0, command: UNKNOWN, what: `listens on port ${port}` });
  return { supported: true, holders, unreadable };
}

interface ProcessScan {
  readonly whats: ReadonlySet<string>;
  /** Inodes of the wanted listening sockets it holds. */
  readonly sockets: readonly string[];
}

/** What one process holds; undefined when it has exited, 'unreadable' when it may not be inspected. */
function scanProcess(base: string, inside: InsideTest | undefined, listeners: ReadonlyMap<string, number>): ProcessScan | 'unreadable' | undefined {
  let fds: string[];
  try {
    fds = fs.readdirSync(`${base}/fd`);
  } catch (error) {
    return isDenied(error) ? 'unreadable' : undefined;
  }
  const whats = new Set<string>();
  const sockets: string[] = [];
  let holdsFile = false;
  for (const fd of fds) {
    let target: string;
    try {
      target = fs.readlinkSync(`${base}/fd/${fd}`);
    } catch (error) {
      // NOTE: a listing can be readable while its links are not (a process that is not dumpable);
      // then every link fails, and a failed call costs ten times a good one, so stop at the first.
      if (isDenied(error)) return 'unreadable';
      continue; // closed meanwhile
    }
    if (target.startsWith('/')) {
      if (inside?.(target)) {
        whats.add(`has ${target} open`);
        holdsFile = true;
      }
    } else if (listeners.size > 0 && target.startsWith('socket:[')) {
      const inode = target.slice(8, -1);
      const port = listeners.get(inode);
      if (port !== undefined) {
        whats.add(`listens on port ${port}`);
        sockets.push(inode);
      }
    }
  }
  // One reason to refuse is enough, and Berkeley DB keeps open the region files it maps, so the
  // maps of a process already found holding a file open are not read.
  if (inside !== undefined && !holdsFile) {
    for (const mapped of readMappedPaths(`${base}/maps`, inside.needles)) {
      // The kernel writes a newline in a path as \012; a name may also really hold those four characters.
      const unescaped = mapped.replaceAll('\\012', '\n');
      if (inside(unescaped)) whats.add(`maps ${unescaped}`);
      else if (inside(mapped)) whats.add(`maps ${mapped}`);
    }
  }
  return { whats, sockets };
}

function isDenied(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM';
}

type InsideTest = ((file: string) => boolean) & { readonly needles: readonly string[] };

/** A test for "is this path inside one of `dirs`", or undefined when there are none. */
function insideTest(dirs: readonly string[]): InsideTest | undefined {
  if (dirs.length === 0) return undefined;
  const roots = [...new Set(dirs.map(realDir))];
  const prefixes = roots.map((root) => (root.endsWith('/') ? root : `${root}/`));
  const within = (p: string) => roots.includes(p) || prefixes.some((prefix) => p.startsWith(prefix));
  // NOTE: when a suffix is ambiguous (a file may really be named "x (deleted)"), every reading is
  // tried: reporting a process that does not hold the environment is safe, missing one is not.
  const test = (file: string) => within(file) || (file.endsWith(DELETED) && within(file.slice(0, -DELETED.length)));
  return Object.assign(test, { needles: roots.map(escapeForMaps) });
}

function realDir(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return path.resolve(dir); // a directory that does not exist holds nothing, but say so consistently
  }
}

/** The kernel writes a newline in a maps path as the four characters \012. */
function escapeForMaps(p: string): string {
  return p.replaceAll('\n', '\\012');
}

/**
 * Paths of the files mapped by a process, as the kernel wrote them. Skips the
 * work when no needle occurs in the file at all.
 */
function readMappedPaths(file: string, needles: readonly string[]): Set<string> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return new Set();
  }
  const paths = new Set<string>();
  if (!needles.some((needle) => text.includes(needle))) return paths;
  for (const line of text.split('\n')) {
    const mapped = MAPS_LINE.exec(line)?.[1];
    if (mapped !== undefined) paths.add(mapped);
  }
  return paths;
}

/** Inode of every listening TCP socket on a wanted port -> that port. */
function readListeners(procRoot: string, wanted: ReadonlySet<number>): Map<string, number> {
  const listeners = new Map<string, number>();
  for (const table of ['tcp', 'tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(`${procRoot}/net/${table}`, 'latin1');
    } catch {
      continue; // no IPv6, or no such table
    }
    // "  0: 0100007F:1F90 00000000:0000 0A ... uid timeout inode ..." after one header line.
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] !== '0A' || fields[1] === undefined || fields[9] === undefined) continue;
      const port = parseInt(fields[1].slice(fields[1].lastIndexOf(':') + 1), 16);
      if (wanted.has(port)) listeners.set(fields[9], port);
    }
  }
  return listeners;
}

/** "name: command line" cut to about 80 characters; undefined when the process is gone. */
function describeProcess(base: string): string | undefined {
  const comm = readSmall(`${base}/comm`)?.replace(/\n$/, '');
  const cmdline = readSmall(`${base}/cmdline`);
  if (comm === undefined && cmdline === undefined) return undefined;
  const args = (cmdline ?? '').replace(/[\0-\x1f\x7f]+/g, ' ').trim();
  let command: string;
  if (args === '') command = comm ? `[${comm}]` : UNKNOWN; // kernel threads and zombies have no command line
  else if (comm && !args.includes(comm)) command = `${comm}: ${args}`; // it renamed itself
  else command = args;
  return command.length > MAX_COMMAND ? `${command.slice(0, MAX_COMMAND - 1)}…` : command;
}

function readSmall(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Holders as one line for a refusal: per process, its pid, command and what it
 * holds (the first few files, then a count), so an operator can find it.
 */
export function describeHolders(holders: readonly Holder[], shown = 4): string {
  const byProcess = new Map<string, { head: string; what: string[] }>();
  for (const h of holders) {
    const key = `${h.pid}\0${h.command}`;
    const entry = byProcess.get(key) ?? { head: h.pid > 0 ? `pid ${h.pid} (${h.command})` : h.command, what: [] };
    entry.what.push(h.what);
    byProcess.set(key, entry);
  }
  // A listening port first: it names the server even when the file list is cut short.
  const order = (w: string) => (w.startsWith('listens on') ? 0 : 1);
  return [...byProcess.values()]
    .map(({ head, what }) => ({ head, what: [...what].sort((a, b) => order(a) - order(b)) }))
    .map(({ head, what }) => `${head} ${what.slice(0, shown).join(', ')}${what.length > shown ? ` and ${what.length - shown} more` : ''}`)
    .join('; ');
}
