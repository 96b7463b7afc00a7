// GET /v1/rooms/{roomId}/hierarchy over the role-main rooms test env: the depth-first order
// with `order` keys, children_state, who sees which room (public, invite-only, restricted,
// knock, world_readable), max_depth, suggested_only, limit with from tokens, and bad input.
// Every response is validated against the v1.19 spec.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enc, openRoomsTestEnv, SERVER, type RoomsTestEnv } from '../rooms/testing/rooms-test-env.ts';
import { compareChildren, type ChildEvent } from './room-summary.ts';

const ALICE = `@alice:${SERVER}`;
const BOB = `@bob:${SERVER}`;
let env: RoomsTestEnv;

beforeAll(async () => {
  env = await openRoomsTestEnv();
});
afterAll(async () => env.close());

type Json = Record<string, unknown>;
const v3 = (path: string) => `/_matrix/client/v3${path}`;

async function hierarchy(user: string | undefined, roomId: string, qs = ''): Promise<{ status: number; body: Json; ids: string[] }> {
  const result = await env.call(user, 'GET', `/_matrix/client/v1/rooms/${enc(roomId)}/hierarchy${qs}`);
  return { ...result, ids: ((result.body['rooms'] as Json[] | undefined) ?? []).map((r) => String(r['room_id'])) };
}

async function addChild(space: string, child: string, content: Json = { via: [SERVER] }): Promise<void> {
  const result = await env.call(ALICE, 'PUT', v3(`/rooms/${enc(space)}/state/m.space.child/${enc(child)}`), content);
  expect(result.status, JSON.stringify(result.body)).toBe(200);
}

describe('GET /hierarchy', () => {
  let space: string;
  let publicRoom: string;
  let privateRoom: string;
  let restricted: string;
  let knock: string;
  let readable: string;
  let subspace: string;
  let deep: string;

  beforeAll(async () => {
    space = await env.createRoom(ALICE, { preset: 'public_chat', name: 'Space', creation_content: { type: 'm.space' } });
    publicRoom = await env.createRoom(ALICE, { preset: 'public_chat', name: 'Public', topic: 'everyone' });
    privateRoom = await env.createRoom(ALICE, { preset: 'private_chat', name: 'Private' });
    restricted = await env.createRoom(ALICE, {
      preset: 'private_chat',
      initial_state: [{ type: 'm.room.join_rules', state_key: '', content: { join_rule: 'restricted', allow: [{ type: 'm.room_membership', room_id: space }] } }],
    });
    knock = await env.createRoom(ALICE, { preset: 'private_chat', initial_state: [{ type: 'm.room.join_rules', state_key: '', content: { join_rule: 'knock' } }] });
    readable = await env.createRoom(ALICE, { preset: 'private_chat', initial_state: [{ type: 'm.room.history_visibility', state_key: '', content: { history_visibility: 'world_readable' } }] });
    subspace = await env.createRoom(ALICE, { preset: 'public_chat', creation_content: { type: 'm.space' } });
    deep = await env.createRoom(ALICE, { preset: 'public_chat' });
    // `order` sorts before everything without one; the rest follow in creation (timestamp) order.
    await addChild(space, subspace, { via: [SERVER], order: 'a' });
    await addChild(space, publicRoom, { via: [SERVER], suggested: true });
    await addChild(space, privateRoom);
    await addChild(space, restricted);
    await addChild(space, knock);
    await addChild(space, readable);
    await addChild(space, '!unknown:elsewhere.example', { via: ['elsewhere.example'] });
    await addChild(space, deep, {});
    await addChild(subspace, deep);
  });

  it('walks depth first in the spec order and shows members every room', async () => {
    const { status, body, ids } = await hierarchy(ALICE, space);
    expect(status).toBe(200);
    expect(ids).toEqual([space, subspace, deep, publicRoom, privateRoom, restricted, knock, readable]);
    expect(body['next_batch']).toBeUndefined();
    const rooms = body['rooms'] as Json[];
    const root = rooms[0]!;
    expect(root).toMatchObject({ room_type: 'm.space', name: 'Space', join_rule: 'public', world_readable: false, guest_can_join: false, num_joined_members: 1, room_version: '12' });
    // A child with an empty content (no via) is a removed child: not listed.
    const children = (root['children_state'] as Json[]).map((c) => c['state_key']);
    expect(children).toEqual([subspace, publicRoom, privateRoom, restricted, knock, readable, '!unknown:elsewhere.example']);
    expect((root['children_state'] as Json[])[0]).toMatchObject({ type: 'm.space.child', sender: ALICE, content: { via: [SERVER], order: 'a' } });
    expect(typeof (root['children_state'] as Json[])[0]!['origin_server_ts']).toBe('number');
    expect(rooms.find((r) => r['room_id'] === publicRoom)).toMatchObject({ name: 'Public', topic: 'everyone', children_state: [] });
  });

  it('shows others only public, knockable, world_readable and (with a membership) restricted rooms', async () => {
    expect((await hierarchy(BOB, space)).ids).toEqual([space, subspace, deep, publicRoom, knock, readable]);
    expect((await env.call(BOB, 'POST', v3(`/rooms/${enc(space)}/join`), {})).status).toBe(200);
    expect((await hierarchy(BOB, space)).ids).toEqual([space, subspace, deep, publicRoom, restricted, knock, readable]);
    expect((await hierarchy(BOB, readable)).ids).toEqual([readable]);
  });

  it('stops at max_depth and keeps only suggested children with suggested_only', async () => {
    expect((await hierarchy(ALICE, space, '?max_depth=0')).ids).toEqual([space]);
    expect((await hierarchy(ALICE, space, '?max_depth=1')).ids).toEqual([space, subspace, publicRoom, privateRoom, restricted, knock, readable]);
    const suggested = await hierarchy(ALICE, space, '?suggested_only=true');
    expect(suggested.ids).toEqual([space, publicRoom]);
    expect(((suggested.body['rooms'] as Json[])[0]!['children_state'] as Json[]).map((c) => c['state_key'])).toEqual([publicRoom]);
  });

  it('pages with limit and from, pinned to the first request', async () => {
    const all = (await hierarchy(ALICE, space)).ids;
    const seen: string[] = [];
    let from: string | undefined;
    let pages = 0;
    do {
      const page = await hierarchy(ALICE, space, `?limit=3${from === undefined ? '' : `&from=${encodeURIComponent(from)}`}`);
      expect(page.status).toBe(200);
      expect(page.ids.length).toBeLessThanOrEqual(3);
      seen.push(...page.ids);
      from = page.body['next_batch'] as string | undefined;
      pages++;
    } while (from !== undefined);
    expect(seen).toEqual(all);
    expect(pages).toBe(3);

    const first = await hierarchy(ALICE, space, '?limit=2');
    const token = encodeURIComponent(String(first.body['next_batch']));
    const changed = await hierarchy(ALICE, space, `?limit=2&max_depth=1&from=${token}`);
    expect([changed.status, changed.body['errcode']]).toEqual([400, 'M_INVALID_PARAM']);
    const otherUser = await hierarchy(BOB, space, `?limit=2&from=${token}`);
    expect([otherUser.status, otherUser.body['errcode']]).toEqual([400, 'M_INVALID_PARAM']);
    const otherRoom = await hierarchy(ALICE, subspace, `?limit=2&from=${token}`);
    expect([otherRoom.status, otherRoom.body['errcode']]).toEqual([400, 'M_INVALID_PARAM']);
    const bogus = await hierarchy(ALICE, space, '?from=nonsense');
    expect([bogus.status, bogus.body['errcode']]).toEqual([400, 'M_INVALID_PARAM']);
  });

  it('refuses unknown and invisible rooms with 403 and bad parameters with 400', async () => {
    const unknown = await hierarchy(ALICE, '!nope:test.local');
    expect([unknown.status, unknown.body['errcode']]).toEqual([403, 'M_FORBIDDEN']);
    const hidden = await hierarchy(`@carol:${SERVER}`, privateRoom);
    expect([hidden.status, hidden.body['errcode']]).toEqual([403, 'M_FORBIDDEN']);
    expect((await hierarchy(undefined, space)).status).toBe(401);
    for (const qs of ['?limit=0', '?limit=abc', '?max_depth=-1', '?suggested_only=maybe']) {
      const bad = await hierarchy(ALICE, space, qs);
      expect([qs, bad.status, bad.body['errcode']]).toEqual([qs, 400, 'M_INVALID_PARAM']);
    }
    const badId = await env.call(ALICE, 'GET', '/_matrix/client/v1/rooms/not-a-room/hierarchy', undefined, { validate: false });
    expect(badId.status).toBe(400);
  });

  it('orders children by valid order, then timestamp, then room ID', () => {
    const child = (stateKey: string, ts: number, order?: string): ChildEvent => ({
      type: 'm.space.child',
      state_key: stateKey,
      content: order === undefined ? { via: ['x'] } : { via: ['x'], order },
      sender: ALICE,
      origin_server_ts: ts,
    });
    const sorted = [child('!d', 1), child('!c', 1), child('!b', 5, 'b'), child('!a', 9, 'a'), child('!e', 0, 'bad\u0001'), child('!f', 2, 'x'.repeat(51))].sort(compareChildren);
    expect(sorted.map((c) => c.state_key)).toEqual(['!a', '!b', '!e', '!c', '!d', '!f']);
  });
});
