// Push notifications end to end on the monolith: pushers set over the client API, a push
// gateway (a small HTTP server here) receiving what the spec says it should: a DM message, a
// mention in a group room, nothing for a muted room or the sender's own message, a counts-only
// push after a read receipt; retries after a failing gateway; a rejected pushkey removed.
import { startPushGateway, type TestPushGateway } from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, login, register, type Session } from './testing/bad-input/sweep-fixture.ts';
import { startTestHomeserver, type StorageMode, type TestHomeserver } from './testing/test-homeserver.ts';

const MODES: StorageMode[] = process.env['HS_TEST_STORAGE'] === 'postgres' ? ['postgres'] : ['pglite'];

async function matrixError(request: Promise<unknown>): Promise<string> {
  try {
    await request;
  } catch (error) {
    return (error as Error).message;
  }
  return '(succeeded)';
}

describe.each(MODES)('push notifications (%s)', (mode) => {
  let hs: TestHomeserver;
  let gateway: TestPushGateway;
  let alice: Session;
  let bob: Session;
  let carol: Session;
  let txn = 0;
  const api = <T = Record<string, unknown>>(who: Session, method: string, path: string, body?: unknown) =>
    call<T>(hs.baseUrl, method, `/_matrix/client/v3${path}`, { token: who.accessToken, body });
  const send = async (who: Session, roomId: string, content: Record<string, unknown>) =>
    (await api<{ event_id: string }>(who, 'PUT', `/rooms/${encodeURIComponent(roomId)}/send/m.room.message/t${++txn}`, content)).event_id;
  const setPusher = (who: Session, pushkey: string, extra: Record<string, unknown> = {}) =>
    api(who, 'POST', '/pushers/set', {
      kind: 'http',
      app_id: 'org.example.app',
      app_display_name: 'Example',
      device_display_name: 'Phone',
      pushkey,
      lang: 'en',
      data: { url: gateway.url },
      ...extra,
    });
  const room = async (creator: Session, invitees: Session[], extra: Record<string, unknown> = {}) => {
    const { room_id } = await api<{ room_id: string }>(creator, 'POST', '/createRoom', { invite: invitees.map((s) => s.userId), ...extra });
    for (const invitee of invitees) await api(invitee, 'POST', `/join/${encodeURIComponent(room_id)}`, {});
    return room_id;
  };

  beforeAll(async () => {
    gateway = await startPushGateway();
    hs = await startTestHomeserver(mode);
    const suffix = Date.now().toString(36);
    alice = await register(hs.baseUrl, `alice_${suffix}`);
    bob = await register(hs.baseUrl, `bob_${suffix}`);
    carol = await register(hs.baseUrl, `carol_${suffix}`);
  }, 240_000);

  afterAll(async () => {
    await hs?.stop();
    await gateway?.close();
  });

  it('stores pushers per app_id and pushkey, lists them, appends, and deletes with kind null', async () => {
    await setPusher(bob, 'bob-key', { data: { url: gateway.url, format: 'event_id_only' } });
    await setPusher(bob, 'bob-key', { device_display_name: 'Phone 2' });
    const { pushers } = await api<{ pushers: Array<Record<string, unknown>> }>(bob, 'GET', '/pushers');
    expect(pushers).toEqual([
      { pushkey: 'bob-key', kind: 'http', app_id: 'org.example.app', app_display_name: 'Example', device_display_name: 'Phone 2', profile_tag: '', lang: 'en', data: { url: gateway.url } },
    ]);
    // Without append, another user's pusher with the same app and pushkey is removed.
    await setPusher(carol, 'shared-key');
    await setPusher(alice, 'shared-key');
    expect((await api<{ pushers: unknown[] }>(carol, 'GET', '/pushers')).pushers).toEqual([]);
    await setPusher(carol, 'shared-key', { append: true });
    expect((await api<{ pushers: unknown[] }>(alice, 'GET', '/pushers')).pushers).toHaveLength(1);
    await api(alice, 'POST', '/pushers/set', { kind: null, app_id: 'org.example.app', pushkey: 'shared-key' });
    await api(carol, 'POST', '/pushers/set', { kind: null, app_id: 'org.example.app', pushkey: 'shared-key' });
    expect((await api<{ pushers: unknown[] }>(alice, 'GET', '/pushers')).pushers).toEqual([]);
  });

  it('removes the pushers of a device that logs out, and only those', async () => {
    const phone = await login(hs.baseUrl, carol.userId);
    await api(phone, 'POST', '/pushers/set', { kind: 'http', app_id: 'org.example.app', pushkey: 'phone-key', app_display_name: 'Example', device_display_name: 'Phone', lang: 'en', data: { url: gateway.url } });
    await setPusher(carol, 'laptop-key');
    const keys = async () => (await api<{ pushers: Array<{ pushkey: string }> }>(carol, 'GET', '/pushers')).pushers.map((p) => p.pushkey).sort();
    expect(await keys()).toEqual(['laptop-key', 'phone-key']);
    await api(phone, 'POST', '/logout', {});
    expect(await keys()).toEqual(['laptop-key']);
    await api(carol, 'POST', '/pushers/set', { kind: null, app_id: 'org.example.app', pushkey: 'laptop-key' });
  });

  it("refuses bad pusher bodies with Synapse's errors", async () => {
    expect(await matrixError(api(bob, 'POST', '/pushers/set', { kind: 'http', app_id: 'a' }))).toMatch(/400.*M_MISSING_PARAM.*Missing params/);
    const base = { kind: 'http', app_id: 'a', app_display_name: 'A', device_display_name: 'D', pushkey: 'k', lang: 'en' };
    expect(await matrixError(api(bob, 'POST', '/pushers/set', { ...base, data: {} }))).toMatch(/400.*M_MISSING_PARAM.*'url' required/);
    expect(await matrixError(api(bob, 'POST', '/pushers/set', { ...base, data: { url: 'http://127.0.0.1/push' } }))).toMatch(/400.*M_MISSING_PARAM.*\/_matrix\/push\/v1\/notify/);
    expect(await matrixError(api(bob, 'POST', '/pushers/set', { ...base, kind: 'email', data: {} }))).toMatch(/400.*M_MISSING_PARAM.*email/);
    expect(await matrixError(api(bob, 'POST', '/pushers/set', { ...base, pushkey: 7, data: { url: gateway.url } }))).toMatch(/400.*M_INVALID_PARAM/);
    expect(await matrixError(api(bob, 'POST', '/pushers/set', { ...base, append: 'yes', data: { url: gateway.url } }))).toMatch(/400.*M_INVALID_PARAM/);
    expect(await matrixError(api(bob, 'POST', '/pushers/set', [1]))).toMatch(/400.*M_BAD_JSON/);
  });

  it('pushes a DM message with the full fields and counts, and nothing for the sender', async () => {
    await setPusher(alice, 'alice-key');
    const dm = await room(alice, [bob], { is_direct: true, preset: 'trusted_private_chat' });
    const eventId = await send(alice, dm, { msgtype: 'm.text', body: 'hello bob' });
    await gateway.waitFor((got) => got.some((p) => p.pushkey === 'bob-key' && p.notification['event_id'] === eventId));
    const push = gateway.pushesFor('bob-key').find((p) => p.notification['event_id'] === eventId)!.notification;
    expect(push).toMatchObject({
      event_id: eventId,
      room_id: dm,
      type: 'm.room.message',
      sender: alice.userId,
      content: { msgtype: 'm.text', body: 'hello bob' },
      prio: 'high',
      counts: { unread: 1, missed_calls: 0 },
    });
    const devices = push['devices'] as Array<Record<string, unknown>>;
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({ app_id: 'org.example.app', pushkey: 'bob-key', data: {}, tweaks: { sound: 'default' } });
    expect(typeof devices[0]!['pushkey_ts']).toBe('number');
    // Bob's reply pushes to Alice; Alice's own message never pushed to her.
    const reply = await send(bob, dm, { msgtype: 'm.text', body: 'hi alice' });
    await gateway.waitFor((got) => got.some((p) => p.pushkey === 'alice-key' && p.notification['event_id'] === reply));
    expect(gateway.pushesFor('alice-key').map((p) => p.notification['event_id'])).toEqual([reply]);

    // A read receipt clears Bob's badge with a counts-only push.
    await api(bob, 'POST', `/rooms/${encodeURIComponent(dm)}/receipt/m.read/${encodeURIComponent(reply)}`, {});
    await gateway.waitFor((got) => got.some((p) => p.pushkey === 'bob-key' && p.notification['event_id'] === undefined));
    const badge = gateway.pushesFor('bob-key').find((p) => p.notification['event_id'] === undefined)!.notification;
    expect(badge).toMatchObject({ id: '', type: null, sender: '', counts: { unread: 0 } });
    expect((badge['devices'] as Array<Record<string, unknown>>)[0]).toMatchObject({ pushkey: 'bob-key' });
  });

  it("counts a member's unread messages from their latest join when they have no receipt: the pushed invite is not unread, and badges count pending invites", async () => {
    const erin = await register(hs.baseUrl, `erin_${Date.now().toString(36)}`);
    await setPusher(erin, 'erin-key');
    const { room_id: invited } = await api<{ room_id: string }>(alice, 'POST', '/createRoom', { invite: [erin.userId], preset: 'public_chat' });
    // The invite is pushed; its badge counts the pending invite (as Synapse's).
    await gateway.waitFor((got) => got.some((p) => p.pushkey === 'erin-key' && p.notification['room_id'] === invited && p.notification['type'] === 'm.room.member'));
    expect(gateway.pushesFor('erin-key').find((p) => p.notification['room_id'] === invited)!.notification).toMatchObject({ counts: { unread: 1 } });
    await api(erin, 'POST', `/join/${encodeURIComponent(invited)}`, {});
    const unread = async () =>
      (await api<{ rooms: { join: Record<string, { unread_notifications: { notification_count: number } }> } }>(erin, 'GET', '/sync')).rooms.join[invited]!.unread_notifications
        .notification_count;
    expect(await unread()).toBe(0);
    const message = await send(alice, invited, { msgtype: 'm.text', body: 'welcome erin' });
    await gateway.waitFor((got) => got.some((p) => p.pushkey === 'erin-key' && p.notification['event_id'] === message));
    expect(await unread()).toBe(1);
    expect(gateway.pushesFor('erin-key').find((p) => p.notification['event_id'] === message)!.notification).toMatchObject({ counts: { unread: 1 } });
    // Still without a receipt, Erin leaves and joins again: her counts start after the new join.
    await api(erin, 'POST', `/rooms/${encodeURIComponent(invited)}/leave`, {});
    await api(erin, 'POST', `/join/${encodeURIComponent(invited)}`, {});
    expect(await unread()).toBe(0);
  });

  it('pushes a mention in a group room as a highlight; nothing for a muted room', async () => {
    await setPusher(carol, 'carol-key', { data: { url: gateway.url, format: 'event_id_only' } });
    const group = await room(alice, [bob, carol], { name: 'Group' });
    const muted = await room(alice, [bob, carol], { name: 'Muted' });
    await api(carol, 'PUT', `/pushrules/global/room/${encodeURIComponent(muted)}`, { actions: [] });
    const quiet = await send(alice, muted, { msgtype: 'm.text', body: 'carol you will not hear this', 'm.mentions': {} });
    const mention = await send(alice, group, { msgtype: 'm.text', body: 'hey carol', 'm.mentions': { user_ids: [carol.userId] } });
    await gateway.waitFor((got) => got.some((p) => p.pushkey === 'carol-key' && p.notification['event_id'] === mention));
    const pushed = gateway.pushesFor('carol-key').map((p) => p.notification['event_id']);
    // Pushes to one pusher go out in stream order: the muted room's event came first, so had
    // it been pushed it would be here already.
    expect(pushed).not.toContain(quiet);
    const push = gateway.pushesFor('carol-key').find((p) => p.notification['event_id'] === mention)!.notification;
    // event_id_only: the IDs, counts, priority and devices, no content.
    expect(Object.keys(push).sort()).toEqual(['counts', 'devices', 'event_id', 'prio', 'room_id']);
    // The badge counts Carol's rooms with unread notifications (Synapse's default grouping by
    // room), the rooms her /sync gives a notification count; her pushed invites count there too.
    const sync = await api<{ rooms: { join: Record<string, { unread_notifications?: { notification_count?: number } }> } }>(carol, 'GET', '/sync');
    const roomsWithUnread = Object.values(sync.rooms.join).filter((r) => (r.unread_notifications?.notification_count ?? 0) > 0).length;
    expect(roomsWithUnread).toBeGreaterThan(0);
    expect(push).toMatchObject({ room_id: group, prio: 'high', counts: { unread: roomsWithUnread } });
    expect((push['devices'] as Array<Record<string, unknown>>)[0]).toMatchObject({ pushkey: 'carol-key', data: { format: 'event_id_only' }, tweaks: { highlight: true, sound: 'default' } });
  });

  it('retries a failing gateway with backoff and delivers afterwards', async () => {
    const dave = await register(hs.baseUrl, `dave_${Date.now().toString(36)}`);
    await setPusher(dave, 'flaky-key');
    const dm = await room(alice, [dave], { is_direct: true });
    // Dave's invite is pushed first; the gateway fails the next two attempts after it.
    await gateway.waitFor((got) => got.some((p) => p.pushkey === 'flaky-key' && p.notification['type'] === 'm.room.member'), 60_000);
    const attemptsBefore = gateway.attempts('flaky-key');
    gateway.failNext('flaky-key', 2);
    const eventId = await send(alice, dm, { msgtype: 'm.text', body: 'eventually' });
    await gateway.waitFor((got) => got.some((p) => p.pushkey === 'flaky-key' && p.notification['event_id'] === eventId), 60_000);
    expect(gateway.attempts('flaky-key') - attemptsBefore).toBe(3);
    expect(gateway.pushesFor('flaky-key').map((p) => p.notification['event_id']).filter((id) => id === eventId)).toEqual([eventId]);
  }, 90_000);

  it('removes a pusher whose pushkey the gateway rejected', async () => {
    const erin = await register(hs.baseUrl, `erin_${Date.now().toString(36)}`);
    await setPusher(erin, 'gone-key');
    gateway.reject('gone-key');
    const dm = await room(alice, [erin], { is_direct: true });
    await send(alice, dm, { msgtype: 'm.text', body: 'are you there?' });
    await gateway.waitFor((got) => got.some((p) => p.pushkey === 'gone-key'));
    // The pusher goes once the gateway's answer is handled.
    for (;;) {
      const { pushers } = await api<{ pushers: unknown[] }>(erin, 'GET', '/pushers');
      if (pushers.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await send(alice, dm, { msgtype: 'm.text', body: 'hello?' });
    const marker = await send(alice, dm, { msgtype: 'm.text', body: 'marker' });
    expect(marker).toBeTruthy();
    expect(gateway.pushesFor('gone-key')).toHaveLength(1);
  });
});
