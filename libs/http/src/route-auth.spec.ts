import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { authenticateRequest, authenticatedRequester, type TokenResolution, type TokenResolver } from './auth.ts';
import { createServer } from './create-server.ts';
import { createProcessMetrics } from './metrics.ts';

interface User {
  readonly userId: string;
}

let lookups: string[] = [];
const resolveToken: TokenResolver<User> = async (token): Promise<TokenResolution<User>> => {
  lookups.push(token);
  if (token === 'good') return { kind: 'ok', requester: { userId: '@a:x' } };
  if (token === 'old') return { kind: 'expired' };
  return { kind: 'unknown' };
};

const nameBody = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } as const;
let app: FastifyInstance;

beforeAll(async () => {
  app = await createServer({ logger: pino({ level: 'silent' }), metrics: createProcessMetrics({ workerName: 't', workerApp: 'main' }), resolveToken: resolveToken as TokenResolver<unknown> });
  // Listed as auth `required`: the handler authenticates again, as role handlers do.
  app.post('/_matrix/client/v3/createRoom', { schema: { body: nameBody } }, async (request) => {
    const user = await authenticateRequest(request, resolveToken);
    return { user: user?.userId };
  });
  app.get('/_matrix/client/v3/account/whoami', async (request) => ({ user: (await authenticateRequest(request, resolveToken))?.userId }));
  // Listed as `optional`.
  app.get('/_matrix/client/versions', async (request) => ({ user: authenticatedRequester<User>(request)?.userId ?? null }));
  // Listed as `none` for GET.
  app.get('/_matrix/client/v3/publicRooms', async () => ({ chunk: [] }));
  // Not in the table: the handler alone decides.
  app.post('/_matrix/client/v3/unlisted', { schema: { body: nameBody } }, async (request) => ({ user: (await authenticateRequest(request, resolveToken))?.userId }));
  await app.ready();
});
afterAll(async () => app.close());

async function post(url: string, payload: string, token?: string) {
  lookups = [];
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
  return app.inject({ method: 'POST', url, payload, headers });
}

describe('authentication before validation (route table hook)', () => {
  it('answers a missing token before a malformed body: 401 M_MISSING_TOKEN', async () => {
    const res = await post('/_matrix/client/v3/createRoom', '{"name":');
    expect([res.statusCode, res.json().errcode]).toEqual([401, 'M_MISSING_TOKEN']);
  });

  it('answers an unknown token before a wrong-typed body: 401 M_UNKNOWN_TOKEN', async () => {
    const res = await post('/_matrix/client/v3/createRoom', '{"name": 5}', 'nope');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN', soft_logout: false });
  });

  it('answers an expired token with soft_logout, whatever the body', async () => {
    const res = await post('/_matrix/client/v3/createRoom', '[1, 2]', 'old');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN', soft_logout: true });
  });

  it('answers a malformed Authorization header with M_MISSING_TOKEN', async () => {
    const res = await app.inject({ method: 'POST', url: '/_matrix/client/v3/createRoom', payload: '{', headers: { authorization: 'Basic abc' } });
    expect([res.statusCode, res.json().errcode]).toEqual([401, 'M_MISSING_TOKEN']);
  });

  it('validates the body once the token is good', async () => {
    const res = await post('/_matrix/client/v3/createRoom', '{"name": 5}', 'good');
    expect([res.statusCode, res.json().errcode]).toEqual([400, 'M_BAD_JSON']);
  });

  it('looks the token up once per request, however often the handler asks', async () => {
    const res = await post('/_matrix/client/v3/createRoom', '{"name": "room"}', 'good');
    expect(res.json()).toEqual({ user: '@a:x' });
    expect(lookups).toEqual(['good']);
  });

  it('takes the token from the access_token query parameter too, and checks HEAD like GET', async () => {
    lookups = [];
    const res = await app.inject({ method: 'GET', url: '/_matrix/client/v3/account/whoami?access_token=good' });
    expect(res.json()).toEqual({ user: '@a:x' });
    expect(lookups).toEqual(['good']);
    const head = await app.inject({ method: 'HEAD', url: '/_matrix/client/v3/account/whoami' });
    expect(head.statusCode).toBe(401);
  });

  it('resolves a token on optional routes when one is sent, and refuses an invalid one', async () => {
    expect((await app.inject({ method: 'GET', url: '/_matrix/client/versions' })).json()).toEqual({ user: null });
    expect((await app.inject({ method: 'GET', url: '/_matrix/client/versions', headers: { authorization: 'Bearer good' } })).json()).toEqual({ user: '@a:x' });
    const invalid = await app.inject({ method: 'GET', url: '/_matrix/client/versions', headers: { authorization: 'Bearer nope' } });
    expect([invalid.statusCode, invalid.json().errcode]).toEqual([401, 'M_UNKNOWN_TOKEN']);
  });

  it('ignores tokens on routes that need none', async () => {
    lookups = [];
    const res = await app.inject({ method: 'GET', url: '/_matrix/client/v3/publicRooms', headers: { authorization: 'Bearer nope' } });
    expect(res.statusCode).toBe(200);
    expect(lookups).toEqual([]);
  });

  it('leaves routes the table does not list to their handlers (validation first)', async () => {
    const res = await post('/_matrix/client/v3/unlisted', '{"name": 5}');
    expect([res.statusCode, res.json().errcode]).toEqual([400, 'M_BAD_JSON']);
    expect((await post('/_matrix/client/v3/unlisted', '{"name": "x"}')).json().errcode).toBe('M_MISSING_TOKEN');
  });
});
