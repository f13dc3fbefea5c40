/**
 * Who is working on a folder: a small record of the process (host, pid, and on
 * Linux the boot and the process's start time, so a reused pid is not taken
 * for the original), and whether that process still runs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';

export interface Owner {
  readonly host: string;
  readonly pid: number;
  readonly started: string;
  /** Linux: /proc/sys/kernel/random/boot_id. */
  readonly boot?: string;
  /** Linux: the process's start time in clock ticks since boot (/proc/PID/stat, field 22). */
  readonly ticks?: string;
}

function readSmall(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function startTicks(pid: number): string | undefined {
  const stat = readSmall(`/proc/${pid}/stat`);
  // "pid (comm) state ppid ..." where comm may hold spaces and parentheses: count from the last ")".
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

/** This process, as an owner record. */
export function currentOwner(now: Date = new Date()): Owner {
  const boot = readSmall('/proc/sys/kernel/random/boot_id')?.trim();
  const ticks = startTicks(process.pid);
  return { host: os.hostname(), pid: process.pid, started: now.toISOString(), ...(boot ? { boot } : {}), ...(ticks ? { ticks } : {}) };
}

/**
 * Whether the owner still runs: true or false on this host, undefined for
 * another host's process (which cannot be checked from here).
 */
export function ownerAlive(owner: Owner): boolean | undefined {
  if (owner.host !== os.hostname()) return undefined;
  if (owner.boot !== undefined) {
    const boot = readSmall('/proc/sys/kernel/random/boot_id')?.trim();
    if (boot !== undefined && boot !== owner.boot) return false;
  }
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (owner.ticks !== undefined) {
    const ticks = startTicks(owner.pid);
    if (ticks !== undefined && ticks !== owner.ticks) return false; // the pid was reused
  }
  return true;
}

/** Parse an owner record; undefined when it is not one. */
export function parseOwner(text: string): Owner | undefined {
  try {
    const o = JSON.parse(text) as Partial<Owner>;
    return typeof o.host === 'string' && typeof o.pid === 'number' && typeof o.started === 'string' ? (o as Owner) : undefined;
  } catch {
    return undefined;
  }
}
