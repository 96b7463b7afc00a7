// registration_requires_token: /register offers only m.login.registration_token, spends a use
// of a valid token (pending, then completed once the account exists), refuses unknown, used-up
// and expired tokens, and /register/m.login.registration_token/validity reports validity.
import { getRegistrationToken, insertRegistrationToken } from '@homeserver/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAccountsTestEnv, type AccountsTestEnv } from '../testing/accounts-test-env.ts';

describe('registration tokens in /register', () => {
  let env: AccountsTestEnv;

  beforeEach(async () => {
    env = await openAccountsTestEnv({ registrationRequiresToken: true });
    await insertRegistrationToken(env.db, { token: 'once', usesAllowed: 1, expiryTime: null });
    await insertRegistrationToken(env.db, { token: 'expired', usesAllowed: null, expiryTime: Date.now() - 1000 });
  });

  afterEach(async () => {
    await env.close();
  });

  const start = async (username: string) => {
    const first = await env.call('POST', '/_matrix/client/v3/register', { body: { username, password: 'pw-secret' } });
    expect(first.status).toBe(401);
    expect(first.body['flows']).toEqual([{ stages: ['m.login.registration_token'] }]);
    return String(first.body['session']);
  };

  it('registers with a valid token once, counting its use, and refuses it once used up', async () => {
    const validity = await env.call('GET', '/_matrix/client/v1/register/m.login.registration_token/validity?token=once');
    expect(validity.body).toEqual({ valid: true });
    const session = await start('tina');
    const dummy = await env.call('POST', '/_matrix/client/v3/register', { body: { username: 'tina', password: 'pw-secret', auth: { type: 'm.login.dummy', session } } });
    expect(dummy.status).toBe(401);
    const done = await env.call('POST', '/_matrix/client/v3/register', { body: { username: 'tina', password: 'pw-secret', auth: { type: 'm.login.registration_token', token: 'once', session } } });
    expect(done.status).toBe(200);
    expect(done.body['user_id']).toBe('@tina:test');
    expect(await getRegistrationToken(env.db, 'once')).toMatchObject({ pending: 0, completed: 1 });
    expect((await env.call('GET', '/_matrix/client/v1/register/m.login.registration_token/validity?token=once')).body).toEqual({ valid: false });
    const again = await start('tom');
    const refused = await env.call('POST', '/_matrix/client/v3/register', { body: { username: 'tom', password: 'pw-secret', auth: { type: 'm.login.registration_token', token: 'once', session: again } } });
    expect(refused.status).toBe(401);
    expect(refused.body['errcode']).toBe('M_UNAUTHORIZED');
  });

  it('refuses unknown and expired tokens', async () => {
    for (const token of ['nope', 'expired']) {
      const session = await start(`user_${token}`);
      const refused = await env.call('POST', '/_matrix/client/v3/register', { body: { username: `user_${token}`, password: 'pw-secret', auth: { type: 'm.login.registration_token', token, session } } });
      expect(refused.status).toBe(401);
      expect(refused.body['errcode']).toBe('M_UNAUTHORIZED');
    }
    expect((await env.call('GET', '/_matrix/client/v1/register/m.login.registration_token/validity?token=expired')).body).toEqual({ valid: false });
  });
});
