// Synapse's admin API on the monolith over HTTP: every answer checked field by field against
// Synapse's shapes, users listed, created, modified, locked, deactivated and reset; rooms listed,
// shown, made admin of, joined, deleted (kick, block, purge) with the task polled to completion;
// event reports; 401 without a token and 403 for a non-admin.
import { completeFederationTxn, recordFederationFailure } from '@homeserver/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, login, registerUser, startAdminTestbed, type AdminTestbed, type TestUser } from './testing/admin-http.ts';
import { SYNAPSE_SHAPES, shapeProblems } from './testing/synapse-admin-shapes.ts';
import type { TestHomeserver } from './testing/test-homeserver.ts';

const enc = encodeURIComponent;

describe('admin API (Synapse paths and shapes) on the monolith', () => {
  let bed: AdminTestbed;
  let server: TestHomeserver;
  let base: string;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  const as = (user: TestUser, method: string, path: string, body?: unknown) => bed.as(user, method, path, body);

  beforeAll(async () => {
    bed = await startAdminTestbed({ serverName: 'admin.test', users: ['alice', 'bob'] });
    ({ server, base, admin } = bed);
    alice = bed.users['alice']!;
    bob = bed.users['bob']!;
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
  }, 60_000);

  it('answers 401 without a token and 403 M_FORBIDDEN to a non-admin', async () => {
    for (const [method, path] of [
      ['GET', '/_synapse/admin/v1/server_version'],
      ['GET', '/_synapse/admin/v2/users'],
      ['PUT', '/_synapse/admin/v2/users/@x:admin.test'],
      ['POST', '/_synapse/admin/v1/deactivate/@bob:admin.test'],
      ['GET', '/_synapse/admin/v1/rooms'],
    ] as const) {
      const body = method === 'GET' ? undefined : {};
      expect((await http(base, method, path, { body })).status, `${method} ${path} without a token`).toBe(401);
      const forbidden = await as(alice, method, path, body);
      expect(forbidden.status, `${method} ${path} as a non-admin`).toBe(403);
      expect(forbidden.body['errcode']).toBe('M_FORBIDDEN');
    }
  });

  it('reports the server version', async () => {
    const { status, body } = await as(admin, 'GET', '/_synapse/admin/v1/server_version');
    expect(status).toBe(200);
    expect(shapeProblems(body, SYNAPSE_SHAPES.serverVersion)).toEqual([]);
  });

  it('creates (201), shows and modifies (200) a user with PUT /v2/users/{userId}', async () => {
    const created = await as(admin, 'PUT', '/_synapse/admin/v2/users/@carol:admin.test', { password: 'carol-pw', displayname: 'Carol', user_type: 'bot' });
    expect(created.status).toBe(201);
    expect(shapeProblems(created.body, SYNAPSE_SHAPES.userDetails)).toEqual([]);
    expect(created.body).toMatchObject({ name: '@carol:admin.test', displayname: 'Carol', admin: false, user_type: 'bot', deactivated: false });
    expect((await login(base, 'carol', 'carol-pw')).status).toBe(200);
    const modified = await as(admin, 'PUT', '/_synapse/admin/v2/users/@carol:admin.test', { displayname: 'Carol C', admin: true });
    expect(modified.status).toBe(200);
    expect(modified.body).toMatchObject({ displayname: 'Carol C', admin: true });
    const shown = await as(admin, 'GET', '/_synapse/admin/v2/users/@carol:admin.test');
    expect(shapeProblems(shown.body, SYNAPSE_SHAPES.userDetails)).toEqual([]);
    expect(shown.body['admin']).toBe(true);
    expect((await as(admin, 'GET', '/_synapse/admin/v2/users/@nobody:admin.test')).status).toBe(404);
    expect((await as(admin, 'GET', '/_synapse/admin/v2/users/@x:elsewhere.test')).status).toBe(400);
    expect((await as(admin, 'PUT', '/_synapse/admin/v2/users/@root:admin.test', { admin: false })).status).toBe(400);
  });

  it('lists users with paging, name, admins, order_by and dir', async () => {
    const page = await as(admin, 'GET', '/_synapse/admin/v2/users?limit=2');
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    expect(page.body['total']).toBe(4);
    expect(page.body['next_token']).toBe('2');
    const users = page.body['users'] as Array<Record<string, unknown>>;
    expect(users.map((u) => u['name'])).toEqual(['@alice:admin.test', '@bob:admin.test']);
    for (const user of users) expect(shapeProblems(user, SYNAPSE_SHAPES.userListItem)).toEqual([]);
    const rest = await as(admin, 'GET', '/_synapse/admin/v2/users?from=2&limit=2');
    expect((rest.body['users'] as Array<Record<string, unknown>>).map((u) => u['name'])).toEqual(['@carol:admin.test', '@root:admin.test']);
    expect(rest.body['next_token']).toBeUndefined();
    const byName = await as(admin, 'GET', '/_synapse/admin/v2/users?name=ali');
    expect((byName.body['users'] as Array<Record<string, unknown>>).map((u) => u['name'])).toEqual(['@alice:admin.test']);
    const admins = await as(admin, 'GET', '/_synapse/admin/v2/users?admins=true');
    expect((admins.body['users'] as Array<Record<string, unknown>>).map((u) => u['name'])).toEqual(['@carol:admin.test', '@root:admin.test']);
    const newest = await as(admin, 'GET', '/_synapse/admin/v2/users?order_by=creation_ts&dir=b&limit=1');
    expect((newest.body['users'] as Array<Record<string, unknown>>)[0]!['name']).toBe('@carol:admin.test');
    expect((await as(admin, 'GET', '/_synapse/admin/v2/users?order_by=nonsense')).status).toBe(400);
    expect((await as(admin, 'GET', '/_synapse/admin/v1/username_available?username=alice')).body['errcode']).toBe('M_USER_IN_USE');
    expect((await as(admin, 'GET', '/_synapse/admin/v1/username_available?username=dave')).body).toEqual({ available: true });
  });

  it('shows rooms, their members, state and messages, and a user\'s joined rooms, whois and devices', async () => {
    const created = await as(alice, 'POST', '/_matrix/client/v3/createRoom', { name: 'Admin Test Room', room_alias_name: 'admintest', preset: 'public_chat', visibility: 'public', topic: 'a topic' });
    const roomId = String(created.body['room_id']);
    expect((await as(bob, 'POST', `/_matrix/client/v3/join/${enc(roomId)}`, {})).status).toBe(200);
    const sent = await as(bob, 'PUT', `/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.message/t1`, { msgtype: 'm.text', body: 'hello admins' });
    await as(alice, 'POST', '/_matrix/client/v3/createRoom', { name: 'Another room' });

    const list = await as(admin, 'GET', '/_synapse/admin/v1/rooms');
    expect(list.body['total_rooms']).toBe(2);
    expect(list.body['offset']).toBe(0);
    const rooms = list.body['rooms'] as Array<Record<string, unknown>>;
    expect(rooms.map((r) => r['name'])).toEqual(['Admin Test Room', 'Another room']);
    for (const room of rooms) expect(shapeProblems(room, SYNAPSE_SHAPES.roomListItem)).toEqual([]);
    expect(rooms[0]).toMatchObject({ room_id: roomId, canonical_alias: '#admintest:admin.test', joined_members: 2, joined_local_members: 2, public: true, join_rules: 'public', creator: alice.userId });
    const bySize = await as(admin, 'GET', '/_synapse/admin/v1/rooms?order_by=joined_members&limit=1');
    expect((bySize.body['rooms'] as Array<Record<string, unknown>>)[0]!['room_id']).toBe(roomId);
    expect(bySize.body['next_batch']).toBe(1);
    const search = await as(admin, 'GET', '/_synapse/admin/v1/rooms?search_term=admintest');
    expect((search.body['rooms'] as unknown[]).length).toBe(1);
    expect((await as(admin, 'GET', '/_synapse/admin/v1/rooms?search_term=')).status).toBe(400);

    const details = await as(admin, 'GET', `/_synapse/admin/v1/rooms/${enc(roomId)}`);
    expect(shapeProblems(details.body, { ...SYNAPSE_SHAPES.roomListItem, ...SYNAPSE_SHAPES.roomDetailsExtra })).toEqual([]);
    expect(details.body).toMatchObject({ topic: 'a topic', joined_local_devices: 2, forgotten: false, tombstoned: false });
    expect((await as(admin, 'GET', `/_synapse/admin/v1/rooms/${enc(roomId)}/members`)).body).toEqual({ members: [alice.userId, bob.userId], total: 2 });
    const state = (await as(admin, 'GET', `/_synapse/admin/v1/rooms/${enc(roomId)}/state`)).body['state'] as Array<Record<string, unknown>>;
    expect(state.some((e) => e['type'] === 'm.room.name')).toBe(true);
    const messages = await as(admin, 'GET', `/_synapse/admin/v1/rooms/${enc(roomId)}/messages?limit=1`);
    expect((messages.body['chunk'] as Array<Record<string, unknown>>)[0]!['event_id']).toBe(sent.body['event_id']);
    expect(typeof messages.body['end']).toBe('string');

    expect((await as(admin, 'GET', `/_synapse/admin/v1/users/${enc(bob.userId)}/joined_rooms`)).body).toEqual({ joined_rooms: [roomId], total: 1 });
    const whois = await as(admin, 'GET', `/_synapse/admin/v1/whois/${enc(bob.userId)}`);
    expect(whois.body['user_id']).toBe(bob.userId);
    // The client API's whois: for oneself without being an admin, not for others.
    const own = await as(bob, 'GET', `/_matrix/client/v3/admin/whois/${enc(bob.userId)}`);
    expect(own).toMatchObject({ status: 200, body: { user_id: bob.userId } });
    expect(Object.keys(own.body['devices'] as object)).toHaveLength(1);
    expect((await as(bob, 'GET', `/_matrix/client/v3/admin/whois/${enc(alice.userId)}`)).body['errcode']).toBe('M_FORBIDDEN');
    expect((await as(admin, 'GET', `/_matrix/client/v3/admin/whois/${enc(alice.userId)}`)).status).toBe(200);
    const devices = await as(admin, 'GET', `/_synapse/admin/v2/users/${enc(bob.userId)}/devices`);
    expect(devices.body['total']).toBe(1);
    for (const device of devices.body['devices'] as unknown[]) expect(shapeProblems(device, SYNAPSE_SHAPES.device)).toEqual([]);
  });

  it('lists, shows and deletes event reports', async () => {
    const roomId = String((await as(alice, 'POST', '/_matrix/client/v3/createRoom', { name: 'Reported', preset: 'public_chat' })).body['room_id']);
    const event = await as(alice, 'PUT', `/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.message/r1`, { msgtype: 'm.text', body: 'spam' });
    await as(bob, 'POST', `/_matrix/client/v3/join/${enc(roomId)}`, {});
    expect((await as(bob, 'POST', `/_matrix/client/v3/rooms/${enc(roomId)}/report/${enc(String(event.body['event_id']))}`, { reason: 'spam', score: -100 })).status).toBe(200);
    const list = await as(admin, 'GET', '/_synapse/admin/v1/event_reports');
    expect(list.body['total']).toBe(1);
    const report = (list.body['event_reports'] as Array<Record<string, unknown>>)[0]!;
    expect(shapeProblems(report, SYNAPSE_SHAPES.eventReport)).toEqual([]);
    expect(report).toMatchObject({ room_id: roomId, user_id: bob.userId, sender: alice.userId, reason: 'spam', score: -100, name: 'Reported' });
    const shown = await as(admin, 'GET', `/_synapse/admin/v1/event_reports/${String(report['id'])}`);
    expect((shown.body['event_json'] as Record<string, unknown>)['type']).toBe('m.room.message');
    expect((await as(admin, 'DELETE', `/_synapse/admin/v1/event_reports/${String(report['id'])}`)).status).toBe(200);
    expect((await as(admin, 'GET', `/_synapse/admin/v1/event_reports/${String(report['id'])}`)).status).toBe(404);
  });

  it('makes a user room admin and joins a user to a room', async () => {
    const roomId = String((await as(alice, 'POST', '/_matrix/client/v3/createRoom', { name: 'Private', preset: 'private_chat' })).body['room_id']);
    expect((await as(admin, 'POST', `/_synapse/admin/v1/rooms/${enc(roomId)}/make_room_admin`, {})).status).toBe(200);
    // The room's creator invited the admin (the room is private) and raised them to the top level.
    const pl = await as(alice, 'GET', `/_matrix/client/v3/rooms/${enc(roomId)}/state/m.room.power_levels/`);
    expect((pl.body['users'] as Record<string, number>)[admin.userId]).toBe(100);
    expect((await as(admin, 'POST', `/_matrix/client/v3/rooms/${enc(roomId)}/join`, {})).status).toBe(200);
    // Now in the room, the admin can join someone to it (an invite first, the room being private).
    const joined = await as(admin, 'POST', `/_synapse/admin/v1/join/${enc(roomId)}`, { user_id: bob.userId });
    expect(joined.body).toEqual({ room_id: roomId });
    expect((await as(admin, 'GET', `/_synapse/admin/v1/rooms/${enc(roomId)}/members`)).body['members']).toContain(bob.userId);
  });

  it('resets a password (logging the user out) and locks a user', async () => {
    const dave = await registerUser(base, 'dave', 'old-pw');
    expect((await as(admin, 'POST', `/_synapse/admin/v1/reset_password/${enc(dave.userId)}`, { new_password: 'new-pw' })).status).toBe(200);
    expect((await as(dave, 'GET', '/_matrix/client/v3/account/whoami')).status).toBe(401);
    expect((await login(base, 'dave', 'old-pw')).status).toBe(403);
    const again = await login(base, 'dave', 'new-pw');
    expect(again.status).toBe(200);
    expect((await as(admin, 'PUT', `/_synapse/admin/v2/users/${enc(dave.userId)}`, { locked: true })).body['locked']).toBe(true);
    const locked = await http(base, 'GET', '/_matrix/client/v3/account/whoami', { token: String(again.body['access_token']) });
    expect(locked.status).toBe(401);
    expect(locked.body).toMatchObject({ errcode: 'M_USER_LOCKED', soft_logout: true });
    const listed = await as(admin, 'GET', '/_synapse/admin/v2/users?locked=true&name=dave');
    expect((listed.body['users'] as unknown[]).length).toBe(1);
  });

  it('deactivates a user with erase: tokens die, rooms are left, the flags show', async () => {
    const erin = await registerUser(base, 'erin');
    const roomId = String((await as(erin, 'POST', '/_matrix/client/v3/createRoom', { name: 'Erin room' })).body['room_id']);
    const result = await as(admin, 'POST', `/_synapse/admin/v1/deactivate/${enc(erin.userId)}`, { erase: true });
    expect(result.body).toEqual({ id_server_unbind_result: 'success' });
    expect((await as(erin, 'GET', '/_matrix/client/v3/account/whoami')).status).toBe(401);
    const shown = await as(admin, 'GET', `/_synapse/admin/v2/users/${enc(erin.userId)}`);
    expect(shown.body).toMatchObject({ deactivated: true, erased: true });
    expect((await as(admin, 'GET', `/_synapse/admin/v1/rooms/${enc(roomId)}/members`)).body).toEqual({ members: [], total: 0 });
    const v2 = await as(admin, 'GET', '/_synapse/admin/v2/users?name=erin');
    expect(v2.body['total']).toBe(0);
    const withDeactivated = await as(admin, 'GET', '/_synapse/admin/v2/users?name=erin&deactivated=true');
    expect(withDeactivated.body['total']).toBe(1);
  });

  it('deletes a room: members leave, the room is blocked and purged, the task is polled to completion', async () => {
    const roomId = String((await as(alice, 'POST', '/_matrix/client/v3/createRoom', { name: 'Doomed', preset: 'public_chat', room_alias_name: 'doomed' })).body['room_id']);
    await as(bob, 'POST', `/_matrix/client/v3/join/${enc(roomId)}`, {});
    const started = await as(admin, 'DELETE', `/_synapse/admin/v2/rooms/${enc(roomId)}`, { block: true, purge: true });
    expect(started.status).toBe(200);
    const deleteId = String(started.body['delete_id']);
    let status: Record<string, unknown> = {};
    await expect
      .poll(async () => {
        status = (await as(admin, 'GET', `/_synapse/admin/v2/rooms/delete_status/${enc(deleteId)}`)).body;
        return status['status'];
      }, { timeout: 60_000, interval: 100 })
      .toBe('complete');
    expect(shapeProblems(status, SYNAPSE_SHAPES.deleteStatus)).toEqual([]);
    expect((status['shutdown_room'] as Record<string, unknown>)['kicked_users']).toEqual(expect.arrayContaining([alice.userId, bob.userId]));
    expect((status['shutdown_room'] as Record<string, unknown>)['local_aliases']).toEqual(['#doomed:admin.test']);
    const byRoom = await as(admin, 'GET', `/_synapse/admin/v2/rooms/${enc(roomId)}/delete_status`);
    expect((byRoom.body['results'] as unknown[]).length).toBe(1);
    expect((await as(admin, 'GET', `/_synapse/admin/v1/rooms/${enc(roomId)}`)).status).toBe(404);
    const rejoin = await as(bob, 'POST', `/_matrix/client/v3/join/${enc(roomId)}`, {});
    expect(rejoin.status).toBe(403);
    expect((await as(bob, 'PUT', `/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.message/late`, { msgtype: 'm.text', body: 'late' })).status).toBeGreaterThanOrEqual(400);
    expect((await as(admin, 'DELETE', `/_synapse/admin/v2/rooms/${enc(roomId)}`, { new_room_user_id: admin.userId })).status).toBe(400);
  });

  it('shadow-bans a user: their sends seem to work and reach nobody', async () => {
    const sam = await registerUser(base, 'sam');
    const roomId = String((await as(alice, 'POST', '/_matrix/client/v3/createRoom', { name: 'Shadow', preset: 'public_chat' })).body['room_id']);
    await as(sam, 'POST', `/_matrix/client/v3/join/${enc(roomId)}`, {});
    expect((await as(admin, 'POST', `/_synapse/admin/v1/users/${enc(sam.userId)}/shadow_ban`)).status).toBe(200);
    const sent = await as(sam, 'PUT', `/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.message/s1`, { msgtype: 'm.text', body: 'unseen' });
    expect(sent.status).toBe(200);
    expect(String(sent.body['event_id'])).toMatch(/^\$/);
    const seen = await as(admin, 'GET', `/_synapse/admin/v1/rooms/${enc(roomId)}/messages?limit=5`);
    expect((seen.body['chunk'] as Array<Record<string, unknown>>).some((e) => e['event_id'] === sent.body['event_id'])).toBe(false);
    expect((await as(admin, 'GET', `/_synapse/admin/v2/users/${enc(sam.userId)}`)).body['shadow_banned']).toBe(true);
    expect((await as(admin, 'DELETE', `/_synapse/admin/v1/users/${enc(sam.userId)}/shadow_ban`)).status).toBe(200);
    const real = await as(sam, 'PUT', `/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.message/s2`, { msgtype: 'm.text', body: 'seen' });
    const after = await as(admin, 'GET', `/_synapse/admin/v1/rooms/${enc(roomId)}/messages?limit=1`);
    expect((after.body['chunk'] as Array<Record<string, unknown>>)[0]!['event_id']).toBe(real.body['event_id']);
  });

  it('overrides a user\'s message rate limit and logs in as a user', async () => {
    const path = `/_synapse/admin/v1/users/${enc(alice.userId)}/override_ratelimit`;
    expect((await as(admin, 'GET', path)).body).toEqual({});
    expect((await as(admin, 'POST', path, { messages_per_second: 0, burst_count: 0 })).body).toEqual({ messages_per_second: 0, burst_count: 0 });
    expect((await as(admin, 'GET', path)).body).toEqual({ messages_per_second: 0, burst_count: 0 });
    expect((await as(admin, 'DELETE', path)).status).toBe(200);
    expect((await as(admin, 'GET', path)).body).toEqual({});
    const puppet = await as(admin, 'POST', `/_synapse/admin/v1/users/${enc(alice.userId)}/login`, {});
    expect(typeof puppet.body['access_token']).toBe('string');
    const whoami = await http(base, 'GET', '/_matrix/client/v3/account/whoami', { token: String(puppet.body['access_token']) });
    expect(whoami.body['user_id']).toBe(alice.userId);
    expect((await as(admin, 'POST', `/_synapse/admin/v1/users/${enc(admin.userId)}/login`, {})).status).toBe(400);
  });

  it('creates, lists, updates and deletes registration tokens', async () => {
    const made = await as(admin, 'POST', '/_synapse/admin/v1/registration_tokens/new', { uses_allowed: 2 });
    expect(made.status).toBe(200);
    const token = String(made.body['token']);
    expect(token).toMatch(/^[A-Za-z0-9._~-]{16}$/);
    expect(made.body).toEqual({ token, uses_allowed: 2, pending: 0, completed: 0, expiry_time: null });
    expect((await as(admin, 'POST', '/_synapse/admin/v1/registration_tokens/new', { token: 'named', expiry_time: Date.now() + 60_000 })).body['token']).toBe('named');
    expect((await as(admin, 'POST', '/_synapse/admin/v1/registration_tokens/new', { token: 'named' })).status).toBe(400);
    expect((await as(admin, 'POST', '/_synapse/admin/v1/registration_tokens/new', { expiry_time: 1 })).status).toBe(400);
    const list = await as(admin, 'GET', '/_synapse/admin/v1/registration_tokens?valid=true');
    expect((list.body['registration_tokens'] as Array<Record<string, unknown>>).map((t) => t['token']).sort()).toEqual([token, 'named'].sort());
    expect((await as(admin, 'PUT', `/_synapse/admin/v1/registration_tokens/${token}`, { uses_allowed: 0 })).body['uses_allowed']).toBe(0);
    expect((await as(admin, 'GET', '/_synapse/admin/v1/registration_tokens?valid=false')).body['registration_tokens']).toEqual([
      { token, uses_allowed: 0, pending: 0, completed: 0, expiry_time: null },
    ]);
    expect((await as(admin, 'DELETE', `/_synapse/admin/v1/registration_tokens/${token}`)).status).toBe(200);
    expect((await as(admin, 'GET', `/_synapse/admin/v1/registration_tokens/${token}`)).status).toBe(404);
  });

  it('lists federation destinations with their backoff and resets one (GET/POST /v1/federation/destinations)', async () => {
    // Planted the way the federation sender records them: one destination down since t=1000,
    // one that answered its last transaction.
    await recordFederationFailure(server.db, 'down.example', { now: 1_000, retryInterval: 600_000 });
    await recordFederationFailure(server.db, 'up.example', { now: 2_000, retryInterval: 600_000 });
    await completeFederationTxn(server.db, 'up.example', 'no-such-txn', 7);
    const all = await as(admin, 'GET', '/_synapse/admin/v1/federation/destinations');
    expect(all.status).toBe(200);
    expect(all.body).toEqual({
      total: 2,
      destinations: [
        { destination: 'down.example', retry_last_ts: 1_000, retry_interval: 600_000, failure_ts: 1_000, last_successful_stream_ordering: null },
        { destination: 'up.example', retry_last_ts: 0, retry_interval: 0, failure_ts: null, last_successful_stream_ordering: 7 },
      ],
    });
    const page = await as(admin, 'GET', '/_synapse/admin/v1/federation/destinations?limit=1&order_by=retry_last_ts&dir=b');
    expect(page.body).toMatchObject({ total: 2, next_token: '1', destinations: [{ destination: 'down.example' }] });
    expect((await as(admin, 'GET', '/_synapse/admin/v1/federation/destinations?destination=UP')).body['destinations']).toMatchObject([{ destination: 'up.example' }]);
    expect((await as(admin, 'GET', '/_synapse/admin/v1/federation/destinations?order_by=nope')).status).toBe(400);
    expect((await as(admin, 'GET', '/_synapse/admin/v1/federation/destinations/down.example')).body).toMatchObject({ destination: 'down.example', retry_interval: 600_000 });
    expect((await as(admin, 'GET', '/_synapse/admin/v1/federation/destinations/unknown.example')).status).toBe(404);
    // Only a destination in backoff can be reset; afterwards the sender may try it at once.
    expect((await as(admin, 'POST', '/_synapse/admin/v1/federation/destinations/up.example/reset_connection', {})).status).toBe(400);
    expect((await as(admin, 'POST', '/_synapse/admin/v1/federation/destinations/down.example/reset_connection', {})).status).toBe(200);
    expect((await as(admin, 'GET', '/_synapse/admin/v1/federation/destinations/down.example')).body).toMatchObject({ retry_last_ts: 0, retry_interval: 0, failure_ts: null });
    expect((await as(alice, 'GET', '/_synapse/admin/v1/federation/destinations')).status).toBe(403);
  });
});
