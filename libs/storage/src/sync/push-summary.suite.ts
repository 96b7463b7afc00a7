// The unread summary suite, run on PGlite (push-summary.spec.ts) and on real PostgreSQL
// (push-summary.int.spec.ts): unread counts read from event_push_summary equal the count of
// push actions after the read receipt that /sync made before the summary existed, through
// mentions, receipts moving (public, private, backwards, threaded, on an unknown event), a view
// behind the summary, re-stored actions, purged history, the migration's backfill, and a
// receipt and new actions committed concurrently.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../database.ts';
import { loadMigrations, splitStatements } from '../migrations.ts';
import { purgeRoomHistory } from '../admin/purge-history.ts';
import { allocateEventPositions, insertEvents, type EventToPersist } from '../rooms/persist-events.ts';
import { insertRoom } from '../rooms/room-queries.ts';
import { fenceRoomCommits, takeRoomOwnership } from '../rooms/room-input-store.ts';
import { insertPushActions, unreadCountsForRooms } from './push-action-store.ts';
import { refreshPushSummaries } from './push-summary-store.ts';
import { upsertReceipt } from './receipt-store.ts';

const ROOM = '!unread:example.org';
const BOB = '@bob:example.org';
const CAROL = '@carol:example.org';
const DAVE = '@dave:example.org';
let db: Database;
let receiptPosition = 0;

/**
 * The count /sync ran on every answer before issue 14: every action up to `upTo` after the
 * receipt or, without one, after the user's latest membership event (Synapse's rule).
 */
async function scanned(user: string, room: string, upTo: number): Promise<{ notificationCount: number; highlightCount: number }> {
  const { rows } = await db.query<{ notify: number; highlight: number }>(
    `SELECT count(*) FILTER (WHERE p.notify)::int AS notify, count(*) FILTER (WHERE p.highlight)::int AS highlight
       FROM (SELECT 1) one
       LEFT JOIN LATERAL (
         SELECT max(COALESCE(rc.event_stream_ordering, e.stream_ordering)) AS ordering
           FROM receipts rc LEFT JOIN events e ON e.event_id = rc.event_id
          WHERE rc.user_id = $1 AND rc.room_id = $2 AND rc.receipt_type IN ('m.read', 'm.read.private') AND rc.thread_id IN ('', 'main')
       ) receipt ON true
       LEFT JOIN LATERAL (SELECT max(m.stream_ordering) AS ordering FROM room_memberships m WHERE m.user_id = $1 AND m.room_id = $2) membership ON true
       LEFT JOIN event_push_actions p ON p.user_id = $1 AND p.room_id = $2
            AND p.stream_ordering > COALESCE(receipt.ordering, membership.ordering, 0) AND p.stream_ordering <= $3`,
    [user, room, upTo],
  );
  return { notificationCount: rows[0]!.notify, highlightCount: rows[0]!.highlight };
}

async function summarised(user: string, room: string, upTo: number) {
  return (await unreadCountsForRooms(db, user, [room], upTo)).get(room) ?? { notificationCount: 0, highlightCount: 0 };
}

/** The summary's counts equal the scan's at `upTo`; returns them. */
async function agreed(user: string, upTo: number) {
  const counts = await summarised(user, ROOM, upTo);
  expect(counts).toEqual(await scanned(user, ROOM, upTo));
  return counts;
}

let newest = 0;
/** A message from Alice notifying Bob and Carol (highlighting them when `mention`). */
async function message(options: { mention?: boolean; via?: Queryable; fence?: { instanceName: string; epoch: number } } = {}): Promise<EventToPersist> {
  const store = async (tx: Queryable) => {
    const [position] = await allocateEventPositions(tx, 1);
    const event: EventToPersist = {
      eventId: `$u${position}`, roomId: ROOM, type: 'm.room.message', stateKey: undefined, sender: '@alice:example.org', depth: position!, originServerTs: position!,
      streamOrdering: position!, instanceName: 'main', json: JSON.stringify({ type: 'm.room.message', content: { body: 'hi' } }), prevEventIds: [], authEventIds: [], stateGroupBefore: undefined, stateGroupAfter: undefined,
    };
    await insertEvents(tx, [event]);
    const highlight = options.mention === true;
    const actions = [BOB, CAROL].map((userId) => ({ userId, eventId: event.eventId, roomId: ROOM, streamOrdering: position!, threadId: 'main', notify: true, highlight, actions: ['notify'] }));
    if (options.fence === undefined) await insertPushActions(tx, actions);
    // As the event persister's group commit writes them: in the statement of the room's fence.
    else if ((await fenceRoomCommits(tx, [{ roomId: ROOM, owner: options.fence, head: undefined }], [], actions)).length > 0) throw new Error(`fenced out of ${ROOM}`);
    newest = Math.max(newest, position!);
    return event;
  };
  return options.via ? store(options.via) : db.transaction(store);
}

/** Dave's membership event from Alice (an invite's push action for him when `pushed`). */
async function membership(membership: string, options: { pushed?: boolean } = {}): Promise<EventToPersist> {
  return db.transaction(async (tx) => {
    const [position] = await allocateEventPositions(tx, 1);
    const event: EventToPersist = {
      eventId: `$m${position}`, roomId: ROOM, type: 'm.room.member', stateKey: DAVE, sender: '@alice:example.org', depth: position!, originServerTs: position!,
      streamOrdering: position!, instanceName: 'main', json: JSON.stringify({ type: 'm.room.member', state_key: DAVE, content: { membership } }), prevEventIds: [], authEventIds: [],
      stateGroupBefore: undefined, stateGroupAfter: undefined, membership: { userId: DAVE, membership },
    };
    await insertEvents(tx, [event]);
    // As the event persister does for a local user's membership (persist-batch.ts).
    await refreshPushSummaries(tx, [{ userId: DAVE, roomId: ROOM }], { createMissing: false });
    if (options.pushed === true) {
      await insertPushActions(tx, [{ userId: DAVE, eventId: event.eventId, roomId: ROOM, streamOrdering: position!, threadId: 'main', notify: true, highlight: false, actions: ['notify'] }]);
    }
    newest = Math.max(newest, position!);
    return event;
  });
}

/** A message from Alice notifying Dave. */
async function messageToDave(): Promise<void> {
  await db.transaction(async (tx) => {
    const [position] = await allocateEventPositions(tx, 1);
    const event: EventToPersist = {
      eventId: `$d${position}`, roomId: ROOM, type: 'm.room.message', stateKey: undefined, sender: '@alice:example.org', depth: position!, originServerTs: position!,
      streamOrdering: position!, instanceName: 'main', json: JSON.stringify({ type: 'm.room.message', content: { body: 'hi dave' } }), prevEventIds: [], authEventIds: [],
      stateGroupBefore: undefined, stateGroupAfter: undefined,
    };
    await insertEvents(tx, [event]);
    await insertPushActions(tx, [{ userId: DAVE, eventId: event.eventId, roomId: ROOM, streamOrdering: position!, threadId: 'main', notify: true, highlight: false, actions: ['notify'] }]);
    newest = Math.max(newest, position!);
  });
}

async function receipt(user: string, eventId: string, options: { type?: string; threadId?: string } = {}): Promise<boolean> {
  return db.transaction((tx) => upsertReceipt(tx, ++receiptPosition, { roomId: ROOM, receiptType: options.type ?? 'm.read', userId: user, threadId: options.threadId, eventId, ts: 1, instanceName: 'main' }));
}

/** Until a backend of this database waits on a lock (the actions' statement on the receipt's row). */
async function waitForLockWaiter(): Promise<void> {
  for (;;) {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    if (rows[0]!.n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Registers the suite; `open` gives a migrated, empty database, `close` releases it. */
export function pushSummarySuite(name: string, open: () => Promise<Database>, close: (db: Database) => Promise<void>): void {
  beforeAll(async () => {
    db = await open();
    await insertRoom(db, { roomId: ROOM, roomVersion: '11', creator: '@alice:example.org', isPublic: false, createdTs: 1 });
  });
  afterAll(async () => close(db));

  describe(name, () => {
    it('counts mentions and messages after the receipt as the scan did, as receipts move', async () => {
      const first = await message();
      await message({ mention: true });
      const third = await message();
      expect(await agreed(BOB, newest)).toEqual({ notificationCount: 3, highlightCount: 1 });
      // Re-stored actions (a retried commit) count once.
      await db.transaction((tx) => insertPushActions(tx, [{ userId: BOB, eventId: third.eventId, roomId: ROOM, streamOrdering: third.streamOrdering, threadId: 'main', notify: true, highlight: false, actions: ['notify'] }]));
      expect(await agreed(BOB, newest)).toEqual({ notificationCount: 3, highlightCount: 1 });

      expect(await receipt(BOB, first.eventId)).toBe(true);
      expect(await agreed(BOB, newest)).toEqual({ notificationCount: 2, highlightCount: 1 });
      // A private receipt moves the counts too; a receipt on an older event is ignored.
      expect(await receipt(BOB, third.eventId, { type: 'm.read.private' })).toBe(true);
      expect(await agreed(BOB, newest)).toEqual({ notificationCount: 0, highlightCount: 0 });
      expect(await receipt(BOB, first.eventId, { type: 'm.read.private' })).toBe(false);
      expect(await agreed(BOB, newest)).toEqual({ notificationCount: 0, highlightCount: 0 });
      // Carol read nothing: her counts kept growing on their own.
      expect(await agreed(CAROL, newest)).toEqual({ notificationCount: 3, highlightCount: 1 });

      await message({ mention: true });
      expect(await agreed(BOB, newest)).toEqual({ notificationCount: 1, highlightCount: 1 });
      // A receipt in a thread other than main leaves the room's counts alone, as the scan did.
      await receipt(BOB, `$u${newest}`, { threadId: '$some-thread-root' });
      expect(await agreed(BOB, newest)).toEqual({ notificationCount: 1, highlightCount: 1 });
    });

    it('counts a member without a receipt from their latest membership: a pushed invite is not unread once joined', async () => {
      await membership('invite', { pushed: true });
      // The invite is Dave's latest membership: his counts start after it.
      expect(await agreed(DAVE, newest)).toEqual({ notificationCount: 0, highlightCount: 0 });
      await messageToDave();
      expect(await agreed(DAVE, newest)).toEqual({ notificationCount: 1, highlightCount: 0 });
      // Joining moves the start past the invite and the message before the join.
      await membership('join');
      expect(await agreed(DAVE, newest)).toEqual({ notificationCount: 0, highlightCount: 0 });
      await messageToDave();
      await messageToDave();
      expect(await agreed(DAVE, newest)).toEqual({ notificationCount: 2, highlightCount: 0 });
      // A read receipt takes over from the membership, even an older one after a rejoin.
      await receipt(DAVE, `$d${newest}`);
      expect(await agreed(DAVE, newest)).toEqual({ notificationCount: 0, highlightCount: 0 });
      await membership('leave');
      await membership('join');
      await messageToDave();
      expect(await agreed(DAVE, newest)).toEqual({ notificationCount: 1, highlightCount: 0 });
    });

    it('counts up to the sync\'s position when the summary holds newer actions (a view behind the writer)', async () => {
      const before = newest;
      await message();
      await message({ mention: true });
      expect(await agreed(CAROL, before)).toEqual(await scanned(CAROL, ROOM, before));
      expect((await agreed(CAROL, newest)).notificationCount).toBe((await agreed(CAROL, before)).notificationCount + 2);
    });

    it('falls back to counting when a receipt names an event without a known ordering', async () => {
      await receipt(CAROL, '$not-here-yet:example.org');
      expect(await agreed(CAROL, newest)).toEqual(await scanned(CAROL, ROOM, newest));
      await message();
      expect(await agreed(CAROL, newest)).toEqual(await scanned(CAROL, ROOM, newest));
    });

    it('recounts when purged history took actions with it', async () => {
      await receipt(BOB, `$u${newest}`);
      await message();
      await message({ mention: true });
      expect(await agreed(BOB, newest)).toEqual({ notificationCount: 2, highlightCount: 1 });
      // Every event below the newest's depth goes (Alice is not of this server), the mention stays.
      const purged = await db.transaction((tx) => purgeRoomHistory(tx, ROOM, { beforeDepth: newest, serverName: 'elsewhere.org' }));
      expect(purged.deleted).toBeGreaterThan(2);
      expect(await agreed(BOB, newest)).toEqual({ notificationCount: 1, highlightCount: 1 });
      expect(await agreed(CAROL, newest)).toEqual({ notificationCount: 1, highlightCount: 1 });
    });

    it('is filled by the migration for actions stored before it', async () => {
      const expected = await scanned(BOB, ROOM, newest);
      await db.query('DELETE FROM event_push_summary');
      const migration = (await loadMigrations()).find((m) => m.name === '2000_push_summary')!;
      for (const statement of splitStatements(migration.sql)) await db.query(statement);
      expect(await summarised(BOB, ROOM, newest)).toEqual(expected);
      expect(await agreed(CAROL, newest)).toEqual(await scanned(CAROL, ROOM, newest));
    });

    it('recounts, by migration 2160, the summaries 2000 filled for members without a receipt', async () => {
      await receipt(BOB, `$u${newest}`);
      await db.query(`DELETE FROM receipts WHERE user_id = $1`, [DAVE]);
      await membership('invite', { pushed: true });
      await membership('join');
      await messageToDave();
      await db.query('DELETE FROM event_push_summary');
      const run = async (name: string) => {
        const migration = (await loadMigrations()).find((m) => m.name === name)!;
        for (const statement of splitStatements(migration.sql)) await db.query(statement);
      };
      // 2000 counted from the room's start: every action of Dave's, the invite's included.
      await run('2000_push_summary');
      expect((await summarised(DAVE, ROOM, newest)).notificationCount).toBeGreaterThan(1);
      await run('2160_push_summary_from_membership');
      expect(await agreed(DAVE, newest)).toEqual({ notificationCount: 1, highlightCount: 0 });
      expect(await agreed(BOB, newest)).toEqual(await scanned(BOB, ROOM, newest));
    });

    it('adds the actions a commit writes with its fence as it adds those written alone, and none of a fenced commit', async () => {
      const taken = await takeRoomOwnership(db, ROOM, 'persister1', { force: true, now: 1 });
      if (!('epoch' in taken)) throw new Error('the room was not taken');
      const before = await agreed(CAROL, newest);
      await message({ mention: true, fence: { instanceName: 'persister1', epoch: taken.epoch } });
      expect(await agreed(CAROL, newest)).toEqual({ notificationCount: before.notificationCount + 1, highlightCount: before.highlightCount + 1 });
      const stored = newest;
      await expect(message({ fence: { instanceName: 'persister2', epoch: taken.epoch } })).rejects.toThrow('fenced out of');
      expect(await agreed(CAROL, newest)).toEqual({ notificationCount: before.notificationCount + 1, highlightCount: before.highlightCount + 1 });
      expect((await db.query('SELECT 1 FROM event_push_actions WHERE stream_ordering > $1', [stored])).rows).toEqual([]);
    });

    it('stays exact when a receipt and new actions commit at the same time', async () => {
      await message();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const receiptLocked = new Promise<void>((resolve) => (locked = resolve));
      const moving = db.transaction(async (tx) => {
        await upsertReceipt(tx, ++receiptPosition, { roomId: ROOM, receiptType: 'm.read', userId: BOB, threadId: undefined, eventId: `$u${newest}`, ts: 1, instanceName: 'main' });
        locked();
        await gate;
      });
      await receiptLocked;
      // On PostgreSQL the actions' statement waits for the receipt's row lock; PGlite runs one
      // transaction at a time and starts this one after the receipt's.
      const storing = message({ mention: true });
      if (db.kind === 'postgres') await waitForLockWaiter();
      release();
      await Promise.all([moving, storing]);
      expect(await agreed(BOB, newest)).toEqual({ notificationCount: 1, highlightCount: 1 });
    });
  });
}
