// The push-actions hook runs inside the sync role's events reader before long-polls wake, so a
// batch must cost a bounded number of statements however many events it holds; and the
// outcomes must be what each member's rules say.
import type { Database } from '@homeserver/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSyncEnv, type SyncEnv } from '../testing/sync-env.ts';
import { pushActionsHook } from '@homeserver/services';

const ALICE = '@alice:test';
const BOB = '@bob:test';
const CAROL = '@carol:test';
const ROOM = '!push:test';
let env: SyncEnv;

beforeAll(async () => {
  env = await openSyncEnv();
});
afterAll(async () => {
  await env.close();
});

/** The database, counting the statements run through it. */
function counting(db: Database): { db: Database; statements: () => number } {
  let statements = 0;
  const wrapped: Database = {
    kind: db.kind,
    query: (sql, params) => {
      statements++;
      return db.query(sql, params);
    },
    transaction: (work) => db.transaction(work),
    exec: (sql) => db.exec(sql),
    acquireSession: () => db.acquireSession(),
    close: () => db.close(),
  };
  return { db: wrapped, statements: () => statements };
}

describe('pushActionsHook', () => {
  it('stores every member\'s outcome for a batch of many events in a bounded number of statements', async () => {
    await env.rooms.createRoom(ROOM, ALICE);
    await env.rooms.join(ROOM, BOB);
    await env.rooms.join(ROOM, CAROL);
    const sent: Array<{ eventId: string; position: number; sender: string }> = [];
    for (let i = 0; i < 40; i++) {
      const sender = i % 2 === 0 ? ALICE : BOB;
      const content = i === 7 ? { msgtype: 'm.text', body: 'carol!', 'm.mentions': { user_ids: [CAROL] } } : { msgtype: 'm.text', body: `m${i}` };
      sent.push({ ...(await env.rooms.send(ROOM, sender, 'm.room.message', content)), sender });
    }
    // Recompute from scratch what the running reader already stored (once it has read them all).
    await env.views.catchUpEvents(5000);
    await env.db.query('DELETE FROM event_push_actions WHERE room_id = $1', [ROOM]);
    const { db, statements } = counting(env.db);
    const rulesAsked: string[] = [];
    const hook = pushActionsHook(db, { pushRulesOf: async (userIds) => (rulesAsked.push(...userIds), new Map()) });
    await hook(sent.map((event) => ({
      writer: 'main', position: event.position,
      data: { eventId: event.eventId, roomId: ROOM, type: 'm.room.message', stateKey: undefined, sender: event.sender, membership: undefined },
    })));

    // One read of the events, members and power levels once for the room, one insert: not per event.
    expect(statements()).toBeLessThanOrEqual(5);
    expect(rulesAsked.sort()).toEqual([ALICE, BOB, CAROL]);
    const { rows } = await env.db.query<{ user_id: string; n: number; highlights: number }>(
      'SELECT user_id, count(*)::int AS n, count(*) FILTER (WHERE highlight)::int AS highlights FROM event_push_actions WHERE room_id = $1 GROUP BY user_id ORDER BY user_id',
      [ROOM],
    );
    // Each member is notified of the others' messages (default rules); CAROL's mention highlights.
    expect(rows).toEqual([
      { user_id: ALICE, n: 20, highlights: 0 },
      { user_id: BOB, n: 20, highlights: 0 },
      { user_id: CAROL, n: 40, highlights: 1 },
    ]);
  });

  it('keeps a room\'s members across batches until its state changes', async () => {
    const room = '!push-state:test';
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.join(room, BOB);
    const { db, statements } = counting(env.db);
    const hook = pushActionsHook(db, { pushRulesOf: async () => new Map() });
    const record = (event: { eventId: string; position: number }, sender: string, type = 'm.room.message', stateKey?: string) => ({
      writer: 'main', position: event.position,
      data: { eventId: event.eventId, roomId: room, type, stateKey, sender, membership: undefined },
    });
    const notified = async (eventId: string) =>
      (await env.db.query<{ user_id: string }>('SELECT user_id FROM event_push_actions WHERE event_id = $1 ORDER BY user_id', [eventId])).rows.map((r) => r.user_id);

    const first = await env.rooms.message(room, ALICE, 'one');
    await hook([record(first, ALICE)]);
    const cold = statements();
    const second = await env.rooms.message(room, ALICE, 'two');
    await hook([record(second, ALICE)]);
    // The events and the insert: members and power levels come from the first batch.
    expect(statements() - cold).toBe(2);
    expect(await notified(second.eventId)).toEqual([BOB]);

    // CAROL joins: the next message has a new state before it, so she is read and notified.
    const join = await env.rooms.join(room, CAROL);
    const third = await env.rooms.message(room, ALICE, 'three');
    await hook([record(join, CAROL, 'm.room.member', CAROL), record(third, ALICE)]);
    expect(await notified(third.eventId)).toEqual([BOB, CAROL]);
  });
});
