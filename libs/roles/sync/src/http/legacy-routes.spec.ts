/* eslint-disable @typescript-eslint/no-explicit-any -- legacy bodies are deep JSON checked field by field */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../testing/test-app.ts';
import { openSyncEnv, type SyncEnv } from '../testing/sync-env.ts';

const ALICE = '@alice:test';
const BOB = '@bob:test';
let env: SyncEnv;
let n = 0;
const freshRoom = () => `!legacy${++n}:test`;

beforeAll(async () => {
  env = await openSyncEnv();
});
afterAll(async () => {
  // Every answer was checked against the spec's old_sync.yaml / room_initial_sync.yaml.
  expect(env.violations).toEqual([]);
  await env.close();
});

async function get(userId: string, url: string): Promise<{ status: number; body: any }> {
  const res = await env.app.inject({ method: 'GET', url, headers: bearer(userId) });
  return { status: res.statusCode, body: res.json() };
}

describe('GET /initialSync', () => {
  it('lists joined rooms with their recent messages, current state and an end token, and invites', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.join(room, BOB);
    for (let i = 0; i < 3; i++) await env.rooms.message(room, ALICE, `m${i}`);
    await env.rooms.send(room, ALICE, 'm.room.name', { name: 'late name' }, '');
    const invited = freshRoom();
    await env.rooms.createRoom(invited, ALICE);
    await env.rooms.invite(invited, ALICE, BOB);

    const { status, body } = await get(BOB, '/_matrix/client/v3/initialSync?limit=2');
    expect(status).toBe(200);
    expect(typeof body.end).toBe('string');
    const entry = body.rooms.find((r: any) => r.room_id === room);
    expect(entry.membership).toBe('join');
    expect(entry.messages.chunk.map((e: any) => e.type)).toEqual(['m.room.message', 'm.room.name']);
    expect(entry.messages.chunk.every((e: any) => e.room_id === room)).toBe(true);
    const state = new Map(entry.state.map((e: any) => [`${e.type}|${e.state_key}`, e]));
    expect((state.get('m.room.name|') as any).content.name).toBe('late name');
    expect(state.has(`m.room.member|${BOB}`)).toBe(true);
    expect(state.has('m.room.create|')).toBe(true);
    const invite = body.rooms.find((r: any) => r.room_id === invited);
    expect(invite).toMatchObject({ membership: 'invite', inviter: ALICE });
    // The v1 event format: the sender again as user_id.
    expect(entry.state.every((e: any) => e.user_id === e.sender)).toBe(true);
    expect(entry.visibility).toBe('private');
    // Push rules come with /sync's account data, not initialSync's (Synapse lists stored data only).
    expect((await env.sync(BOB)).body.account_data.events.map((e: any) => e.type)).toContain('m.push_rules');
    expect(body.account_data.map((e: any) => e.type)).not.toContain('m.push_rules');
    const stateOnly = (await get(BOB, '/_matrix/client/v3/initialSync?limit=0')).body.rooms.find((r: any) => r.room_id === room);
    expect(stateOnly.messages.chunk).toEqual([]);
    expect(stateOnly.state.find((e: any) => e.type === 'm.room.name').content.name).toBe('late name');
  });

  it('includes rooms the user left only when archived=true', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.join(room, BOB);
    await env.rooms.leave(room, BOB);
    expect((await get(BOB, '/_matrix/client/v3/initialSync')).body.rooms.some((r: any) => r.room_id === room)).toBe(false);
    const archived = (await get(BOB, '/_matrix/client/v3/initialSync?archived=true')).body.rooms.find((r: any) => r.room_id === room);
    expect(archived.membership).toBe('leave');
  });
});

describe('GET /rooms/{roomId}/initialSync', () => {
  it('answers a member with the room, and a stranger 403', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.message(room, ALICE, 'hello');
    const { status, body } = await get(ALICE, `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/initialSync`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ room_id: room, membership: 'join' });
    expect(body.messages.chunk.at(-1).content.body).toBe('hello');
    expect(body.state.some((e: any) => e.type === 'm.room.create')).toBe(true);
    const stranger = await get(BOB, `/_matrix/client/r0/rooms/${encodeURIComponent(room)}/initialSync`);
    expect(stranger.status).toBe(403);
    expect(stranger.body.errcode).toBe('M_FORBIDDEN');
  });

  it("lists every joined member's presence, offline for one who never set any", async () => {
    const room = freshRoom();
    const [quiet, newcomer] = ['@quiet:test', '@newcomer:test'];
    await env.rooms.createRoom(room, quiet);
    await env.rooms.join(room, newcomer);
    await env.sync(newcomer);
    const { body } = await get(newcomer, `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/initialSync`);
    const byUser = new Map(body.presence.map((p: any) => [p.content.user_id, p]));
    expect(byUser.get(quiet)).toMatchObject({ type: 'm.presence', content: { presence: 'offline', user_id: quiet } });
    expect(byUser.get(newcomer)).toMatchObject({ type: 'm.presence', content: { presence: 'online', user_id: newcomer } });
    // After leaving: the room still, but nobody's presence.
    await env.rooms.leave(room, newcomer);
    const left = await get(newcomer, `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/initialSync`);
    expect(left.body.membership).toBe('leave');
    expect(left.body.presence).toEqual([]);
  });
});

describe('peeking with /rooms/{roomId}/initialSync', () => {
  it('shows a world_readable room to a non-member: its state and the latest messages sent while world_readable', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.message(room, ALICE, 'private');
    await env.rooms.send(room, ALICE, 'm.room.history_visibility', { history_visibility: 'world_readable' }, '');
    await env.rooms.message(room, ALICE, 'public');
    const { status, body } = await get(BOB, `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/initialSync?limit=10`);
    expect(status).toBe(200);
    expect(body.messages.chunk.map((e: any) => e.content.body ?? e.type)).toEqual(['m.room.history_visibility', 'public']);
    expect(body.state.some((e: any) => e.type === 'm.room.create' && e.room_id === room)).toBe(true);
    expect(body.membership).toBeUndefined();
  });
});

describe('presence through sync', () => {
  it('a sync makes the user online unless set_presence says otherwise, and the user sees their own presence', async () => {
    const loner = '@loner:test';
    await env.sync(loner, { set_presence: 'offline' });
    expect((await env.sync(loner, { set_presence: 'offline' })).body.presence.events).toEqual([]);
    await env.sync(loner);
    const { body } = await env.sync(loner);
    expect(body.presence.events).toEqual([expect.objectContaining({ type: 'm.presence', sender: loner, content: expect.objectContaining({ presence: 'online' }) })]);
    const initial = await get(loner, '/_matrix/client/v3/initialSync');
    expect(initial.body.presence.map((p: any) => p.sender)).toEqual([loner]);
  });

  it('polling GET /events makes the user online, as Synapse counts it', async () => {
    const poller = '@poller:test';
    expect((await get(poller, '/_matrix/client/v3/initialSync')).body.presence).toEqual([]);
    expect((await get(poller, '/_matrix/client/v3/events?timeout=0')).status).toBe(200);
    const initial = await get(poller, '/_matrix/client/v3/initialSync');
    expect(initial.body.presence).toEqual([expect.objectContaining({ sender: poller, content: expect.objectContaining({ presence: 'online' }) })]);
  });
});

describe('GET /events', () => {
  it('streams new events with room_id from a token, and long-polls until one arrives', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.join(room, BOB);
    const first = await get(BOB, '/_matrix/client/r0/events?timeout=0');
    expect(first.status).toBe(200);
    expect(first.body.chunk).toEqual([]);
    const from = first.body.end as string;
    const waiting = get(BOB, `/_matrix/client/r0/events?timeout=20000&from=${encodeURIComponent(from)}`);
    await env.rooms.message(room, ALICE, 'news');
    const { status, body } = await waiting;
    expect(status).toBe(200);
    expect(body.start).toBe(from);
    expect(body.chunk).toEqual([expect.objectContaining({ type: 'm.room.message', room_id: room, content: { msgtype: 'm.text', body: 'news' } })]);
    const again = await get(BOB, `/_matrix/client/v3/events?timeout=0&from=${encodeURIComponent(body.end)}`);
    expect(again.body.chunk).toEqual([]);
  });

  it('with a limit, pages forward from the token: the oldest events first, the rest on the next requests', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.join(room, BOB);
    let from = (await get(BOB, '/_matrix/client/v3/events?timeout=0')).body.end as string;
    for (let i = 0; i < 7; i++) await env.rooms.message(room, ALICE, `page${i}`);
    const seen: string[] = [];
    for (const size of [3, 3, 1]) {
      const { body } = await get(BOB, `/_matrix/client/v3/events?timeout=0&limit=3&from=${encodeURIComponent(from)}`);
      const messages = body.chunk.filter((e: any) => e.type === 'm.room.message');
      expect(messages).toHaveLength(size);
      seen.push(...messages.map((e: any) => e.content.body));
      from = body.end;
    }
    expect(seen).toEqual(['page0', 'page1', 'page2', 'page3', 'page4', 'page5', 'page6']);
  });

  it('refuses a bad timeout, limit or room_id with 400', async () => {
    expect((await get(BOB, '/_matrix/client/v3/events?timeout=soon')).status).toBe(400);
    for (const limit of ['hello', '-1']) expect((await get(BOB, `/_matrix/client/v3/events?limit=${limit}`)).status).toBe(400);
    expect((await get(BOB, '/_matrix/client/v3/initialSync?limit=hello')).status).toBe(400);
    const bad = await get(BOB, '/_matrix/client/v3/events?room_id=not-a-room');
    expect(bad.status).toBe(400);
    expect(bad.body.errcode).toBe('M_INVALID_PARAM');
  });
});

describe('peeking with GET /events?room_id=', () => {
  const CAROL = '@carol:test';
  const DAVE = '@dave:test';
  const stream = (userId: string, room: string, query: string) => get(userId, `/_matrix/client/v3/events?room_id=${encodeURIComponent(room)}&${query}`);

  it("streams a world_readable room's events, typing and members' presence to a non-member", async () => {
    const known = env.violations.length;
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.send(room, ALICE, 'm.room.history_visibility', { history_visibility: 'world_readable' }, '');
    const other = freshRoom();
    await env.rooms.createRoom(other, DAVE);
    const first = await stream(CAROL, room, 'timeout=0');
    expect(first.status).toBe(200);
    expect(first.body.chunk).toEqual([]);

    // A message: the long-poll wakes with it; one of another room does not show.
    let from = first.body.end as string;
    const waiting = stream(CAROL, room, `timeout=20000&from=${encodeURIComponent(from)}`);
    await env.rooms.message(other, DAVE, 'elsewhere');
    await env.rooms.message(room, ALICE, 'mice');
    const news = await waiting;
    expect(news.status).toBe(200);
    expect(news.body.start).toBe(from);
    expect(news.body.chunk).toEqual([expect.objectContaining({ type: 'm.room.message', room_id: room, sender: ALICE, content: { msgtype: 'm.text', body: 'mice' } })]);
    from = news.body.end;

    // Presence of a member, not of someone outside the room.
    await env.sync(DAVE);
    await env.sync(ALICE);
    const presence = await stream(CAROL, room, `timeout=20000&from=${encodeURIComponent(from)}`);
    expect(presence.body.chunk).toEqual([expect.objectContaining({ type: 'm.presence', content: expect.objectContaining({ user_id: ALICE, presence: 'online' }) })]);
    from = presence.body.end;

    // Typing in the room.
    const typing = await env.app.inject({ method: 'PUT', url: `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/typing/${encodeURIComponent(ALICE)}`, headers: bearer(ALICE), payload: { typing: true, timeout: 10_000 } });
    expect(typing.statusCode).toBe(200);
    const typed = await stream(CAROL, room, `timeout=20000&from=${encodeURIComponent(from)}`);
    expect(typed.body.chunk).toEqual([{ type: 'm.typing', room_id: room, content: { user_ids: [ALICE] } }]);
    // The spec's old_sync.yaml lists only room events in /events' chunk; Synapse's stream (and
    // Sytest) carries presence and typing too. Those two answers are the only deviations.
    const deviations = env.violations.splice(known);
    expect(deviations).toHaveLength(2);
    expect(deviations.every((v) => v.includes('/events?room_id=') && /"type":"m\.(presence|typing)"/.test(v))).toBe(true);
  });

  it('refuses a non-member of a room whose history is not world_readable with 403', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.send(room, ALICE, 'm.room.history_visibility', { history_visibility: 'shared' }, '');
    const peek = await stream(CAROL, room, 'timeout=0');
    expect(peek.status).toBe(403);
    expect(peek.body.errcode).toBe('M_FORBIDDEN');
    // A member reads the room's stream.
    const member = await stream(ALICE, room, 'timeout=0');
    expect(member.status).toBe(200);
  });
});
