// The listener of a process whose roles serve no routes (an event persister, a pusher, a
// federation sender): /health, /health/ready and, where the listener offers it, /metrics, on
// Node's own HTTP server. Such a process then never loads Fastify and what it requires
// (~0.65 MB of source: its router, plugin loader, semver, proxy-addr, ...), which it would keep
// resident for three fixed paths. It answers as the Fastify listener does (create-server.ts):
// the same bodies and content types, CORS headers and preflights, 404 and 405 as
// M_UNRECOGNIZED, a trailing slash ignored, 503 once closing, every request timed.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Logger } from 'pino';
import { CORS_HEADERS } from './cors.ts';
import { serviceUnavailable, unrecognized, type MatrixError } from './matrix-error.ts';
import type { ProcessMetrics } from './metrics.ts';

// Not an ES import of node:http: see listen-on-addresses.ts.
const { createServer: createHttpServer } = process.getBuiltinModule('node:http');

export interface HealthServerOptions {
  readonly logger: Logger;
  readonly metrics: ProcessMetrics;
  /** Readiness: false while the process is catching up. Default: always ready. */
  readonly isReady?: () => boolean;
  /** Serve `/metrics` here (the listener's resources include `metrics`). Default: true. */
  readonly serveMetrics?: boolean;
  /** Serve HTTPS with this PEM key and certificate. Default: plain HTTP. */
  readonly https?: { readonly key: Buffer; readonly cert: Buffer };
}

/** A health listener: listened on by listenOnAddresses, closed by the process's shutdown. */
export interface HealthServer {
  readonly server: Server;
  readonly log: Logger;
  listen(options: { port: number; host: string }): Promise<void>;
  /** Stops accepting, answers 503 to requests on open connections, and resolves once every connection ended. */
  close(): Promise<void>;
}

type Answer = { status: number; type: string; body: string | Promise<string>; headers?: Readonly<Record<string, string>> };

function errorAnswer(error: MatrixError): Answer {
  return { status: error.status, type: 'application/json', body: JSON.stringify(error.toJSON()), headers: error.headers };
}

/** The liveness and readiness answers (plain text), which the Fastify listener serves too. */
export const LIVENESS = { status: 200, body: 'OK' } as const;
export function readiness(isReady: (() => boolean) | undefined): { status: number; body: string } {
  const ready = isReady?.() ?? true;
  return ready ? { status: 200, body: 'READY' } : { status: 503, body: 'CATCHING UP' };
}

export function createHealthServer(options: HealthServerOptions): HealthServer {
  const { metrics } = options;
  const paths = new Map<string, () => Answer>([
    ['/health', () => ({ ...LIVENESS, type: 'text/plain' })],
    ['/health/ready', () => ({ ...readiness(options.isReady), type: 'text/plain' })],
  ]);
  if (options.serveMetrics ?? true) paths.set('/metrics', () => ({ status: 200, type: metrics.registry.contentType, body: metrics.registry.metrics() }));
  let closing = false;

  const answer = (method: string, path: string): Answer => {
    // As Fastify's return503OnClosing: a request on a connection still open as the process stops.
    if (closing) return errorAnswer(serviceUnavailable('This process is shutting down; retry shortly', 2000));
    const route = paths.get(path);
    if (route === undefined) return errorAnswer(unrecognized(`unrecognized request: ${method} ${path}`));
    if (method !== 'GET' && method !== 'HEAD') return errorAnswer(unrecognized(`method ${method} is not allowed on ${path}`, 405));
    return route();
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const started = performance.now();
    const method = request.method ?? 'GET';
    const raw = (request.url ?? '/').split('?')[0] ?? '/';
    const path = raw.length > 1 && raw.endsWith('/') ? raw.slice(0, -1) : raw;
    // A preflight gets the CORS headers and an empty object, on any path.
    const result: Answer = method === 'OPTIONS' ? { status: 200, type: 'application/json', body: '{}' } : answer(method, path);
    let body: string;
    let status = result.status;
    try {
      body = await result.body;
    } catch (error) {
      options.logger.error({ err: error }, 'request failed');
      status = 500;
      body = JSON.stringify({ errcode: 'M_UNKNOWN', error: 'Internal server error' });
    }
    response.writeHead(status, { ...CORS_HEADERS, ...result.headers, 'content-type': result.type, 'content-length': Buffer.byteLength(body) });
    response.end(method === 'HEAD' ? undefined : body);
    const route = paths.has(path) && method !== 'OPTIONS' ? path : 'unmatched';
    response.once('finish', () => metrics.requestDuration.observe({ method, route, status: String(status) }, (performance.now() - started) / 1000));
  };
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    // The body, if any, is not read: drain it so the connection can be reused.
    request.resume();
    void handle(request, response);
  };
  const server: Server = options.https !== undefined ? createHttpsServer({ key: options.https.key, cert: options.https.cert }, listener) : createHttpServer(listener);

  return {
    server,
    log: options.logger,
    listen: ({ port, host }) =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
