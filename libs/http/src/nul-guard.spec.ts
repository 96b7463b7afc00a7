import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createProcessMetrics, createServer } from './index.ts';
import { findNul } from './nul-guard.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await createServer({ logger: pino({ level: 'silent' }), metrics: createProcessMetrics({ workerName: 't', workerApp: 'main' }) });
  app.put('/_matrix/client/v3/rooms/:roomId/send/:eventType/:txnId', async (request) => ({ params: request.params, body: request.body }));
  app.get('/_matrix/client/v3/search', async (request) => request.query);
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

describe('U+0000 guard', () => {
  it('finds NUL in nested keys and strings', () => {
    expect(findNul({ a: [1, 'x', { b: 'y\u0000' }] })).toBe('a[2].b');
    expect(findNul({ 'k\u0000': 1 })).toBe('k\u0000');
    expect(findNul({ a: ['ok'], b: null, c: 3 })).toBeUndefined();
  });

  it('refuses NUL in path parameters with M_INVALID_PARAM', async () => {
    const res = await app.inject({ method: 'PUT', url: '/_matrix/client/v3/rooms/!a:b/send/m.room%00message/t1', payload: {} });
    expect(res.statusCode).toBe(400);
    expect(res.json().errcode).toBe('M_INVALID_PARAM');
    expect(res.json().error).toContain('eventType');
  });

  it('refuses NUL in query values', async () => {
    const res = await app.inject({ method: 'GET', url: '/_matrix/client/v3/search?term=a%00b' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errcode).toBe('M_INVALID_PARAM');
  });

  it('refuses NUL in JSON body keys and strings with M_BAD_JSON naming the field', async () => {
    const res = await app.inject({ method: 'PUT', url: '/_matrix/client/v3/rooms/!a:b/send/m.room.message/t2', payload: '{"content":{"body":"a\\u0000b"}}', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ errcode: 'M_BAD_JSON' });
    expect(res.json().error).toContain('content.body');
  });

  it('accepts an escaped backslash followed by u0000 (no NUL in the value)', async () => {
    const res = await app.inject({ method: 'PUT', url: '/_matrix/client/v3/rooms/!a:b/send/m.room.message/t3', payload: '{"body":"\\\\u0000"}', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().body).toEqual({ body: '\\u0000' });
  });
});
