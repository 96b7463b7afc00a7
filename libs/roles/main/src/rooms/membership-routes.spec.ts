// createRoom (versions, presets, initial state, alias, invites) and the membership endpoints,
// including their authorization and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enc, openRoomsTestEnv, SERVER, type RoomsTestEnv } from './testing/rooms-test-env.ts';

const ALICE = `@alice:${SERVER}`;
const BOB = `@bob:${SERVER}`;
const CAROL = `@carol:${SERVER}`;
let env: RoomsTestEnv;

beforeAll(async () => {
  env = await openRoomsTestEnv();
});
afterAll(async () => env.close());

const v3 = (path: string) => `/_matrix/client/v3${path}`;

async function stateContent(user: string, roomId: string, type: string, stateKey = ''): Promise<Record<string, unknown>> {
  const result = await env.call(user, 'GET', v3(`/rooms/${enc(roomId)}/state/${type}/${enc(stateKey)}`));
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body;
}

describe('POST /createRoom', () => {
  it.each(['10', '11', '12'])('creates a version %s room with preset state, name, topic and alias', async (version) => {
    const roomId = await env.createRoom(ALICE, { room_version: version, name: 'Room', topic: 'Talk', room_alias_name: `alias${version}`, preset: 'public_chat' });
    if (version === '12') expect(roomId).toMatch(/^![A-Za-z0-9_-]{43}$/);
    else expect(roomId.endsWith(`:${SERVER}`)).toBe(true);
    expect((await stateContent(ALICE, roomId, 'm.room.create'))['room_version']).toBe(version);
    expect(await stateContent(ALICE, roomId, 'm.room.join_rules')).toEqual({ join_rule: 'public' });
    expect(await stateContent(ALICE, roomId, 'm.room.name')).toEqual({ name: 'Room' });
    expect(await stateContent(ALICE, roomId, 'm.room.topic')).toEqual({ topic: 'Talk' });
    expect(await stateContent(ALICE, roomId, 'm.room.canonical_alias')).toEqual({ alias: `#alias${version}:${SERVER}` });
    const alias = await env.call(undefined, 'GET', v3(`/directory/room/${enc(`#alias${version}:${SERVER}`)}`));
    expect(alias.body['room_id']).toBe(roomId);
  });

  it('defaults to version 12, private_chat, and applies initial_state, overrides and invites', async () => {
    const roomId = await env.createRoom(ALICE, {
      invite: [BOB],
      is_direct: true,
      initial_state: [{ type: 'm.room.history_visibility', content: { history_visibility: 'joined' } }],
      power_level_content_override: { events_default: 10 },
    });
    expect((await stateContent(ALICE, roomId, 'm.room.create'))['room_version']).toBe('12');
    expect(await stateContent(ALICE, roomId, 'm.room.join_rules')).toEqual({ join_rule: 'invite' });
    expect(await stateContent(ALICE, roomId, 'm.room.history_visibility')).toEqual({ history_visibility: 'joined' });
    expect((await stateContent(ALICE, roomId, 'm.room.power_levels'))['events_default']).toBe(10);
    expect(await stateContent(ALICE, roomId, 'm.room.member', BOB)).toMatchObject({ membership: 'invite', is_direct: true });
  });

  it('rejects bad input with 4xx Matrix errors', async () => {
    expect((await env.call(ALICE, 'POST', v3('/createRoom'), { room_version: '999' })).body['errcode']).toBe('M_UNSUPPORTED_ROOM_VERSION');
    const badInvite = await env.call(ALICE, 'POST', v3('/createRoom'), { invite: ['not-a-user'] }, { validate: false });
    expect(badInvite.status).toBe(400);
    const badPreset = await env.call(ALICE, 'POST', v3('/createRoom'), { preset: 'everyone' }, { validate: false });
    expect(badPreset.status).toBe(400);
    const notObject = await env.call(ALICE, 'POST', v3('/createRoom'), [1, 2], { validate: false });
    expect(notObject.status).toBe(400);
    await env.createRoom(ALICE, { room_alias_name: 'taken' });
    const taken = await env.call(ALICE, 'POST', v3('/createRoom'), { room_alias_name: 'taken' });
    expect(taken.body['errcode']).toBe('M_ROOM_IN_USE');
    const badCreators = await env.call(ALICE, 'POST', v3('/createRoom'), { creation_content: { additional_creators: ['not a user'] } });
    expect(badCreators.status).toBe(400);
    const badAlias = await env.call(ALICE, 'POST', v3('/createRoom'), { room_alias_name: 'a:b' });
    expect(badAlias.body['errcode']).toBe('M_INVALID_PARAM');
    const float = await env.call(ALICE, 'POST', v3('/createRoom'), { power_level_content_override: { ban: 1.5 } });
    expect(float.body['errcode']).toBe('M_BAD_JSON');
    const noAuth = await env.call(undefined, 'POST', v3('/createRoom'), {}, { validate: false });
    expect(noAuth.status).toBe(401);
  });
});

describe('membership', () => {
  it('invite, join by ID and alias, leave, forget and joined_rooms', async () => {
    const roomId = await env.createRoom(ALICE, { room_alias_name: 'membership' });
    // Not invited: the invite-only room refuses the join.
    expect((await env.call(BOB, 'POST', v3(`/rooms/${enc(roomId)}/join`), {})).status).toBe(403);
    expect((await env.call(ALICE, 'POST', v3(`/rooms/${enc(roomId)}/invite`), { user_id: BOB })).status).toBe(200);
    // Invited is not joined: no full state yet.
    expect((await env.call(BOB, 'GET', v3(`/rooms/${enc(roomId)}/state`))).status).toBe(403);
    const joined = await env.call(BOB, 'POST', v3(`/join/${enc(`#membership:${SERVER}`)}`), {});
    expect(joined.body).toEqual({ room_id: roomId });
    expect((await env.call(BOB, 'GET', v3('/joined_rooms'))).body['joined_rooms']).toContain(roomId);
    const forgetWhileJoined = await env.call(BOB, 'POST', v3(`/rooms/${enc(roomId)}/forget`), {});
    expect(forgetWhileJoined.status).toBe(400);
    expect((await env.call(BOB, 'POST', v3(`/rooms/${enc(roomId)}/leave`), {})).status).toBe(200);
    expect((await env.call(BOB, 'GET', v3('/joined_rooms'))).body['joined_rooms']).not.toContain(roomId);
    const beforeForget = await env.call(BOB, 'GET', v3(`/rooms/${enc(roomId)}/messages?dir=b`));
    expect(beforeForget.status).toBe(200);
    expect((await env.call(BOB, 'POST', v3(`/rooms/${enc(roomId)}/forget`), {})).status).toBe(200);
    for (const path of [`/rooms/${enc(roomId)}/messages?dir=b`, `/rooms/${enc(roomId)}/state`, `/rooms/${enc(roomId)}/members`]) {
      const forgotten = await env.call(BOB, 'GET', v3(path));
      expect([path, forgotten.status, forgotten.body['errcode']]).toEqual([path, 403, 'M_FORBIDDEN']);
    }
    // Legacy prefixes serve the same endpoint.
    const legacy = await env.call(ALICE, 'GET', `/_matrix/client/api/v1/rooms/${enc(roomId)}/joined_members`, undefined, { validate: false });
    expect(Object.keys(legacy.body['joined'] as object)).toEqual([ALICE]);
    // Not spec-validated: unset fields are null, as Synapse answers, where the schema says string.
    const members = await env.call(ALICE, 'GET', `/_matrix/client/r0/rooms/${enc(roomId)}/joined_members`, undefined, { validate: false });
    expect(members.body['joined']).toEqual({ [ALICE]: { display_name: null, avatar_url: null } });
  });

  it('keeps custom keys of a /join body in the member event, and a repeated join or state change adds no event', async () => {
    const roomId = await env.createRoom(ALICE, { preset: 'public_chat' });
    expect((await env.call(BOB, 'POST', v3(`/rooms/${enc(roomId)}/join`), { foo: 'bar' })).status).toBe(200);
    expect(await stateContent(BOB, roomId, 'm.room.member', BOB)).toMatchObject({ membership: 'join', foo: 'bar' });
    const joinEvent = await env.call(BOB, 'GET', v3(`/rooms/${enc(roomId)}/state/m.room.member/${enc(BOB)}?format=event`), undefined, { validate: false });
    expect((await env.call(BOB, 'POST', v3(`/rooms/${enc(roomId)}/join`), { foo: 'bar' })).status).toBe(200);
    const again = await env.call(BOB, 'GET', v3(`/rooms/${enc(roomId)}/state/m.room.member/${enc(BOB)}?format=event`), undefined, { validate: false });
    expect(again.body['event_id']).toBe(joinEvent.body['event_id']);
    const first = await env.call(ALICE, 'PUT', v3(`/rooms/${enc(roomId)}/state/m.room.topic`), { topic: 'same' });
    const second = await env.call(ALICE, 'PUT', v3(`/rooms/${enc(roomId)}/state/m.room.topic`), { topic: 'same' });
    expect(second.body['event_id']).toBe(first.body['event_id']);
    const changed = await env.call(ALICE, 'PUT', v3(`/rooms/${enc(roomId)}/state/m.room.topic`), { topic: 'other' });
    expect(changed.body['event_id']).not.toBe(first.body['event_id']);
  });

  it('kick, ban, unban need the power level; a banned user cannot rejoin', async () => {
    const roomId = await env.createRoom(ALICE, { preset: 'public_chat' });
    await env.call(BOB, 'POST', v3(`/rooms/${enc(roomId)}/join`), {});
    await env.call(CAROL, 'POST', v3(`/rooms/${enc(roomId)}/join`), {});
    expect((await env.call(BOB, 'POST', v3(`/rooms/${enc(roomId)}/kick`), { user_id: CAROL })).body['errcode']).toBe('M_FORBIDDEN');
    expect((await env.call(BOB, 'POST', v3(`/rooms/${enc(roomId)}/ban`), { user_id: CAROL })).body['errcode']).toBe('M_FORBIDDEN');
    expect((await env.call(ALICE, 'POST', v3(`/rooms/${enc(roomId)}/kick`), { user_id: CAROL, reason: 'bye' })).status).toBe(200);
    expect((await stateContent(ALICE, roomId, 'm.room.member', CAROL))).toEqual({ membership: 'leave', reason: 'bye' });
    expect((await env.call(ALICE, 'POST', v3(`/rooms/${enc(roomId)}/ban`), { user_id: BOB })).status).toBe(200);
    const rejoin = await env.call(BOB, 'POST', v3(`/rooms/${enc(roomId)}/join`), {});
    expect(rejoin.status).toBe(403);
    expect((await env.call(ALICE, 'POST', v3(`/rooms/${enc(roomId)}/unban`), { user_id: BOB })).status).toBe(200);
    expect((await env.call(BOB, 'POST', v3(`/rooms/${enc(roomId)}/join`), {})).status).toBe(200);
    // Bob may not change power levels.
    const pl = await env.call(BOB, 'PUT', v3(`/rooms/${enc(roomId)}/state/m.room.power_levels`), { users: { [BOB]: 100 } });
    expect(pl.status).toBe(403);
  });

  it('knock on a knock room', async () => {
    const roomId = await env.createRoom(ALICE, { initial_state: [{ type: 'm.room.join_rules', content: { join_rule: 'knock' } }] });
    const knock = await env.call(BOB, 'POST', v3(`/knock/${enc(roomId)}`), { reason: 'let me in' });
    expect(knock.body).toEqual({ room_id: roomId });
    expect(await stateContent(ALICE, roomId, 'm.room.member', BOB)).toMatchObject({ membership: 'knock' });
  });

  it('answers bad IDs with 400 and unknown rooms with 404/403', async () => {
    expect((await env.call(ALICE, 'POST', v3('/rooms/not-a-room/join'), {})).body['errcode']).toBe('M_INVALID_PARAM');
    expect((await env.call(ALICE, 'POST', v3(`/rooms/${enc(`!unknown:${SERVER}`)}/join`), {})).status).toBe(404);
    expect((await env.call(ALICE, 'POST', v3(`/join/${enc(`#nope:${SERVER}`)}`), {})).status).toBe(404);
    expect((await env.call(ALICE, 'POST', v3(`/rooms/${enc(`!unknown:${SERVER}`)}/leave`), {})).status).toBe(403);
    const badTarget = await env.call(ALICE, 'POST', v3(`/rooms/${enc(`!unknown:${SERVER}`)}/invite`), { user_id: 'bob' });
    expect(badTarget.body['errcode']).toBe('M_INVALID_PARAM');
    const missing = await env.call(ALICE, 'POST', v3(`/rooms/${enc(`!unknown:${SERVER}`)}/invite`), {}, { validate: false });
    expect(missing.status).toBe(400);
  });
});
