/* eslint-disable @typescript-eslint/no-explicit-any -- sync bodies are deep JSON checked field by field */
// The monolith composition (main's device lifecycle and push rule writes, the ephemeral module's
// key uploads sharing one device_lists writer, sync reading both) over HTTP on the embedded
// default: room-mates see device lifecycle changes in device_lists.changed and /keys/changes,
// and users who stop sharing rooms in device_lists.left; push rule writes reach /sync's
// account data and the unread counts. Every response is validated against the v1.19 spec.
import { validateResponse } from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHomeserver, type TestHomeserver } from './testing/test-homeserver.ts';

let server: TestHomeserver;
beforeAll(async () => {
  server = await startTestHomeserver('pglite');
}, 180_000);
afterAll(async () => server?.stop());

interface Session {
  readonly userId: string;
  readonly token: string;
  readonly deviceId: string;
}

async function call(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(server.baseUrl + path, {
    method,
    headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  const body = text === '' ? {} : JSON.parse(text);
  validateResponse(method, path.split('?')[0]!, response.status, body);
  return { status: response.status, body };
}

async function ok(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<any> {
  const { status, body } = await call(method, path, options);
  expect([method, path, status, body]).toEqual([method, path, 200, body]);
  return body;
}

const PASSWORD = 'correct horse battery';

async function register(name: string): Promise<Session> {
  const body = await ok('POST', '/_matrix/client/v3/register', { body: { username: name, password: PASSWORD, auth: { type: 'm.login.dummy' } } });
  return { userId: body.user_id, token: body.access_token, deviceId: body.device_id };
}

async function login(userId: string): Promise<Session> {
  const body = await ok('POST', '/_matrix/client/v3/login', { body: { type: 'm.login.password', identifier: { type: 'm.id.user', user: userId }, password: PASSWORD } });
  return { userId: body.user_id, token: body.access_token, deviceId: body.device_id };
}

async function roomWith(owner: Session, ...members: Session[]): Promise<string> {
  const { room_id: roomId } = await ok('POST', '/_matrix/client/v3/createRoom', { token: owner.token, body: { preset: 'public_chat' } });
  for (const member of members) await ok('POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, { token: member.token, body: {} });
  return roomId;
}

const sync = (who: Session, since?: string) => ok('GET', `/_matrix/client/v3/sync?timeout=5000${since ? `&since=${encodeURIComponent(since)}` : ''}`, { token: who.token });

/**
 * Incremental syncs from `since` (bounded: at most 12 long-polls) until `done` holds for the
 * device_lists collected so far; returns them with the last next_batch.
 */
async function deviceListsUntil(who: Session, since: string, done: (lists: { changed: Set<string>; left: Set<string> }) => boolean) {
  const lists = { changed: new Set<string>(), left: new Set<string>() };
  let next = since;
  for (let i = 0; i < 12 && !done(lists); i++) {
    const body = await sync(who, next);
    for (const user of body.device_lists?.changed ?? []) lists.changed.add(user);
    for (const user of body.device_lists?.left ?? []) lists.left.add(user);
    next = body.next_batch;
  }
  return { ...lists, next };
}

describe('device lifecycle seen by room-mates', () => {
  let alice: Session;
  let bob: Session;
  let roomId: string;

  beforeAll(async () => {
    alice = await register('dl_alice');
    bob = await register('dl_bob');
    roomId = await roomWith(alice, bob);
  });

  async function expectBobChanged(change: () => Promise<unknown>): Promise<void> {
    const since = (await sync(alice)).next_batch;
    await change();
    const seen = await deviceListsUntil(alice, since, (lists) => lists.changed.has(bob.userId));
    expect([...seen.changed]).toContain(bob.userId);
    const changes = await ok('GET', `/_matrix/client/v3/keys/changes?from=${encodeURIComponent(since)}&to=${encodeURIComponent(seen.next)}`, { token: alice.token });
    expect(changes.changed).toContain(bob.userId);
    expect(changes.left).toEqual([]);
  }

  it('a new device of a room-mate (login) is in device_lists.changed and /keys/changes', async () => {
    await expectBobChanged(() => login(bob.userId));
  });

  it('a renamed device is a change', async () => {
    await expectBobChanged(() => ok('PUT', `/_matrix/client/v3/devices/${bob.deviceId}`, { token: bob.token, body: { display_name: 'renamed' } }));
  });

  it('a deleted device is a change', async () => {
    const spare = await login(bob.userId);
    await expectBobChanged(async () => {
      const auth = { type: 'm.login.password', identifier: { type: 'm.id.user', user: bob.userId }, password: PASSWORD };
      await ok('DELETE', `/_matrix/client/v3/devices/${spare.deviceId}`, { token: bob.token, body: { auth } });
    });
  });

  it('a logout is a change, and key uploads still reach room-mates through the shared writer', async () => {
    const other = await login(bob.userId);
    await expectBobChanged(() => ok('POST', '/_matrix/client/v3/logout', { token: other.token }));
    await expectBobChanged(() =>
      ok('POST', '/_matrix/client/v3/keys/upload', {
        token: bob.token,
        body: { device_keys: { user_id: bob.userId, device_id: bob.deviceId, algorithms: ['m.olm.v1.curve25519-aes-sha2'], keys: { [`curve25519:${bob.deviceId}`]: 'k' }, signatures: {} } },
      }),
    );
  });

  it('a room-mate leaving the last shared room is in device_lists.left', async () => {
    const since = (await sync(alice)).next_batch;
    await ok('POST', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/leave`, { token: bob.token, body: {} });
    const seen = await deviceListsUntil(alice, since, (lists) => lists.left.has(bob.userId));
    expect([...seen.left]).toEqual([bob.userId]);
    expect(seen.changed.has(bob.userId)).toBe(false);
    const changes = await ok('GET', `/_matrix/client/v3/keys/changes?from=${encodeURIComponent(since)}&to=${encodeURIComponent(seen.next)}`, { token: alice.token });
    expect(changes.left).toEqual([bob.userId]);
  });
});

describe('push rule writes seen by /sync', () => {
  const send = (who: Session, roomId: string, body: string) =>
    ok('PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${Math.random().toString(36).slice(2)}`, { token: who.token, body: { msgtype: 'm.text', body } });
  const unread = async (who: Session, roomId: string) => (await sync(who)).rooms.join[roomId].unread_notifications.notification_count;

  it('disabling .m.rule.message keeps notification_count at 0 for later messages, and /sync carries the new m.push_rules', async () => {
    const [sender, carol, dave] = [await register('pr_sender'), await register('pr_carol'), await register('pr_dave')];
    // Three members: in a two-member room .m.rule.room_one_to_one would notify first.
    const roomId = await roomWith(sender, carol, dave);
    const since = (await sync(carol)).next_batch;
    await ok('PUT', '/_matrix/client/v3/pushrules/global/underride/.m.rule.message/enabled', { token: carol.token, body: { enabled: false } });
    const next = await sync(carol, since);
    const rules = next.account_data.events.find((e: any) => e.type === 'm.push_rules');
    expect(rules.content.global.underride.find((r: any) => r.rule_id === '.m.rule.message')).toMatchObject({ default: true, enabled: false });
    expect(rules.content.global.override[0].rule_id).toBe('.m.rule.master');
    await send(sender, roomId, 'hello all');
    // dave has the default rules: the message counts for him, so the counts are computed.
    expect(await unread(dave, roomId)).toBe(1);
    expect(await unread(carol, roomId)).toBe(0);
  });

  it('a room override with dont_notify silences that room only', async () => {
    const [sender, erin] = [await register('pr_sender2'), await register('pr_erin')];
    const [muted, loud] = [await roomWith(sender, erin), await roomWith(sender, erin)];
    const conditions = [{ kind: 'event_match', key: 'room_id', pattern: muted }];
    await ok('PUT', '/_matrix/client/v3/pushrules/global/override/mute-one', { token: erin.token, body: { conditions, actions: ['dont_notify'] } });
    await send(sender, muted, 'shh');
    await send(sender, loud, 'hey');
    const body = await sync(erin);
    expect(body.rooms.join[loud].unread_notifications.notification_count).toBe(1);
    expect(body.rooms.join[muted].unread_notifications.notification_count).toBe(0);
  });
});
