// The room input's `joinRemoteRoom` on PGlite: a room held by a simulated remote server answers
// make_join / send_join; our join (signed with our key) and the answer's state and auth chain
// go through the checks and are stored (outliers + the join at the tip). Each case asserts the
// room's current state, forward extremities, members and timeline after.
import { ActorSystem } from '@homeserver/actors';
import { buildEvent, parsePdu, SigningKey, stateKeyOf, type JsonObject } from '@homeserver/matrix';
import { eventsStream, RoomClient } from '@homeserver/services';
import { getCurrentStateIds, getEvent, getMembership, getRoom, getRoomEvents, getRoomMembers, openDatabase, type Database, type EventStreamRow } from '@homeserver/storage';
import { StreamWriter } from '@homeserver/streams';
import { FakeRemoteRoom } from '@homeserver/testing';
import { InProcessTransport } from '@homeserver/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomActorDefinition } from './room-actor.ts';

const SERVER = 'example.org';
const ALICE = `@alice:${SERVER}`;
const localKey = SigningKey.fromSeed(new Uint8Array(32).fill(7), 'local');
const remoteKey = SigningKey.fromSeed(new Uint8Array(32).fill(42), 'remote');
const impostorKey = SigningKey.fromSeed(new Uint8Array(32).fill(43), 'remote');

let db: Database;
let transport: InProcessTransport;
let writer: StreamWriter<EventStreamRow>;
let actors: ActorSystem;
let client: RoomClient;
let ts = 1_800_000_000_000;

beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite' });
  transport = new InProcessTransport();
  writer = await StreamWriter.start(db, transport, eventsStream, { instanceName: 'main' });
  actors = new ActorSystem({ instance: 'main' });
  const lookupKey = new FakeRemoteRoom().lookupKey;
  actors.host(roomActorDefinition({ db, writer, serverName: SERVER, signingKey: localKey, lookupKey }));
  client = new RoomClient(actors, db);
});
afterAll(async () => {
  await actors.stop();
  await writer.close();
  await transport.close();
  await db.close();
});

async function join(room: FakeRemoteRoom, userId = ALICE, tamper?: (answer: ReturnType<FakeRemoteRoom['sendJoin']>) => void) {
  const event = room.joinFrom(userId, { serverName: SERVER, signingKey: localKey });
  const answer = room.sendJoin(event);
  tamper?.(answer);
  const reply = await client.joinRemoteRoom(room.roomId, { roomVersion: room.version.id, join: event.pdu, state: answer.state, authChain: answer.auth_chain, origin: room.serverName });
  return { event, reply };
}

async function extremities(roomId: string): Promise<string[]> {
  const { rows } = await db.query<{ event_id: string }>('SELECT event_id FROM event_forward_extremities WHERE room_id = $1 ORDER BY event_id', [roomId]);
  return rows.map((r) => r.event_id);
}

async function currentState(roomId: string): Promise<Map<string, string>> {
  return new Map((await getCurrentStateIds(db, roomId)).map((e) => [stateKeyOf(e.type, e.stateKey), e.eventId]));
}

async function timeline(roomId: string): Promise<string[]> {
  return (await getRoomEvents(db, roomId, { from: 0, direction: 'f', limit: 100 })).events.map((e) => e.eventId);
}

async function joinedMembers(roomId: string): Promise<string[]> {
  return (await getRoomMembers(db, roomId, { memberships: ['join'] })).map((m) => m.userId).sort();
}

describe('room input: joinRemoteRoom', () => {
  it('stores the state and auth chain as outliers and the join as the only tip', async () => {
    const room = new FakeRemoteRoom();
    const bob = `@bob:${room.serverName}`;
    room.send({ type: 'm.room.member', stateKey: bob, sender: bob, content: { membership: 'join', displayname: 'Bob' } });
    room.send({ type: 'm.room.topic', stateKey: '', sender: room.creator, content: { topic: 'far away' } });
    room.send({ type: 'm.room.message', sender: bob, content: { body: 'history we do not get' } });
    const { event, reply } = await join(room);
    expect(reply).toMatchObject({ ok: true, eventId: event.eventId, rejected: 0 });
    if (!reply.ok) return;
    expect(reply.position).toBeGreaterThan(0);
    expect(reply.stored).toBe(room.state.size - 1);
    expect((await getRoom(db, room.roomId))?.roomVersion).toBe('10');
    expect(await currentState(room.roomId)).toEqual(room.state);
    expect(await extremities(room.roomId)).toEqual([event.eventId]);
    expect(await timeline(room.roomId)).toEqual([event.eventId]);
    expect(await joinedMembers(room.roomId)).toEqual([ALICE, bob, room.creator].sort());
    const topic = await db.query<{ outlier: boolean; stream_ordering: string }>('SELECT outlier, stream_ordering FROM events WHERE event_id = $1', [room.stateId('m.room.topic', '')]);
    expect(topic.rows[0]).toMatchObject({ outlier: true });
    expect(Number(topic.rows[0]!.stream_ordering)).toBeLessThan(0);
    // The history message was never part of the answer.
    expect(await getEvent(db, room.timeline.find((e) => e.type === 'm.room.message')!.eventId)).toBeUndefined();

    // A local send builds on the join, with the remote state's power levels.
    const local = await client.sendEvent(room.roomId, { type: 'm.room.message', sender: ALICE, content: { body: 'hi' } });
    expect(local).toMatchObject({ ok: true });
    if (!local.ok) return;
    expect((await getEvent(db, local.eventId))?.pdu['prev_events']).toEqual([event.eventId]);
    // And a new remote event on top of it is accepted at the tip.
    room.add(parsePdu((await getEvent(db, local.eventId))!.pdu as JsonObject, room.version));
    const answer = room.send({ type: 'm.room.message', sender: bob, content: { body: 'welcome' } });
    expect(await client.ingest(room.roomId, { pdu: answer.pdu, origin: room.serverName, kind: 'new' })).toMatchObject({ ok: true, outcome: 'accepted' });
    expect(await extremities(room.roomId)).toEqual([answer.eventId]);
    // Committed with a push action for Alice, a member of the joined room's state.
    const pushed = await db.query<{ user_id: string }>('SELECT user_id FROM event_push_actions WHERE event_id = $1', [answer.eventId]);
    expect(pushed.rows.map((row) => row.user_id)).toEqual([ALICE]);
  });

  it('answers a repeated join with the stored one', async () => {
    const room = new FakeRemoteRoom();
    const event = room.joinFrom(ALICE, { serverName: SERVER, signingKey: localKey });
    const answer = room.sendJoin(event);
    const request = { roomVersion: '10', join: event.pdu, state: answer.state, authChain: answer.auth_chain, origin: room.serverName };
    const first = await client.joinRemoteRoom(room.roomId, request);
    const second = await client.joinRemoteRoom(room.roomId, request);
    expect(first).toMatchObject({ ok: true, eventId: event.eventId });
    expect(second).toMatchObject({ ok: true, eventId: event.eventId, stored: 0 });
    if (first.ok && second.ok) expect(second.position).toBe(first.position);
  });

  it('refuses a join the returned state does not allow, storing nothing', async () => {
    const room = new FakeRemoteRoom({ joinRule: 'invite' });
    const { reply } = await join(room);
    expect(reply).toMatchObject({ ok: false, kind: 'Forbidden' });
    expect(await getRoom(db, room.roomId)).toBeUndefined();
    expect(await getEvent(db, room.stateId('m.room.join_rules', '')!)).toBeUndefined();
  });

  it('leaves out state events with a bad signature and keeps those failing auth as rejected', async () => {
    const room = new FakeRemoteRoom();
    const mallory = `@mallory:${room.serverName}`;
    // Signed with a key that is not the remote server's: dropped, never stored.
    const forgedTopic = buildEvent(
      {
        type: 'm.room.topic',
        stateKey: '',
        sender: room.creator,
        content: { topic: 'forged' },
        roomId: room.roomId,
        prevEvents: room.extremities,
        authEvents: [room.stateId('m.room.create', '')!, room.stateId('m.room.power_levels', '')!, room.stateId('m.room.member', room.creator)!],
        depth: 50,
        originServerTs: ts++,
      },
      { roomVersion: room.version, serverName: room.serverName, signingKey: impostorKey },
    );
    // Properly signed, but Mallory never joined: fails its auth events.
    const intruder = buildEvent(
      {
        type: 'm.room.name',
        stateKey: '',
        sender: mallory,
        content: { name: 'taken over' },
        roomId: room.roomId,
        prevEvents: room.extremities,
        authEvents: [room.stateId('m.room.create', '')!, room.stateId('m.room.power_levels', '')!],
        depth: 51,
        originServerTs: ts++,
      },
      { roomVersion: room.version, serverName: room.serverName, signingKey: remoteKey },
    );
    const { reply } = await join(room, ALICE, (answer) => {
      answer.state.push(forgedTopic.pdu, intruder.pdu);
    });
    expect(reply).toMatchObject({ ok: true, rejected: 2 });
    expect(await getEvent(db, forgedTopic.eventId)).toBeUndefined();
    const stored = await db.query<{ rejected: string | null }>('SELECT rejected FROM events WHERE event_id = $1', [intruder.eventId]);
    expect(stored.rows[0]?.rejected).toBeTruthy();
    const state = await currentState(room.roomId);
    expect(state.has(stateKeyOf('m.room.topic', ''))).toBe(false);
    expect(state.has(stateKeyOf('m.room.name', ''))).toBe(false);
  });

  it('refuses an answer without the create event, and a join of another server\'s user', async () => {
    const room = new FakeRemoteRoom();
    const { reply } = await join(room, ALICE, (answer) => {
      const createId = room.stateId('m.room.create', '');
      answer.state = answer.state.filter((pdu) => pdu['type'] !== 'm.room.create');
      answer.auth_chain = answer.auth_chain.filter((pdu) => pdu['type'] !== 'm.room.create' && createId !== undefined);
    });
    expect(reply).toMatchObject({ ok: false, kind: 'BadEvent' });
    expect(await getRoom(db, room.roomId)).toBeUndefined();

    const other = new FakeRemoteRoom();
    const theirs = other.send({ type: 'm.room.member', stateKey: `@zed:${other.serverName}`, sender: `@zed:${other.serverName}`, content: { membership: 'join' } });
    const answer = other.sendJoin(theirs);
    expect(await client.joinRemoteRoom(other.roomId, { roomVersion: '10', join: theirs.pdu, state: answer.state, authChain: answer.auth_chain, origin: other.serverName })).toMatchObject({ ok: false, kind: 'BadEvent' });
  });

  it('rejoins a room it left: the new state replaces the old, the new join is the tip', async () => {
    const room = new FakeRemoteRoom();
    const first = await join(room);
    expect(first.reply.ok).toBe(true);
    const leave = await client.sendEvent(room.roomId, { type: 'm.room.member', stateKey: ALICE, sender: ALICE, content: { membership: 'leave' } });
    expect(leave.ok).toBe(true);
    if (!leave.ok) return;
    room.add(parsePdu((await getEvent(db, leave.eventId))!.pdu as JsonObject, room.version));
    // While we were away the room moved on.
    room.send({ type: 'm.room.topic', stateKey: '', sender: room.creator, content: { topic: 'while you were away' } });
    const second = await join(room);
    expect(second.reply).toMatchObject({ ok: true, eventId: second.event.eventId });
    expect(await extremities(room.roomId)).toEqual([second.event.eventId]);
    expect(await currentState(room.roomId)).toEqual(room.state);
    expect(await joinedMembers(room.roomId)).toEqual([ALICE, room.creator].sort());
  });

  it('joins a version 12 room, whose ID is its create event', async () => {
    const room = new FakeRemoteRoom({ roomVersion: '12' });
    const { event, reply } = await join(room);
    expect(reply, JSON.stringify(reply)).toMatchObject({ ok: true, eventId: event.eventId });
    expect(await currentState(room.roomId)).toEqual(room.state);
  });

  it('records our leave of a room not held here out of band: the membership changes, no state', async () => {
    const room = new FakeRemoteRoom();
    const template = room.makeLeave(ALICE).event;
    const leave = buildEvent(
      {
        type: 'm.room.member',
        stateKey: ALICE,
        sender: ALICE,
        content: { membership: 'leave' },
        roomId: room.roomId,
        prevEvents: template['prev_events'] as string[],
        authEvents: template['auth_events'] as string[],
        depth: template['depth'] as number,
        originServerTs: ts++,
      },
      { roomVersion: room.version, serverName: SERVER, signingKey: localKey },
    );
    const reply = await client.recordRemoteLeave(room.roomId, { pdu: leave.pdu, roomVersion: '10', origin: room.serverName });
    expect(reply).toMatchObject({ ok: true, outcome: 'accepted', eventId: leave.eventId });
    if (!reply.ok) return;
    expect(reply.position).toBeGreaterThan(0);
    expect(await getMembership(db, room.roomId, ALICE)).toMatchObject({ membership: 'leave', eventId: leave.eventId });
    expect(await getRoom(db, room.roomId)).toBeUndefined();
    expect(await client.recordRemoteLeave(room.roomId, { pdu: leave.pdu, roomVersion: '10', origin: room.serverName })).toMatchObject({ ok: true, outcome: 'duplicate' });
    // Only our own users' leaves, signed by us.
    const theirs = room.send({ type: 'm.room.member', stateKey: `@x:${room.serverName}`, sender: `@x:${room.serverName}`, content: { membership: 'leave' } });
    expect(await client.recordRemoteLeave(room.roomId, { pdu: theirs.pdu, roomVersion: '10', origin: room.serverName })).toMatchObject({ ok: false, kind: 'Forbidden' });
  });
});
