import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { authenticatedRequester, requireAuth, type TokenResolution } from './auth.ts';
import { createServer } from './create-server.ts';
import { createProcessMetrics } from './metrics.ts';

describe('requireAuth', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createServer({ logger: pino({ level: 'silent' }), metrics: createProcessMetrics({ workerName: 't', workerApp: 'main' }) });
    const resolve = async (token: string): Promise<TokenResolution<{ userId: string }>> =>
      token === 'good' ? { kind: 'ok', requester: { userId: '@a:x' } } : token === 'old' ? { kind: 'expired' } : { kind: 'unknown' };
    app.get('/who', { preHandler: requireAuth(resolve) }, async (request) => ({
      user: authenticatedRequester<{ userId: string }>(request)?.userId,
    }));
    app.get('/maybe', { preHandler: requireAuth(resolve, { optional: true }) }, async (request) => ({
      has: authenticatedRequester(request) !== undefined,
    }));
    await app.ready();
  });
  afterAll(async () => app.close());

  it('accepts a bearer header or the query parameter', async () => {
    const header = await app.inject({ url: '/who', headers: { authorization: 'Bearer good' } });
    expect(header.json()).toEqual({ user: '@a:x' });
    const query = await app.inject({ url: '/who?access_token=good' });
    expect(query.json()).toEqual({ user: '@a:x' });
  });

  it('answers M_MISSING_TOKEN, M_UNKNOWN_TOKEN and soft logout for expired tokens', async () => {
    const missing = await app.inject({ url: '/who' });
    expect([missing.statusCode, missing.json().errcode]).toEqual([401, 'M_MISSING_TOKEN']);
    const malformed = await app.inject({ url: '/who', headers: { authorization: 'Basic abc' } });
    expect([malformed.statusCode, malformed.json().errcode]).toEqual([401, 'M_MISSING_TOKEN']);
    const unknown = await app.inject({ url: '/who', headers: { authorization: 'Bearer nope' } });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN', soft_logout: false });
    const expired = await app.inject({ url: '/who?access_token=old' });
    expect(expired.json()).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN', soft_logout: true });
  });

  it('lets optional routes through without a token', async () => {
    expect((await app.inject({ url: '/maybe' })).json()).toEqual({ has: false });
    expect((await app.inject({ url: '/maybe?access_token=good' })).json()).toEqual({ has: true });
  });
});
