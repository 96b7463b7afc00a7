// The search storage suite, run on PGlite (search-queries.spec.ts) and on real PostgreSQL
// (search-queries.int.spec.ts): indexing in the commit that stores events, matching with
// stemming and websearch syntax, both orders with their cursors, bounds, filters, redaction,
// counts, highlights, and the migration's backfill of events stored before it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../database.ts';
import { loadMigrations, splitStatements } from '../migrations.ts';
import { allocateEventPositions, insertEvents, type EventToPersist } from './persist-events.ts';
import { insertRoom } from './room-queries.ts';
import { countSearchMatches, insertSearchEntries, searchEvents, searchHighlights } from './search-queries.ts';

const ROOM = '!search:example.org';
const OTHER = '!other:example.org';
let db: Database;
let ts = 10_000;

async function append(roomId: string, type: string, content: Record<string, unknown>, options: { sender?: string; stateKey?: string; index?: boolean } = {}): Promise<EventToPersist> {
  return db.transaction(async (tx) => {
    const [position] = await allocateEventPositions(tx, 1);
    const event: EventToPersist = {
      eventId: `$s${position}`, roomId, type, stateKey: options.stateKey, sender: options.sender ?? '@alice:example.org', depth: position!, originServerTs: ts++,
      streamOrdering: position!, instanceName: 'main', json: JSON.stringify({ type, content }), prevEventIds: [], authEventIds: [], stateGroupBefore: undefined, stateGroupAfter: undefined,
    };
    await insertEvents(tx, [event]);
    if (options.index ?? true) await insertSearchEntries(tx, [{ ...event, content }]);
    return event;
  });
}

const ids = (hits: ReadonlyArray<{ eventId: string }>) => hits.map((h) => h.eventId);

/** Registers the suite; `open` gives a migrated, empty database, `close` releases it. */
export function searchQueriesSuite(name: string, open: () => Promise<Database>, close: (db: Database) => Promise<void>): void {
  let fox: EventToPersist;
  let dogs: EventToPersist;
  let roomName: EventToPersist;
  let topic: EventToPersist;
  let bobFox: EventToPersist;
  let otherFox: EventToPersist;

  beforeAll(async () => {
    db = await open();
    for (const roomId of [ROOM, OTHER]) await insertRoom(db, { roomId, roomVersion: '11', creator: '@alice:example.org', isPublic: false, createdTs: 1 });
    fox = await append(ROOM, 'm.room.message', { msgtype: 'm.text', body: 'The quick brown foxes jumped' });
    dogs = await append(ROOM, 'm.room.message', { msgtype: 'm.text', body: 'lazy dogs sleep all day' });
    roomName = await append(ROOM, 'm.room.name', { name: 'Fox club' }, { stateKey: '' });
    topic = await append(ROOM, 'm.room.topic', { topic: 'all about dogs and a fox' }, { stateKey: '' });
    bobFox = await append(ROOM, 'm.room.message', { msgtype: 'm.text', body: 'a fox with\u0000a NUL' }, { sender: '@bob:example.org' });
    otherFox = await append(OTHER, 'm.room.message', { msgtype: 'm.text', body: 'fox elsewhere' });
    await append(ROOM, 'm.room.message', { msgtype: 'm.text', body: 42 });
    await append(ROOM, 'm.reaction', { body: 'fox' });
  });
  afterAll(async () => close(db));

  describe(name, () => {
    it('matches stemmed words in bodies, names and topics of the given rooms only', async () => {
      const hits = await searchEvents(db, { term: 'fox', rooms: [{ roomId: ROOM }], limit: 10 });
      expect(ids(hits).sort()).toEqual([fox, roomName, topic, bobFox].map((e) => e.eventId).sort());
      expect(hits.every((h) => h.rank > 0)).toBe(true);
      expect(await countSearchMatches(db, { term: 'fox', rooms: [{ roomId: ROOM }, { roomId: OTHER }] })).toBe(5);
    });

    it('restricts to keys, filter senders/types and a per-room upper position', async () => {
      expect(ids(await searchEvents(db, { term: 'fox', keys: ['content.name'], rooms: [{ roomId: ROOM }] }))).toEqual([roomName.eventId]);
      expect(ids(await searchEvents(db, { term: 'fox', rooms: [{ roomId: ROOM }], filter: { senders: ['@bob:example.org'] } }))).toEqual([bobFox.eventId]);
      expect(ids(await searchEvents(db, { term: 'fox', rooms: [{ roomId: ROOM }], filter: { notTypes: ['m.room.*'] } }))).toEqual([]);
      const bounded = await searchEvents(db, { term: 'fox', rooms: [{ roomId: ROOM, maxPosition: roomName.streamOrdering }] });
      expect(ids(bounded).sort()).toEqual([fox.eventId, roomName.eventId].sort());
    });

    it('understands websearch syntax: phrases, or, negation', async () => {
      expect(ids(await searchEvents(db, { term: '"quick brown"', rooms: [{ roomId: ROOM }] }))).toEqual([fox.eventId]);
      expect(ids(await searchEvents(db, { term: 'lazy or jumped', rooms: [{ roomId: ROOM }] })).sort()).toEqual([fox.eventId, dogs.eventId].sort());
      expect(ids(await searchEvents(db, { term: 'dogs -fox', rooms: [{ roomId: ROOM }] }))).toEqual([dogs.eventId]);
      expect(await searchEvents(db, { term: 'the', rooms: [{ roomId: ROOM }] })).toEqual([]);
    });

    it('pages newest first by (ts, stream) and by rank with offsets, without repeats', async () => {
      const first = await searchEvents(db, { term: 'fox', rooms: [{ roomId: ROOM }], orderBy: 'recent', limit: 3 });
      expect(ids(first)).toEqual([bobFox, topic, roomName].map((e) => e.eventId));
      const second = await searchEvents(db, { term: 'fox', rooms: [{ roomId: ROOM }], orderBy: 'recent', limit: 3, after: first.at(-1)!.cursor });
      expect(ids(second)).toEqual([fox.eventId]);
      const all = await searchEvents(db, { term: 'fox', rooms: [{ roomId: ROOM }], limit: 10 });
      const ranks = all.map((h) => h.rank);
      expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
      const page1 = await searchEvents(db, { term: 'fox', rooms: [{ roomId: ROOM }], limit: 2 });
      const page2 = await searchEvents(db, { term: 'fox', rooms: [{ roomId: ROOM }], limit: 2, after: page1.at(-1)!.cursor });
      expect([...ids(page1), ...ids(page2)]).toEqual(ids(all));
    });

    it('drops redacted and rejected events', async () => {
      const secret = await append(ROOM, 'm.room.message', { msgtype: 'm.text', body: 'zebra secret' });
      expect(ids(await searchEvents(db, { term: 'zebra', rooms: [{ roomId: ROOM }] }))).toEqual([secret.eventId]);
      await db.query('UPDATE events SET redacted_by = $1 WHERE event_id = $2', ['$redaction', secret.eventId]);
      expect(await searchEvents(db, { term: 'zebra', rooms: [{ roomId: ROOM }] })).toEqual([]);
      expect(await countSearchMatches(db, { term: 'zebra', rooms: [{ roomId: ROOM }] })).toBe(0);
      const rejected = await append(ROOM, 'm.room.message', { msgtype: 'm.text', body: 'yak' });
      await db.query("UPDATE events SET rejected = 'auth' WHERE event_id = $1", [rejected.eventId]);
      expect(await searchEvents(db, { term: 'yak', rooms: [{ roomId: ROOM }] })).toEqual([]);
    });

    it('names the matching words for highlighting, stems included', async () => {
      const words = await searchHighlights(db, 'fox jumping', ['The quick brown foxes jumped', 'a fox > b < c', 'nothing here']);
      expect(words.sort()).toEqual(['fox', 'foxes', 'jumped']);
      expect(await searchHighlights(db, 'fox', [])).toEqual([]);
    });

    it('backfills events stored before the search migration', async () => {
      const old = await append(OTHER, 'm.room.message', { msgtype: 'm.text', body: 'walrus from before' }, { index: false });
      const nul = await append(OTHER, 'm.room.message', { msgtype: 'm.text', body: 'walrus \u0000 nul' }, { index: false });
      const migration = (await loadMigrations()).find((m) => m.name.startsWith('1001_'))!;
      const backfill = splitStatements(migration.sql).find((s) => s.includes('INSERT INTO event_search'))!;
      await db.query(backfill);
      expect(ids(await searchEvents(db, { term: 'walrus', rooms: [{ roomId: OTHER }] }))).toEqual([old.eventId]);
      expect(nul.eventId).not.toBe(old.eventId);
      expect(ids(await searchEvents(db, { term: 'elsewhere', rooms: [{ roomId: OTHER }] }))).toEqual([otherFox.eventId]);
    });
  });
}
