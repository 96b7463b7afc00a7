// The client side of federation through the rooms endpoints, against one simulated remote
// server (FakeFederation over FakeRemoteRooms, events signed with its key): joining its rooms by
// ID and by alias, back-paginating past our join (backfill), inviting its users, its public
// rooms. The room input behind the endpoints is the real one, on PGlite.
import { buildEvent, roomVersion, stateKeyOf } from '@homeserver/matrix';
import { getCurrentStateIds, getEvent, getMembership } from '@homeserver/storage';
import { fakeRemoteSigningKey, FakeRemoteRoom } from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeFederation } from '../testing/fake-federation.ts';
import { enc, openRoomsTestEnv, SERVER, type RoomsTestEnv } from '../testing/rooms-test-env.ts';

const ALICE = `@alice:${SERVER}`;
const REMOTE = 'remote.test';
const BOB = `@bob:${REMOTE}`;

let env: RoomsTestEnv;
let federation: FakeFederation;

beforeAll(async () => {
  federation = new FakeFederation({ serverName: REMOTE });
  env = await openRoomsTestEnv({ federation, lookupKey: new FakeRemoteRoom().lookupKey });
});
afterAll(async () => env.close());

function remoteRoom(options: ConstructorParameters<typeof FakeRemoteRoom>[0] = {}): FakeRemoteRoom {
  const room = federation.addRoom(new FakeRemoteRoom({ serverName: REMOTE, ...options }));
  room.send({ type: 'm.room.member', stateKey: BOB, sender: BOB, content: { membership: 'join', displayname: 'Bob' } });
  return room;
}

async function messages(roomId: string, user: string, limit: number, from?: string) {
  const query = `dir=b&limit=${limit}${from ? `&from=${from}` : ''}`;
  return env.call(user, 'GET', `/_matrix/client/v3/rooms/${enc(roomId)}/messages?${query}`);
}

describe('client side of federation: rooms', () => {
  it('joins a room held by another server by ID, then sends into it on the state it got', async () => {
    const room = remoteRoom();
    const joined = await env.call(ALICE, 'POST', `/_matrix/client/v3/join/${enc(room.roomId)}?server_name=${REMOTE}`, {});
    expect(joined, JSON.stringify(joined.body)).toMatchObject({ status: 200, body: { room_id: room.roomId } });
    const asked = federation.requests.filter((r) => r.path.includes(enc(room.roomId))).map((r) => `${r.method} ${r.path.split('/')[4]}`);
    expect(asked).toEqual(['GET make_join', 'PUT send_join']);
    // (Absent profile fields are nulls, as Synapse answers, which the spec's schema does not allow.)
    const members = await env.call(ALICE, 'GET', `/_matrix/client/v3/rooms/${enc(room.roomId)}/joined_members`, undefined, { validate: false });
    expect(Object.keys(members.body['joined'] as object).sort()).toEqual([ALICE, BOB, room.creator].sort());
    // Our join reached the remote room, carrying our signature.
    const join = room.events.get(room.stateId('m.room.member', ALICE)!)!;
    expect(Object.keys(join.pdu['signatures'] as object)).toContain(SERVER);
    const sent = await env.call(ALICE, 'PUT', `/_matrix/client/v3/rooms/${enc(room.roomId)}/send/m.room.message/t1`, { msgtype: 'm.text', body: 'hello remote' });
    expect(sent.status).toBe(200);
    expect((await getEvent(env.db, String(sent.body['event_id'])))?.pdu['prev_events']).toEqual([join.eventId]);
  });

  it('falls back to send_join v1 when the room\'s server has no v2 (Synapse)', async () => {
    const room = remoteRoom();
    federation.sendJoinV1Only = true;
    try {
      const joined = await env.call(ALICE, 'POST', `/_matrix/client/v3/join/${enc(room.roomId)}`, {});
      expect(joined.status, JSON.stringify(joined.body)).toBe(200);
    } finally {
      federation.sendJoinV1Only = false;
    }
    expect(federation.requests.filter((r) => r.path.includes('/send_join/') && r.path.includes(enc(room.roomId))).map((r) => r.path.split('/')[3])).toEqual(['v2', 'v1']);
    expect(await getMembership(env.db, room.roomId, ALICE)).toMatchObject({ membership: 'join' });
  });

  it('joins through a remote alias, asking the alias server for the room', async () => {
    const room = remoteRoom();
    federation.aliases.set(`#lobby:${REMOTE}`, room.roomId);
    const resolved = await env.call(ALICE, 'GET', `/_matrix/client/v3/directory/room/${enc(`#lobby:${REMOTE}`)}`);
    expect(resolved).toMatchObject({ status: 200, body: { room_id: room.roomId, servers: [REMOTE] } });
    const joined = await env.call(ALICE, 'POST', `/_matrix/client/v3/join/${enc(`#lobby:${REMOTE}`)}`, {});
    expect(joined).toMatchObject({ status: 200, body: { room_id: room.roomId } });
    const unknown = await env.call(ALICE, 'GET', `/_matrix/client/v3/directory/room/${enc(`#nowhere:${REMOTE}`)}`);
    expect(unknown).toMatchObject({ status: 404, body: { errcode: 'M_NOT_FOUND' } });
  });

  it('passes a refusal of the remote server on, and says so when no server can be reached', async () => {
    const room = remoteRoom();
    federation.refuseJoins.add(room.roomId);
    const refused = await env.call(ALICE, 'POST', `/_matrix/client/v3/join/${enc(room.roomId)}?server_name=${REMOTE}`, {});
    expect(refused).toMatchObject({ status: 403, body: { errcode: 'M_FORBIDDEN' } });
    expect(await getCurrentStateIds(env.db, room.roomId)).toEqual([]);
    const unreachable = await env.call(ALICE, 'POST', `/_matrix/client/v3/join/${enc('!nothere:unreachable.test')}`, {});
    expect(unreachable.status).toBe(502);
    // With no server but ourselves to ask, the room is simply unknown.
    const local = await env.call(ALICE, 'POST', `/_matrix/client/v3/join/${enc(`!nothere:${SERVER}`)}`, {});
    expect(local).toMatchObject({ status: 404, body: { errcode: 'M_NOT_FOUND' } });
  });

  it('back-paginates past the join: history before it is backfilled from the remote server, in order', async () => {
    const room = remoteRoom();
    const history = Array.from({ length: 30 }, (_, i) => room.send({ type: 'm.room.message', sender: BOB, content: { msgtype: 'm.text', body: `old ${i}` } }).eventId);
    expect((await env.call(ALICE, 'POST', `/_matrix/client/v3/join/${enc(room.roomId)}?via=${REMOTE}`, {})).status).toBe(200);
    const seen: string[] = [];
    let from: string | undefined;
    for (let page = 0; page < 10; page++) {
      const answer = await messages(room.roomId, ALICE, 10, from);
      expect(answer.status).toBe(200);
      const chunk = answer.body['chunk'] as Array<{ event_id: string; type: string }>;
      if (chunk.length === 0) break;
      seen.push(...chunk.filter((e) => e.type === 'm.room.message').map((e) => e.event_id));
      from = String(answer.body['end']);
    }
    // Newest first, each exactly once, all the way back.
    expect(seen).toEqual([...history].reverse());
    expect(federation.requests.some((r) => r.path.includes('/backfill/'))).toBe(true);
  });

  it('back-paginates past a join that accepted an invite in a v12 room: the invite, the history before it and the room creation enter the timeline', async () => {
    // v12 (Synapse's default) leaves the create event out of auth_events: backfilled history with
    // no prev events held here must still be checked against it.
    const room = remoteRoom({ roomVersion: '12' });
    const history = Array.from({ length: 25 }, (_, i) => room.send({ type: 'm.room.message', sender: BOB, content: { msgtype: 'm.text', body: `before ${i}` } }).eventId);
    const invite = room.send({ type: 'm.room.member', stateKey: ALICE, sender: BOB, content: { membership: 'invite' } });
    expect(await env.rooms.receiveInvite(room.roomId, { pdu: invite.pdu, origin: REMOTE, roomVersion: room.version.id })).toMatchObject({ ok: true, outcome: 'accepted' });
    expect((await env.call(ALICE, 'POST', `/_matrix/client/v3/join/${enc(room.roomId)}`, {})).status).toBe(200);
    const seen: string[] = [];
    let from: string | undefined;
    for (let page = 0; page < 10; page++) {
      const answer = await messages(room.roomId, ALICE, 10, from);
      expect(answer.status).toBe(200);
      const chunk = answer.body['chunk'] as Array<{ event_id: string; type: string }>;
      if (chunk.length === 0) break;
      seen.push(...chunk.map((e) => e.event_id));
      from = String(answer.body['end']);
    }
    const join = room.stateId('m.room.member', ALICE)!;
    // Newest first, each once: our join, the invite it followed (held as an outlier until
    // backfill reached it), all the history before, and the room's creation (the state the join
    // came with, outliers until then too).
    expect(seen.slice(0, 2)).toEqual([join, invite.eventId]);
    expect(seen.filter((id) => history.includes(id))).toEqual([...history].reverse());
    expect(seen.at(-1)).toBe(room.stateId('m.room.create', ''));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('invites a user of another server: its server signs the invite before it is stored', async () => {
    const roomId = await env.createRoom(ALICE, { preset: 'private_chat' });
    const invited = await env.call(ALICE, 'POST', `/_matrix/client/v3/rooms/${enc(roomId)}/invite`, { user_id: BOB });
    expect(invited.status).toBe(200);
    const state = await getCurrentStateIds(env.db, roomId);
    const inviteId = state.find((e) => e.type === 'm.room.member' && e.stateKey === BOB)?.eventId;
    const invite = await getEvent(env.db, inviteId!);
    expect(invite?.pdu['content']).toMatchObject({ membership: 'invite' });
    expect(Object.keys(invite?.pdu['signatures'] as object).sort()).toEqual([REMOTE, SERVER].sort());
    const sentInvite = federation.requests.find((r) => r.path.startsWith(`/_matrix/federation/v2/invite/${enc(roomId)}/`));
    expect(sentInvite?.body?.['room_version']).toBeDefined();
    expect((sentInvite?.body?.['invite_room_state'] as Array<{ type: string }>).map((e) => e.type)).toContain('m.room.join_rules');

    // Refused by the invitee's server: nothing is stored.
    const carol = `@carol:${REMOTE}`;
    federation.refuseInvites.add(carol);
    const refused = await env.call(ALICE, 'POST', `/_matrix/client/v3/rooms/${enc(roomId)}/invite`, { user_id: carol });
    expect(refused).toMatchObject({ status: 403, body: { errcode: 'M_FORBIDDEN' } });
    expect((await getCurrentStateIds(env.db, roomId)).some((e) => e.stateKey === carol)).toBe(false);
    // Kicking and banning a remote user are ordinary room events (the sender delivers them).
    const banned = await env.call(ALICE, 'POST', `/_matrix/client/v3/rooms/${enc(roomId)}/ban`, { user_id: BOB, reason: 'bye' });
    expect(banned.status).toBe(200);
    const after = new Map((await getCurrentStateIds(env.db, roomId)).map((e) => [stateKeyOf(e.type, e.stateKey), e.eventId]));
    expect((await getEvent(env.db, after.get(stateKeyOf('m.room.member', BOB))!))?.pdu['content']).toMatchObject({ membership: 'ban' });
  });

  it('falls back to the v1 invite for a version 1 room when the invitee\'s server has no v2, and refuses newer rooms there', async () => {
    federation.inviteV1Only = true;
    try {
      const oldRoom = await env.createRoom(ALICE, { preset: 'private_chat', room_version: '1' });
      const invited = await env.call(ALICE, 'POST', `/_matrix/client/v3/rooms/${enc(oldRoom)}/invite`, { user_id: BOB });
      expect(invited.status, JSON.stringify(invited.body)).toBe(200);
      const inviteId = (await getCurrentStateIds(env.db, oldRoom)).find((e) => e.type === 'm.room.member' && e.stateKey === BOB)?.eventId;
      expect(Object.keys((await getEvent(env.db, inviteId!))?.pdu['signatures'] as object).sort()).toEqual([REMOTE, SERVER].sort());
      const sent = federation.requests.find((r) => r.path.startsWith(`/_matrix/federation/v1/invite/${enc(oldRoom)}/`));
      expect((sent?.body?.['unsigned'] as { invite_room_state: Array<{ type: string }> }).invite_room_state.map((e) => e.type)).toContain('m.room.join_rules');
      const newRoom = await env.createRoom(ALICE, { preset: 'private_chat' });
      const refused = await env.call(ALICE, 'POST', `/_matrix/client/v3/rooms/${enc(newRoom)}/invite`, { user_id: BOB });
      expect(refused).toMatchObject({ status: 400, body: { errcode: 'M_UNSUPPORTED_ROOM_VERSION' } });
    } finally {
      federation.inviteV1Only = false;
    }
  });

  it('lists the public rooms of another server', async () => {
    federation.publicRooms = [{ room_id: '!pub:remote.test', num_joined_members: 3, world_readable: true, guest_can_join: false, name: 'Town square' }];
    const listed = await env.call(ALICE, 'GET', `/_matrix/client/v3/publicRooms?server=${REMOTE}&limit=5`);
    expect(listed).toMatchObject({ status: 200, body: { chunk: [{ room_id: '!pub:remote.test', name: 'Town square' }] } });
    const searched = await env.call(ALICE, 'POST', `/_matrix/client/v3/publicRooms?server=${REMOTE}`, { filter: { generic_search_term: 'nothing like it' } });
    expect(searched).toMatchObject({ status: 200, body: { chunk: [] } });
    expect(federation.requests.filter((r) => r.path.startsWith('/_matrix/federation/v1/publicRooms')).map((r) => r.method)).toEqual(['GET', 'POST']);
    const bad = await env.call(ALICE, 'GET', `/_matrix/client/v3/publicRooms?server=${enc('not a server')}`);
    expect(bad).toMatchObject({ status: 400, body: { errcode: 'M_INVALID_PARAM' } });
  });

  it('an invite from another server: rejected through make_leave/send_leave, or accepted by joining through the inviter', async () => {
    const invitedTo = async () => {
      const room = remoteRoom();
      const invite = room.send({ type: 'm.room.member', stateKey: ALICE, sender: BOB, content: { membership: 'invite' } });
      const stored = await env.rooms.receiveInvite(room.roomId, { pdu: invite.pdu, origin: REMOTE, roomVersion: room.version.id });
      expect(stored).toMatchObject({ ok: true, outcome: 'accepted' });
      return room;
    };
    const rejected = await invitedTo();
    expect((await env.call(ALICE, 'POST', `/_matrix/client/v3/rooms/${enc(rejected.roomId)}/leave`, { reason: 'no thanks' })).status).toBe(200);
    const leave = rejected.events.get(rejected.stateId('m.room.member', ALICE)!)!;
    expect(leave.content).toMatchObject({ membership: 'leave', reason: 'no thanks' });
    expect(await getMembership(env.db, rejected.roomId, ALICE)).toMatchObject({ membership: 'leave', eventId: leave.eventId });

    // Accepted: no server given, the inviter's is asked.
    const accepted = await invitedTo();
    expect((await env.call(ALICE, 'POST', `/_matrix/client/v3/rooms/${enc(accepted.roomId)}/join`, {})).status).toBe(200);
    expect(await getMembership(env.db, accepted.roomId, ALICE)).toMatchObject({ membership: 'join' });

    // Nobody in the room answers: the invite is rejected here alone.
    const orphan = await invitedTo();
    federation.rooms.delete(orphan.roomId);
    expect((await env.call(ALICE, 'POST', `/_matrix/client/v3/rooms/${enc(orphan.roomId)}/leave`, {})).status).toBe(200);
    expect(await getMembership(env.db, orphan.roomId, ALICE)).toMatchObject({ membership: 'leave' });

    // The room's server refuses the leave: rejected here alone too (Synapse rejects locally on
    // any failure).
    const refusing = await invitedTo();
    federation.refuseLeaves.add(refusing.roomId);
    expect((await env.call(ALICE, 'POST', `/_matrix/client/v3/rooms/${enc(refusing.roomId)}/leave`, {})).status).toBe(200);
    expect(await getMembership(env.db, refusing.roomId, ALICE)).toMatchObject({ membership: 'leave' });
  });

  it('rejects locally a v1 invite of a version 1 room (no create event in its stripped state) in that version\'s event format', async () => {
    // A room its server no longer has (make_leave: 404).
    const roomId = `!old${Math.random().toString(36).slice(2)}:${REMOTE}`;
    const invite = buildEvent(
      { type: 'm.room.member', stateKey: ALICE, sender: BOB, roomId, content: { membership: 'invite' }, prevEvents: [], authEvents: [], depth: 3, originServerTs: 1, eventId: `$inv1:${REMOTE}` },
      { roomVersion: roomVersion('1'), serverName: REMOTE, signingKey: fakeRemoteSigningKey() },
    );
    expect(await env.rooms.receiveInvite(roomId, { pdu: invite.pdu, origin: REMOTE, roomVersion: '1' })).toMatchObject({ ok: true });
    expect((await env.call(ALICE, 'POST', `/_matrix/client/v3/rooms/${enc(roomId)}/leave`, {})).status).toBe(200);
    const membership = await getMembership(env.db, roomId, ALICE);
    expect(membership).toMatchObject({ membership: 'leave' });
    expect(membership?.eventId).toMatch(/^\$[^:]+:/);
  });

  it('an invite to a room of ours that everyone left is rejected with a leave in the room itself', async () => {
    const carol = `@carol:${SERVER}`;
    const roomId = await env.createRoom(carol, { preset: 'private_chat', invite: [ALICE] });
    expect((await env.call(carol, 'POST', `/_matrix/client/v3/rooms/${enc(roomId)}/leave`, {})).status).toBe(200);
    const asked = federation.requests.length;
    expect((await env.call(ALICE, 'POST', `/_matrix/client/v3/rooms/${enc(roomId)}/leave`, {})).status).toBe(200);
    expect(federation.requests.length).toBe(asked);
    const leave = await getMembership(env.db, roomId, ALICE);
    expect(leave).toMatchObject({ membership: 'leave' });
    // Part of the room's current state, not an out-of-band outlier beside it.
    expect(await getCurrentStateIds(env.db, roomId)).toContainEqual(expect.objectContaining({ eventId: leave!.eventId }));
  });
});
