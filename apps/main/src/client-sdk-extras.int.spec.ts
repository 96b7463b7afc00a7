// matrix-js-sdk's server-side search and space hierarchy calls, and the everyday extras Element
// makes (user directory search, TURN credentials, the notifications panel, third-party
// protocols, OpenID tokens for widgets, reports), against the monolith over real HTTP, on both
// storage modes (embedded PGlite and PostgreSQL). Every JSON response the SDK receives is
// checked against the v1.19 spec.
import { createHmac } from 'node:crypto';
import { EventTimelineSet, MatrixError, Method, MsgType, type MatrixClient } from 'matrix-js-sdk';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerUser, type ClientOptions } from './testing/sdk-clients.ts';
import { describeViolations, SpecCheckedFetch } from './testing/spec-checked-fetch.ts';
import { startTestHomeserver, type StorageMode, type TestHomeserver } from './testing/test-homeserver.ts';

const BOOT_TIMEOUT = 180_000;
const TURN_URIS = ['turn:turn.hs.test:3478?transport=udp', 'turns:turn.hs.test:443?transport=tcp'];
const TURN_SECRET = 'turn-shared-secret';

interface Notification {
  readonly event: { readonly event_id: string; readonly content: Record<string, unknown> };
  readonly read: boolean;
  readonly room_id: string;
  readonly actions: unknown[];
}

describe.each<StorageMode>(['pglite', 'postgres'])('matrix-js-sdk search, spaces and everyday extras (%s)', (mode) => {
  let server: TestHomeserver;
  let fetcher: SpecCheckedFetch;
  let opts: ClientOptions;

  beforeAll(async () => {
    server = await startTestHomeserver(mode, { extra: { turn_uris: TURN_URIS, turn_shared_secret: TURN_SECRET, turn_user_lifetime: '1d' } });
  }, BOOT_TIMEOUT);
  afterAll(async () => {
    await server?.stop();
  }, 60_000);

  beforeEach(() => {
    fetcher = new SpecCheckedFetch();
    opts = { baseUrl: server.baseUrl, fetcher };
  });
  afterEach(async () => {
    const violations = await fetcher.takeViolations();
    expect(violations, `spec violations:\n${describeViolations(violations)}`).toEqual([]);
  });

  async function send(client: MatrixClient, roomId: string, body: string): Promise<string> {
    return (await client.sendMessage(roomId, { msgtype: MsgType.Text, body })).event_id;
  }

  it('searchRoomEvents finds messages with context and profiles, and back-paginates with next_batch', async () => {
    const alice = await registerUser('searcher', opts);
    const bob = await registerUser('searchee', opts);
    const { room_id: roomId } = await alice.client.createRoom({ name: 'Search room', preset: 'public_chat' as never });
    await bob.client.joinRoom(roomId);
    await send(alice.client, roomId, 'first plain message');
    const hits: string[] = [];
    for (let i = 0; i < 12; i++) hits.push(await send(i % 2 === 0 ? alice.client : bob.client, roomId, `the kingfisher number ${i} dives`));
    await send(bob.client, roomId, 'unrelated words');
    const { room_id: privateRoom } = await alice.client.createRoom({ name: 'Alice only', preset: 'private_chat' as never });
    await send(alice.client, privateRoom, 'kingfisher secret');

    const results = await bob.client.searchRoomEvents({ term: 'kingfishers' });
    // Newest first, ten per page (the default limit), none from the room bob is not in.
    expect(results.results.map((r) => r.context.getEvent().getId())).toEqual([...hits].reverse().slice(0, 10));
    expect(results.count).toBe(12);
    expect(results.highlights).toContain('kingfisher');
    const newest = results.results[0]!.context;
    expect(newest.getTimeline().map((e) => e.getContent()['body'])).toEqual(['the kingfisher number 10 dives', 'the kingfisher number 11 dives', 'unrelated words']);
    expect(newest.getEvent().getSender()).toBe(bob.userId);

    const more = await bob.client.backPaginateRoomEventsSearch(results);
    expect(more.results.map((r) => r.context.getEvent().getId())).toEqual([...hits].reverse());
    expect(more.next_batch).toBeUndefined();

    const scoped = await alice.client.searchRoomEvents({ term: 'kingfisher', filter: { rooms: [privateRoom] } });
    expect(scoped.results.map((r) => r.context.getEvent().getContent()['body'])).toEqual(['kingfisher secret']);
  });

  it('getRoomHierarchy walks a space with suggested children, depth and pages', async () => {
    const alice = await registerUser('spacer', opts);
    const bob = await registerUser('visitor', opts);
    const { room_id: space } = await alice.client.createRoom({ name: 'Space', preset: 'public_chat' as never, creation_content: { type: 'm.space' } });
    const children: string[] = [];
    for (const name of ['General', 'Random', 'Off-topic']) {
      const { room_id: child } = await alice.client.createRoom({ name, preset: 'public_chat' as never });
      await alice.client.sendStateEvent(space, 'm.space.child' as never, { via: [server.serverName], suggested: name === 'General' } as never, child);
      children.push(child);
    }
    const { room_id: hidden } = await alice.client.createRoom({ name: 'Hidden', preset: 'private_chat' as never });
    await alice.client.sendStateEvent(space, 'm.space.child' as never, { via: [server.serverName] } as never, hidden);

    const full = await alice.client.getRoomHierarchy(space);
    expect(full.rooms.map((r) => r.room_id)).toEqual([space, ...children, hidden]);
    expect(full.rooms[0]!.children_state.map((e) => e.state_key)).toEqual([...children, hidden]);
    expect(full.rooms[1]).toMatchObject({ name: 'General', join_rule: 'public', num_joined_members: 1 });

    expect((await bob.client.getRoomHierarchy(space)).rooms.map((r) => r.room_id)).toEqual([space, ...children]);
    expect((await alice.client.getRoomHierarchy(space, undefined, undefined, true)).rooms.map((r) => r.room_id)).toEqual([space, children[0]]);
    expect((await alice.client.getRoomHierarchy(space, undefined, 0)).rooms.map((r) => r.room_id)).toEqual([space]);

    const first = await alice.client.getRoomHierarchy(space, 2);
    expect(first.rooms).toHaveLength(2);
    const second = await alice.client.getRoomHierarchy(space, 2, undefined, undefined, first.next_batch);
    const third = await alice.client.getRoomHierarchy(space, 2, undefined, undefined, second.next_batch);
    expect([...first.rooms, ...second.rooms, ...third.rooms].map((r) => r.room_id)).toEqual([space, ...children, hidden]);
    expect(third.next_batch).toBeUndefined();
  });

  async function notifications(client: MatrixClient, params: Record<string, string> = {}): Promise<Notification[]> {
    return (await client.http.authedRequest<{ notifications: Notification[] }>(Method.Get, '/notifications', params)).notifications;
  }

  it('searchUserDirectory finds room mates and public-room members by name, not strangers', async () => {
    const alice = await registerUser('dirfinder', opts);
    const bob = await registerUser('dirpal', opts);
    const stranger = await registerUser('dirstranger', opts);
    await bob.client.setDisplayName('Bob Directory');
    const { room_id: roomId } = await alice.client.createRoom({ preset: 'private_chat' as never, invite: [bob.userId] });
    await bob.client.joinRoom(roomId);

    expect(await alice.client.searchUserDirectory({ term: 'dirpal' })).toEqual({ limited: false, results: [{ user_id: bob.userId, display_name: 'Bob Directory' }] });
    expect((await alice.client.searchUserDirectory({ term: 'bob direc' })).results.map((r) => r.user_id)).toEqual([bob.userId]);
    expect((await alice.client.searchUserDirectory({ term: 'dirstranger' })).results).toEqual([]);
    const { room_id: lobby } = await stranger.client.createRoom({ preset: 'public_chat' as never });
    expect((await alice.client.searchUserDirectory({ term: 'dirstranger' })).results.map((r) => r.user_id)).toEqual([stranger.userId]);
    // Bob shares a room with Alice, so he ranks before the stranger; limit 1 says it cut.
    const limited = await alice.client.searchUserDirectory({ term: 'dir', limit: 1 });
    expect(limited).toMatchObject({ limited: true, results: [{ user_id: bob.userId }] });
    await stranger.client.leave(lobby);
    expect((await alice.client.searchUserDirectory({ term: 'dirstranger' })).results).toEqual([]);
  });

  it('checkTurnServers fetches time-limited TURN credentials derived from the shared secret', async () => {
    const alice = await registerUser('caller', opts);
    // checkTurnServers runs only where the SDK found WebRTC; the credentials fetch itself needs none.
    (alice.client as unknown as { canSupportVoip: boolean }).canSupportVoip = true;
    const before = Date.now();
    expect(await alice.client.checkTurnServers()).toBe(true);
    const [servers] = alice.client.getTurnServers();
    expect(servers?.urls).toEqual(TURN_URIS);
    const username = String(servers?.username);
    expect(username).toMatch(new RegExp(`^[0-9]+:${alice.userId.replace(/[.]/g, '\\.')}$`));
    const expiry = Number(username.split(':')[0]);
    expect(expiry).toBeGreaterThanOrEqual(Math.floor(before / 1000) + 86_400 - 1);
    expect(servers?.credential).toBe(createHmac('sha1', TURN_SECRET).update(username).digest('base64'));
    expect(alice.client.getTurnServersExpiry()).toBeGreaterThanOrEqual(before + 86_400_000);
  });

  it('the notifications panel lists mentions and messages newest first, with read flags after a receipt', async () => {
    const alice = await registerUser('notified', opts);
    const bob = await registerUser('notifier', opts);
    const { room_id: roomId } = await alice.client.createRoom({ preset: 'private_chat' as never, invite: [bob.userId] });
    await bob.client.joinRoom(roomId);
    const plain = await send(bob.client, roomId, 'hello there');
    const mention = (await bob.client.sendMessage(roomId, { msgtype: MsgType.Text, body: 'ping notified', 'm.mentions': { user_ids: [alice.userId] } } as never)).event_id;
    const last = await send(bob.client, roomId, 'anyone?');

    // The sync role stores push actions as events reach it: wait until all three are there.
    let listed: Notification[];
    for (listed = await notifications(alice.client); listed.length < 3; listed = await notifications(alice.client)) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(listed.map((n) => n.event.event_id)).toEqual([last, mention, plain]);
    expect(listed.map((n) => n.read)).toEqual([false, false, false]);
    expect(listed.every((n) => n.room_id === roomId && n.actions.includes('notify'))).toBe(true);

    // Element's panel: the SDK's notification timeline pages /notifications?only=highlight.
    alice.client.pushRules = await alice.client.getPushRules();
    const panel = new EventTimelineSet(undefined, { timelineSupport: true });
    alice.client.setNotifTimelineSet(panel);
    expect(await alice.client.paginateEventTimeline(panel.getLiveTimeline(), { backwards: true })).toBe(false);
    expect(panel.getLiveTimeline().getEvents().map((e) => e.getId())).toEqual([mention]);

    await alice.client.http.authedRequest(Method.Post, `/rooms/${encodeURIComponent(roomId)}/receipt/m.read/${encodeURIComponent(mention)}`, undefined, {});
    expect((await notifications(alice.client)).map((n) => n.read)).toEqual([false, true, true]);
    const page = await alice.client.http.authedRequest<{ notifications: Notification[]; next_token?: string }>(Method.Get, '/notifications', { limit: '2' });
    expect(page.notifications.map((n) => n.event.event_id)).toEqual([last, mention]);
    const rest = await notifications(alice.client, { from: String(page.next_token) });
    expect(rest.map((n) => n.event.event_id)).toEqual([plain]);
  });

  it('third-party protocols, OpenID tokens and reports answer as Synapse does without appservices', async () => {
    const alice = await registerUser('reporter', opts);
    const bob = await registerUser('reported', opts);
    expect(await alice.client.getThirdpartyProtocols()).toEqual({});
    expect(await alice.client.getThirdpartyUser('irc', { nick: 'bob' })).toEqual([]);

    const openId = await alice.client.getOpenIdToken();
    expect(openId).toMatchObject({ token_type: 'Bearer', matrix_server_name: server.serverName, expires_in: 3600 });
    expect(openId.access_token.length).toBeGreaterThanOrEqual(32);

    const { room_id: roomId } = await bob.client.createRoom({ preset: 'public_chat' as never });
    await alice.client.joinRoom(roomId);
    const offending = await send(bob.client, roomId, 'offending words');
    expect(await alice.client.reportEvent(roomId, offending, -100, 'abusive')).toEqual({});
    expect(await alice.client.reportRoom(roomId, 'spam room')).toEqual({});
    const missing = await alice.client.reportEvent(roomId, `$missing:${server.serverName}`, 0, 'x').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(MatrixError);
    expect((missing as MatrixError).httpStatus).toBe(404);
  });
});
