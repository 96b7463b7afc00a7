// A listener's `bind_addresses` all served by one server (a Fastify instance, or the health
// server of a process without routes). It listens on one host ("localhost" is each address it
// resolves to); every further address gets a plain Node server handing requests to the same
// handler, on the same port, so `['127.0.0.1', '::1']` or `['0.0.0.0', '::']` answer on each address with the
// same routes, hooks and state. As in Synapse, `['::', '0.0.0.0']` works on a dual-stack host,
// where the IPv6 wildcard already takes IPv4 connections: the second wildcard's "address in
// use" is logged and skipped.
import type { RequestListener, Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';

// Not `import ... from 'node:http'`: an ES import of node:http reads every export, and its lazy
// WebSocket/CloseEvent/MessageEvent getters then load Node's bundled undici, web streams and
// worker_threads (~13 MiB RSS, measured) in every process, even one that never fetches.
const { createServer: createHttpServer } = process.getBuiltinModule('node:http');

/** What listenOnAddresses binds: Fastify's instance or a HealthServer. */
export interface Listenable {
  readonly server: Server;
  readonly log: { warn(details: object, message: string): void };
  /** Listens on the first address; resolves once bound. */
  listen(options: { port: number; host: string }): Promise<unknown>;
}

export interface BoundAddress {
  readonly host: string;
  readonly port: number;
}

export interface ListeningAddresses {
  /** Every bound address, in the order given (port 0 resolves to the port the first one got). */
  readonly addresses: readonly BoundAddress[];
  /** Stops accepting on the extra addresses (call before closing the server itself). */
  close(): Promise<void>;
}

const WILDCARDS = new Set(['::', '0.0.0.0']);

/** Listens on every host of `hosts` (at least one) at `port`; on failure the caller closes `app`. */
export interface ListenOnAddressesOptions {
  /** The listener serves HTTPS with this PEM key and certificate (as `app` does). Default: plain HTTP. */
  readonly https?: { readonly key: Buffer; readonly cert: Buffer };
}

/**
 * The hosts with "localhost" replaced by every address it resolves to (127.0.0.1, and ::1 where
 * the host lists it), as Fastify binds it: whichever server listens, a probe of either loopback
 * address is answered. Resolved only when named (node:dns is otherwise not loaded).
 */
async function withLoopbacks(hosts: readonly string[]): Promise<{ hosts: string[]; resolved: Set<string> }> {
  if (!hosts.includes('localhost')) return { hosts: [...hosts], resolved: new Set() };
  const { lookup } = await import('node:dns/promises');
  const loopbacks = (await lookup('localhost', { all: true })).map((a) => a.address);
  return { hosts: [...new Set(hosts.flatMap((h) => (h === 'localhost' ? loopbacks : [h])))], resolved: new Set(loopbacks) };
}

export async function listenOnAddresses(app: Listenable, port: number, named: readonly string[], options: ListenOnAddressesOptions = {}): Promise<ListeningAddresses> {
  const { hosts, resolved } = await withLoopbacks(named);
  const [first, ...others] = hosts;
  if (first === undefined) throw new Error('a listener needs at least one bind address');
  await app.listen({ port, host: first });
  const bound = app.server.address();
  const boundPort = typeof bound === 'object' && bound !== null ? bound.port : port;
  const handler = app.server.listeners('request')[0] as RequestListener | undefined;
  if (handler === undefined) throw new Error('the server has no request handler to share');
  const extra: Server[] = [];
  const listening: string[] = [first];
  const close = async () => {
    await Promise.all(extra.map((server) => new Promise<void>((done) => {
      server.close(() => done());
      server.closeIdleConnections();
    })));
  };
  for (const host of others) {
    const server: Server = options.https !== undefined ? createHttpsServer({ key: options.https.key, cert: options.https.cert }, handler) : createHttpServer(handler);
    // The same connection limits as the primary server.
    server.keepAliveTimeout = app.server.keepAliveTimeout;
    server.requestTimeout = app.server.requestTimeout;
    server.headersTimeout = app.server.headersTimeout;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(boundPort, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' && WILDCARDS.has(host) && listening.some((h) => WILDCARDS.has(h))) {
        app.log.warn({ host, port: boundPort }, 'not listening on this wildcard address: the other wildcard already takes its connections (dual-stack)');
        continue;
      }
      if ((error as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL' && resolved.has(host)) {
        app.log.warn({ host, port: boundPort }, '"localhost" resolves to this address, which this host does not have: not listening on it');
        continue;
      }
      await close();
      throw new Error(`could not listen on ${host} port ${boundPort}: ${(error as Error).message}`, { cause: error });
    }
    extra.push(server);
    listening.push(host);
  }
  return { addresses: listening.map((host) => ({ host, port: boundPort })), close };
}
