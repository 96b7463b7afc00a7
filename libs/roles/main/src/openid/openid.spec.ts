// POST /user/{userId}/openid/request_token: the token shape, that its digest (never the token)
// is stored with the user and an hour's validity for the federation userinfo exchange, 403 for
// another user, and bad input. Every response is spec-checked.
import { hashToken } from '@homeserver/services';
import { userIdForOpenIdToken } from '@homeserver/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enc, openRoomsTestEnv, SERVER, type RoomsTestEnv } from '../rooms/testing/rooms-test-env.ts';
import { registerOpenIdRoutes } from './openid-routes.ts';

const ALICE = `@alice:${SERVER}`;
const BOB = `@bob:${SERVER}`;
const NOW = 1_700_000_000_000;
let env: RoomsTestEnv;

beforeAll(async () => {
  env = await openRoomsTestEnv({ extraRoutes: (app, deps) => registerOpenIdRoutes(app, { ...deps, clock: { now: () => NOW } }) });
});
afterAll(async () => env.close());

describe('POST /user/{userId}/openid/request_token', () => {
  it('issues an hour-long bearer token for oneself, stored only as its digest (v3 and r0)', async () => {
    const tokens: string[] = [];
    for (const prefix of ['v3', 'r0']) {
      const result = await env.call(ALICE, 'POST', `/_matrix/client/${prefix}/user/${enc(ALICE)}/openid/request_token`, {});
      expect(result.status, prefix).toBe(200);
      expect(result.body).toMatchObject({ token_type: 'Bearer', matrix_server_name: SERVER, expires_in: 3600 });
      tokens.push(String(result.body['access_token']));
    }
    expect(tokens[0]).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(tokens[0]).not.toBe(tokens[1]);
    expect(await userIdForOpenIdToken(env.db, hashToken(tokens[0]!), { now: NOW + 3_600_000 })).toBe(ALICE);
    expect(await userIdForOpenIdToken(env.db, hashToken(tokens[0]!), { now: NOW + 3_600_001 })).toBeUndefined();
    const { rows } = await env.db.query<{ token_hash: string }>('SELECT token_hash FROM open_id_tokens');
    expect(rows.map((r) => r.token_hash)).not.toContain(tokens[0]);
  });

  it('refuses tokens for another user (403), malformed IDs and bodies (400) and a missing token (401)', async () => {
    const other = await env.call(ALICE, 'POST', `/_matrix/client/v3/user/${enc(BOB)}/openid/request_token`, {});
    expect([other.status, other.body['errcode']]).toEqual([403, 'M_FORBIDDEN']);
    expect((await env.call(ALICE, 'POST', '/_matrix/client/v3/user/alice/openid/request_token', {})).status).toBe(400);
    const array = await env.call(ALICE, 'POST', `/_matrix/client/v3/user/${enc(ALICE)}/openid/request_token`, []);
    expect([array.status, array.body['errcode']]).toEqual([400, 'M_BAD_JSON']);
    expect((await env.call(undefined, 'POST', `/_matrix/client/v3/user/${enc(ALICE)}/openid/request_token`, {})).status).toBe(401);
  });
});
