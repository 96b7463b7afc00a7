// /openid/userinfo: an OpenID token, stored as main's request_token stores it, exchanged for the
// user's ID without any X-Matrix signature; anything else is 401 M_UNKNOWN_TOKEN.
import { hashToken } from '@homeserver/services';
import { insertOpenIdToken } from '@homeserver/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, openFedTestEnv, type FedTestEnv } from '../testing/fed-test-env.ts';

let env: FedTestEnv;
beforeAll(async () => {
  env = await openFedTestEnv();
});
afterAll(async () => {
  await env?.close();
});

const userinfo = (query: string) => env.call('GET', `/_matrix/federation/v1/openid/userinfo${query}`, undefined, { unsigned: true });

describe('GET /openid/userinfo', () => {
  it('answers the user a valid token was issued to, without a signature', async () => {
    // The test clock starts at 1.7e12 ms; this token is valid well beyond it.
    await insertOpenIdToken(env.db, { tokenHash: hashToken('good-token'), userId: ALICE, validUntilMs: 2_000_000_000_000 });
    expect(await userinfo('?access_token=good-token')).toEqual({ status: 200, body: { sub: ALICE } });
  });

  it('refuses a missing, an unknown and an expired token with 401 M_UNKNOWN_TOKEN', async () => {
    await insertOpenIdToken(env.db, { tokenHash: hashToken('old-token'), userId: ALICE, validUntilMs: 1_000 });
    for (const query of ['', '?access_token=', '?access_token=never-issued', '?access_token=old-token']) {
      const answer = await userinfo(query);
      expect(answer.status, query).toBe(401);
      expect(answer.body, query).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN' });
    }
  });
});
