// make_join / send_join, make_leave / send_leave, make_knock and invite, driven by the simulated
// remote server with signed requests against the real room input.
import { buildEvent, finalizeEvent, roomVersion, type JsonObject } from '@homeserver/matrix';
import { currentMembership, getEvent, getMembership } from '@homeserver/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, openFedTestEnv, OTHER, REMOTE, remoteKey, ROB, SERVER, V, type FedTestEnv } from '../testing/fed-test-env.ts';

let env: FedTestEnv;
beforeAll(async () => {
  env = await openFedTestEnv();
});
afterAll(async () => {
  await env?.close();
});

const enc = encodeURIComponent;

/** The remote server signs a make_* template, as a joining server does. */
function signTemplate(template: JsonObject): JsonObject {
  return finalizeEvent(template, { roomVersion: V, serverName: REMOTE, signingKey: remoteKey }).pdu;
}

async function join(roomId: string, userId = ROB) {
  const before = await env.extremities(roomId);
  const made = await env.call('GET', `/_matrix/federation/v1/make_join/${enc(roomId)}/${enc(userId)}?ver=10&ver=11`);
  expect(made.status, JSON.stringify(made.body)).toBe(200);
  const pdu = signTemplate(made.body['event'] as JsonObject);
  const eventId = finalizeEvent(made.body['event'] as JsonObject, { roomVersion: V, serverName: REMOTE, signingKey: remoteKey }).eventId;
  return { before, made, pdu, eventId, sent: await env.call('PUT', `/_matrix/federation/v2/send_join/${enc(roomId)}/${enc(eventId)}`, pdu) };
}

describe('make_join and send_join', () => {
  it('offers a join template on the current state and persists the signed join, answering the state and auth chain before it', async () => {
    const roomId = await env.createRoom();
    const { before, made, sent, eventId } = await join(roomId);
    expect(made.body['room_version']).toBe('11');
    const template = made.body['event'] as JsonObject;
    expect(template).toMatchObject({ type: 'm.room.member', state_key: ROB, sender: ROB, room_id: roomId, content: { membership: 'join' } });
    expect(template['prev_events']).toEqual(before);
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const state = sent.body['state'] as JsonObject[];
    expect(state.map((e) => e['type']).sort()).toEqual(['m.room.create', 'm.room.history_visibility', 'm.room.join_rules', 'm.room.member', 'm.room.power_levels']);
    expect((sent.body['auth_chain'] as JsonObject[]).some((e) => e['type'] === 'm.room.create')).toBe(true);
    expect(sent.body['origin']).toBe(SERVER);
    expect(await currentMembership(env.db, roomId, ROB)).toBe('join');
    expect(await env.extremities(roomId)).toEqual([eventId]);
  });

  it('omits member events when asked and lists the servers in the room', async () => {
    const roomId = await env.createRoom();
    const made = await env.call('GET', `/_matrix/federation/v1/make_join/${enc(roomId)}/${enc(ROB)}?ver=11`);
    const event = finalizeEvent(made.body['event'] as JsonObject, { roomVersion: V, serverName: REMOTE, signingKey: remoteKey });
    const sent = await env.call('PUT', `/_matrix/federation/v2/send_join/${enc(roomId)}/${enc(event.eventId)}?omit_members=true`, event.pdu);
    expect(sent.status).toBe(200);
    expect(sent.body['members_omitted']).toBe(true);
    expect((sent.body['state'] as JsonObject[]).some((e) => e['type'] === 'm.room.member')).toBe(false);
    expect(sent.body['servers_in_room']).toEqual([SERVER, REMOTE].filter((s) => s === SERVER || s === REMOTE).sort());
  });

  it('refuses a template for a user of another server, an unsupported version, and an invite-only room', async () => {
    const roomId = await env.createRoom();
    expect((await env.call('GET', `/_matrix/federation/v1/make_join/${enc(roomId)}/${enc(`@x:${OTHER}`)}?ver=11`)).status).toBe(403);
    const old = await env.call('GET', `/_matrix/federation/v1/make_join/${enc(roomId)}/${enc(ROB)}?ver=9`);
    expect(old.status).toBe(400);
    expect(old.body).toMatchObject({ errcode: 'M_INCOMPATIBLE_ROOM_VERSION', room_version: '11' });
    const closed = await env.createRoom({ joinRule: 'invite' });
    const refused = await env.call('GET', `/_matrix/federation/v1/make_join/${enc(closed)}/${enc(ROB)}?ver=11`);
    expect(refused.status).toBe(403);
    expect(refused.body['errcode']).toBe('M_FORBIDDEN');
    expect((await env.call('GET', `/_matrix/federation/v1/make_join/${enc(`!nope:${SERVER}`)}/${enc(ROB)}?ver=11`)).status).toBe(404);
  });

  it('answers 404 M_NOT_FOUND to make_join once every user of ours has left the room (Synapse)', async () => {
    const roomId = await env.createRoom();
    expect((await env.call('GET', `/_matrix/federation/v1/make_join/${enc(roomId)}/${enc(ROB)}?ver=11`)).status).toBe(200);
    const left = await env.rooms.sendEvent(roomId, { type: 'm.room.member', stateKey: ALICE, sender: ALICE, content: { membership: 'leave' } });
    expect(left.ok).toBe(true);
    const answer = await env.call('GET', `/_matrix/federation/v1/make_join/${enc(roomId)}/${enc(ROB)}?ver=11`);
    expect([answer.status, answer.body['errcode']]).toEqual([404, 'M_NOT_FOUND']);
  });

  it('refuses a send_join whose event does not match the path or is not a join of the sender', async () => {
    const roomId = await env.createRoom();
    const made = await env.call('GET', `/_matrix/federation/v1/make_join/${enc(roomId)}/${enc(ROB)}?ver=11`);
    const event = finalizeEvent(made.body['event'] as JsonObject, { roomVersion: V, serverName: REMOTE, signingKey: remoteKey });
    const wrongPath = await env.call('PUT', `/_matrix/federation/v2/send_join/${enc(roomId)}/${enc('$other')}`, event.pdu);
    expect(wrongPath.status).toBe(400);
    const leave = finalizeEvent({ ...(made.body['event'] as JsonObject), content: { membership: 'leave' } }, { roomVersion: V, serverName: REMOTE, signingKey: remoteKey });
    expect((await env.call('PUT', `/_matrix/federation/v2/send_join/${enc(roomId)}/${enc(leave.eventId)}`, leave.pdu)).status).toBe(400);
    expect(await getEvent(env.db, leave.eventId)).toBeUndefined();
  });

  it('answers 403 M_FORBIDDEN to a join its server did not sign: the bare template, or a forged signature (Synapse)', async () => {
    const roomId = await env.createRoom();
    const made = await env.call('GET', `/_matrix/federation/v1/make_join/${enc(roomId)}/${enc(ROB)}?ver=11`);
    const template = made.body['event'] as JsonObject;
    const eventId = finalizeEvent(template, { roomVersion: V, serverName: REMOTE, signingKey: remoteKey }).eventId;
    const bare = await env.call('PUT', `/_matrix/federation/v1/send_join/${enc(roomId)}/${enc(eventId)}`, template);
    expect([bare.status, bare.body['errcode']]).toEqual([403, 'M_FORBIDDEN']);
    const forged = await env.call('PUT', `/_matrix/federation/v1/send_join/${enc(roomId)}/${enc(eventId)}`, { ...template, signatures: { [REMOTE]: { [remoteKey.keyId]: 'a'.repeat(86) } } });
    expect([forged.status, forged.body['errcode']]).toEqual([403, 'M_FORBIDDEN']);
    expect(await getEvent(env.db, eventId)).toBeUndefined();
  });
});

describe('deprecated v1 send_join and send_leave', () => {
  it('persist the membership and answer [200, body]', async () => {
    const roomId = await env.createRoom();
    const made = await env.call('GET', `/_matrix/federation/v1/make_join/${enc(roomId)}/${enc(ROB)}?ver=11`);
    const event = finalizeEvent(made.body['event'] as JsonObject, { roomVersion: V, serverName: REMOTE, signingKey: remoteKey });
    const sent = await env.call('PUT', `/_matrix/federation/v1/send_join/${enc(roomId)}/${enc(event.eventId)}`, event.pdu);
    expect(sent.status).toBe(200);
    const [status, body] = sent.body as unknown as [number, JsonObject];
    expect(status).toBe(200);
    expect((body['state'] as JsonObject[]).some((e) => e['type'] === 'm.room.create')).toBe(true);
    expect(await currentMembership(env.db, roomId, ROB)).toBe('join');
    const leaveTemplate = await env.call('GET', `/_matrix/federation/v1/make_leave/${enc(roomId)}/${enc(ROB)}`);
    const leave = finalizeEvent(leaveTemplate.body['event'] as JsonObject, { roomVersion: V, serverName: REMOTE, signingKey: remoteKey });
    const left = await env.call('PUT', `/_matrix/federation/v1/send_leave/${enc(roomId)}/${enc(leave.eventId)}`, leave.pdu);
    expect(left.body).toEqual([200, {}]);
    expect(await currentMembership(env.db, roomId, ROB)).toBe('leave');
  });
});

describe('make_leave and send_leave', () => {
  it('lets a joined remote user leave', async () => {
    const roomId = await env.createRoom();
    expect((await join(roomId)).sent.status).toBe(200);
    const made = await env.call('GET', `/_matrix/federation/v1/make_leave/${enc(roomId)}/${enc(ROB)}`);
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const event = finalizeEvent(made.body['event'] as JsonObject, { roomVersion: V, serverName: REMOTE, signingKey: remoteKey });
    const sent = await env.call('PUT', `/_matrix/federation/v2/send_leave/${enc(roomId)}/${enc(event.eventId)}`, event.pdu);
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body).toEqual({});
    expect(await currentMembership(env.db, roomId, ROB)).toBe('leave');
  });
});

describe('make_knock', () => {
  it('offers a knock template only in a knock room to a server supporting its version', async () => {
    const knockRoom = await env.createRoom({ joinRule: 'knock' });
    const made = await env.call('GET', `/_matrix/federation/v1/make_knock/${enc(knockRoom)}/${enc(ROB)}?ver=11`);
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const event = finalizeEvent(made.body['event'] as JsonObject, { roomVersion: V, serverName: REMOTE, signingKey: remoteKey });
    const sent = await env.call('PUT', `/_matrix/federation/v1/send_knock/${enc(knockRoom)}/${enc(event.eventId)}`, event.pdu);
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect((sent.body['knock_room_state'] as JsonObject[]).some((e) => e['type'] === 'm.room.join_rules')).toBe(true);
    expect(await currentMembership(env.db, knockRoom, ROB)).toBe('knock');
    expect((await env.call('GET', `/_matrix/federation/v1/make_knock/${enc(knockRoom)}/${enc(ROB)}`)).status).toBe(400);
    const publicRoom = await env.createRoom();
    expect((await env.call('GET', `/_matrix/federation/v1/make_knock/${enc(publicRoom)}/${enc(ROB)}?ver=11`)).status).toBe(403);
  });
});

describe('invite', () => {
  const roomOfRemote = () => `!inv${Math.random().toString(36).slice(2)}:${REMOTE}`;
  function invite(roomId: string, invitee: string, sender = ROB) {
    return finalizeEvent(
      { type: 'm.room.member', state_key: invitee, sender, room_id: roomId, content: { membership: 'invite' }, prev_events: [`$${'p'.repeat(43)}`], auth_events: [`$${'c'.repeat(43)}`], depth: 5, origin_server_ts: 1 },
      { roomVersion: V, serverName: REMOTE, signingKey: remoteKey },
    );
  }

  it('signs an invite of a local user to a room not held here and stores it for the invitee', async () => {
    const roomId = roomOfRemote();
    const event = invite(roomId, ALICE);
    const strippedState = [{ type: 'm.room.name', state_key: '', sender: ROB, content: { name: 'remote room' } }];
    const answer = await env.call('PUT', `/_matrix/federation/v2/invite/${enc(roomId)}/${enc(event.eventId)}`, { room_version: '11', event: event.pdu, invite_room_state: strippedState });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const signed = answer.body['event'] as JsonObject;
    expect(Object.keys(signed['signatures'] as JsonObject).sort()).toEqual([REMOTE, SERVER].sort());
    // Where /sync reads memberships from (the room has no state here).
    expect((await getMembership(env.db, roomId, ALICE))?.membership).toBe('invite');
    const stored = await getEvent(env.db, event.eventId);
    expect((stored?.pdu['unsigned'] as JsonObject)['invite_room_state']).toEqual(strippedState);
    expect(stored!.streamOrdering).toBeGreaterThan(0);
  });

  it('takes the deprecated v1 invite (the event as the body, a version 1 room) and answers [200, {event}] countersigned', async () => {
    const roomId = roomOfRemote();
    const strippedState = [{ type: 'm.room.name', state_key: '', sender: ROB, content: { name: 'old room' } }];
    const event = buildEvent(
      { type: 'm.room.member', stateKey: ALICE, sender: ROB, roomId, content: { membership: 'invite' }, prevEvents: [`$p1:${REMOTE}`], authEvents: [`$c1:${REMOTE}`], depth: 5, originServerTs: 1, eventId: `$inv${Math.random().toString(36).slice(2)}:${REMOTE}`, unsigned: { invite_room_state: strippedState } },
      { roomVersion: roomVersion('1'), serverName: REMOTE, signingKey: remoteKey },
    );
    const answer = await env.call('PUT', `/_matrix/federation/v1/invite/${enc(roomId)}/${enc(event.eventId)}`, event.pdu);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const [status, body] = answer.body as unknown as [number, { event: JsonObject }];
    expect(status).toBe(200);
    expect(Object.keys(body.event['signatures'] as JsonObject).sort()).toEqual([REMOTE, SERVER].sort());
    expect((await getMembership(env.db, roomId, ALICE))?.membership).toBe('invite');
    expect(((await getEvent(env.db, event.eventId))?.pdu['unsigned'] as JsonObject)['invite_room_state']).toEqual(strippedState);
  });

  it('refuses an invite its sender\'s server did not sign with 403 M_FORBIDDEN (Synapse)', async () => {
    const roomId = roomOfRemote();
    const event = invite(roomId, ALICE);
    const answer = await env.call('PUT', `/_matrix/federation/v2/invite/${enc(roomId)}/${enc(event.eventId)}`, { room_version: '11', event: { ...event.pdu, signatures: {} } });
    expect([answer.status, answer.body['errcode']]).toEqual([403, 'M_FORBIDDEN']);
    expect(await getEvent(env.db, event.eventId)).toBeUndefined();
  });

  it('refuses invites that are not for a local user, not from a user of the origin, or of an unknown version', async () => {
    const roomId = roomOfRemote();
    const remoteInvitee = invite(roomId, `@x:${OTHER}`);
    const a = await env.call('PUT', `/_matrix/federation/v2/invite/${enc(roomId)}/${enc(remoteInvitee.eventId)}`, { room_version: '11', event: remoteInvitee.pdu });
    expect([a.status, a.body['errcode']]).toEqual([400, 'M_INVALID_PARAM']);
    const spoofed = invite(roomId, ALICE, `@mallory:${OTHER}`);
    const b = await env.call('PUT', `/_matrix/federation/v2/invite/${enc(roomId)}/${enc(spoofed.eventId)}`, { room_version: '11', event: spoofed.pdu });
    expect([b.status, b.body['errcode']]).toEqual([400, 'M_INVALID_PARAM']);
    const c = await env.call('PUT', `/_matrix/federation/v2/invite/${enc(roomId)}/${enc(spoofed.eventId)}`, { room_version: 'nope', event: spoofed.pdu });
    expect([c.status, c.body['errcode']]).toEqual([400, 'M_INCOMPATIBLE_ROOM_VERSION']);
    expect(await getEvent(env.db, remoteInvitee.eventId)).toBeUndefined();
    expect(await getEvent(env.db, spoofed.eventId)).toBeUndefined();
  });
});
