// Registration, login, tokens, devices, password and deactivation through the HTTP API, every
// response validated against the v1.19 spec.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccountsTestEnv, type AccountsTestEnv } from '../testing/accounts-test-env.ts';

const V3 = '/_matrix/client/v3';
let env: AccountsTestEnv;
beforeAll(async () => {
  env = await openAccountsTestEnv({ accessTokenLifetimeMs: 60_000 });
}, 120_000);
afterAll(async () => env.close());

describe('registration', () => {
  it('runs the dummy UIA flow, then returns tokens for a new device', async () => {
    const first = await env.call('POST', `${V3}/register`, { body: { username: 'alice', password: 'pw-alice' } });
    expect(first.status).toBe(401);
    expect(first.body['flows']).toEqual([{ stages: ['m.login.dummy'] }]);
    const done = await env.call('POST', `${V3}/register`, {
      body: { username: 'alice', password: 'pw-alice', initial_device_display_name: 'phone', auth: { type: 'm.login.dummy', session: first.body['session'] } },
    });
    expect(done.status).toBe(200);
    expect(done.body['user_id']).toBe('@alice:test');
    const who = await env.call('GET', `${V3}/account/whoami`, { token: done.body['access_token'] as string });
    expect(who.body).toEqual({ user_id: '@alice:test', device_id: done.body['device_id'], is_guest: false });
  });

  it('refuses taken, invalid and reserved names', async () => {
    expect((await env.call('POST', `${V3}/register`, { body: { username: 'alice' } })).body['errcode']).toBe('M_USER_IN_USE');
    expect((await env.call('POST', `${V3}/register`, { body: { username: 'a b' } })).body['errcode']).toBe('M_INVALID_USERNAME');
    expect((await env.call('GET', `${V3}/register/available?username=_bridge`)).body['errcode']).toBe('M_INVALID_USERNAME');
    expect((await env.call('GET', `${V3}/register/available?username=fresh`)).body).toEqual({ available: true });
  });

  it('honours inhibit_login, device_id and refresh_token', async () => {
    const inhibited = await env.register('bob', 'pw-bob', { inhibit_login: true });
    expect(inhibited).toEqual({ user_id: '@bob:test' });
    const carol = await env.register('carol', 'pw', { device_id: 'CAROLDEV', refresh_token: true });
    expect(carol.device_id).toBe('CAROLDEV');
    expect(typeof carol.refresh_token).toBe('string');
  });

  it('remembers the first request\'s parameters, so later stages may send auth alone (password kept hashed)', async () => {
    const first = await env.call('POST', `${V3}/register`, { body: { username: 'dora', password: 'pw-dora', device_id: 'DORADEV', initial_device_display_name: 'tablet' } });
    expect(first.status).toBe(401);
    const stored = await env.db.query<{ client_dict: Record<string, unknown> }>('SELECT client_dict FROM ui_auth_sessions WHERE session_id = $1', [first.body['session']]);
    expect(JSON.stringify(stored.rows[0]?.client_dict)).not.toContain('pw-dora');
    const done = await env.call('POST', `${V3}/register`, { body: { auth: { type: 'm.login.dummy', session: first.body['session'] } } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ user_id: '@dora:test', device_id: 'DORADEV' });
    const login = await env.call('POST', `${V3}/login`, { body: { type: 'm.login.password', identifier: { type: 'm.id.user', user: 'dora' }, password: 'pw-dora' } });
    expect(login.status).toBe(200);
    const inhibited = await env.call('POST', `${V3}/register`, { body: { username: 'eddy', password: 'pw', inhibit_login: true } });
    const inhibitedDone = await env.call('POST', `${V3}/register`, { body: { auth: { type: 'm.login.dummy', session: inhibited.body['session'] } } });
    expect(inhibitedDone.body).toEqual({ user_id: '@eddy:test' });
  });

  it('answers a replay of a completed registration session with the same user, logged in again', async () => {
    for (const username of [undefined, 'fern']) {
      const params = { ...(username ? { username } : {}), password: 'pw-again' };
      const first = await env.call('POST', `${V3}/register`, { body: params });
      const auth = { type: 'm.login.dummy', session: first.body['session'] };
      const done = await env.call('POST', `${V3}/register`, { body: { ...params, auth } });
      expect(done.status).toBe(200);
      const again = await env.call('POST', `${V3}/register`, { body: { ...params, auth } });
      expect(again.status).toBe(200);
      expect(again.body['user_id']).toBe(done.body['user_id']);
      expect(again.body['access_token']).not.toBe(done.body['access_token']);
    }
  });

  it('answers bad input with spec errors', async () => {
    const malformed = await env.call('POST', `${V3}/register`, { raw: '{not json' });
    expect([malformed.status, malformed.body['errcode']]).toEqual([400, 'M_NOT_JSON']);
    const wrongType = await env.call('POST', `${V3}/register`, { body: { username: 5 } });
    expect([wrongType.status, wrongType.body['errcode']]).toEqual([400, 'M_BAD_JSON']);
    const unknownSession = await env.call('POST', `${V3}/register`, { body: { username: 'zed', auth: { type: 'm.login.dummy', session: 'nope' } } });
    expect(unknownSession.status).toBe(400);
  });

  it('is forbidden when registration is disabled', async () => {
    const closed = await openAccountsTestEnv({ enableRegistration: false });
    try {
      const response = await closed.call('POST', `${V3}/register`, { body: { username: 'x' } });
      expect([response.status, response.body['errcode']]).toEqual([403, 'M_FORBIDDEN']);
    } finally {
      await closed.close();
    }
  }, 120_000);
});

describe('shared-secret admin registration', () => {
  it('registers with a valid HMAC over a fresh nonce, once', async () => {
    const { body } = await env.call('GET', '/_synapse/admin/v1/register');
    const nonce = body['nonce'] as string;
    const mac = createHmac('sha1', 'shh').update(`${nonce}\0root\0pw-root\0admin`).digest('hex');
    const ok = await env.call('POST', '/_synapse/admin/v1/register', { body: { nonce, username: 'root', password: 'pw-root', admin: true, mac } });
    expect(ok.status).toBe(200);
    expect(ok.body['user_id']).toBe('@root:test');
    const replay = await env.call('POST', '/_synapse/admin/v1/register', { body: { nonce, username: 'root2', password: 'pw-root', admin: true, mac } });
    expect(replay.status).toBe(400);
    const next = (await env.call('GET', '/_synapse/admin/v1/register')).body['nonce'] as string;
    const bad = await env.call('POST', '/_synapse/admin/v1/register', { body: { nonce: next, username: 'root3', password: 'x', mac: '00' } });
    expect([bad.status, bad.body['errcode']]).toEqual([403, 'M_FORBIDDEN']);
  });
});

describe('login and tokens', () => {
  it('offers password login and accepts identifier or legacy user', async () => {
    expect((await env.call('GET', `${V3}/login`)).body).toEqual({ flows: [{ type: 'm.login.password' }] });
    const byId = await env.call('POST', `${V3}/login`, { body: { type: 'm.login.password', identifier: { type: 'm.id.user', user: '@alice:test' }, password: 'pw-alice' } });
    expect(byId.status).toBe(200);
    const legacy = await env.call('POST', '/_matrix/client/r0/login', { body: { type: 'm.login.password', user: 'ALICE', password: 'pw-alice', device_id: 'LEGACY' } });
    expect([legacy.status, legacy.body['device_id']]).toEqual([200, 'LEGACY']);
    const wrong = await env.call('POST', `${V3}/login`, { body: { type: 'm.login.password', user: 'alice', password: 'nope' } });
    expect([wrong.status, wrong.body['errcode']]).toEqual([403, 'M_FORBIDDEN']);
  });

  it('rate-limits repeated failed logins of one account', async () => {
    let last = 0;
    for (let i = 0; i < 5; i += 1) last = (await env.call('POST', `${V3}/login`, { body: { type: 'm.login.password', user: 'bob', password: 'bad' } })).status;
    expect(last).toBe(429);
  });

  it('rejects missing, unknown and expired tokens', async () => {
    expect((await env.call('GET', `${V3}/account/whoami`)).body['errcode']).toBe('M_MISSING_TOKEN');
    const unknown = await env.call('GET', `${V3}/account/whoami`, { token: 'mat_nope' });
    expect([unknown.status, unknown.body['errcode'], unknown.body['soft_logout']]).toEqual([401, 'M_UNKNOWN_TOKEN', false]);
    const dave = await env.register('dave', 'pw-dave', { refresh_token: true });
    env.clock.advance(61_000);
    const expired = await env.call('GET', `${V3}/account/whoami`, { token: dave.access_token });
    expect([expired.status, expired.body['soft_logout']]).toEqual([401, true]);
    const refreshed = await env.call('POST', `${V3}/refresh`, { body: { refresh_token: dave.refresh_token } });
    expect(refreshed.status).toBe(200);
    const who = await env.call('GET', `${V3}/account/whoami?access_token=${refreshed.body['access_token'] as string}`);
    expect(who.body['user_id']).toBe('@dave:test');
    // The new token was used, so the old refresh token is revoked.
    const reuse = await env.call('POST', `${V3}/refresh`, { body: { refresh_token: dave.refresh_token } });
    expect([reuse.status, reuse.body['errcode']]).toEqual([401, 'M_UNKNOWN_TOKEN']);
  });

  it('logs out one device, then all', async () => {
    const erin = await env.register('erin', 'pw-erin');
    const second = await env.call('POST', `${V3}/login`, { body: { type: 'm.login.password', user: 'erin', password: 'pw-erin' } });
    expect((await env.call('POST', `${V3}/logout`, { token: erin.access_token })).status).toBe(200);
    expect((await env.call('GET', `${V3}/account/whoami`, { token: erin.access_token })).status).toBe(401);
    const devices = await env.call('GET', `${V3}/devices`, { token: second.body['access_token'] as string });
    expect((devices.body['devices'] as unknown[]).length).toBe(1);
    expect((await env.call('POST', `${V3}/logout/all`, { token: second.body['access_token'] as string })).status).toBe(200);
    expect((await env.call('GET', `${V3}/account/whoami`, { token: second.body['access_token'] as string })).status).toBe(401);
  });
});

describe('devices, password and deactivation', () => {
  it('lists, renames and deletes devices with password UIA', async () => {
    const frank = await env.register('frank', 'pw-frank', { device_id: 'F1', initial_device_display_name: 'one' });
    await env.call('POST', `${V3}/login`, { body: { type: 'm.login.password', user: 'frank', password: 'pw-frank', device_id: 'F2' } });
    const token = frank.access_token;
    expect((await env.call('GET', `${V3}/devices/F1`, { token })).body).toMatchObject({ device_id: 'F1', display_name: 'one' });
    expect((await env.call('PUT', `${V3}/devices/F2`, { token, body: { display_name: 'two' } })).status).toBe(200);
    expect((await env.call('GET', `${V3}/devices/F9`, { token })).body['errcode']).toBe('M_NOT_FOUND');
    const challenge = await env.call('DELETE', `${V3}/devices/F2`, { token, body: {} });
    expect(challenge.status).toBe(401);
    expect(challenge.body['flows']).toEqual([{ stages: ['m.login.password'] }]);
    const badPw = await env.call('DELETE', `${V3}/devices/F2`, {
      token,
      body: { auth: { type: 'm.login.password', identifier: { type: 'm.id.user', user: 'frank' }, password: 'x', session: challenge.body['session'] } },
    });
    expect([badPw.status, badPw.body['errcode']]).toEqual([401, 'M_FORBIDDEN']);
    // Another user's (right) password does not authenticate this user: 403 (Synapse).
    await env.register('mallory', 'pw-mallory');
    const otherUser = await env.call('DELETE', `${V3}/devices/F2`, {
      token,
      body: { auth: { type: 'm.login.password', identifier: { type: 'm.id.user', user: 'mallory' }, password: 'pw-mallory', session: challenge.body['session'] } },
    });
    expect([otherUser.status, otherUser.body['errcode']]).toEqual([403, 'M_FORBIDDEN']);
    const ok = await env.call('DELETE', `${V3}/devices/F2`, {
      token,
      body: { auth: { type: 'm.login.password', identifier: { type: 'm.id.user', user: 'frank' }, password: 'pw-frank', session: challenge.body['session'] } },
    });
    expect(ok.status).toBe(200);
    expect(((await env.call('GET', `${V3}/devices`, { token })).body['devices'] as unknown[]).length).toBe(1);
    const bulk = await env.call('POST', `${V3}/delete_devices`, { token, body: { devices: ['nope'], auth: { type: 'm.login.password', user: 'frank', password: 'pw-frank' } } });
    expect(bulk.status).toBe(200);
  });

  it('changes the password and logs out other devices', async () => {
    const gina = await env.register('gina', 'old-pw');
    const other = await env.call('POST', `${V3}/login`, { body: { type: 'm.login.password', user: 'gina', password: 'old-pw' } });
    const changed = await env.call('POST', `${V3}/account/password`, {
      token: gina.access_token,
      body: { new_password: 'new-pw', auth: { type: 'm.login.password', identifier: { type: 'm.id.user', user: '@gina:test' }, password: 'old-pw' } },
    });
    expect(changed.status).toBe(200);
    expect((await env.call('GET', `${V3}/account/whoami`, { token: other.body['access_token'] as string })).status).toBe(401);
    expect((await env.call('GET', `${V3}/account/whoami`, { token: gina.access_token })).status).toBe(200);
    expect((await env.call('POST', `${V3}/login`, { body: { type: 'm.login.password', user: 'gina', password: 'new-pw' } })).status).toBe(200);
  });

  it('deactivates: tokens die, login refused, rooms hook called', async () => {
    const hank = await env.register('hank', 'pw-hank');
    const done = await env.call('POST', `${V3}/account/deactivate`, { token: hank.access_token, body: { auth: { type: 'm.login.password', user: 'hank', password: 'pw-hank' } } });
    expect(done.status).toBe(200);
    expect(env.roomCalls).toContainEqual(['leave', '@hank:test', null]);
    expect((await env.call('GET', `${V3}/account/whoami`, { token: hank.access_token })).status).toBe(401);
    const login = await env.call('POST', `${V3}/login`, { body: { type: 'm.login.password', user: 'hank', password: 'pw-hank' } });
    expect(login.status).toBe(403);
  });
});
