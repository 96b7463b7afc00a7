import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createProcessMetrics, createServer, forbidden, limitExceeded } from './index.ts';

let app: FastifyInstance;
let ready = false;
beforeAll(async () => {
  app = await createServer({ logger: pino({ level: 'silent' }), bodyLimit: 1024, isReady: () => ready, metrics: createProcessMetrics({ workerName: 't', workerApp: 'main' }) });
  app.post('/_matrix/client/v3/echo', {
    schema: { body: { type: 'object', required: ['msg'], properties: { msg: { type: 'string' } } } },
  }, async (request) => request.body);
  app.get('/_matrix/client/v3/rooms/:roomId/forbidden', async () => {
    throw forbidden('you shall not pass');
  });
  app.get('/_matrix/client/v3/slow-down', async () => {
    throw limitExceeded(1500);
  });
  app.get('/_matrix/client/v3/owner-down', async () => {
    // What an actor call to a dead room owner throws (ActorUnreachableError carries the marker).
    throw Object.assign(new Error('cannot reach instance "persister1" hosting actor room/!r:x'), { temporarilyUnavailable: true });
  });
  app.get('/_matrix/client/v3/bug', async () => {
    throw new TypeError('undefined is not a function');
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

describe('createServer', () => {
  it('parses JSON whatever the content type', async () => {
    const res = await app.inject({ method: 'POST', url: '/_matrix/client/v3/echo', payload: '{"msg":"hi"}', headers: { 'content-type': 'text/plain' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ msg: 'hi' });
  });

  it('labels JSON answers, errors included, exactly application/json', async () => {
    const ok = await app.inject({ method: 'POST', url: '/_matrix/client/v3/echo', payload: { msg: 'hi' } });
    expect(ok.headers['content-type']).toBe('application/json');
    const error = await app.inject({ method: 'GET', url: '/_matrix/client/v3/rooms/!a:b/forbidden' });
    expect(error.headers['content-type']).toBe('application/json');
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.headers['content-type']).toMatch(/^text\/plain/);
  });

  it('answers malformed JSON with M_NOT_JSON', async () => {
    const res = await app.inject({ method: 'POST', url: '/_matrix/client/v3/echo', payload: '{"msg":', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errcode).toBe('M_NOT_JSON');
  });

  it('answers schema violations with M_BAD_JSON naming the field', async () => {
    const res = await app.inject({ method: 'POST', url: '/_matrix/client/v3/echo', payload: { msg: 5 } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ errcode: 'M_BAD_JSON' });
    expect(res.json().error).toContain('msg');
    const missing = await app.inject({ method: 'POST', url: '/_matrix/client/v3/echo', payload: {} });
    expect(missing.json()).toEqual({ errcode: 'M_BAD_JSON', error: 'missing body field "msg"' });
  });

  it('answers oversized bodies with 413 M_TOO_LARGE', async () => {
    const res = await app.inject({ method: 'POST', url: '/_matrix/client/v3/echo', payload: { msg: 'x'.repeat(2000) } });
    expect(res.statusCode).toBe(413);
    expect(res.json().errcode).toBe('M_TOO_LARGE');
  });

  it('renders thrown Matrix errors, with Retry-After for rate limits', async () => {
    const res = await app.inject({ method: 'GET', url: '/_matrix/client/v3/rooms/!a:b/forbidden' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ errcode: 'M_FORBIDDEN', error: 'you shall not pass' });
    const limited = await app.inject({ method: 'GET', url: '/_matrix/client/v3/slow-down' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ errcode: 'M_LIMIT_EXCEEDED', retry_after_ms: 1500 });
    expect(limited.headers['retry-after']).toBe('2');
  });

  it('answers an unreachable process 503 M_UNKNOWN with Retry-After, without internal names', async () => {
    const res = await app.inject({ method: 'GET', url: '/_matrix/client/v3/owner-down' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.json()).toMatchObject({ errcode: 'M_UNKNOWN', retry_after_ms: 2000 });
    expect(res.body).not.toContain('persister1');
  });

  it('hides bugs behind a 500 M_UNKNOWN without details', async () => {
    const res = await app.inject({ method: 'GET', url: '/_matrix/client/v3/bug' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ errcode: 'M_UNKNOWN', error: 'Internal server error' });
  });

  it('answers unknown endpoints 404 and wrong methods 405, both M_UNRECOGNIZED', async () => {
    const missing = await app.inject({ method: 'GET', url: '/_matrix/client/v3/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().errcode).toBe('M_UNRECOGNIZED');
    const wrong = await app.inject({ method: 'GET', url: '/_matrix/client/v3/echo' });
    expect(wrong.statusCode).toBe(405);
    expect(wrong.json().errcode).toBe('M_UNRECOGNIZED');
  });

  it('answers CORS preflights and adds CORS headers', async () => {
    const res = await app.inject({ method: 'OPTIONS', url: '/_matrix/client/v3/echo' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('serves health, readiness and metrics', async () => {
    expect((await app.inject({ method: 'GET', url: '/health' })).body).toBe('OK');
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(503);
    ready = true;
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('http_request_duration_seconds_count');
    expect(metrics.body).toContain('worker_name="t"');
  });
});
