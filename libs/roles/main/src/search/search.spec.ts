// POST /search over the role-main rooms test env (PGlite, real persister actors): matching and
// ranking, keys and filters, both orders with next_batch, history visibility (never-members,
// late joiners, former members), redactions, event context with profiles, groupings, state,
// room upgrades, and bad input. Every response is validated against the v1.19 spec.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enc, openRoomsTestEnv, SERVER, type RoomsTestEnv } from '../rooms/testing/rooms-test-env.ts';

const ALICE = `@alice:${SERVER}`;
const BOB = `@bob:${SERVER}`;
const EVE = `@eve:${SERVER}`;
let env: RoomsTestEnv;

beforeAll(async () => {
  env = await openRoomsTestEnv();
});
afterAll(async () => env.close());

const v3 = (path: string) => `/_matrix/client/v3${path}`;
type Json = Record<string, unknown>;
interface Result {
  rank: number;
  result: Json & { event_id: string; content: Json };
  context?: Json;
}

async function send(user: string, roomId: string, body: string): Promise<string> {
  const result = await env.call(user, 'PUT', v3(`/rooms/${enc(roomId)}/send/m.room.message/t${Math.random()}`), { msgtype: 'm.text', body });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return String(result.body['event_id']);
}

async function state(user: string, roomId: string, type: string, content: Json): Promise<string> {
  const result = await env.call(user, 'PUT', v3(`/rooms/${enc(roomId)}/state/${type}`), content);
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return String(result.body['event_id']);
}

async function join(user: string, roomId: string): Promise<void> {
  expect((await env.call(user, 'POST', v3(`/rooms/${enc(roomId)}/join`), {})).status).toBe(200);
}

async function search(user: string, criteria: Json, options: { nextBatch?: string; prefix?: string } = {}): Promise<{ status: number; body: Json; cat: Json; results: Result[]; ids: string[] }> {
  const qs = options.nextBatch === undefined ? '' : `?next_batch=${encodeURIComponent(options.nextBatch)}`;
  const response = await env.call(user, 'POST', `/_matrix/client/${options.prefix ?? 'v3'}/search${qs}`, { search_categories: { room_events: criteria } });
  const cat = ((response.body['search_categories'] as Json | undefined)?.['room_events'] ?? {}) as Json;
  const results = (cat['results'] as Result[] | undefined) ?? [];
  return { ...response, cat, results, ids: results.map((r) => r.result.event_id) };
}

describe('POST /search', () => {
  let roomId: string;
  let fox: string;
  let dogs: string;
  let nameEvent: string;

  beforeAll(async () => {
    roomId = await env.createRoom(ALICE, { preset: 'public_chat' });
    fox = await send(ALICE, roomId, 'The quick brown foxes jumped');
    dogs = await send(ALICE, roomId, 'lazy dogs sleep all day');
    nameEvent = await state(ALICE, roomId, 'm.room.name', { name: 'Fox club' });
  });

  it('finds stemmed matches in bodies and names with rank, count and highlights', async () => {
    const { status, cat, results, ids } = await search(ALICE, { search_term: 'fox' });
    expect(status).toBe(200);
    expect(ids.sort()).toEqual([fox, nameEvent].sort());
    expect(results.every((r) => typeof r.rank === 'number' && r.rank > 0)).toBe(true);
    expect(cat['count']).toBe(2);
    expect((cat['highlights'] as string[]).sort()).toEqual(['fox', 'foxes']);
    expect(cat['next_batch']).toBeUndefined();
    const onlyBodies = await search(ALICE, { search_term: 'fox', keys: ['content.body'] });
    expect(onlyBodies.ids).toEqual([fox]);
    expect((await search(ALICE, { search_term: 'cats' })).ids).toEqual([]);
  });

  it('is served under r0 and api/v1 too', async () => {
    expect((await search(ALICE, { search_term: 'dogs' }, { prefix: 'r0' })).ids).toEqual([dogs]);
    expect((await search(ALICE, { search_term: 'dogs' }, { prefix: 'api/v1' })).ids).toEqual([dogs]);
  });

  it('applies the filter: rooms, not_rooms, senders, types', async () => {
    const other = await env.createRoom(ALICE);
    const otherFox = await send(ALICE, other, 'fox in another room');
    expect((await search(ALICE, { search_term: 'fox', filter: { rooms: [other] } })).ids).toEqual([otherFox]);
    expect((await search(ALICE, { search_term: 'fox', filter: { not_rooms: [roomId] } })).ids).toEqual([otherFox]);
    expect((await search(ALICE, { search_term: 'fox', filter: { senders: [BOB] } })).ids).toEqual([]);
    expect((await search(ALICE, { search_term: 'fox', filter: { types: ['m.room.name'] } })).ids).toEqual([nameEvent]);
  });

  it('pages with next_batch in both orders without repeats', async () => {
    const room = await env.createRoom(ALICE);
    const sent: string[] = [];
    for (let i = 0; i < 5; i++) sent.push(await send(ALICE, room, `walrus number ${i}`));
    const first = await search(ALICE, { search_term: 'walrus', order_by: 'recent', filter: { limit: 2, rooms: [room] } });
    expect(first.ids).toEqual([sent[4], sent[3]]);
    expect(first.cat['count']).toBe(5);
    const second = await search(ALICE, { search_term: 'walrus', order_by: 'recent', filter: { limit: 2, rooms: [room] } }, { nextBatch: String(first.cat['next_batch']) });
    expect(second.ids).toEqual([sent[2], sent[1]]);
    const third = await search(ALICE, { search_term: 'walrus', order_by: 'recent', filter: { limit: 2, rooms: [room] } }, { nextBatch: String(second.cat['next_batch']) });
    expect(third.ids).toEqual([sent[0]]);
    expect(third.cat['next_batch']).toBeUndefined();

    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await search(ALICE, { search_term: 'walrus', order_by: 'rank', filter: { limit: 2, rooms: [room] } }, { nextBatch: token });
      seen.push(...page.ids);
      token = page.cat['next_batch'] as string | undefined;
    } while (token !== undefined);
    expect(seen.sort()).toEqual([...sent].sort());
  });

  it('only searches rooms the user is or was in, and only what history visibility shows them', async () => {
    const room = await env.createRoom(ALICE, { preset: 'public_chat' });
    await state(ALICE, room, 'm.room.history_visibility', { history_visibility: 'joined' });
    const before = await send(ALICE, room, 'otter before bob');
    expect((await search(EVE, { search_term: 'otter' })).ids).toEqual([]);
    await join(BOB, room);
    const during = await send(ALICE, room, 'otter while bob is here');
    expect((await search(BOB, { search_term: 'otter' })).ids).toEqual([during]);
    expect((await env.call(BOB, 'POST', v3(`/rooms/${enc(room)}/leave`), {})).status).toBe(200);
    await send(ALICE, room, 'otter after bob left');
    const afterLeaving = await search(BOB, { search_term: 'otter', include_state: true });
    expect(afterLeaving.ids).toEqual([during]);
    // The count only covers what happened up to the departure.
    expect(afterLeaving.cat['count']).toBe(2);
    // include_state gives a former member the state as of leaving (their own leave included).
    const roomState = (afterLeaving.cat['state'] as Record<string, Json[]>)[room]!;
    expect(roomState.find((e) => e['type'] === 'm.room.member' && e['state_key'] === BOB)?.['content']).toMatchObject({ membership: 'leave' });
    expect((await search(ALICE, { search_term: 'otter', filter: { rooms: [room] } })).ids).toHaveLength(3);
    expect(before).toBeTruthy();
  });

  it('drops redacted events from results', async () => {
    const room = await env.createRoom(ALICE);
    const secret = await send(ALICE, room, 'zebra secret');
    expect((await search(ALICE, { search_term: 'zebra' })).ids).toEqual([secret]);
    expect((await env.call(ALICE, 'PUT', v3(`/rooms/${enc(room)}/redact/${enc(secret)}/r1`), {})).status).toBe(200);
    const after = await search(ALICE, { search_term: 'zebra' });
    expect(after.ids).toEqual([]);
    expect(after.cat['count']).toBe(0);
  });

  it('returns event context with profiles, groupings by room and sender, and room group tokens', async () => {
    const room = await env.createRoom(ALICE, { preset: 'public_chat' });
    await join(BOB, room);
    const a = await send(ALICE, room, 'plain one');
    const hit1 = await send(BOB, room, 'heron sighting');
    const b = await send(ALICE, room, 'plain two');
    const rename = await env.call(ALICE, 'PUT', v3(`/rooms/${enc(room)}/state/m.room.member/${enc(ALICE)}`), { membership: 'join', displayname: 'Alice A' });
    expect(rename.status).toBe(200);
    const hit2 = await send(ALICE, room, 'another heron');
    const { results, cat } = await search(ALICE, {
      search_term: 'heron',
      order_by: 'recent',
      filter: { limit: 1 },
      event_context: { before_limit: 1, after_limit: 1, include_profile: true },
      groupings: { group_by: [{ key: 'room_id' }, { key: 'sender' }] },
    });
    expect(results.map((r) => r.result.event_id)).toEqual([hit2]);
    const context = results[0]!.context as Json & { events_before: Json[]; events_after: Json[]; profile_info: Json };
    expect(context.events_before.map((e) => e['event_id'])).toEqual([rename.body['event_id']]);
    expect(context.events_after).toEqual([]);
    expect(typeof context['start']).toBe('string');
    expect(context.profile_info[ALICE]).toEqual({ displayname: 'Alice A' });
    const groups = cat['groups'] as Record<string, Record<string, { results: string[]; order: number; next_batch?: string }>>;
    expect(groups['room_id']![room]).toMatchObject({ results: [hit2], order: 1 });
    expect(groups['sender']![ALICE]).toMatchObject({ results: [hit2], order: 1 });
    const next = await search(ALICE, { search_term: 'heron', order_by: 'recent', filter: { limit: 1 }, event_context: { before_limit: 1, after_limit: 1 } }, { nextBatch: groups['room_id']![room]!.next_batch! });
    expect(next.ids).toEqual([hit1]);
    const ctx = next.results[0]!.context as { events_before: Json[]; events_after: Json[] };
    expect([ctx.events_before.map((e) => e['event_id']), ctx.events_after.map((e) => e['event_id'])]).toEqual([[a], [b]]);
  });

  it('searches the rooms an upgraded room replaced when the filter names the new one', async () => {
    const room = await env.createRoom(ALICE);
    const old = await send(ALICE, room, 'pelican history');
    const upgraded = await env.call(ALICE, 'POST', v3(`/rooms/${enc(room)}/upgrade`), { new_version: '11' });
    expect(upgraded.status).toBe(200);
    const newRoom = String(upgraded.body['replacement_room']);
    const fresh = await send(ALICE, newRoom, 'pelican future');
    expect((await search(ALICE, { search_term: 'pelican', filter: { rooms: [newRoom] } })).ids.sort()).toEqual([old, fresh].sort());
  });

  it('answers bad input with 4xx Matrix errors', async () => {
    expect((await env.call(undefined, 'POST', v3('/search'), { search_categories: {} })).status).toBe(401);
    const noCategories = await env.call(ALICE, 'POST', v3('/search'), {});
    expect([noCategories.status, noCategories.body['errcode']]).toEqual([400, 'M_BAD_JSON']);
    const noTerm = await env.call(ALICE, 'POST', v3('/search'), { search_categories: { room_events: {} } });
    expect([noTerm.status, noTerm.body['errcode']]).toEqual([400, 'M_BAD_JSON']);
    expect((await search(ALICE, { search_term: 'x', order_by: 'newest' })).status).toBe(400);
    expect((await search(ALICE, { search_term: 'x', keys: ['content.url'] })).status).toBe(400);
    expect((await search(ALICE, { search_term: 'x', filter: { limit: -1 } })).status).toBe(400);
    expect((await search(ALICE, { search_term: 'x', event_context: { before_limit: -1 } })).status).toBe(400);
    expect((await search(ALICE, { search_term: 'x', groupings: { group_by: [{ key: 'type' }] } })).status).toBe(400);
    const badToken = await search(ALICE, { search_term: 'x' }, { nextBatch: 'not a token' });
    expect([badToken.status, badToken.body['errcode']]).toEqual([400, 'M_INVALID_PARAM']);
    const recentToken = Buffer.from('all\n\n123,45').toString('base64');
    const wrongOrder = await search(ALICE, { search_term: 'x', order_by: 'rank' }, { nextBatch: recentToken });
    expect([wrongOrder.status, wrongOrder.body['errcode']]).toEqual([400, 'M_INVALID_PARAM']);
    expect((await env.call(ALICE, 'POST', v3('/search'), { search_categories: {} })).body).toEqual({ search_categories: {} });
  });
});
