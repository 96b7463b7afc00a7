// Aliases, the room directory, /publicRooms, room upgrades, relations and threads, and
// timestamp_to_event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enc, openRoomsTestEnv, SERVER, type RoomsTestEnv } from './testing/rooms-test-env.ts';

const ALICE = `@alice:${SERVER}`;
const BOB = `@bob:${SERVER}`;
let env: RoomsTestEnv;

beforeAll(async () => {
  env = await openRoomsTestEnv();
});
afterAll(async () => env.close());

const v3 = (path: string) => `/_matrix/client/v3${path}`;
const v1 = (path: string) => `/_matrix/client/v1${path}`;
type Ev = Record<string, unknown> & { content: Record<string, unknown> };

async function send(user: string, roomId: string, content: Record<string, unknown>): Promise<string> {
  const result = await env.call(user, 'PUT', v3(`/rooms/${enc(roomId)}/send/m.room.message/t${Math.random()}`), content);
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return String(result.body['event_id']);
}

describe('aliases and directory', () => {
  it('PUT/GET/DELETE aliases with conflicts, permissions and bad input', async () => {
    const roomId = await env.createRoom(ALICE, { preset: 'public_chat' });
    const alias = `#room:${SERVER}`;
    expect((await env.call(ALICE, 'PUT', v3(`/directory/room/${enc(alias)}`), { room_id: roomId })).status).toBe(200);
    expect((await env.call(ALICE, 'PUT', v3(`/directory/room/${enc(alias)}`), { room_id: roomId })).status).toBe(409);
    expect((await env.call(ALICE, 'GET', v3(`/directory/room/${enc(alias)}`))).body).toEqual({ room_id: roomId, servers: [SERVER] });
    expect((await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/aliases`))).body).toEqual({ aliases: [alias] });
    await env.call(BOB, 'POST', v3(`/rooms/${enc(roomId)}/join`), {});
    expect((await env.call(BOB, 'DELETE', v3(`/directory/room/${enc(alias)}`))).status).toBe(403);
    expect((await env.call(ALICE, 'DELETE', v3(`/directory/room/${enc(alias)}`))).status).toBe(200);
    expect((await env.call(ALICE, 'GET', v3(`/directory/room/${enc(alias)}`))).status).toBe(404);
    expect((await env.call(ALICE, 'GET', v3('/directory/room/noalias'))).body['errcode']).toBe('M_INVALID_PARAM');
    expect((await env.call(ALICE, 'PUT', v3(`/directory/room/${enc('#x:other.server')}`), { room_id: roomId })).status).toBe(400);
    // The canonical alias must point at the room.
    const bad = await env.call(ALICE, 'PUT', v3(`/rooms/${enc(roomId)}/state/m.room.canonical_alias`), { alias: `#missing:${SERVER}` });
    expect(bad.body['errcode']).toBe('M_BAD_ALIAS');
    // A malformed one (alias or alt_aliases) is a bad parameter (Synapse).
    const malformed = await env.call(ALICE, 'PUT', v3(`/rooms/${enc(roomId)}/state/m.room.canonical_alias`), { alt_aliases: [`%room:${SERVER}`] });
    expect(malformed.status).toBe(400);
    expect(malformed.body['errcode']).toBe('M_INVALID_PARAM');
  });

  it('deleting an alias takes it out of the canonical alias event', async () => {
    const roomId = await env.createRoom(ALICE, { preset: 'public_chat' });
    const [main, alt] = [`#main:${SERVER}`, `#alt:${SERVER}`];
    for (const alias of [main, alt]) expect((await env.call(ALICE, 'PUT', v3(`/directory/room/${enc(alias)}`), { room_id: roomId })).status).toBe(200);
    const path = v3(`/rooms/${enc(roomId)}/state/m.room.canonical_alias`);
    expect((await env.call(ALICE, 'PUT', path, { alias: main, alt_aliases: [alt, main] })).status).toBe(200);
    expect((await env.call(ALICE, 'DELETE', v3(`/directory/room/${enc(main)}`))).status).toBe(200);
    expect((await env.call(ALICE, 'GET', path)).body).toEqual({ alt_aliases: [alt] });
    expect((await env.call(ALICE, 'DELETE', v3(`/directory/room/${enc(alt)}`))).status).toBe(200);
    expect((await env.call(ALICE, 'GET', path)).body).toEqual({ alt_aliases: [] });
  });

  it('directory visibility and /publicRooms (GET and POST with search and paging)', async () => {
    const a = await env.createRoom(ALICE, { visibility: 'public', name: 'Apples' });
    const b = await env.createRoom(ALICE, { name: 'Bananas' });
    expect((await env.call(ALICE, 'GET', v3(`/directory/list/room/${enc(b)}`))).body).toEqual({ visibility: 'private' });
    expect((await env.call(BOB, 'PUT', v3(`/directory/list/room/${enc(b)}`), { visibility: 'public' })).status).toBe(403);
    expect((await env.call(ALICE, 'PUT', v3(`/directory/list/room/${enc(b)}`), { visibility: 'public' })).status).toBe(200);
    const all = await env.call(undefined, 'GET', v3('/publicRooms'));
    expect((all.body['chunk'] as Ev[]).map((r) => r['room_id'])).toEqual(expect.arrayContaining([a, b]));
    const page = await env.call(ALICE, 'POST', v3('/publicRooms'), { limit: 1 });
    expect((page.body['chunk'] as Ev[]).length).toBe(1);
    // A null since is the first page, as Synapse reads it (Sytest sends it; the spec has no null).
    const fromNull = await env.call(ALICE, 'POST', v3('/publicRooms'), { limit: 1, since: null }, { validate: false });
    expect(fromNull).toMatchObject({ status: 200, body: { chunk: page.body['chunk'] } });
    const next = await env.call(ALICE, 'POST', v3('/publicRooms'), { limit: 1, since: page.body['next_batch'] });
    expect((next.body['chunk'] as Ev[])[0]?.['room_id']).not.toBe((page.body['chunk'] as Ev[])[0]?.['room_id']);
    const search = await env.call(ALICE, 'POST', v3('/publicRooms'), { filter: { generic_search_term: 'banan' } });
    expect((search.body['chunk'] as Ev[]).map((r) => r['name'])).toEqual(['Bananas']);
    expect((await env.call(ALICE, 'GET', v3(`/directory/list/room/${enc(`!nope:${SERVER}`)}`))).status).toBe(404);
    expect((await env.call(ALICE, 'GET', v3('/publicRooms?since=zzz'))).status).toBe(400);
  });

  it('upgrades a room: tombstone in the old one, predecessor and copied state in the new one', async () => {
    const oldRoom = await env.createRoom(ALICE, { room_version: '10', name: 'Old' });
    const denied = await env.call(BOB, 'POST', v3(`/rooms/${enc(oldRoom)}/upgrade`), { new_version: '12' });
    expect(denied.status).toBe(403);
    const result = await env.call(ALICE, 'POST', v3(`/rooms/${enc(oldRoom)}/upgrade`), { new_version: '12' });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    const newRoom = String(result.body['replacement_room']);
    const tombstone = await env.call(ALICE, 'GET', v3(`/rooms/${enc(oldRoom)}/state/m.room.tombstone`));
    expect(tombstone.body['replacement_room']).toBe(newRoom);
    const create = await env.call(ALICE, 'GET', v3(`/rooms/${enc(newRoom)}/state/m.room.create`));
    expect(create.body).toMatchObject({ room_version: '12', predecessor: { room_id: oldRoom } });
    expect((await env.call(ALICE, 'GET', v3(`/rooms/${enc(newRoom)}/state/m.room.name`))).body).toEqual({ name: 'Old' });
    expect((await env.call(ALICE, 'POST', v3(`/rooms/${enc(oldRoom)}/upgrade`), { new_version: 'x' })).body['errcode']).toBe('M_UNSUPPORTED_ROOM_VERSION');
    // An unknown room is not found, whatever version is asked for (the room is checked first).
    const bogus = await env.call(ALICE, 'POST', v3(`/rooms/${enc(`!fail:${SERVER}`)}/upgrade`), { new_version: 'x' });
    expect([bogus.status, bogus.body['errcode']]).toEqual([404, 'M_NOT_FOUND']);
  });

  it('upgrades as Synapse clones a room: guest_access can_join when the old room had none, predecessor naming the tombstone', async () => {
    const oldRoom = await env.createRoom(ALICE, { room_version: '10', preset: 'public_chat' });
    expect((await env.call(ALICE, 'GET', v3(`/rooms/${enc(oldRoom)}/state/m.room.guest_access`))).status).toBe(404);
    const result = await env.call(ALICE, 'POST', v3(`/rooms/${enc(oldRoom)}/upgrade`), { new_version: '2' });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    const newRoom = String(result.body['replacement_room']);
    expect((await env.call(ALICE, 'GET', v3(`/rooms/${enc(newRoom)}/state/m.room.guest_access`))).body).toEqual({ guest_access: 'can_join' });
    expect((await env.call(ALICE, 'GET', v3(`/rooms/${enc(newRoom)}/state/m.room.join_rules`))).body).toEqual({ join_rule: 'public' });
    const tombstone = await env.call(ALICE, 'GET', v3(`/rooms/${enc(oldRoom)}/state/m.room.tombstone?format=event`), undefined, { validate: false });
    const create = await env.call(ALICE, 'GET', v3(`/rooms/${enc(newRoom)}/state/m.room.create`));
    expect(create.body['predecessor']).toEqual({ room_id: oldRoom, event_id: tombstone.body['event_id'] });
  });

  it('upgrades carrying the bans over and moving the aliases and the canonical alias to the new room', async () => {
    const oldRoom = await env.createRoom(ALICE, { room_version: '10', preset: 'public_chat' });
    const [main, alt] = [`#upgrade-main:${SERVER}`, `#upgrade-alt:${SERVER}`];
    for (const alias of [main, alt]) expect((await env.call(ALICE, 'PUT', v3(`/directory/room/${enc(alias)}`), { room_id: oldRoom })).status).toBe(200);
    expect((await env.call(ALICE, 'PUT', v3(`/rooms/${enc(oldRoom)}/state/m.room.canonical_alias`), { alias: main, alt_aliases: [alt] })).status).toBe(200);
    const banned = '@spammer:elsewhere.example';
    expect((await env.call(ALICE, 'PUT', v3(`/rooms/${enc(oldRoom)}/state/m.room.member/${enc(banned)}`), { membership: 'ban' })).status).toBe(200);
    const result = await env.call(ALICE, 'POST', v3(`/rooms/${enc(oldRoom)}/upgrade`), { new_version: '10' });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    const newRoom = String(result.body['replacement_room']);
    expect((await env.call(ALICE, 'GET', v3(`/rooms/${enc(newRoom)}/state/m.room.member/${enc(banned)}`))).body).toEqual({ membership: 'ban' });
    expect((await env.call(ALICE, 'GET', v3(`/rooms/${enc(newRoom)}/state/m.room.canonical_alias`))).body).toEqual({ alias: main, alt_aliases: [alt] });
    expect((await env.call(ALICE, 'GET', v3(`/rooms/${enc(oldRoom)}/state/m.room.canonical_alias`))).body).toEqual({});
    for (const alias of [main, alt]) expect((await env.call(ALICE, 'GET', v3(`/directory/room/${enc(alias)}`))).body['room_id']).toBe(newRoom);
  });

  it('upgrades keeping an upgrader level above 100 and m.federate, and restricts the old room above users_default', async () => {
    const oldRoom = await env.createRoom(ALICE, {
      room_version: '10',
      creation_content: { 'm.federate': false },
      power_level_content_override: { users: { [ALICE]: 500 }, users_default: 80 },
    });
    const result = await env.call(ALICE, 'POST', v3(`/rooms/${enc(oldRoom)}/upgrade`), { new_version: '10' });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    const newRoom = String(result.body['replacement_room']);
    expect((await env.call(ALICE, 'GET', v3(`/rooms/${enc(newRoom)}/state/m.room.power_levels`))).body['users']).toEqual({ [ALICE]: 500 });
    expect((await env.call(ALICE, 'GET', v3(`/rooms/${enc(newRoom)}/state/m.room.create`))).body['m.federate']).toBe(false);
    const oldLevels = (await env.call(ALICE, 'GET', v3(`/rooms/${enc(oldRoom)}/state/m.room.power_levels`))).body;
    expect([oldLevels['events_default'], oldLevels['invite']]).toEqual([81, 81]);
  });

  it('creates and upgrades to rooms of versions 1 and 2 (server-assigned event IDs), where members talk', async () => {
    for (const version of ['1', '2']) {
      const roomId = await env.createRoom(ALICE, { room_version: version, preset: 'public_chat' });
      const create = await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/state/m.room.create?format=event`), undefined, { validate: false });
      expect(create.body['content']).toMatchObject({ room_version: version, creator: ALICE });
      expect(String(create.body['event_id'])).toMatch(new RegExp(`^\\$[^:]+:${SERVER.replace(/\./g, '\\.')}$`));
      expect((await env.call(BOB, 'POST', v3(`/rooms/${enc(roomId)}/join`), {})).status).toBe(200);
      const sent = await send(BOB, roomId, { msgtype: 'm.text', body: `hello v${version}` });
      expect(sent).toMatch(/^\$[^:]+:/);
      const upgraded = await env.call(ALICE, 'POST', v3(`/rooms/${enc(roomId)}/upgrade`), { new_version: version === '1' ? '2' : '1' });
      expect(upgraded.status, JSON.stringify(upgraded.body)).toBe(200);
    }
  });
});

describe('relations, threads, timestamps', () => {
  it('lists relations by type and threads of a room', async () => {
    const roomId = await env.createRoom(ALICE);
    const root = await send(ALICE, roomId, { msgtype: 'm.text', body: 'root' });
    const reply1 = await send(ALICE, roomId, { msgtype: 'm.text', body: 'r1', 'm.relates_to': { rel_type: 'm.thread', event_id: root } });
    await send(ALICE, roomId, { msgtype: 'm.text', body: '* edit', 'm.new_content': { body: 'edit' }, 'm.relates_to': { rel_type: 'm.replace', event_id: root } });
    const all = await env.call(ALICE, 'GET', v1(`/rooms/${enc(roomId)}/relations/${enc(root)}`));
    expect((all.body['chunk'] as Ev[]).length).toBe(2);
    const threads = await env.call(ALICE, 'GET', v1(`/rooms/${enc(roomId)}/relations/${enc(root)}/m.thread`));
    expect((threads.body['chunk'] as Ev[]).map((e) => e['event_id'])).toEqual([reply1]);
    const typed = await env.call(ALICE, 'GET', v1(`/rooms/${enc(roomId)}/relations/${enc(root)}/m.thread/m.room.message?limit=1`));
    expect((typed.body['chunk'] as Ev[]).length).toBe(1);
    expect((await env.call(ALICE, 'GET', v1(`/rooms/${enc(roomId)}/relations/${enc(root)}?recurse=true`))).status).toBe(200);
    expect((await env.call(ALICE, 'GET', v1(`/rooms/${enc(roomId)}/relations/${enc(root)}?recurse=yes`))).body['errcode']).toBe('M_INVALID_PARAM');
    const list = await env.call(ALICE, 'GET', v1(`/rooms/${enc(roomId)}/threads`));
    expect((list.body['chunk'] as Ev[]).map((e) => e['event_id'])).toEqual([root]);
    // The root carries the server-side aggregation of its thread and its latest edit.
    const rootEvent = (await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/event/${enc(root)}`))).body as Ev & { unsigned: Record<string, Record<string, Record<string, unknown>>> };
    const aggregated = rootEvent.unsigned['m.relations']!;
    expect(aggregated['m.thread']).toMatchObject({ count: 1, current_user_participated: true, latest_event: { event_id: reply1 } });
    expect((aggregated['m.replace'] as Ev).content['m.new_content']).toEqual({ body: 'edit' });
    expect((await env.call(BOB, 'GET', v1(`/rooms/${enc(roomId)}/threads`))).status).toBe(403);
    expect((await env.call(ALICE, 'GET', v1(`/rooms/${enc(roomId)}/threads?include=some`))).status).toBe(400);
  });

  it('timestamp_to_event finds the closest event in either direction', async () => {
    const roomId = await env.createRoom(ALICE);
    const t0 = Date.now();
    const eventId = await send(ALICE, roomId, { msgtype: 'm.text', body: 'now' });
    const forward = await env.call(ALICE, 'GET', v1(`/rooms/${enc(roomId)}/timestamp_to_event?ts=${t0}&dir=f`));
    expect(forward.body['event_id']).toBe(eventId);
    const backward = await env.call(ALICE, 'GET', v1(`/rooms/${enc(roomId)}/timestamp_to_event?ts=${Date.now() + 1000}&dir=b`));
    expect(backward.body['event_id']).toBe(eventId);
    expect((await env.call(ALICE, 'GET', v1(`/rooms/${enc(roomId)}/timestamp_to_event?ts=${t0 + 100000}&dir=f`))).status).toBe(404);
    expect((await env.call(ALICE, 'GET', v1(`/rooms/${enc(roomId)}/timestamp_to_event?ts=abc&dir=f`))).status).toBe(400);
  });
});
