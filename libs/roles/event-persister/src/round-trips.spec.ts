// One client send is ONE actor round trip (issue 8): the room actor accepts the template,
// queues it for the group commit and answers when the transaction commits, with the `events`
// position. Counted both in process (asks) and across processes (transport requests, with the
// edge and the persister as separate actor systems over one hub).
import { ActorSystem } from '@homeserver/actors';
import { buildEvent, roomVersion, SigningKey } from '@homeserver/matrix';
import { eventsStream, RoomClient } from '@homeserver/services';
import { getEvent, openDatabase, type Database, type EventStreamRow } from '@homeserver/storage';
import { StreamWriter } from '@homeserver/streams';
import { InProcessHub, InProcessTransport } from '@homeserver/transport';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { roomActorDefinition } from './room-actor.ts';

const SERVER = 'example.org';
const ALICE = '@alice:example.org';
const key = SigningKey.fromSeed(new Uint8Array(32).fill(3), 'rt');
const hub = new InProcessHub();
let db: Database;
let edgeTransport: InProcessTransport;
let persisterTransport: InProcessTransport;
let writer: StreamWriter<EventStreamRow>;
let persister: ActorSystem;
let edge: ActorSystem;

/** The statements of the group commits since the last clear (not BEGIN and COMMIT). */
const committed: string[] = [];

beforeAll(async () => {
  const base = await openDatabase({ kind: 'pglite' });
  // The database, its transactions' statements counted.
  db = new Proxy(base, {
    get(target, property) {
      if (property === 'transaction') {
        return (work: Parameters<Database['transaction']>[0], options: Parameters<Database['transaction']>[1]) =>
          target.transaction((tx) => work({ query: (sql, params) => (committed.push(sql), tx.query(sql, params)) }), options);
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  edgeTransport = new InProcessTransport({ hub });
  persisterTransport = new InProcessTransport({ hub });
  writer = await StreamWriter.start(db, persisterTransport, eventsStream, { instanceName: 'persister1' });
  const placement = { instanceFor: () => 'persister1' };
  persister = new ActorSystem({ instance: 'persister1', placement, transport: persisterTransport });
  persister.host(roomActorDefinition({ db, writer, serverName: SERVER, signingKey: key }));
  await persister.start();
  edge = new ActorSystem({ instance: 'main', placement, transport: edgeTransport });
  await edge.start();
});
afterAll(async () => {
  await edge.stop();
  await persister.stop();
  await writer.close();
  await edgeTransport.close();
  await persisterTransport.close();
  await db.close();
});

describe('round trips per send', () => {
  it('costs exactly one actor round trip from the edge to a remote persister, answered with the committed position', async () => {
    const roomId = `!rt:${SERVER}`;
    const create = buildEvent(
      { type: 'm.room.create', stateKey: '', sender: ALICE, content: { room_version: '11', creator: ALICE }, roomId, prevEvents: [], authEvents: [], depth: 1, originServerTs: Date.now() },
      { roomVersion: roomVersion('11'), serverName: SERVER, signingKey: key },
    );
    const client = new RoomClient(edge, db);
    const created = await client.createRoom(roomId, {
      createPdu: create.pdu,
      roomVersion: '11',
      creator: ALICE,
      isPublic: false,
      events: [{ type: 'm.room.member', stateKey: ALICE, sender: ALICE, content: { membership: 'join' } }],
    });
    expect(created.ok).toBe(true);
    const asks = vi.spyOn(edge, 'ask');
    const requests = vi.spyOn(edgeTransport, 'request');
    const sent = await client.createLocalEvent(roomId, { type: 'm.room.message', sender: ALICE, content: { body: 'one trip' } }, { userId: ALICE });
    expect(asks).toHaveBeenCalledTimes(1);
    expect(requests).toHaveBeenCalledTimes(1);
    expect(sent).toMatchObject({ ok: true, writer: 'persister1' });
    if (!sent.ok) return;
    // The reply's position is the committed event's: the edge can wait for exactly it.
    expect((await getEvent(db, sent.eventId))?.streamOrdering).toBe(sent.position);
    expect(writer.position).toBeGreaterThanOrEqual(sent.position);
  });

  it('commits a message in four statements: its position, its members\' push rules, the event, and one for its push actions, extremities and fence', async () => {
    const client = new RoomClient(edge, db);
    // Bob joins: Alice's message notifies him, so the commit has push actions to write.
    const bob = '@bob:example.org';
    expect((await client.createLocalEvent(`!rt:${SERVER}`, { type: 'm.room.member', stateKey: bob, sender: ALICE, content: { membership: 'invite' } }, { userId: ALICE })).ok).toBe(true);
    expect((await client.createLocalEvent(`!rt:${SERVER}`, { type: 'm.room.member', stateKey: bob, sender: bob, content: { membership: 'join' } }, { userId: bob })).ok).toBe(true);
    committed.length = 0;
    expect((await client.createLocalEvent(`!rt:${SERVER}`, { type: 'm.room.message', sender: ALICE, content: { body: 'counted' } }, { userId: ALICE })).ok).toBe(true);
    expect(committed).toHaveLength(4);
    expect(committed[0]).toContain('nextval');
    expect(committed[3]).toContain('INSERT INTO event_push_actions');
    expect(committed[3]).toContain('UPDATE room_owners');
  });

  it('answers a retried send (same transaction ID) from PostgreSQL at the edge, without a round trip', async () => {
    const client = new RoomClient(edge, db);
    const template = { type: 'm.room.message', sender: ALICE, content: { body: 'retried' }, txnId: 'rt-1' };
    const requester = { userId: ALICE, deviceId: 'PHONE' };
    const first = await client.createLocalEvent(`!rt:${SERVER}`, template, requester);
    expect(first.ok).toBe(true);
    const asks = vi.spyOn(edge, 'ask');
    asks.mockClear();
    expect(await client.createLocalEvent(`!rt:${SERVER}`, template, requester)).toEqual(first);
    expect(asks).not.toHaveBeenCalled();
  });

  it('looks the transaction IDs of sends arriving together up in one statement; their retries too, answered without a round trip', async () => {
    const lookups: string[] = [];
    const counting = { query: (sql: string, params?: readonly unknown[]) => (sql.includes('event_txn_ids') && lookups.push(sql), db.query(sql, params)) } as Database;
    const client = new RoomClient(edge, counting);
    const requester = { userId: ALICE, deviceId: 'LAPTOP' };
    // The client has seen the room: the sends below reach their lookups in the same turn.
    expect((await client.createLocalEvent(`!rt:${SERVER}`, { type: 'm.room.message', sender: ALICE, content: { body: 'seen' } }, requester)).ok).toBe(true);
    const templates = Array.from({ length: 5 }, (_v, i) => ({ type: 'm.room.message', sender: ALICE, content: { body: `together ${i}` }, txnId: `together-${i}` }));
    const first = await Promise.all(templates.map((template) => client.createLocalEvent(`!rt:${SERVER}`, template, requester)));
    expect(first.every((sent) => sent.ok)).toBe(true);
    expect(lookups).toHaveLength(1);
    const asks = vi.spyOn(edge, 'ask');
    asks.mockClear();
    expect(await Promise.all(templates.map((template) => client.createLocalEvent(`!rt:${SERVER}`, template, requester)))).toEqual(first);
    expect(lookups).toHaveLength(2);
    expect(asks).not.toHaveBeenCalled();
  });

  it('refuses a template whose sender is not the authenticated requester', async () => {
    const client = new RoomClient(edge, db);
    const forged = await client.createLocalEvent(`!rt:${SERVER}`, { type: 'm.room.message', sender: ALICE, content: { body: 'x' } }, { userId: '@mallory:example.org' });
    expect(forged).toMatchObject({ ok: false, kind: 'Forbidden' });
  });
});
