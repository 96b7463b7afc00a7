// createServer against hostile requests: bodies nested 100 to 100,000 levels, bytes that are not
// UTF-8, paths whose percent-encoding does not decode, bodies on unknown routes; replies nested
// deeper than JSON.stringify can go; X-Forwarded-For only where the listener says so; /metrics
// only where the listener offers it.
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcessMetrics, createServer } from './index.ts';
import { MAX_CLIENT_JSON_DEPTH, MAX_FEDERATION_JSON_DEPTH } from './json-body.ts';

const nested = (depth: number) => `{"x":${'{"a":'.repeat(depth - 1)}1${'}'.repeat(depth)}`;
const servers: FastifyInstance[] = [];

async function server(options: { xForwarded?: boolean; serveMetrics?: boolean } = {}): Promise<FastifyInstance> {
  const app = await createServer({ logger: pino({ level: 'silent' }), metrics: createProcessMetrics({ workerName: 't', workerApp: 'main' }), bodyLimit: 4 * 1024 * 1024, ...options });
  app.post('/_matrix/client/v3/echo', async (request) => ({ echoed: request.body }));
  app.post('/_matrix/federation/v1/echo', async (request) => ({ echoed: request.body }));
  app.get('/_matrix/client/v3/rooms/:roomId/deep', async (request) => {
    const depth = Number((request.query as { depth: string }).depth);
    return JSON.parse(nested(depth)) as unknown;
  });
  app.get('/_matrix/client/v3/ip', async (request) => ({ ip: request.ip }));
  servers.push(app);
  await app.ready();
  return app;
}

let app: FastifyInstance;
beforeAll(async () => {
  app = await server();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('createServer against hostile input', () => {
  it('accepts client bodies nested up to the limit and federation bodies 16 levels deeper', async () => {
    const client = await app.inject({ method: 'POST', url: '/_matrix/client/v3/echo', payload: nested(MAX_CLIENT_JSON_DEPTH), headers: { 'content-type': 'application/json' } });
    expect(client.statusCode).toBe(200);
    const tooDeep = await app.inject({ method: 'POST', url: '/_matrix/client/v3/echo', payload: nested(MAX_CLIENT_JSON_DEPTH + 1), headers: { 'content-type': 'application/json' } });
    expect(tooDeep.statusCode).toBe(400);
    const federation = await app.inject({ method: 'POST', url: '/_matrix/federation/v1/echo', payload: nested(MAX_FEDERATION_JSON_DEPTH), headers: { 'content-type': 'application/json' } });
    expect(federation.statusCode).toBe(200);
    const federationTooDeep = await app.inject({ method: 'POST', url: '/_matrix/federation/v1/echo', payload: nested(MAX_FEDERATION_JSON_DEPTH + 1), headers: { 'content-type': 'application/json' } });
    expect(federationTooDeep.json().errcode).toBe('M_BAD_JSON');
  });

  it.each([100, 1_500, 5_000, 10_000, 100_000])('answers a body nested %i levels 400 M_BAD_JSON (or accepts it when within the limit)', async (depth) => {
    const res = await app.inject({ method: 'POST', url: '/_matrix/client/v3/echo', payload: nested(depth), headers: { 'content-type': 'application/json' } });
    if (depth <= MAX_CLIENT_JSON_DEPTH) {
      expect(res.statusCode).toBe(200);
    } else {
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ errcode: 'M_BAD_JSON' });
    }
  });

  it('serves replies nested 100,000 levels deep (stored events from before the limit)', async () => {
    const res = await app.inject({ method: 'GET', url: '/_matrix/client/v3/rooms/!r:x/deep?depth=100000' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(nested(100_000));
  });

  it('refuses a JSON body that is not UTF-8 with 400 M_NOT_JSON', async () => {
    const payload = Buffer.concat([Buffer.from('{"body":"caf'), Buffer.from([0xe9]), Buffer.from('","k\xff":1}', 'latin1')]);
    const res = await app.inject({ method: 'POST', url: '/_matrix/client/v3/echo', payload, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errcode).toBe('M_NOT_JSON');
  });

  it.each(['%E0%A4%A', '%zz', '%', '%C3%28', '%ED%A0%80'])('answers a path parameter of %s with a Matrix error, not Fastify\'s', async (raw) => {
    const res = await app.inject({ method: 'GET', url: `/_matrix/client/v3/rooms/${raw}/deep?depth=1` });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json()).toMatchObject({ errcode: expect.stringMatching(/^M_/), error: expect.any(String) });
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('answers a non-JSON body on an unknown route 404 M_UNRECOGNIZED', async () => {
    const res = await app.inject({ method: 'POST', url: '/_matrix/client/v3/no/such/route', payload: 'not json at all', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(404);
    expect(res.json().errcode).toBe('M_UNRECOGNIZED');
  });

  it('keys on the socket address unless the listener is x_forwarded, then on the nearest proxy\'s entry', async () => {
    const headers = { 'x-forwarded-for': '203.0.113.9, 198.51.100.7' };
    const direct = await app.inject({ method: 'GET', url: '/_matrix/client/v3/ip', headers, remoteAddress: '192.0.2.1' });
    expect(direct.json().ip).toBe('192.0.2.1');
    const proxied = await server({ xForwarded: true });
    const behind = await proxied.inject({ method: 'GET', url: '/_matrix/client/v3/ip', headers, remoteAddress: '127.0.0.1' });
    // The left-most entry is whatever the client wrote; the right-most is what our proxy saw.
    expect(behind.json().ip).toBe('198.51.100.7');
    const without = await proxied.inject({ method: 'GET', url: '/_matrix/client/v3/ip', remoteAddress: '127.0.0.1' });
    expect(without.json().ip).toBe('127.0.0.1');
  });

  it('serves /metrics only where the listener offers it', async () => {
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    const clientOnly = await server({ serveMetrics: false });
    const res = await clientOnly.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(404);
    expect(res.json().errcode).toBe('M_UNRECOGNIZED');
  });
});
