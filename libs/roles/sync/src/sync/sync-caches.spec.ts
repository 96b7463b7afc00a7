// The caches behind /sync: bounded by weight with least-recently-used eviction, and a state
// group read once however many woken long-polls ask for it at the same time, and a room's
// timeline pages forgotten when its history is purged (which moves no stream position), and state
// events read once and forgotten when one of their room's events is redacted.
import { getStateGroupIds, purgeRoomHistory, type Database } from '@homeserver/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSyncEnv, type SyncEnv } from '../testing/sync-env.ts';
import { BoundedCache, SyncCaches } from './sync-caches.ts';

describe('BoundedCache', () => {
  it('evicts the least recently used entries once the total weight passes the bound', () => {
    const cache = new BoundedCache<string, number[]>(5, (value) => value.length);
    cache.set('a', [1, 2]);
    cache.set('b', [1, 2]);
    expect(cache.get('a')).toEqual([1, 2]);
    // 'b' is now the least recently used: adding 2 more (total 6 > 5) drops it, not 'a'.
    cache.set('c', [1, 2]);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual([1, 2]);
    expect(cache.get('c')).toEqual([1, 2]);
    // A value heavier than the whole bound is not cached and evicts nothing.
    cache.set('huge', [1, 2, 3, 4, 5, 6]);
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.size).toBe(2);
    // Replacing a key replaces its weight.
    cache.set('a', [1]);
    cache.set('d', [1, 2]);
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([[1], [1, 2], [1, 2]]);
  });
});

function counting(db: Database): { db: Database; statements: () => number } {
  let statements = 0;
  return {
    db: { ...db, kind: db.kind, query: (sql, params) => (statements++, db.query(sql, params)), transaction: (work) => db.transaction(work), exec: (sql) => db.exec(sql), acquireSession: () => db.acquireSession(), listen: (channel, onNotify) => db.listen(channel, onNotify), close: () => db.close() },
    statements: () => statements,
  };
}

describe('SyncCaches', () => {
  let env: SyncEnv;
  beforeAll(async () => {
    env = await openSyncEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  it('reads a state group once for concurrent and later askers, frozen, and knows room versions', async () => {
    const room = '!caches:test';
    await env.rooms.createRoom(room, '@alice:test');
    const { rows } = await env.db.query<{ state_group_after: number }>(
      'SELECT state_group_after FROM events WHERE room_id = $1 AND state_group_after IS NOT NULL ORDER BY stream_ordering DESC LIMIT 1',
      [room],
    );
    const group = Number(rows[0]!.state_group_after);
    const { db, statements } = counting(env.db);
    const caches = new SyncCaches(db);
    const [a, b] = await Promise.all([caches.stateGroup(group), caches.stateGroup(group)]);
    const c = await caches.stateGroup(group);
    expect(statements()).toBe(1);
    expect(a).toBe(b);
    expect(c).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect([...a]).toEqual(await getStateGroupIds(env.db, group));
    expect(a.map((entry) => entry.type).sort()).toEqual(['m.room.create', 'm.room.join_rules', 'm.room.member', 'm.room.power_levels']);

    expect(await caches.roomVersion(room)).toBe('10');
    expect(await caches.roomVersion(room)).toBe('10');
    expect(statements()).toBe(2);
    // Unknown rooms default to '10' and are asked again (the room may appear later).
    expect(await caches.roomVersion('!unknown:test')).toBe('10');
    expect(await caches.roomVersion('!unknown:test')).toBe('10');
    expect(statements()).toBe(4);
  });

  it('forgets a room\'s timeline pages when its history is purged', async () => {
    const room = '!purged:test';
    await env.rooms.createRoom(room, '@alice:test');
    for (const body of ['old one', 'old two']) await env.rooms.message(room, '@alice:test', body);
    const kept = await env.rooms.message(room, '@alice:test', 'kept');
    const bodies = async () => {
      const { body } = await env.sync('@alice:test');
      return (body.rooms.join[room].timeline.events as Array<{ content: { body?: string } }>).flatMap((e) => (e.content.body === undefined ? [] : [e.content.body]));
    };
    // The page is read once and then shared by every sync at this position.
    expect(await bodies()).toEqual(['old one', 'old two', 'kept']);
    expect(await bodies()).toEqual(['old one', 'old two', 'kept']);
    const { rows } = await env.db.query<{ depth: number }>('SELECT depth FROM events WHERE event_id = $1', [kept.eventId]);
    await env.db.transaction((tx) => purgeRoomHistory(tx, room, { beforeDepth: Number(rows[0]!.depth), serverName: 'elsewhere.test' }));
    // No position moved: only the removal notice (delivered at commit) tells the cache.
    while ((await bodies()).includes('old one')) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await bodies()).toEqual(['kept']);
  });
});

describe('SyncCaches: state events', () => {
  let env: SyncEnv;
  beforeAll(async () => {
    env = await openSyncEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  const ALICE = '@alice:test';
  /** A filter whose timeline holds only the newest event: the topic set before it is in `state`. */
  const ONE_EVENT = { filter: JSON.stringify({ room: { timeline: { limit: 1 } } }) };
  async function topicInState(roomId: string): Promise<{ content: { topic?: string } } | undefined> {
    const { body } = await env.sync(ALICE, ONE_EVENT);
    return (body.rooms.join[roomId].state.events as Array<{ type: string; content: { topic?: string } }>).find((e) => e.type === 'm.room.topic');
  }
  async function roomWithTopic(roomId: string): Promise<string> {
    await env.rooms.createRoom(roomId, ALICE);
    const topic = await env.rooms.send(roomId, ALICE, 'm.room.topic', { topic: 'secret plans' }, '');
    await env.rooms.message(roomId, ALICE, 'after the topic');
    expect((await topicInState(roomId))?.content).toEqual({ topic: 'secret plans' });
    return topic.eventId;
  }

  it('reads state events once, frozen, and forgets a room\'s (only) when told to', async () => {
    const [a, b] = ['!state-a:test', '!state-b:test'];
    for (const room of [a, b]) await env.rooms.createRoom(room, ALICE);
    const entriesOf = async (room: string) => {
      const { rows } = await env.db.query<{ type: string; state_key: string; event_id: string }>('SELECT type, state_key, event_id FROM current_state_events WHERE room_id = $1', [room]);
      return rows.map((r) => ({ type: r.type, stateKey: r.state_key, eventId: r.event_id }));
    };
    const [entriesA, entriesB] = [await entriesOf(a), await entriesOf(b)];
    const { db, statements } = counting(env.db);
    const caches = new SyncCaches(db);
    const [first] = await Promise.all([caches.stateEvents(entriesA), caches.stateEvents(entriesB)]);
    expect(statements()).toBe(1);
    expect(first.map((e) => e.eventId).sort()).toEqual(entriesA.map((e) => e.eventId).sort());
    expect(first.every((e) => Object.isFrozen(e))).toBe(true);
    expect(await caches.stateEvents(entriesA)).toEqual(first);
    expect(statements()).toBe(1);
    caches.forgetRoom(a);
    await caches.stateEvents(entriesB);
    expect(statements()).toBe(1);
    await caches.stateEvents(entriesA);
    expect(statements()).toBe(2);
    // A read that overlapped a forgetRoom may hold an event redacted since: it is not kept.
    caches.forgetRoom(undefined);
    const racing = caches.stateEvents(entriesA);
    caches.forgetRoom(b);
    await racing;
    await caches.stateEvents(entriesA);
    expect(statements()).toBe(4);
  });

  it('serves a state event redacted without a stream row (backfill) redacted, once the database says so', async () => {
    const room = '!redacted-behind:test';
    const topicId = await roomWithTopic(room);
    // A redaction stored behind the timeline moves no stream: only the database's notice tells the cache.
    await env.db.query('UPDATE events SET redacted_by = $1 WHERE event_id = $2', ['$behind-redaction:test', topicId]);
    while ((await topicInState(room))?.content.topic !== undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await topicInState(room))?.content).toEqual({});
  });

  it('serves a state event redacted as soon as the redaction\'s stream row arrived', async () => {
    const room = '!redacted-row:test';
    const topicId = await roomWithTopic(room);
    // Without the database's notice, the redaction's own row in the events stream must do.
    await env.db.query('ALTER TABLE events DISABLE TRIGGER events_redacted');
    try {
      await env.db.query('UPDATE events SET redacted_by = $1 WHERE event_id = $2', ['$redaction:test', topicId]);
      const redaction = await env.rooms.send(room, ALICE, 'm.room.redaction', { redacts: topicId });
      const timelineIds = async () => ((await env.sync(ALICE, ONE_EVENT)).body.rooms.join[room].timeline.events as Array<{ event_id: string }>).map((e) => e.event_id);
      while (!(await timelineIds()).includes(redaction.eventId)) await new Promise((resolve) => setTimeout(resolve, 10));
      expect((await topicInState(room))?.content).toEqual({});
    } finally {
      await env.db.query('ALTER TABLE events ENABLE TRIGGER events_redacted');
    }
  });
});
