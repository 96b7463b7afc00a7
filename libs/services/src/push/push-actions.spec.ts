// Push actions of a batch: each joined member's rules decide (the sender never notifies
// themselves), and a whole batch costs one read of the rules and one insert, whatever its size:
// the room's persister runs this inside its commit transaction.
import type { JsonObject } from '@homeserver/matrix';
import { openDatabase, upsertAccountData, type Database, type Queryable } from '@homeserver/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storePushActions, type PushCandidate, type PushContext } from './push-actions.ts';

const ALICE = '@alice:test';
const BOB = '@bob:test';
const CAROL = '@carol:test';
const ROOM = '!push:test';
let db: Database;

beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite' });
});
afterAll(async () => {
  await db.close();
});

/** The queryable, counting the statements run through it. */
function counting(inner: Queryable): { via: Queryable; statements: () => number } {
  let statements = 0;
  const via: Queryable = {
    query: (sql, params) => {
      statements++;
      return inner.query(sql, params);
    },
  };
  return { via, statements: () => statements };
}

const context: PushContext = { members: new Map([[ALICE, 'alice'], [BOB, 'bob'], [CAROL, 'carol']]), powerLevels: { users: { [ALICE]: 100 } } };

function message(n: number, sender: string, content: JsonObject, push: PushContext = context): PushCandidate {
  const eventId = `$m${n}:test`;
  return { eventId, roomId: ROOM, sender, streamOrdering: n, context: push, pdu: { type: 'm.room.message', sender, room_id: ROOM, content, origin_server_ts: n, depth: n } };
}

async function stored(roomId = ROOM): Promise<Array<{ user_id: string; n: number; highlights: number }>> {
  const { rows } = await db.query<{ user_id: string; n: number; highlights: number }>(
    'SELECT user_id, count(*)::int AS n, count(*) FILTER (WHERE highlight)::int AS highlights FROM event_push_actions WHERE room_id = $1 GROUP BY user_id ORDER BY user_id',
    [roomId],
  );
  return rows;
}

describe('storePushActions', () => {
  it('stores every member\'s outcome for a batch of many events in two statements', async () => {
    const batch = Array.from({ length: 40 }, (_unused, i) =>
      message(i + 1, i % 2 === 0 ? ALICE : BOB, i === 7 ? { msgtype: 'm.text', body: 'carol!', 'm.mentions': { user_ids: [CAROL] } } : { msgtype: 'm.text', body: `m${i}` }),
    );
    const { via, statements } = counting(db);
    await storePushActions(via, batch);
    // One read of the members' rules, one insert.
    expect(statements()).toBe(2);
    // Each member is notified of the others' messages (default rules); CAROL's mention highlights.
    expect(await stored()).toEqual([
      { user_id: ALICE, n: 20, highlights: 0 },
      { user_id: BOB, n: 20, highlights: 0 },
      { user_id: CAROL, n: 40, highlights: 1 },
    ]);
    // Idempotent: the same batch again stores nothing twice.
    await storePushActions(db, batch);
    expect((await stored()).map((row) => row.n)).toEqual([20, 20, 40]);
  });

  it('follows each member\'s own rules and records the thread', async () => {
    const room = '!rules:test';
    // BOB mutes the room with an override rule of his own.
    await upsertAccountData(db, 1, {
      userId: BOB,
      roomId: '',
      type: 'm.push_rules',
      content: { global: { override: [{ rule_id: room, default: false, enabled: true, conditions: [{ kind: 'event_match', key: 'room_id', pattern: room }], actions: [] }] } },
      instanceName: 'main',
    });
    const push: PushContext = { members: new Map([[ALICE, undefined], [BOB, undefined], [CAROL, undefined]]), powerLevels: undefined };
    const root = { ...message(100, ALICE, { msgtype: 'm.text', body: 'root' }, push), roomId: room };
    const reply = { ...message(101, CAROL, { msgtype: 'm.text', body: 'in thread', 'm.relates_to': { rel_type: 'm.thread', event_id: root.eventId } }, push), roomId: room };
    const rows = await storePushActions(db, [root, reply]);
    expect(rows.map((row) => [row.userId, row.eventId, row.threadId])).toEqual([
      [CAROL, root.eventId, 'main'],
      [ALICE, reply.eventId, root.eventId],
    ]);
  });

  it('evaluates only the users of this server, counting every member', async () => {
    const room = '!mixed:test';
    // Two members (one remote): room_member_count is 2, so the one-to-one rule rings.
    const push: PushContext = { members: new Map([[ALICE, undefined], ['@rob:remote.test', undefined]]), powerLevels: undefined };
    const fromRob = { ...message(300, '@rob:remote.test', { msgtype: 'm.text', body: 'hi' }, push), roomId: room };
    const fromAlice = { ...message(301, ALICE, { msgtype: 'm.text', body: 'hello' }, push), roomId: room };
    const rows = await storePushActions(db, [fromRob, fromAlice], { serverName: 'test' });
    expect(rows.map((row) => [row.userId, row.eventId])).toEqual([[ALICE, fromRob.eventId]]);
    expect(rows[0]!.actions).toContainEqual({ set_tweak: 'sound', value: 'default' });
  });

  it("evaluates an invite for its target too, who is not joined yet (the default invite rule notifies)", async () => {
    const room = '!invite:test';
    const push: PushContext = { members: new Map([[ALICE, undefined]]), powerLevels: undefined };
    const invite: PushCandidate = {
      eventId: '$invite:test',
      roomId: room,
      sender: ALICE,
      streamOrdering: 400,
      context: push,
      pdu: { type: 'm.room.member', state_key: BOB, sender: ALICE, room_id: room, content: { membership: 'invite', displayname: 'bob' }, origin_server_ts: 400, depth: 4 },
    };
    const rows = await storePushActions(db, [invite]);
    expect(rows.map((row) => [row.userId, row.eventId])).toEqual([[BOB, invite.eventId]]);
  });

  it('reads nothing for a room with no member but the sender', async () => {
    const { via, statements } = counting(db);
    const alone = message(200, ALICE, { msgtype: 'm.text', body: 'echo' }, { members: new Map([[ALICE, undefined]]), powerLevels: undefined });
    expect(await storePushActions(via, [alone])).toEqual([]);
    expect(statements()).toBe(0);
  });
});
