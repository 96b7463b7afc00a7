// The room input's `ingest` against the pure core, on PGlite: PDUs built and signed by a
// simulated remote server go through signatures, content hash, auth against auth events,
// against the state before them (resolved when branches meet) and soft-fail against the
// current state. Each case asserts the room's current state and forward extremities after.
import { ActorSystem } from '@homeserver/actors';
import { buildEvent, roomVersion, selectAuthEvents, SigningKey, stateKeyOf, type JsonObject, type RoomEvent, type StateKey } from '@homeserver/matrix';
import { eventsStream, RoomClient, type IngestKind } from '@homeserver/services';
import { getCurrentStateIds, getEvent, getRoomEvents, getStateIdsAtEvent, openDatabase, type Database, type EventStreamRow } from '@homeserver/storage';
import { StreamWriter } from '@homeserver/streams';
import { InProcessTransport } from '@homeserver/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomActorDefinition } from './room-actor.ts';

const SERVER = 'example.org';
const REMOTE = 'remote.test';
const ALICE = '@alice:example.org';
const ROB = `@rob:${REMOTE}`;
const CAROL = `@carol:${REMOTE}`;
const EVE = `@eve:${REMOTE}`;
const V = roomVersion('11');
const localKey = SigningKey.fromSeed(new Uint8Array(32).fill(7), 'local');
const remoteKey = SigningKey.fromSeed(new Uint8Array(32).fill(9), 'remote');
const impostorKey = SigningKey.fromSeed(new Uint8Array(32).fill(10), 'remote');

let db: Database;
let transport: InProcessTransport;
let writer: StreamWriter<EventStreamRow>;
let actors: ActorSystem;
let client: RoomClient;
let ts = 1_700_000_000_000;

beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite' });
  transport = new InProcessTransport();
  writer = await StreamWriter.start(db, transport, eventsStream, { instanceName: 'main' });
  actors = new ActorSystem({ instance: 'main' });
  actors.host(
    roomActorDefinition({
      db,
      writer,
      serverName: SERVER,
      signingKey: localKey,
      lookupKey: (server, keyId) => (server === REMOTE && keyId === remoteKey.keyId ? { publicKey: remoteKey.publicKey } : undefined),
    }),
  );
  client = new RoomClient(actors, db);
});
afterAll(async () => {
  await actors.stop();
  await writer.close();
  await transport.close();
  await db.close();
});

async function createRoom(): Promise<string> {
  const roomId = `!r${Math.random().toString(36).slice(2)}:${SERVER}`;
  const create = buildEvent(
    { type: 'm.room.create', stateKey: '', sender: ALICE, content: { room_version: '11', creator: ALICE }, roomId, prevEvents: [], authEvents: [], depth: 1, originServerTs: ts++ },
    { roomVersion: V, serverName: SERVER, signingKey: localKey },
  );
  const result = await client.createRoom(roomId, {
    createPdu: create.pdu,
    roomVersion: '11',
    creator: ALICE,
    isPublic: true,
    events: [
      { type: 'm.room.member', stateKey: ALICE, sender: ALICE, content: { membership: 'join' } },
      { type: 'm.room.power_levels', stateKey: '', sender: ALICE, content: { users: { [ALICE]: 100 }, users_default: 0, events_default: 0, state_default: 50, ban: 50 } },
      { type: 'm.room.join_rules', stateKey: '', sender: ALICE, content: { join_rule: 'public' } },
    ],
  });
  expect(result.ok, JSON.stringify(result)).toBe(true);
  return roomId;
}

async function extremities(roomId: string): Promise<string[]> {
  const { rows } = await db.query<{ event_id: string }>('SELECT event_id FROM event_forward_extremities WHERE room_id = $1 ORDER BY event_id', [roomId]);
  return rows.map((r) => r.event_id);
}

async function currentState(roomId: string): Promise<Map<StateKey, string>> {
  return new Map((await getCurrentStateIds(db, roomId)).map((e) => [stateKeyOf(e.type, e.stateKey), e.eventId]));
}

interface RemoteFields {
  type: string;
  sender: string;
  content: JsonObject;
  stateKey?: string;
  /** Default: the room's forward extremities. */
  prevEvents?: string[];
  /** Default: selected from `authFrom` (default: the current state). */
  authEvents?: string[];
  authFrom?: Map<StateKey, string>;
  depth?: number;
}

/** A PDU built and signed by the remote server. */
async function remote(roomId: string, fields: RemoteFields, key = remoteKey): Promise<RoomEvent> {
  const prevEvents = fields.prevEvents ?? (await extremities(roomId));
  const prevDepths = await Promise.all(prevEvents.map(async (id) => (await getEvent(db, id))?.depth ?? 0));
  const selectable = { type: fields.type, stateKey: fields.stateKey, sender: fields.sender, content: fields.content, roomVersion: V };
  return buildEvent(
    {
      type: fields.type,
      sender: fields.sender,
      content: fields.content,
      roomId,
      stateKey: fields.stateKey,
      prevEvents,
      authEvents: fields.authEvents ?? selectAuthEvents(selectable, fields.authFrom ?? (await currentState(roomId))),
      depth: fields.depth ?? Math.max(0, ...prevDepths) + 1,
      originServerTs: ts++,
    },
    { roomVersion: V, serverName: REMOTE, signingKey: key },
  );
}

async function ingest(roomId: string, event: RoomEvent | JsonObject, kind: IngestKind = 'new') {
  const pdu = 'pdu' in event ? (event as RoomEvent).pdu : (event as JsonObject);
  return client.ingest(roomId, { pdu, origin: REMOTE, kind });
}

async function flags(eventId: string) {
  const { rows } = await db.query<{ rejected: string | null; outlier: boolean; soft_failed: boolean; stream_ordering: number }>(
    'SELECT rejected, outlier, soft_failed, stream_ordering FROM events WHERE event_id = $1',
    [eventId],
  );
  return rows[0] ? { rejected: rows[0].rejected, outlier: rows[0].outlier, softFailed: rows[0].soft_failed, ordering: Number(rows[0].stream_ordering) } : undefined;
}

/** Users with push actions stored for an event, and whether they ring. */
async function pushed(eventId: string): Promise<Array<[string, boolean]>> {
  const { rows } = await db.query<{ user_id: string; actions: unknown[] }>('SELECT user_id, actions FROM event_push_actions WHERE event_id = $1 ORDER BY user_id', [eventId]);
  return rows.map((row) => [row.user_id, JSON.stringify(row.actions).includes('"sound"')]);
}

async function timeline(roomId: string): Promise<string[]> {
  const page = await getRoomEvents(db, roomId, { from: 0, direction: 'f', limit: 100 });
  return page.events.map((e) => e.eventId);
}

/** A room with the remote user Rob joined through a correctly signed PDU. */
async function roomWithRob(): Promise<{ roomId: string; join: RoomEvent }> {
  const roomId = await createRoom();
  const join = await remote(roomId, { type: 'm.room.member', stateKey: ROB, sender: ROB, content: { membership: 'join' } });
  expect(await ingest(roomId, join)).toMatchObject({ ok: true, outcome: 'accepted', redacted: false });
  return { roomId, join };
}

describe('room input: ingest', () => {
  it('persists a correctly signed PDU from a remote server at the tip', async () => {
    const { roomId, join } = await roomWithRob();
    expect((await currentState(roomId)).get(stateKeyOf('m.room.member', ROB))).toBe(join.eventId);
    expect(await extremities(roomId)).toEqual([join.eventId]);
    const message = await remote(roomId, { type: 'm.room.message', sender: ROB, content: { msgtype: 'm.text', body: 'hello from afar' } });
    const reply = await ingest(roomId, message);
    expect(reply).toMatchObject({ ok: true, outcome: 'accepted', eventId: message.eventId });
    if (!reply.ok) return;
    expect(reply.position).toBeGreaterThan(0);
    expect((await getEvent(db, message.eventId))?.streamOrdering).toBe(reply.position);
    expect(await extremities(roomId)).toEqual([message.eventId]);
    expect((await timeline(roomId)).slice(-2)).toEqual([join.eventId, message.eventId]);
    // Committed with its push actions: Alice's rules ring for a room of two (Rob's ingested join counted).
    expect(await pushed(message.eventId)).toEqual([[ALICE, true]]);
    // A local send afterwards builds on the ingested tip; Rob's own server computes his push actions.
    const local = await client.sendEvent(roomId, { type: 'm.room.message', sender: ALICE, content: { body: 'welcome' } });
    expect(local.ok).toBe(true);
    if (local.ok) expect((await getEvent(db, local.eventId))?.pdu['prev_events']).toEqual([message.eventId]);
    if (local.ok) expect(await pushed(local.eventId)).toEqual([]);
    // The same PDU again changes nothing.
    expect(await ingest(roomId, message)).toMatchObject({ ok: true, outcome: 'duplicate' });
  });

  it('refuses a PDU whose signature does not verify, storing nothing', async () => {
    const { roomId, join } = await roomWithRob();
    const forged = await remote(roomId, { type: 'm.room.message', sender: ROB, content: { body: 'forged' } }, impostorKey);
    expect(await ingest(roomId, forged)).toMatchObject({ ok: false, kind: 'Forbidden' });
    expect(await getEvent(db, forged.eventId)).toBeUndefined();
    expect(await extremities(roomId)).toEqual([join.eventId]);
    // A server nobody knows the keys of is refused the same way.
    const stranger = buildEvent(
      { type: 'm.room.message', sender: '@x:elsewhere.test', content: { body: 'x' }, roomId, prevEvents: [join.eventId], authEvents: [], depth: 9, originServerTs: ts++ },
      { roomVersion: V, serverName: 'elsewhere.test', signingKey: remoteKey },
    );
    expect(await ingest(roomId, stranger)).toMatchObject({ ok: false, kind: 'Forbidden' });
  });

  it('applies a remote redaction only to its sender\'s own server\'s events unless it has the redact level (v3+)', async () => {
    const { roomId } = await roomWithRob();
    const local = await client.sendEvent(roomId, { type: 'm.room.message', sender: ALICE, content: { body: 'mine' } });
    if (!local.ok) throw new Error(local.reason);
    const own = await remote(roomId, { type: 'm.room.message', sender: ROB, content: { body: 'oops' } });
    expect(await ingest(roomId, own)).toMatchObject({ ok: true, outcome: 'accepted' });
    // Rob (level 0) may send redactions, but they only take effect on his own server's events.
    const spoof = await remote(roomId, { type: 'm.room.redaction', sender: ROB, content: { redacts: local.eventId } });
    expect(await ingest(roomId, spoof)).toMatchObject({ ok: true, outcome: 'accepted' });
    expect((await getEvent(db, local.eventId))?.redactedBy).toBeUndefined();
    const fair = await remote(roomId, { type: 'm.room.redaction', sender: ROB, content: { redacts: own.eventId } });
    expect(await ingest(roomId, fair)).toMatchObject({ ok: true, outcome: 'accepted' });
    expect((await getEvent(db, own.eventId))?.redactedBy).toBe(fair.eventId);
  });

  it('withholds a remote redaction of another room\'s event or of the create event, and redacts nothing', async () => {
    const first = await roomWithRob();
    const second = await roomWithRob();
    const hi = await remote(first.roomId, { type: 'm.room.message', sender: ROB, content: { body: 'hi' } });
    expect(await ingest(first.roomId, hi)).toMatchObject({ ok: true, outcome: 'accepted' });
    // Rob's own message, so only the room check can refuse it (the same-server rule would pass).
    const across = await remote(second.roomId, { type: 'm.room.redaction', sender: ROB, content: { redacts: hi.eventId } });
    expect(await ingest(second.roomId, across)).toMatchObject({ ok: true, outcome: 'soft_failed' });
    expect((await getEvent(db, hi.eventId))?.redactedBy).toBeUndefined();
    expect(await flags(across.eventId)).toMatchObject({ softFailed: true, rejected: null });
    expect(await timeline(second.roomId)).not.toContain(across.eventId);
    // A later event built on it is accepted and served.
    const sentinel = await remote(second.roomId, { type: 'm.room.message', sender: ROB, content: { body: 'sentinel' }, prevEvents: [across.eventId] });
    expect(await ingest(second.roomId, sentinel)).toMatchObject({ ok: true, outcome: 'accepted' });
    expect((await timeline(second.roomId)).at(-1)).toBe(sentinel.eventId);
    const createId = (await timeline(second.roomId))[0]!;
    const ofCreate = await remote(second.roomId, { type: 'm.room.redaction', sender: ROB, content: { redacts: createId } });
    expect(await ingest(second.roomId, ofCreate)).toMatchObject({ ok: true, outcome: 'soft_failed' });
    expect((await getEvent(db, createId))?.redactedBy).toBeUndefined();
  });

  it('stores a PDU with a wrong content hash in its redacted form', async () => {
    const { roomId } = await roomWithRob();
    const message = await remote(roomId, { type: 'm.room.message', sender: ROB, content: { msgtype: 'm.text', body: 'original' } });
    // Content changed on the way: the signature (over the redacted form) still holds, the hash does not.
    const tampered = { ...message.pdu, content: { msgtype: 'm.text', body: 'tampered' } };
    const reply = await ingest(roomId, tampered);
    expect(reply).toMatchObject({ ok: true, outcome: 'accepted', redacted: true, eventId: message.eventId });
    expect((await getEvent(db, message.eventId))?.pdu['content']).toEqual({});
    expect(await extremities(roomId)).toEqual([message.eventId]);
  });

  it('stores an event that fails auth against its own auth events as rejected: never served, not in state', async () => {
    const { roomId, join } = await roomWithRob();
    const stateBefore = await currentState(roomId);
    // Eve never joined: her message's auth events carry no membership of hers.
    const intruder = await remote(roomId, { type: 'm.room.message', sender: EVE, content: { body: 'let me in' } });
    expect(await ingest(roomId, intruder)).toMatchObject({ ok: true, outcome: 'rejected' });
    expect((await flags(intruder.eventId))?.rejected).toBeTruthy();
    expect(await pushed(intruder.eventId)).toEqual([]);
    expect(await timeline(roomId)).not.toContain(intruder.eventId);
    expect(await currentState(roomId)).toEqual(stateBefore);
    expect(await extremities(roomId)).toEqual([join.eventId]);
    // Rob's power-levels change passes its auth events' shape but not the rules (level 0 < 50).
    const grab = await remote(roomId, { type: 'm.room.power_levels', stateKey: '', sender: ROB, content: { users: { [ROB]: 100 } } });
    expect(await ingest(roomId, grab)).toMatchObject({ ok: true, outcome: 'rejected' });
    expect((await currentState(roomId)).get(stateKeyOf('m.room.power_levels', ''))).toBe(stateBefore.get(stateKeyOf('m.room.power_levels', '')));
    expect(await extremities(roomId)).toEqual([join.eventId]);
  });

  it('soft-fails an event that passes its auth events and prior state but not the current state', async () => {
    const { roomId, join } = await roomWithRob();
    const stateAtJoin = await currentState(roomId);
    const ban = await client.sendEvent(roomId, { type: 'm.room.member', stateKey: ROB, sender: ALICE, content: { membership: 'ban' } });
    expect(ban.ok).toBe(true);
    if (!ban.ok) return;
    // Rob's server had not seen the ban: his message hangs off his join, authorised by it.
    const late = await remote(roomId, { type: 'm.room.message', sender: ROB, content: { body: 'did I miss something?' }, prevEvents: [join.eventId], authFrom: stateAtJoin });
    const reply = await ingest(roomId, late);
    expect(reply).toMatchObject({ ok: true, outcome: 'soft_failed' });
    expect(await flags(late.eventId)).toMatchObject({ softFailed: true, rejected: null });
    expect(await pushed(late.eventId)).toEqual([]);
    expect(await timeline(roomId)).not.toContain(late.eventId);
    expect(await extremities(roomId)).toEqual([ban.eventId]);
    expect((await currentState(roomId)).get(stateKeyOf('m.room.member', ROB))).toBe(ban.eventId);
  });

  it('merges two branches with state resolution', async () => {
    const { roomId, join } = await roomWithRob();
    // Two member events of Rob's forked from his join; B is later, so v2's order applies it last.
    const a = await remote(roomId, { type: 'm.room.member', stateKey: ROB, sender: ROB, content: { membership: 'join', displayname: 'A' }, prevEvents: [join.eventId] });
    const stateAtJoin = await currentState(roomId);
    expect(await ingest(roomId, a)).toMatchObject({ ok: true, outcome: 'accepted' });
    const b = await remote(roomId, { type: 'm.room.member', stateKey: ROB, sender: ROB, content: { membership: 'join', displayname: 'B' }, prevEvents: [join.eventId], authFrom: stateAtJoin });
    expect(await ingest(roomId, b)).toMatchObject({ ok: true, outcome: 'accepted' });
    expect(await extremities(roomId)).toEqual([a.eventId, b.eventId].sort());
    // Current state is the resolution of both branches' states.
    expect((await currentState(roomId)).get(stateKeyOf('m.room.member', ROB))).toBe(b.eventId);
    const merge = await remote(roomId, { type: 'm.room.message', sender: ROB, content: { body: 'merged' }, prevEvents: [a.eventId, b.eventId] });
    expect(await ingest(roomId, merge)).toMatchObject({ ok: true, outcome: 'accepted' });
    expect(await extremities(roomId)).toEqual([merge.eventId]);
    const before = await getStateIdsAtEvent(db, merge.eventId, { when: 'before' });
    expect(before?.find((e) => e.type === 'm.room.member' && e.stateKey === ROB)?.eventId).toBe(b.eventId);
    // A local event after the merge builds on it, on the resolved state.
    const local = await client.sendEvent(roomId, { type: 'm.room.topic', stateKey: '', sender: ALICE, content: { topic: 'after merge' } });
    expect(local.ok).toBe(true);
    if (!local.ok) return;
    expect((await getEvent(db, local.eventId))?.pdu['prev_events']).toEqual([merge.eventId]);
    const after = await getStateIdsAtEvent(db, local.eventId);
    expect(after?.find((e) => e.type === 'm.room.member' && e.stateKey === ROB)?.eventId).toBe(b.eventId);
    expect(after?.find((e) => e.type === 'm.room.topic')?.eventId).toBe(local.eventId);
  });

  it('stores an auth chain as outliers: out of the timeline, the current state and the extremities', async () => {
    const { roomId, join } = await roomWithRob();
    const stateBefore = await currentState(roomId);
    // Carol's join and then her profile change, known to us only as an auth chain.
    const carolJoin = await remote(roomId, { type: 'm.room.member', stateKey: CAROL, sender: CAROL, content: { membership: 'join' } });
    const withCarol = new Map(stateBefore).set(stateKeyOf('m.room.member', CAROL), carolJoin.eventId);
    const carolName = await remote(roomId, { type: 'm.room.member', stateKey: CAROL, sender: CAROL, content: { membership: 'join', displayname: 'Carol' }, prevEvents: [carolJoin.eventId], authFrom: withCarol });
    // Its auth events must be stored first.
    expect(await ingest(roomId, carolName, 'outlier')).toMatchObject({ ok: false, kind: 'NotFound' });
    expect(await ingest(roomId, carolJoin, 'outlier')).toMatchObject({ ok: true, outcome: 'accepted' });
    expect(await ingest(roomId, carolName, 'outlier')).toMatchObject({ ok: true, outcome: 'accepted' });
    for (const id of [carolJoin.eventId, carolName.eventId]) {
      const stored = await flags(id);
      expect(stored).toMatchObject({ outlier: true, rejected: null });
      expect(stored!.ordering).toBeLessThan(0);
    }
    // An outlier that fails its auth events is kept as rejected.
    const eveOutlier = await remote(roomId, { type: 'm.room.message', sender: EVE, content: { body: 'x' } });
    expect(await ingest(roomId, eveOutlier, 'outlier')).toMatchObject({ ok: true, outcome: 'rejected' });
    expect(await currentState(roomId)).toEqual(stateBefore);
    expect(await extremities(roomId)).toEqual([join.eventId]);
    expect(await timeline(roomId)).not.toContain(carolJoin.eventId);
  });

  it('stores backfilled history behind the timeline, leaving the tip alone', async () => {
    const { roomId, join } = await roomWithRob();
    const stateBefore = await currentState(roomId);
    const tip = await client.sendEvent(roomId, { type: 'm.room.message', sender: ALICE, content: { body: 'newest' } });
    expect(tip.ok).toBe(true);
    if (!tip.ok) return;
    // A message Rob sent right after joining that we never received.
    const old = await remote(roomId, { type: 'm.room.message', sender: ROB, content: { body: 'older' }, prevEvents: [join.eventId], authFrom: stateBefore });
    const reply = await ingest(roomId, old, 'backfilled');
    expect(reply).toMatchObject({ ok: true, outcome: 'accepted' });
    const stored = await flags(old.eventId);
    expect(stored).toMatchObject({ outlier: false, softFailed: false, rejected: null });
    // History notifies nobody.
    expect(await pushed(old.eventId)).toEqual([]);
    expect(stored!.ordering).toBeLessThan(0);
    expect(await extremities(roomId)).toEqual([tip.eventId]);
    expect(await currentState(roomId)).toEqual(stateBefore);
    // Paginating back from the start of the timeline reaches it.
    const page = await getRoomEvents(db, roomId, { from: 0, direction: 'b', limit: 10 });
    expect(page.events.map((e) => e.eventId)).toContain(old.eventId);
    expect(await timeline(roomId)).not.toContain(old.eventId);
    // History whose prev events we lack is judged by its auth events.
    const orphan = await remote(roomId, { type: 'm.room.message', sender: ROB, content: { body: 'even older' }, prevEvents: [`$${'A'.repeat(43)}`], authFrom: stateBefore, depth: 3 });
    expect(await ingest(roomId, orphan, 'backfilled')).toMatchObject({ ok: true, outcome: 'accepted' });
    expect(await extremities(roomId)).toEqual([tip.eventId]);
  });
});
