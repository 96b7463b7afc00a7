// /sync's history visibility per window: the newest visible run, and its cost (which windows
// need no query at all, which one query).
import type { Database, StoredEvent } from '@homeserver/storage';
import { describe, expect, it } from 'vitest';
import { visibleRun } from './timeline-visibility.ts';

const BOB = '@bob:test';
const ROOM = '!r:test';

function event(streamOrdering: number, type = 'm.room.message', stateKey?: string): StoredEvent {
  return { eventId: `$e${streamOrdering}`, roomId: ROOM, type, stateKey, sender: '@alice:test', streamOrdering } as unknown as StoredEvent;
}

/** A database answering the visibility (and erasure) queries from fixed rows, counting what it is asked. */
function fakeDb(visibility: Array<{ position: number; value: string }>, memberships: Array<{ membership: string; streamOrdering: number }>, erased: string[] = [], currentState: number[] = []) {
  const asked: string[] = [];
  const db = {
    async query(sql: string) {
      if (sql.includes("'m.room.history_visibility'")) {
        asked.push('visibility');
        return { rows: visibility.map((v) => ({ room_id: ROOM, stream_ordering: v.position, json: JSON.stringify({ content: { history_visibility: v.value } }) })) };
      }
      if (sql.includes('room_memberships')) {
        asked.push('memberships');
        return { rows: memberships.map((m) => ({ room_id: ROOM, user_id: BOB, membership: m.membership, event_id: `$m${m.streamOrdering}`, sender: BOB, stream_ordering: m.streamOrdering })) };
      }
      if (sql.includes('erased_users')) {
        asked.push('erased');
        return { rows: erased.map((user_id) => ({ user_id })) };
      }
      if (sql.includes('current_state_events')) {
        asked.push('current state');
        return { rows: currentState.map((position) => ({ type: 'm.room.topic', state_key: '', event_id: `$e${position}` })) };
      }
      if (sql.includes('FROM rooms')) return { rows: [{ room_id: ROOM, room_version: '10', creator: null, is_public: false, created_ts: 0 }] };
      throw new Error(`unexpected query ${sql}`);
    },
  };
  return { db: db as unknown as Database, asked };
}

/** The shown positions oldest first, with '|' in front when a hidden event was left out. */
async function run(db: Database, events: StoredEvent[], options: Parameters<typeof visibleRun>[2]): Promise<Array<number | string>> {
  const result = await visibleRun(db, [...events].reverse(), options);
  const ids = result.events.map((e) => e.streamOrdering).reverse();
  return result.cut ? ['|', ...ids] : ids;
}

describe('visibleRun', () => {
  it('asks nothing when the user was joined before the first event of the window', async () => {
    const { db, asked } = fakeDb([{ position: 2, value: 'joined' }], [{ membership: 'join', streamOrdering: 10 }]);
    const events = [event(11), event(12), event(13)];
    expect(await run(db, events, { roomId: ROOM, userId: BOB, ceiling: 13, joinedSince: 10 })).toEqual([11, 12, 13]);
    expect(asked).toEqual([]);
  });

  it('counts the join itself as joined (own membership): still no query', async () => {
    const { db, asked } = fakeDb([], []);
    const events = [event(10, 'm.room.member', BOB), event(11)];
    expect(await run(db, events, { roomId: ROOM, userId: BOB, ceiling: 11, joinedSince: 10 })).toEqual([10, 11]);
    expect(asked).toEqual([]);
  });

  it('asks only for the visibility changes when the room never hid anything from members', async () => {
    const { db, asked } = fakeDb([{ position: 2, value: 'shared' }, { position: 4, value: 'world_readable' }], [{ membership: 'join', streamOrdering: 10 }]);
    const events = [event(5), event(10, 'm.room.member', BOB), event(11)];
    expect(await run(db, events, { roomId: ROOM, userId: BOB, ceiling: 11, joinedSince: 10 })).toEqual([5, 10, 11]);
    expect(asked).toEqual(['visibility']);
  });

  it('filters a window reaching before the join of a joined-only room, with the history given or loaded', async () => {
    const memberships = [{ membership: 'join', streamOrdering: 10 }];
    const events = [event(5), event(10, 'm.room.member', BOB), event(11)];
    const loaded = fakeDb([{ position: 2, value: 'joined' }], memberships);
    expect(await run(loaded.db, events, { roomId: ROOM, userId: BOB, ceiling: 11, joinedSince: 10 })).toEqual(['|', 10, 11]);
    expect(loaded.asked).toEqual(['visibility', 'memberships', 'current state']);
    const given = fakeDb([{ position: 2, value: 'joined' }], []);
    expect(await run(given.db, events, { roomId: ROOM, userId: BOB, ceiling: 11, joinedSince: 10, history: memberships })).toEqual(['|', 10, 11]);
    expect(given.asked).toEqual(['visibility', 'current state']);
  });

  it('ignores memberships after the ceiling (the window ends before a later join)', async () => {
    // Invited at 5, rejected at 8; the window ends at 15; a join at 30 lies beyond it.
    const history = [
      { membership: 'invite', streamOrdering: 5 },
      { membership: 'leave', streamOrdering: 8 },
      { membership: 'join', streamOrdering: 30 },
    ];
    const events = [event(3), event(8, 'm.room.member', BOB)];
    const { db } = fakeDb([], []);
    expect(await run(db, events, { roomId: ROOM, userId: BOB, ceiling: 15, history })).toEqual(['|', 8]);
    expect(await run(db, events, { roomId: ROOM, userId: BOB, ceiling: 30, history })).toEqual([3, 8]);
  });

  it('leaves out what was hidden, but not what is still current state (Synapse)', async () => {
    // joined-only: joined at 10, left at 20 (away 21-29), back at 30.
    const history = [
      { membership: 'join', streamOrdering: 10 },
      { membership: 'leave', streamOrdering: 20 },
      { membership: 'join', streamOrdering: 30 },
    ];
    const { db } = fakeDb([{ position: 1, value: 'joined' }], []);
    const events = [event(15), event(20, 'm.room.member', BOB), event(25), event(26, 'm.room.topic', ''), event(30, 'm.room.member', BOB), event(31)];
    expect(await run(db, events, { roomId: ROOM, userId: BOB, ceiling: 31, joinedSince: 30, history })).toEqual(['|', 15, 20, 30, 31]);
    // The topic set while away is still the room's topic: shown.
    const withTopic = fakeDb([{ position: 1, value: 'joined' }], [], [], [26]);
    expect(await run(withTopic.db, events, { roomId: ROOM, userId: BOB, ceiling: 31, joinedSince: 30, history })).toEqual(['|', 15, 20, 26, 30, 31]);
  });

  it('redacts events of erased senders from before the join, asking for memberships only when one is erased', async () => {
    const said = (n: number): StoredEvent => ({ ...event(n), pdu: { type: 'm.room.message', content: { body: `said ${n}` } } }) as unknown as StoredEvent;
    const events = [said(5), event(10, 'm.room.member', BOB), said(11)];
    const bodies = async (db: Database) => (await visibleRun(db, [...events].reverse(), { roomId: ROOM, userId: BOB, ceiling: 11, joinedSince: 10 })).events.map((e) => (e.pdu as { content?: { body?: string } } | undefined)?.content?.body).reverse();
    const nobody = fakeDb([{ position: 2, value: 'shared' }], [{ membership: 'join', streamOrdering: 10 }]);
    expect(await bodies(nobody.db)).toEqual(['said 5', undefined, 'said 11']);
    expect(nobody.asked).toEqual(['visibility', 'erased']);
    const alice = fakeDb([{ position: 2, value: 'shared' }], [{ membership: 'join', streamOrdering: 10 }], ['@alice:test']);
    expect(await bodies(alice.db)).toEqual([undefined, undefined, 'said 11']);
    expect(alice.asked).toEqual(['visibility', 'erased', 'memberships']);
  });
});
