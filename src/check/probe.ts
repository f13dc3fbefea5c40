/** The network half of check's gathering: DNS and TCP probes, each bounded in time. Never throws. */
import { lookup } from 'node:dns/promises';
import { connect, createServer } from 'node:net';
import type { PortProbe, ResolvedHost } from './types.js';

/** The system resolver's answer for `host` (what Berkeley DB's getaddrinfo sees). */
export async function resolveHost(host: string): Promise<ResolvedHost> {
  try {
    const found = await lookup(host, { all: true, verbatim: true });
    return { host, addresses: found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })) };
  } catch (error) {
    return { host, addresses: [], error: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
}

/** Whether something accepts a TCP connection on host:port within `timeoutMs`. */
export function probeConnect(host: string, port: number, timeoutMs: number): Promise<PortProbe> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => finish({ state: 'unreachable', code: 'ETIMEDOUT' }), timeoutMs);
    function finish(probe: PortProbe): void {
      clearTimeout(timer);
      socket.removeAllListeners('connect');
      socket.on('error', () => undefined);
      socket.destroy();
      resolve(probe);
    }
    socket.once('connect', () => finish({ state: 'listening' }));
    socket.once('error', (error: NodeJS.ErrnoException) => finish({ state: 'unreachable', code: error.code ?? error.message }));
  });
}

/** Whether this process could listen on host:port; the listener is closed at once. */
export function probeBind(host: string, port: number): Promise<PortProbe> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve({ state: 'unbindable', code: error.code ?? error.message }));
    // NOTE: exclusive, so a cluster primary never shares the port; Node sets SO_REUSEADDR, as Berkeley DB does.
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve({ state: 'free' })));
  });
}

/**
 * The local replication port: "listening" when something accepts a
 * connection, else "free" when it can be bound, else why it cannot.
 */
export async function probeLocalPort(host: string, port: number, timeoutMs: number): Promise<PortProbe> {
  const connected = await probeConnect(host, port, timeoutMs);
  if (connected.state === 'listening') return connected;
  return probeBind(host, port);
}
