// Guest access (Synapse's allow_guest_access): registration refused by default and issued when
// enabled (even with registration closed), guest tokens limited to the guest endpoints with
// real token lookups, and guests joining only rooms whose m.room.guest_access is can_join.
// Responses are validated against the v1.19 spec.
import { missingToken } from '@homeserver/http';
import type { Requester } from '@homeserver/services';
import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enc, openRoomsTestEnv, SERVER, type RoomsTestEnv } from '../rooms/testing/rooms-test-env.ts';
import { openAccountsTestEnv, type AccountsTestEnv } from '../testing/accounts-test-env.ts';
import { registerThreepidRoutes } from '../threepid/threepid-routes.ts';

const v3 = (path: string) => `/_matrix/client/v3${path}`;
const errorOf = (result: { status: number; body: Record<string, unknown> }) => [result.status, result.body['errcode']];

describe('guest registration and guest tokens', () => {
  let closed: AccountsTestEnv;
  let open: AccountsTestEnv;

  beforeAll(async () => {
    closed = await openAccountsTestEnv();
    open = await openAccountsTestEnv(
      { allowGuestAccess: true, enableRegistration: false },
      { extraRoutes: (app, deps) => registerThreepidRoutes(app, { authenticate: deps.auth.authenticate }) },
    );
  });
  afterAll(async () => {
    await closed.close();
    await open.close();
  });

  it('refuses guests unless allow_guest_access is on', async () => {
    expect(errorOf(await closed.call('POST', v3('/register?kind=guest'), { body: {} }))).toEqual([403, 'M_GUEST_ACCESS_FORBIDDEN']);
  });

  it('registers a guest with a numeric localpart and the guest device, even with registration closed', async () => {
    const guest = await open.call('POST', v3('/register?kind=guest'), { body: { initial_device_display_name: 'Guest browser', username: 'ignored', password: 'ignored' } });
    expect(guest.status).toBe(200);
    expect(guest.body['user_id']).toMatch(/^@[0-9]+:test$/);
    expect(guest.body['device_id']).toBe('guest_device');
    const token = String(guest.body['access_token']);
    expect((await open.call('GET', v3('/account/whoami'), { token })).body).toEqual({ user_id: guest.body['user_id'], device_id: 'guest_device', is_guest: true });
    const devices = await open.call('GET', v3('/devices'), { token });
    expect((devices.body['devices'] as Array<Record<string, unknown>>)[0]).toMatchObject({ device_id: 'guest_device', display_name: 'Guest browser' });
    const second = await open.call('POST', v3('/register?kind=guest'), { body: {} });
    expect(second.body['user_id']).not.toBe(guest.body['user_id']);
    // Ordinary registration stays closed.
    expect(errorOf(await open.call('POST', v3('/register'), { body: { username: 'someone', password: 'pw-pw-pw' } }))).toEqual([403, 'M_FORBIDDEN']);
  });

  it('limits guest tokens to the guest endpoints and leaves other users alone', async () => {
    const guest = (await open.call('POST', v3('/register?kind=guest'), { body: {} })).body;
    const token = String(guest['access_token']);
    expect((await open.call('GET', v3('/account/whoami?ts=1'), { token })).status).toBe(200);
    expect(errorOf(await open.call('GET', v3('/account/3pid'), { token }))).toEqual([403, 'M_GUEST_ACCESS_FORBIDDEN']);
    const filter = await open.call('POST', v3(`/user/${encodeURIComponent(String(guest['user_id']))}/filter`), { token, body: {} });
    expect(errorOf(filter)).toEqual([403, 'M_GUEST_ACCESS_FORBIDDEN']);
    expect(errorOf(await open.call('POST', v3('/logout'), { token }))).toEqual([403, 'M_GUEST_ACCESS_FORBIDDEN']);
    expect(errorOf(await open.call('PUT', v3('/devices/guest_device'), { token, body: { display_name: 'renamed' } }))).toEqual([200, undefined]);
    const regular = await closed.register('notaguest');
    const regularFilter = await closed.call('POST', v3(`/user/${encodeURIComponent(regular.user_id)}/filter`), { token: regular.access_token, body: {} });
    expect(regularFilter.status).toBe(200);
  });
});

describe('guest upgrade (register with guest_access_token)', () => {
  let env: AccountsTestEnv;
  beforeAll(async () => {
    env = await openAccountsTestEnv({ allowGuestAccess: true, enableRegistration: true });
  });
  afterAll(async () => env.close());

  const newGuest = async () => {
    const body = (await env.call('POST', v3('/register?kind=guest'), { body: {} })).body;
    return { userId: String(body['user_id']), token: String(body['access_token']), localpart: String(body['user_id']).slice(1).split(':')[0]! };
  };

  it('keeps the guest user ID, clears the guest flag and issues a new token', async () => {
    const guest = await newGuest();
    const upgraded = await env.register(guest.localpart, 'SIR_Arthur_David', { guest_access_token: guest.token });
    expect(upgraded.user_id).toBe(guest.userId);
    expect(upgraded.access_token).not.toBe(guest.token);
    expect((await env.call('GET', v3('/account/whoami'), { token: upgraded.access_token })).body).toMatchObject({ user_id: guest.userId, is_guest: false });
    const login = await env.call('POST', v3('/login'), {
      body: { type: 'm.login.password', identifier: { type: 'm.id.user', user: guest.localpart }, password: 'SIR_Arthur_David' },
    });
    expect([login.status, login.body['user_id']]).toEqual([200, guest.userId]);
  });

  it("refuses another guest's token, and a taken ID without any", async () => {
    const guest = await newGuest();
    const other = await newGuest();
    const stolen = await env.call('POST', v3('/register'), { body: { username: guest.localpart, password: 'pw-pw-pw', guest_access_token: other.token } });
    expect(errorOf(stolen)).toEqual([403, 'M_FORBIDDEN']);
    expect(errorOf(await env.call('POST', v3('/register'), { body: { username: guest.localpart, password: 'pw-pw-pw' } }))).toEqual([400, 'M_USER_IN_USE']);
    const regular = await env.register('regular-user');
    const notGuest = await env.call('POST', v3('/register'), { body: { username: 'regular-user', password: 'pw-pw-pw', guest_access_token: regular.access_token } });
    expect(errorOf(notGuest)).toEqual([403, 'M_FORBIDDEN']);
  });
});

describe('guests joining rooms', () => {
  let env: RoomsTestEnv;
  const ALICE = `@alice:${SERVER}`;
  const GUEST = `@1234:${SERVER}`;

  beforeAll(async () => {
    // Like the default test auth, but `@<digits>` users are guests.
    const authenticate = async (request: FastifyRequest): Promise<Requester> => {
      const header = request.headers.authorization;
      if (!header?.startsWith('Bearer ')) throw missingToken();
      const userId = header.slice('Bearer '.length).split('|')[0]!;
      return { userId, deviceId: 'guest_device', accessTokenId: 1, isGuest: /^@[0-9]+:/.test(userId) };
    };
    env = await openRoomsTestEnv({ authenticate });
  });
  afterAll(async () => env.close());

  it('joins rooms with guest_access can_join, with kind: guest in the member event', async () => {
    const roomId = await env.createRoom(ALICE, { preset: 'public_chat', initial_state: [{ type: 'm.room.guest_access', state_key: '', content: { guest_access: 'can_join' } }] });
    const joined = await env.call(GUEST, 'POST', v3(`/join/${enc(roomId)}`), {});
    expect(joined.status, JSON.stringify(joined.body)).toBe(200);
    const member = await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/state/m.room.member/${enc(GUEST)}`));
    expect(member.body).toMatchObject({ membership: 'join', kind: 'guest' });
    expect((await env.call(GUEST, 'POST', v3(`/rooms/${enc(roomId)}/leave`), {})).status).toBe(200);
  });

  it('makes joined guests leave when guest access is revoked', async () => {
    const roomId = await env.createRoom(ALICE, { preset: 'public_chat', initial_state: [{ type: 'm.room.guest_access', state_key: '', content: { guest_access: 'can_join' } }] });
    expect((await env.call(GUEST, 'POST', v3(`/join/${enc(roomId)}`), {})).status).toBe(200);
    expect((await env.call(`@bob:${SERVER}`, 'POST', v3(`/join/${enc(roomId)}`), {})).status).toBe(200);
    const revoked = await env.call(ALICE, 'PUT', v3(`/rooms/${enc(roomId)}/state/m.room.guest_access`), { guest_access: 'forbidden' });
    expect(revoked.status).toBe(200);
    const member = await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/state/m.room.member/${enc(GUEST)}`));
    expect(member.body).toMatchObject({ membership: 'leave' });
    const leave = await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/state`));
    const guestLeave = (leave.body as unknown as Array<Record<string, unknown>>).find((e) => e['type'] === 'm.room.member' && e['state_key'] === GUEST);
    expect(guestLeave?.['sender']).toBe(GUEST);
    // Regular members stay.
    const bob = await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/state/m.room.member/${enc(`@bob:${SERVER}`)}`));
    expect(bob.body).toMatchObject({ membership: 'join' });
  });

  it('refuses rooms without guest access, while regular users still join them', async () => {
    const roomId = await env.createRoom(ALICE, { preset: 'public_chat' });
    expect(errorOf(await env.call(GUEST, 'POST', v3(`/rooms/${enc(roomId)}/join`), {}))).toEqual([403, 'M_FORBIDDEN']);
    const forbidden = await env.call(ALICE, 'PUT', v3(`/rooms/${enc(roomId)}/state/m.room.guest_access`), { guest_access: 'forbidden' });
    expect(forbidden.status).toBe(200);
    expect(errorOf(await env.call(GUEST, 'POST', v3(`/join/${enc(roomId)}`), {}))).toEqual([403, 'M_FORBIDDEN']);
    expect((await env.call(`@bob:${SERVER}`, 'POST', v3(`/rooms/${enc(roomId)}/join`), {})).status).toBe(200);
  });
});
