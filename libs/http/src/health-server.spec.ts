// The health server answers as the Fastify listener of a process with routes does, for every
// request a health-only listener can get: the same status, content type, body (or errcode) and
// CORS headers, asked side by side; readiness and /metrics follow their options, requests are
// timed, and a closing server ends its idle connections.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHealthServer, type HealthServer } from './health-server.ts';
import { createProcessMetrics, createServer } from './index.ts';
import { listenOnAddresses, type Listenable, type ListeningAddresses } from './listen-on-addresses.ts';

const logger = pino({ level: 'silent' });
let ready = true;
const isReady = () => ready;

interface Listening {
  readonly server: Listenable & { close(): Promise<unknown> };
  readonly bound: ListeningAddresses;
  readonly base: string;
}

async function listen(server: Listenable & { close(): Promise<unknown> }): Promise<Listening> {
  const bound = await listenOnAddresses(server, 0, ['127.0.0.1']);
  return { server, bound, base: `http://127.0.0.1:${bound.addresses[0]!.port}` };
}

/** What a client sees of an answer, the parts the two servers must agree on. */
async function seen(base: string, method: string, path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}${path}`, { method });
  const text = await response.text();
  const body = (response.headers.get('content-type') ?? '').startsWith('application/json') ? JSON.parse(text) : text;
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    cors: response.headers.get('access-control-allow-origin'),
    body: typeof body === 'object' && body !== null && 'errcode' in body ? (body as { errcode: unknown }).errcode : body,
  };
}

describe('health server', () => {
  let fastify: Listening;
  let health: Listening;
  let healthServer: HealthServer;
  const metrics = createProcessMetrics({ workerName: 'w1', workerApp: 'pusher' });

  beforeAll(async () => {
    fastify = await listen(await createServer({ logger, metrics: createProcessMetrics({ workerName: 'w1', workerApp: 'pusher' }), isReady, serveMetrics: false }));
    healthServer = createHealthServer({ logger, metrics, isReady, serveMetrics: false });
    health = await listen(healthServer);
  });

  afterAll(async () => {
    for (const l of [fastify, health]) {
      await l.bound.close();
      await l.server.close();
    }
  });

  const requests: Array<[string, string]> = [
    ['GET', '/health'],
    ['GET', '/health/'],
    ['HEAD', '/health'],
    ['GET', '/health/ready'],
    ['GET', '/health/ready?x=1'],
    ['POST', '/health'],
    ['DELETE', '/health/ready'],
    ['OPTIONS', '/health'],
    ['OPTIONS', '/_matrix/client/versions'],
    ['GET', '/metrics'],
    ['GET', '/'],
    ['GET', '/_matrix/client/versions'],
    ['PUT', '/_matrix/client/v3/rooms/x/send/m.room.message/1'],
  ];

  it('answers every request as the Fastify listener does', async () => {
    for (const state of [true, false]) {
      ready = state;
      for (const [method, path] of requests) {
        expect({ method, path, ready, ...(await seen(health.base, method, path)) }).toEqual({ method, path, ready, ...(await seen(fastify.base, method, path)) });
      }
    }
    ready = true;
  });

  it('says READY, or CATCHING UP with 503, from isReady', async () => {
    ready = false;
    expect(await seen(health.base, 'GET', '/health/ready')).toMatchObject({ status: 503, body: 'CATCHING UP' });
    ready = true;
    expect(await seen(health.base, 'GET', '/health/ready')).toMatchObject({ status: 200, body: 'READY' });
  });

  it('serves /metrics where the listener offers it, and times every request', async () => {
    const withMetrics = await listen(createHealthServer({ logger, metrics, serveMetrics: true }));
    try {
      await fetch(`${withMetrics.base}/health`);
      await fetch(`${withMetrics.base}/nowhere`);
      const page = await fetch(`${withMetrics.base}/metrics`);
      expect(page.headers.get('content-type')).toBe(metrics.registry.contentType);
      const text = await page.text();
      expect(text).toMatch(/^http_request_duration_seconds_count\{method="GET",route="\/health",status="200",[^}]*\} [1-9]/m);
      expect(text).toMatch(/^http_request_duration_seconds_count\{method="GET",route="unmatched",status="404",[^}]*\} [1-9]/m);
    } finally {
      await withMetrics.bound.close();
      await withMetrics.server.close();
    }
  });

  it('ends its idle kept-alive connections when it closes and takes no new ones', async () => {
    const closing = await listen(createHealthServer({ logger, metrics }));
    const { request } = process.getBuiltinModule('node:http');
    const agent = new (process.getBuiltinModule('node:http').Agent)({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<number>((resolve, reject) => {
        request(`${closing.base}/health`, { agent }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        }).on('error', reject).end();
      });
    expect(await get()).toBe(200);
    const closed = closing.server.close();
    // The kept-alive connection was idle, so close() ended it: a new request opens another, refused.
    await expect(get()).rejects.toThrow();
    await closed;
    await closing.bound.close();
    agent.destroy();
  });
});
