// Fenced room ownership on PGlite, with two persister instances over one database standing for
// two processes: the owner takes the room under an epoch, a takeover fences the old owner's
// commits out, and an owner that gets the room back reloads it from the database instead of
// building on the view it held before (the stale-view bug of issue 8).
import { ActorSystem } from '@homeserver/actors';
import { buildEvent, roomVersion, SigningKey } from '@homeserver/matrix';
import { eventsStream, RoomClient } from '@homeserver/services';
import { getEvent, getRoomOwner, openDatabase, type Database } from '@homeserver/storage';
import { StreamWriter } from '@homeserver/streams';
import { InProcessTransport } from '@homeserver/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomActorDefinition } from './room-actor.ts';

const SERVER = 'example.org';
const ALICE = '@alice:example.org';
const BOB = '@bob:example.org';
const key = SigningKey.fromSeed(new Uint8Array(32).fill(5), 'own');
let db: Database;
const transport = new InProcessTransport();
const closers: Array<() => Promise<void>> = [];

async function persister(name: string): Promise<{ actors: ActorSystem; client: RoomClient }> {
  const writer = await StreamWriter.start(db, transport, eventsStream, { instanceName: name });
  const actors = new ActorSystem({ instance: name });
  actors.host(roomActorDefinition({ db, writer, serverName: SERVER, signingKey: key, ownershipWaitMs: 100 }));
  closers.push(async () => {
    await actors.stop();
    await writer.close();
  });
  return { actors, client: new RoomClient(actors, db) };
}

beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite' });
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await transport.close();
  await db.close();
});

async function publicRoom(client: RoomClient): Promise<string> {
  const roomId = `!own${Math.random().toString(36).slice(2)}:${SERVER}`;
  const create = buildEvent(
    { type: 'm.room.create', stateKey: '', sender: ALICE, content: { room_version: '11', creator: ALICE }, roomId, prevEvents: [], authEvents: [], depth: 1, originServerTs: Date.now() },
    { roomVersion: roomVersion('11'), serverName: SERVER, signingKey: key },
  );
  const created = await client.createRoom(roomId, {
    createPdu: create.pdu,
    roomVersion: '11',
    creator: ALICE,
    isPublic: true,
    events: [
      { type: 'm.room.member', stateKey: ALICE, sender: ALICE, content: { membership: 'join' } },
      { type: 'm.room.power_levels', stateKey: '', sender: ALICE, content: { users: { [ALICE]: 100 } } },
      { type: 'm.room.join_rules', stateKey: '', sender: ALICE, content: { join_rule: 'public' } },
    ],
  });
  expect(created.ok).toBe(true);
  expect((await client.sendEvent(roomId, { type: 'm.room.member', stateKey: BOB, sender: BOB, content: { membership: 'join' } })).ok).toBe(true);
  return roomId;
}

async function extremities(roomId: string): Promise<string[]> {
  const { rows } = await db.query<{ event_id: string }>('SELECT event_id FROM event_forward_extremities WHERE room_id = $1', [roomId]);
  return rows.map((r) => r.event_id);
}

describe('room ownership', () => {
  it('fences a stale owner out and makes it reload the room when it gets the room back', async () => {
    const one = await persister('persister1');
    const three = await persister('persister3');
    const roomId = await publicRoom(one.client);
    expect(await getRoomOwner(db, roomId)).toMatchObject({ instanceName: 'persister1', epoch: 1, released: false });
    for (let i = 0; i < 5; i++) expect((await one.client.sendEvent(roomId, { type: 'm.room.message', sender: BOB, content: { body: `before ${i}` } })).ok).toBe(true);

    // Placement moves the room to persister3 while persister1 still holds it in memory: after a
    // bounded wait persister3 takes it under a new epoch, and bans Bob.
    const ban = await three.client.sendEvent(roomId, { type: 'm.room.member', stateKey: BOB, sender: ALICE, content: { membership: 'ban' } });
    expect(ban.ok).toBe(true);
    expect(await getRoomOwner(db, roomId)).toMatchObject({ instanceName: 'persister3', epoch: 2 });
    const tip = await three.client.sendEvent(roomId, { type: 'm.room.message', sender: ALICE, content: { body: 'after the ban' } });
    expect(tip.ok).toBe(true);
    if (!ban.ok || !tip.ok) return;

    // Back to persister1, whose actor still has the view from before the move: its commit is
    // fenced out, and the retry runs on a view reloaded from PostgreSQL. Bob is refused.
    const banned = await one.client.sendEvent(roomId, { type: 'm.room.message', sender: BOB, content: { body: 'I am still here' } });
    expect(banned).toMatchObject({ ok: false, kind: 'Forbidden' });
    expect(await getRoomOwner(db, roomId)).toMatchObject({ instanceName: 'persister1', epoch: 3 });
    const next = await one.client.sendEvent(roomId, { type: 'm.room.message', sender: ALICE, content: { body: 'back on persister1' } });
    expect(next.ok).toBe(true);
    if (!next.ok) return;
    const stored = await getEvent(db, next.eventId);
    expect(stored?.pdu['prev_events']).toEqual([tip.eventId]);
    expect(stored?.depth).toBe((await getEvent(db, tip.eventId))!.depth + 1);
    expect(await extremities(roomId)).toEqual([next.eventId]);
    // Only Alice's message and nothing of Bob's after the ban.
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE room_id = $1 AND sender = $2 AND type = 'm.room.message' AND stream_ordering > $3", [roomId, BOB, ban.position]);
    expect(rows[0]!.n).toBe(0);
  });

  it('fails only the fenced room of a group commit: the other rooms committed with it keep their events', async () => {
    const one = await persister('persister6');
    const [fenced, other] = [await publicRoom(one.client), await publicRoom(one.client)];
    const otherOwner = await getRoomOwner(db, other);
    // Another instance takes `fenced` over behind persister6's back (it still holds its view).
    await db.query("UPDATE room_owners SET instance_name = 'ghost', epoch = epoch + 1 WHERE room_id = $1", [fenced]);
    const sends = await Promise.all([
      one.client.sendEvent(fenced, { type: 'm.room.message', sender: ALICE, content: { body: 'into the fenced room' } }),
      ...Array.from({ length: 6 }, (_, i) => one.client.sendEvent(other, { type: 'm.room.message', sender: ALICE, content: { body: `other ${i}` } })),
    ]);
    // The fenced send is retried on a reloaded view once persister6 took the room back.
    expect(sends.every((sent) => sent.ok)).toBe(true);
    expect(await getRoomOwner(db, fenced)).toMatchObject({ instanceName: 'persister6' });
    const bodies = async (roomId: string) =>
      (await db.query<{ body: string }>("SELECT json::json->'content'->>'body' AS body FROM events WHERE room_id = $1 AND type = 'm.room.message' ORDER BY stream_ordering", [roomId])).rows.map((row) => row.body);
    expect(await bodies(fenced)).toEqual(['into the fenced room']);
    expect(await bodies(other)).toEqual(Array.from({ length: 6 }, (_, i) => `other ${i}`));
    // The other room's actor never failed a commit: it did not reload (which takes a new epoch).
    expect(await getRoomOwner(db, other)).toEqual(otherOwner);
  });

  it('releases the room when the actor ends, so the next owner takes it without waiting', async () => {
    const one = await persister('persister4');
    const two = await persister('persister5');
    const roomId = await publicRoom(one.client);
    await one.actors.release({ kind: 'room', key: roomId });
    expect(await getRoomOwner(db, roomId)).toMatchObject({ instanceName: 'persister4', released: true });
    const sent = await two.client.sendEvent(roomId, { type: 'm.room.message', sender: ALICE, content: { body: 'moved' } });
    expect(sent.ok).toBe(true);
    expect(await getRoomOwner(db, roomId)).toMatchObject({ instanceName: 'persister5', epoch: 2, released: false });
  });
});
