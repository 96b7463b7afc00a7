// The room persister actor on PGlite with an in-process transport: room creation in v10/v11/v12,
// auth rejection as a domain failure, txnId idempotency, group commit under concurrent sends,
// push actions committed with the events, and reloading the view after the actor is re-created.
import { ActorSystem } from '@homeserver/actors';
import { buildEvent, roomVersion, SigningKey, type JsonObject } from '@homeserver/matrix';
import { eventsStream, RoomClient } from '@homeserver/services';
import { StreamAdvance } from '@homeserver/protocol';
import { fetchEventStreamRows, getCurrentStateIds, getEvent, getRoomEvents, openDatabase, type Database, type EventStreamRow, type EventStreamView } from '@homeserver/storage';
import { StreamWriter, viewSubject } from '@homeserver/streams';
import { InProcessTransport } from '@homeserver/transport';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { roomActorDefinition } from './room-actor.ts';

const SERVER = 'example.org';
const ALICE = '@alice:example.org';
const BOB = '@bob:example.org';
const key = SigningKey.fromSeed(new Uint8Array(32).fill(7), 'test');
let db: Database;
let transport: InProcessTransport;
let writer: StreamWriter<EventStreamRow>;
let actors: ActorSystem;
let client: RoomClient;
const batches: number[] = [];

function createEvent(version: string, roomId: string | undefined) {
  const v = roomVersion(version);
  const content: JsonObject = { room_version: version };
  if (!v.roomIdIsCreateEventHash) content['creator'] = ALICE;
  return buildEvent(
    { type: 'm.room.create', stateKey: '', sender: ALICE, content, roomId, prevEvents: [], authEvents: [], depth: 1, originServerTs: Date.now() },
    { roomVersion: v, serverName: SERVER, signingKey: key },
  );
}

async function createRoom(version: string): Promise<string> {
  const v = roomVersion(version);
  // In v12 the create event has no room_id: the room ID is derived from it.
  const create = createEvent(version, v.roomIdIsCreateEventHash ? undefined : `!r${Math.random().toString(36).slice(2)}:${SERVER}`);
  const roomId = create.roomId;
  const result = await client.createRoom(roomId, {
    createPdu: create.pdu,
    roomVersion: version,
    creator: ALICE,
    isPublic: false,
    events: [
      { type: 'm.room.member', stateKey: ALICE, sender: ALICE, content: { membership: 'join' } },
      { type: 'm.room.power_levels', stateKey: '', sender: ALICE, content: { users: v.roomIdIsCreateEventHash ? {} : { [ALICE]: 100 }, users_default: 0, events_default: 0, state_default: 50 } },
      { type: 'm.room.join_rules', stateKey: '', sender: ALICE, content: { join_rule: 'invite' } },
    ],
  });
  expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
  return roomId;
}

beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite' });
  transport = new InProcessTransport();
  writer = await StreamWriter.start(db, transport, eventsStream, { instanceName: 'main' });
  actors = new ActorSystem({ instance: 'main' });
  actors.host(roomActorDefinition({ db, writer, serverName: SERVER, signingKey: key, onBatchCommitted: (_room, n) => batches.push(n) }));
  client = new RoomClient(actors, db);
});
afterAll(async () => {
  await actors.stop();
  await writer.close();
  await transport.close();
  await db.close();
});

describe('room persister actor', () => {
  it.each(['10', '11', '12'])('creates a room of version %s with its initial state in one batch', async (version) => {
    batches.length = 0;
    const roomId = await createRoom(version);
    expect(batches).toEqual([4]);
    const state = await getCurrentStateIds(db, roomId);
    expect(state.map((e) => e.type).sort()).toEqual(['m.room.create', 'm.room.join_rules', 'm.room.member', 'm.room.power_levels']);
    const sent = await client.sendEvent(roomId, { type: 'm.room.message', sender: ALICE, content: { msgtype: 'm.text', body: 'hi' } });
    expect(sent.ok).toBe(true);
    if (!sent.ok) return;
    const stored = await getEvent(db, sent.eventId);
    expect(stored?.streamOrdering).toBe(sent.position);
    expect(stored?.depth).toBe(5);
    expect((stored?.pdu['prev_events'] as unknown[]).length).toBe(1);
  });

  it("tags each event with the events stream's views, announced on their subjects as their catch-up reads them", async () => {
    const roomId = await createRoom('11');
    const from = writer.position;
    const views: EventStreamView[] = ['federation', 'push', 'leaves'];
    const announced = new Map<EventStreamView, string[]>(views.map((view) => [view, []]));
    const subscriptions = await Promise.all(
      views.map((view) =>
        transport.subscribe(viewSubject('events', view), (message) => {
          for (const row of StreamAdvance.decode(message.payload).rows) announced.get(view)!.push((JSON.parse(new TextDecoder().decode(row.data)) as EventStreamRow).eventId);
        }),
      ),
    );
    const send = async (template: Parameters<RoomClient['sendEvent']>[1]) => {
      const sent = await client.sendEvent(roomId, template);
      if (!sent.ok) throw new Error(JSON.stringify(sent));
      return sent.eventId;
    };
    await send({ type: 'm.room.member', stateKey: BOB, sender: ALICE, content: { membership: 'invite' } });
    await send({ type: 'm.room.member', stateKey: BOB, sender: BOB, content: { membership: 'join' } });
    // Only users of this server in the room: nobody else is owed it; Bob has no pusher.
    await send({ type: 'm.room.message', sender: ALICE, content: { msgtype: 'm.text', body: 'local only' } });
    // An invite of another server's user concerns that server.
    const remoteInvite = await send({ type: 'm.room.member', stateKey: '@carol:other.example', sender: ALICE, content: { membership: 'invite' } });
    const leave = await send({ type: 'm.room.member', stateKey: BOB, sender: BOB, content: { membership: 'leave' } });
    const expected = new Map<EventStreamView, string[]>([['federation', [remoteInvite]], ['push', []], ['leaves', [leave]]]);
    await vi.waitFor(() => expect(announced).toEqual(expected));
    for (const view of views) {
      const fetched = await fetchEventStreamRows(db, { writer: 'main', from, to: writer.position, limit: 100 }, view);
      expect(fetched.map((row) => row.data.eventId), view).toEqual(expected.get(view));
    }
    for (const subscription of subscriptions) await subscription.unsubscribe();
  });

  it('rejects unauthorised events as a typed failure (Forbidden) and keeps the room usable', async () => {
    const roomId = await createRoom('11');
    const denied = await client.sendEvent(roomId, { type: 'm.room.message', sender: BOB, content: { body: 'x' } });
    expect(denied).toMatchObject({ ok: false, kind: 'Forbidden' });
    const joinUninvited = await client.sendEvent(roomId, { type: 'm.room.member', stateKey: BOB, sender: BOB, content: { membership: 'join' } });
    expect(joinUninvited).toMatchObject({ ok: false, kind: 'Forbidden' });
    const invite = await client.sendEvent(roomId, { type: 'm.room.member', stateKey: BOB, sender: ALICE, content: { membership: 'invite' } });
    expect(invite.ok).toBe(true);
    const join = await client.sendEvent(roomId, { type: 'm.room.member', stateKey: BOB, sender: BOB, content: { membership: 'join' } });
    expect(join.ok).toBe(true);
    const bobPl = await client.sendEvent(roomId, { type: 'm.room.power_levels', stateKey: '', sender: BOB, content: { users: { [BOB]: 100 } } });
    expect(bobPl).toMatchObject({ ok: false, kind: 'Forbidden' });
    const unknown = await client.sendEvent('!nope:example.org', { type: 'm.room.message', sender: ALICE, content: {} });
    expect(unknown).toMatchObject({ ok: false, kind: 'NotFound' });
  });

  it('is idempotent per (sender, device, txnId)', async () => {
    const roomId = await createRoom('12');
    const template = { type: 'm.room.message', sender: ALICE, deviceId: 'DEV1', txnId: 'txn-1', content: { body: 'once' } };
    const [a, b] = await Promise.all([client.sendEvent(roomId, template), client.sendEvent(roomId, template)]);
    const c = await client.sendEvent(roomId, template);
    const otherDevice = await client.sendEvent(roomId, { ...template, deviceId: 'DEV2' });
    expect(a.ok && b.ok && c.ok && otherDevice.ok).toBe(true);
    if (!a.ok || !b.ok || !c.ok || !otherDevice.ok) return;
    expect(b.eventId).toBe(a.eventId);
    expect(c.eventId).toBe(a.eventId);
    expect(c.position).toBe(a.position);
    expect(otherDevice.eventId).not.toBe(a.eventId);
    const page = await getRoomEvents(db, roomId, { from: Number.MAX_SAFE_INTEGER, limit: 50, filter: { types: ['m.room.message'] } });
    expect(page.events).toHaveLength(2);

    // A new owner remembers the transaction IDs recorded shortly before it took the room: a
    // sender that found none stored when it looked (before the previous owner committed) gets
    // the stored event, not a second one.
    const next = new ActorSystem({ instance: 'main' });
    next.host(roomActorDefinition({ db, writer, serverName: SERVER, signingKey: key }));
    const late = await next.ask({ kind: 'room', key: roomId }, 'createLocalEvents', { templates: [template], requester: { userId: ALICE, deviceId: 'DEV1' }, txnsLookedUp: true });
    expect(late.value).toMatchObject({ ok: true, events: [{ eventId: a.eventId, position: a.position }] });
    expect((await getRoomEvents(db, roomId, { from: Number.MAX_SAFE_INTEGER, limit: 50, filter: { types: ['m.room.message'] } })).events).toHaveLength(2);
    await next.stop();
  });

  it('group-commits concurrent sends: all persisted, in order, in fewer transactions than events', async () => {
    const roomId = await createRoom('12');
    batches.length = 0;
    const count = 40;
    const results = await Promise.all(
      Array.from({ length: count }, (_, i) => client.sendEvent(roomId, { type: 'm.room.message', sender: ALICE, content: { body: `m${i}` } })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(count);
    expect(batches.length).toBeLessThan(count / 2);
    const page = await getRoomEvents(db, roomId, { from: 0, direction: 'f', limit: 100, filter: { types: ['m.room.message'] } });
    expect(page.events.map((e) => (e.pdu['content'] as JsonObject)['body'])).toEqual(Array.from({ length: count }, (_, i) => `m${i}`));
    // Stream order agrees with the DAG: each event's depth is one more than the previous one's.
    const depths = page.events.map((e) => e.depth);
    expect(depths).toEqual(depths.map((_, i) => depths[0]! + i));
  });

  it('group-commits concurrent sends to several rooms together: one transaction holds events of several rooms, each room in order', async () => {
    const rooms = await Promise.all(['10', '11', '12', '11', '10'].map((version) => createRoom(version)));
    const perRoom = 10;
    const results = await Promise.all(
      rooms.flatMap((roomId, r) => Array.from({ length: perRoom }, (_, i) => client.sendEvent(roomId, { type: 'm.room.message', sender: ALICE, content: { body: `r${r} m${i}` } }))),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const ids = results.flatMap((r) => (r.ok ? [r.eventId] : []));
    // xmin: the transaction that inserted the row.
    const { rows } = await db.query<{ rooms: number }>('SELECT count(DISTINCT room_id)::int AS rooms FROM events WHERE event_id = ANY($1::text[]) GROUP BY xmin::text', [ids]);
    expect(rows.reduce((sum, row) => sum + row.rooms, 0)).toBeGreaterThan(rows.length);
    for (const [r, roomId] of rooms.entries()) {
      const page = await getRoomEvents(db, roomId, { from: 0, direction: 'f', limit: 100, filter: { types: ['m.room.message'] } });
      expect(page.events.map((e) => (e.pdu['content'] as JsonObject)['body'])).toEqual(Array.from({ length: perRoom }, (_, i) => `r${r} m${i}`));
      const { rows: tips } = await db.query<{ event_id: string }>('SELECT event_id FROM event_forward_extremities WHERE room_id = $1', [roomId]);
      expect(tips.map((t) => t.event_id)).toEqual([page.events.at(-1)!.eventId]);
    }
  });

  it('commits each event\'s push actions with it, for the members its view held (reloaded ones too)', async () => {
    const roomId = await createRoom('11');
    const send = async (via: RoomClient, sender: string, content: JsonObject, stateKey?: string) => {
      const result = await via.sendEvent(roomId, { type: stateKey === undefined ? 'm.room.message' : 'm.room.member', stateKey, sender, content });
      expect(result.ok, JSON.stringify(result)).toBe(true);
      return result.ok ? result.eventId : '';
    };
    /** [user, highlight, rings] per row stored for the event, read as soon as its send was answered. */
    const pushed = async (eventId: string) =>
      (await db.query<{ user_id: string; highlight: boolean; actions: unknown[] }>('SELECT user_id, highlight, actions FROM event_push_actions WHERE event_id = $1 ORDER BY user_id', [eventId])).rows.map(
        (row) => [row.user_id, row.highlight, JSON.stringify(row.actions).includes('"sound"')],
      );
    expect(await pushed(await send(client, ALICE, { msgtype: 'm.text', body: 'anyone?' }))).toEqual([]);
    // Not a member yet, Bob is pushed his own invite (the invite rule rings), as Synapse's bulk evaluator does.
    expect(await pushed(await send(client, ALICE, { membership: 'invite' }, BOB))).toEqual([[BOB, false, true]]);
    await send(client, BOB, { membership: 'join' }, BOB);
    // Two members: the one-to-one rule rings; the mention highlights.
    expect(await pushed(await send(client, ALICE, { msgtype: 'm.text', body: 'hello Bob', 'm.mentions': { user_ids: [BOB] } }))).toEqual([[BOB, true, true]]);
    expect(await pushed(await send(client, BOB, { msgtype: 'm.text', body: 'hi' }))).toEqual([[ALICE, false, true]]);
    // A restarted persister loads the members from the database; a member who left is not pushed to.
    const restarted = new ActorSystem({ instance: 'main' });
    restarted.host(roomActorDefinition({ db, writer, serverName: SERVER, signingKey: key }));
    const again = new RoomClient(restarted, db);
    expect(await pushed(await send(again, ALICE, { msgtype: 'm.text', body: 'still there?' }))).toEqual([[BOB, false, true]]);
    await send(again, BOB, { membership: 'leave' }, BOB);
    expect(await pushed(await send(again, ALICE, { msgtype: 'm.text', body: 'bye' }))).toEqual([]);
    await restarted.stop();
  });

  it('reloads its view from the database when re-created', async () => {
    const roomId = await createRoom('11');
    const before = await client.sendEvent(roomId, { type: 'm.room.topic', stateKey: '', sender: ALICE, content: { topic: 't1' } });
    expect(before.ok).toBe(true);
    // A fresh actor system over the same database stands for a restarted persister.
    const other = new ActorSystem({ instance: 'main' });
    other.host(roomActorDefinition({ db, writer, serverName: SERVER, signingKey: key }));
    const otherClient = new RoomClient(other, db);
    const after = await otherClient.sendEvent(roomId, { type: 'm.room.message', sender: ALICE, content: { body: 'after restart' } });
    expect(after.ok).toBe(true);
    if (!before.ok || !after.ok) return;
    const stored = await getEvent(db, after.eventId);
    expect(stored?.pdu['prev_events']).toEqual([before.eventId]);
    await other.stop();
  });

  it('propagates profile changes into joined rooms and leaves every room on request', async () => {
    const joined = await createRoom('12');
    const invited = await createRoom('11');
    await client.sendEvent(joined, { type: 'm.room.member', stateKey: BOB, sender: ALICE, content: { membership: 'invite' } });
    await client.sendEvent(joined, { type: 'm.room.member', stateKey: BOB, sender: BOB, content: { membership: 'join', displayname: 'Bob' } });
    await client.sendEvent(invited, { type: 'm.room.member', stateKey: BOB, sender: ALICE, content: { membership: 'invite' } });
    const changed = await client.onProfileChanged(BOB, { displayname: 'Robert', avatar_url: 'mxc://x/y' });
    // Bob also joined a room in an earlier test; invites are not touched.
    expect(changed.failed).toEqual([]);
    expect(changed.updated).toContain(joined);
    expect(changed.updated).not.toContain(invited);
    const member = await getCurrentStateIds(db, joined, { pairs: [['m.room.member', BOB]] });
    const event = await getEvent(db, member[0]!.eventId);
    expect(event?.pdu['content']).toEqual({ membership: 'join', displayname: 'Robert', avatar_url: 'mxc://x/y' });
    const left = await client.leaveAllRooms(BOB);
    expect(left.failed).toEqual([]);
    expect(left.left).toEqual(expect.arrayContaining([joined, invited]));
    const after = await getCurrentStateIds(db, invited, { pairs: [['m.room.member', BOB]] });
    expect((await getEvent(db, after[0]!.eventId))?.pdu['content']).toEqual({ membership: 'leave' });
  });

  it('crashes when its transaction fails; the one retry lands on a view reloaded from the database', async () => {
    const roomId = await createRoom('12');
    let failNext = true;
    // A writer whose next transaction fails, standing in for a database error mid-commit.
    const flaky = new Proxy(writer, {
      get(target, property, receiver) {
        if (property === 'write') {
          return (work: Parameters<StreamWriter<EventStreamRow>['write']>[0]) => {
            if (failNext) {
              failNext = false;
              return Promise.reject(new Error('simulated commit failure'));
            }
            return target.write(work);
          };
        }
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const system = new ActorSystem({ instance: 'main' });
    system.host(roomActorDefinition({ db, writer: flaky, serverName: SERVER, signingKey: key }));
    const flakyClient = new RoomClient(system, db);
    // The failed commit crashes the call; the client asks once more, the system re-creates the
    // actor from the database, and the event is built again on the persisted DAG.
    const retried = await flakyClient.sendEvent(roomId, { type: 'm.room.message', sender: ALICE, content: { body: 'retried' } });
    expect(retried.ok).toBe(true);
    expect(failNext).toBe(false);
    const recovered = await flakyClient.sendEvent(roomId, { type: 'm.room.message', sender: ALICE, content: { body: 'kept' } });
    expect(recovered.ok).toBe(true);
    const page = await getRoomEvents(db, roomId, { from: Number.MAX_SAFE_INTEGER, limit: 10, filter: { types: ['m.room.message'] } });
    expect(page.events.map((e) => (e.pdu['content'] as JsonObject)['body'])).toEqual(['kept', 'retried']);
    for (const event of page.events) {
      for (const prev of event.pdu['prev_events'] as string[]) expect((await getEvent(db, prev))?.roomId).toBe(roomId);
    }
    await system.stop();
  });
});
