// The cost side of /sync's history visibility: which windows need no query at all, which one
// query, and that the answer is the same either way.
import type { Database, StoredEvent } from '@homeserver/storage';
import { describe, expect, it } from 'vitest';
import { visibleTimeline } from './timeline-visibility.ts';

const BOB = '@bob:test';
const ROOM = '!r:test';

function event(streamOrdering: number, type = 'm.room.message', stateKey?: string): StoredEvent {
  return { eventId: `$e${streamOrdering}`, roomId: ROOM, type, stateKey, sender: '@alice:test', streamOrdering } as unknown as StoredEvent;
}

/** A database answering the two visibility queries from fixed rows, counting what it is asked. */
function fakeDb(visibility: Array<{ position: number; value: string }>, memberships: Array<{ membership: string; streamOrdering: number }>) {
  const asked: string[] = [];
  const db = {
    async query(sql: string) {
      if (sql.includes("'m.room.history_visibility'")) {
        asked.push('visibility');
        return { rows: visibility.map((v) => ({ stream_ordering: v.position, json: JSON.stringify({ content: { history_visibility: v.value } }) })) };
      }
      if (sql.includes('room_memberships')) {
        asked.push('memberships');
        return { rows: memberships.map((m) => ({ room_id: ROOM, user_id: BOB, membership: m.membership, event_id: `$m${m.streamOrdering}`, sender: BOB, stream_ordering: m.streamOrdering })) };
      }
      throw new Error(`unexpected query ${sql}`);
    },
  };
  return { db: db as unknown as Database, asked };
}

const ids = (events: StoredEvent[]) => events.map((e) => e.streamOrdering);

describe('visibleTimeline', () => {
  it('asks nothing when the user was joined before the first event of the window', async () => {
    const { db, asked } = fakeDb([{ position: 2, value: 'joined' }], [{ membership: 'join', streamOrdering: 10 }]);
    const events = [event(11), event(12), event(13)];
    expect(ids(await visibleTimeline(db, events, { roomId: ROOM, userId: BOB, ceiling: 13, joinedSince: 10 }))).toEqual([11, 12, 13]);
    expect(asked).toEqual([]);
  });

  it('counts the join itself as joined (own membership): still no query', async () => {
    const { db, asked } = fakeDb([], []);
    const events = [event(10, 'm.room.member', BOB), event(11)];
    expect(ids(await visibleTimeline(db, events, { roomId: ROOM, userId: BOB, ceiling: 11, joinedSince: 10 }))).toEqual([10, 11]);
    expect(asked).toEqual([]);
  });

  it('asks only for the visibility changes when the room never hid anything from members', async () => {
    const { db, asked } = fakeDb([{ position: 2, value: 'shared' }, { position: 4, value: 'world_readable' }], [{ membership: 'join', streamOrdering: 10 }]);
    const events = [event(5), event(10, 'm.room.member', BOB), event(11)];
    expect(ids(await visibleTimeline(db, events, { roomId: ROOM, userId: BOB, ceiling: 11, joinedSince: 10 }))).toEqual([5, 10, 11]);
    expect(asked).toEqual(['visibility']);
  });

  it('filters a window reaching before the join of a joined-only room, with the history given or loaded', async () => {
    const memberships = [{ membership: 'join', streamOrdering: 10 }];
    const events = [event(5), event(10, 'm.room.member', BOB), event(11)];
    const loaded = fakeDb([{ position: 2, value: 'joined' }], memberships);
    expect(ids(await visibleTimeline(loaded.db, events, { roomId: ROOM, userId: BOB, ceiling: 11, joinedSince: 10 }))).toEqual([10, 11]);
    expect(loaded.asked).toEqual(['visibility', 'memberships']);
    const given = fakeDb([{ position: 2, value: 'joined' }], []);
    expect(ids(await visibleTimeline(given.db, events, { roomId: ROOM, userId: BOB, ceiling: 11, joinedSince: 10, history: memberships }))).toEqual([10, 11]);
    expect(given.asked).toEqual(['visibility']);
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
    expect(ids(await visibleTimeline(db, events, { roomId: ROOM, userId: BOB, ceiling: 15, history }))).toEqual([8]);
    expect(ids(await visibleTimeline(db, events, { roomId: ROOM, userId: BOB, ceiling: 30, history }))).toEqual([3, 8]);
  });
});
