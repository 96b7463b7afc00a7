// The rooms storage suite, run on PGlite (rooms-storage.spec.ts) and on real PostgreSQL
// (rooms-storage.int.spec.ts): persisting a small room by hand and reading it back through
// the read API the sync role and the rooms endpoints use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../database.ts';
import { getEvent, getLatestEventStreamPosition, getRelatedEvents, getRoomActivityBetween, getRoomEvents, getRoomsWithEventsBetween } from './event-queries.ts';
import { getMembershipChanges, getRoomMembers, getRoomsForUser, roomMemberSummaries } from './membership-queries.ts';
import {
  allocateEventPositions,
  insertEvents,
  insertStateGroup,
  loadPersisterSnapshot,
  setForwardExtremities,
  updateCurrentState,
  type EventToPersist,
} from './persist-events.ts';
import { getEventIdForTxn, getTxnEvent, getTxnEvents, insertRoom, txnKeyString } from './room-queries.ts';
import { getCurrentStateIds, getStateGroupAtPosition, getStateIdsAtEvent, getStateIdsAtPosition } from './state-queries.ts';

const ROOM = '!room:example.org';
let db: Database;
let group: { id: number; depth: number } | undefined;
let prev: string[] = [];
let depth = 0;

async function append(type: string, options: { stateKey?: string; sender?: string; content?: Record<string, unknown>; snapshotEvery?: number } = {}): Promise<EventToPersist> {
  return db.transaction(async (tx) => {
    const [position] = await allocateEventPositions(tx, 1);
    const eventId = `$e${position}`;
    const before = group;
    let after = group;
    if (options.stateKey !== undefined) {
      const snapshot = before === undefined || before.depth + 1 >= (options.snapshotEvery ?? 100);
      const entries = snapshot
        ? [...(await getCurrentStateIds(tx, ROOM)).filter((e) => !(e.type === type && e.stateKey === options.stateKey)), { type, stateKey: options.stateKey, eventId }]
        : [{ type, stateKey: options.stateKey, eventId }];
      after = await insertStateGroup(tx, { roomId: ROOM, eventId, prevGroup: snapshot ? undefined : before?.id, prevDepth: before?.depth ?? 0, entries });
    }
    const sender = options.sender ?? '@alice:example.org';
    const membership = type === 'm.room.member' ? { userId: options.stateKey!, membership: String(options.content?.membership) } : undefined;
    const event: EventToPersist = {
      eventId, roomId: ROOM, type, stateKey: options.stateKey, sender, depth: ++depth, originServerTs: 1000 + position!,
      streamOrdering: position!, instanceName: 'main', json: JSON.stringify({ type, content: options.content ?? {} }),
      prevEventIds: prev, authEventIds: [], stateGroupBefore: before?.id, stateGroupAfter: after?.id, membership,
      txn: type === 'm.room.message' ? { userId: sender, deviceId: 'DEV', txnId: `t${position}` } : undefined,
    };
    await insertEvents(tx, [event]);
    if (options.stateKey !== undefined) {
      await updateCurrentState(tx, ROOM, [{ type, stateKey: options.stateKey, eventId, membership: membership?.membership, streamOrdering: position! }]);
    }
    await setForwardExtremities(tx, ROOM, [eventId]);
    group = after;
    prev = [eventId];
    return event;
  });
}

/** Registers the suite; `open` gives a migrated, empty database, `close` releases it. */
export function roomsStorageSuite(name: string, open: () => Promise<Database>, close: (db: Database) => Promise<void>): void {
  beforeAll(async () => {
    db = await open();
    await insertRoom(db, { roomId: ROOM, roomVersion: '11', creator: '@alice:example.org', isPublic: false, createdTs: 1 });
  });
  afterAll(async () => close(db));

  describe(name, () => {
    it('persists events and reads timelines, state, memberships and txn ids back', async () => {
      const create = await append('m.room.create', { stateKey: '' });
      const join = await append('m.room.member', { stateKey: '@alice:example.org', content: { membership: 'join' } });
      const msg1 = await append('m.room.message', { content: { body: 'one' } });
      const bobJoin = await append('m.room.member', { stateKey: '@bob:example.org', sender: '@bob:example.org', content: { membership: 'join' } });
      const msg2 = await append('m.room.message', { content: { body: 'two', url: 'mxc://x/y' } });
      const bobLeave = await append('m.room.member', { stateKey: '@bob:example.org', sender: '@bob:example.org', content: { membership: 'leave' } });

      expect(await getLatestEventStreamPosition(db)).toBe(bobLeave.streamOrdering);
      const back = await getRoomEvents(db, ROOM, { from: bobLeave.streamOrdering, limit: 3 });
      expect(back.events.map((e) => e.eventId)).toEqual([bobLeave.eventId, msg2.eventId, bobJoin.eventId]);
      expect(back.limited).toBe(true);
      const rest = await getRoomEvents(db, ROOM, { from: back.next, limit: 10 });
      expect(rest.events.map((e) => e.eventId)).toEqual([msg1.eventId, join.eventId, create.eventId]);
      const fwd = await getRoomEvents(db, ROOM, { from: join.streamOrdering, to: msg2.streamOrdering, direction: 'f', limit: 10 });
      expect(fwd.events.map((e) => e.eventId)).toEqual([msg1.eventId, bobJoin.eventId, msg2.eventId]);
      const onlyMessages = await getRoomEvents(db, ROOM, { from: bobLeave.streamOrdering, limit: 10, filter: { types: ['m.room.mess*'], containsUrl: true } });
      expect(onlyMessages.events.map((e) => e.eventId)).toEqual([msg2.eventId]);
      expect((await getEvent(db, msg1.eventId))?.pdu).toEqual({ type: 'm.room.message', content: { body: 'one' } });

      const current = await getCurrentStateIds(db, ROOM);
      expect(current).toHaveLength(3);
      const before = await getStateIdsAtEvent(db, bobLeave.eventId, { when: 'before' });
      expect(before?.find((e) => e.stateKey === '@bob:example.org')?.eventId).toBe(bobJoin.eventId);
      const atMsg1 = await getStateIdsAtPosition(db, ROOM, msg1.streamOrdering);
      expect(atMsg1.map((e) => e.eventId).sort()).toEqual([create.eventId, join.eventId].sort());

      expect((await getRoomsForUser(db, '@bob:example.org')).length).toBe(0);
      expect((await getRoomsForUser(db, '@bob:example.org', { memberships: ['leave'] })).map((r) => r.roomId)).toEqual([ROOM]);
      expect((await getRoomsForUser(db, '@bob:example.org', { atPosition: msg2.streamOrdering })).map((r) => r.eventId)).toEqual([bobJoin.eventId]);
      const changes = await getMembershipChanges(db, '@bob:example.org', { from: 0, to: bobLeave.streamOrdering });
      expect(changes.map((c) => c.membership)).toEqual(['join', 'leave']);
      expect((await getRoomMembers(db, ROOM, { memberships: ['join'] })).map((m) => m.userId)).toEqual(['@alice:example.org']);
      expect(await getRoomsWithEventsBetween(db, [ROOM, '!other:x'], { from: msg2.streamOrdering, to: bobLeave.streamOrdering })).toEqual(new Set([ROOM]));
      expect(await getRoomActivityBetween(db, [ROOM], { from: msg2.streamOrdering, to: bobLeave.streamOrdering })).toEqual(new Map([[ROOM, { memberEvents: true }]]));
      expect(await getRoomActivityBetween(db, [ROOM], { from: bobJoin.streamOrdering, to: msg2.streamOrdering })).toEqual(new Map([[ROOM, { memberEvents: false }]]));
      expect(await getRoomActivityBetween(db, [ROOM], { from: bobLeave.streamOrdering, to: bobLeave.streamOrdering + 5 })).toEqual(new Map());
      // Heroes exclude the asker; Bob (left) counts for nobody.
      expect(await roomMemberSummaries(db, '@bob:example.org', [ROOM, '!other:x'])).toEqual(new Map([[ROOM, { joined: 1, invited: 0, heroes: ['@alice:example.org'], named: false }]]));
      expect(await roomMemberSummaries(db, '@alice:example.org', [ROOM])).toEqual(new Map([[ROOM, { joined: 1, invited: 0, heroes: [], named: false }]]));
      expect(await getStateGroupAtPosition(db, ROOM, msg1.streamOrdering)).toBe((await getEvent(db, join.eventId))?.stateGroupAfter);
      expect(await getStateGroupAtPosition(db, ROOM, 0)).toBeUndefined();
      expect(await getEventIdForTxn(db, { roomId: ROOM, userId: '@alice:example.org', deviceId: 'DEV', txnId: `t${msg1.streamOrdering}` })).toBe(msg1.eventId);

      const snapshot = await loadPersisterSnapshot(db, ROOM);
      expect(snapshot?.forwardExtremities).toEqual([{ eventId: bobLeave.eventId, depth: 6 }]);
      expect(snapshot?.currentState).toHaveLength(3);
    });

    it('cuts delta chains with snapshots and still reads every state correctly', async () => {
      const events: EventToPersist[] = [];
      for (let i = 0; i < 12; i++) events.push(await append('m.room.member', { stateKey: `@u${i}:example.org`, sender: `@u${i}:example.org`, content: { membership: 'join' }, snapshotEvery: 5 }));
      const { rows } = await db.query<{ n: number }>('SELECT max(delta_depth) AS n FROM state_groups');
      expect(Number(rows[0]?.n)).toBeLessThan(5);
      const after = await getStateIdsAtEvent(db, events[11]!.eventId);
      expect(after?.filter((e) => e.type === 'm.room.member' && e.stateKey.startsWith('@u'))).toHaveLength(12);
      const mid = await getStateIdsAtEvent(db, events[6]!.eventId, { types: ['m.room.member'] });
      expect(mid?.filter((e) => e.stateKey.startsWith('@u'))).toHaveLength(7);
    });

    it('stores a batch in one call: relations, redactions, txn ids, repeated state keys', async () => {
      await db.transaction(async (tx) => {
        const [a, b, c, d] = await allocateEventPositions(tx, 4);
        const base = { roomId: ROOM, sender: '@alice:example.org', originServerTs: 5, instanceName: 'main', authEventIds: [], stateGroupBefore: undefined, stateGroupAfter: undefined };
        await insertEvents(tx, [
          { ...base, eventId: '$root', type: 'm.room.message', stateKey: undefined, depth: 100, streamOrdering: a!, json: '{"content":{"body":"root"}}', prevEventIds: prev, txn: { userId: '@alice:example.org', deviceId: 'D2', txnId: 'batch' } },
          { ...base, eventId: '$reply', type: 'm.room.message', stateKey: undefined, depth: 101, streamOrdering: b!, json: '{}', prevEventIds: ['$root'], relation: { relatesTo: '$root', relType: 'm.thread' } },
          { ...base, eventId: '$redact', type: 'm.room.redaction', stateKey: undefined, depth: 102, streamOrdering: c!, json: '{}', prevEventIds: ['$reply'], redacts: '$root' },
          { ...base, eventId: '$topic', type: 'm.room.topic', stateKey: '', depth: 103, streamOrdering: d!, json: '{}', prevEventIds: ['$redact'] },
        ]);
        await updateCurrentState(tx, ROOM, [
          { type: 'm.room.topic', stateKey: '', eventId: '$redact', membership: undefined, streamOrdering: c! },
          { type: 'm.room.topic', stateKey: '', eventId: '$topic', membership: undefined, streamOrdering: d! },
        ]);
        await setForwardExtremities(tx, ROOM, ['$topic']);
      });
      expect((await getEvent(db, '$root'))?.redactedBy).toBe('$redact');
      expect((await getRelatedEvents(db, '$root')).events.map((e) => e.eventId)).toEqual(['$reply']);
      expect(await getEventIdForTxn(db, { roomId: ROOM, userId: '@alice:example.org', deviceId: 'D2', txnId: 'batch' })).toBe('$root');
      expect((await getCurrentStateIds(db, ROOM, { types: ['m.room.topic'] })).map((e) => e.eventId)).toEqual(['$topic']);
      expect((await loadPersisterSnapshot(db, ROOM))?.forwardExtremities).toEqual([{ eventId: '$topic', depth: 103 }]);
    });

    it('writes a batch of events with their edges, auth, memberships, relations and txn ids in one statement', async () => {
      const statements: string[] = [];
      await db.transaction(async (tx) => {
        const counting = { query: (sql: string, params?: readonly unknown[]) => (statements.push(sql), tx.query(sql, params)) } as typeof tx;
        const [a, b, c] = await allocateEventPositions(tx, 3);
        const base = { roomId: ROOM, sender: '@carol:example.org', originServerTs: 9, instanceName: 'main', stateGroupBefore: undefined, stateGroupAfter: undefined };
        await insertEvents(counting, [
          { ...base, eventId: '$one', type: 'm.room.message', stateKey: undefined, depth: 200, streamOrdering: a!, json: '{}', prevEventIds: ['$topic'], authEventIds: ['$e1', '$e2'], txn: { userId: '@carol:example.org', deviceId: 'C', txnId: 'one' } },
          { ...base, eventId: '$two', type: 'm.room.member', stateKey: '@carol:example.org', depth: 201, streamOrdering: b!, json: '{}', prevEventIds: ['$one'], authEventIds: ['$e1'], membership: { userId: '@carol:example.org', membership: 'join', displayName: 'Carol' } },
          { ...base, eventId: '$three', type: 'm.room.message', stateKey: undefined, depth: 202, streamOrdering: c!, json: '{}', prevEventIds: ['$two', '$one'], authEventIds: [], relation: { relatesTo: '$one', relType: 'm.annotation', aggregationKey: '+' }, txn: { userId: '@carol:example.org', deviceId: 'C', txnId: 'three' } },
        ]);
      });
      expect(statements).toHaveLength(1);
      const ids = ['$one', '$two', '$three'];
      const rowsOf = async (sql: string) => (await db.query<Record<string, unknown>>(sql, [ids])).rows;
      expect((await rowsOf('SELECT event_id, stream_ordering FROM events WHERE event_id = ANY($1::text[])')).length).toBe(3);
      expect(await rowsOf('SELECT event_id, prev_event_id FROM event_edges WHERE event_id = ANY($1::text[]) ORDER BY event_id, prev_event_id')).toEqual([
        { event_id: '$one', prev_event_id: '$topic' },
        { event_id: '$three', prev_event_id: '$one' },
        { event_id: '$three', prev_event_id: '$two' },
        { event_id: '$two', prev_event_id: '$one' },
      ]);
      expect(await rowsOf('SELECT event_id, auth_id FROM event_auth WHERE event_id = ANY($1::text[]) ORDER BY event_id, auth_id')).toEqual([
        { event_id: '$one', auth_id: '$e1' },
        { event_id: '$one', auth_id: '$e2' },
        { event_id: '$two', auth_id: '$e1' },
      ]);
      expect(await rowsOf('SELECT event_id, user_id, membership, display_name FROM room_memberships WHERE event_id = ANY($1::text[])')).toEqual([
        { event_id: '$two', user_id: '@carol:example.org', membership: 'join', display_name: 'Carol' },
      ]);
      expect((await getRelatedEvents(db, '$one')).events.map((e) => e.eventId)).toEqual(['$three']);
      expect(await getEventIdForTxn(db, { roomId: ROOM, userId: '@carol:example.org', deviceId: 'C', txnId: 'one' })).toBe('$one');
      expect(await getEventIdForTxn(db, { roomId: ROOM, userId: '@carol:example.org', deviceId: 'C', txnId: 'three' })).toBe('$three');
    });

    it('looks several transaction IDs up in one statement, each as a lookup of its own would', async () => {
      const alice = '@alice:example.org';
      const keys = [
        { roomId: ROOM, userId: alice, deviceId: 'D2', txnId: 'batch' },
        { roomId: ROOM, userId: alice, deviceId: 'DEV', txnId: 'never sent' },
        { roomId: ROOM, userId: alice, deviceId: 'OTHER', txnId: 'batch' },
        { roomId: '!elsewhere:example.org', userId: alice, deviceId: 'D2', txnId: 'batch' },
      ];
      const batched = await getTxnEvents(db, keys);
      expect(batched.get(txnKeyString(keys[0]!))).toMatchObject({ eventId: '$root', writer: 'main' });
      expect([...batched.keys()]).toEqual([txnKeyString(keys[0]!)]);
      for (const key of keys) expect(batched.get(txnKeyString(key))).toEqual(await getTxnEvent(db, key));
    });
  });
}
