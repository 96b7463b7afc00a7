// What an incremental /sync costs in statements: every long-poll woken by a new event computes
// one, so its cost is what /sync pays per delivered message. A window with one new message
// reads only the streams that moved and does not grow with the rooms the user is in; a window
// in which nothing moved costs one statement (the device's key counts every answer carries).
/* eslint-disable @typescript-eslint/no-explicit-any -- sync bodies are deep JSON checked field by field */
import { addOneTimeKeys, setFallbackKeys, type Database } from '@homeserver/storage';
import { MemoryWriterIds } from '@homeserver/streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSyncEnv, type SyncEnv } from '../testing/sync-env.ts';
import { SyncViews } from './sync-views.ts';
import { StoredAccountData } from './stored-account-data.ts';
import { resolveSyncFilter } from './sync-filter.ts';
import { SyncService } from './sync-service.ts';

const ALICE = '@alice:test';
const BOB = '@bob:test';
let env: SyncEnv;

beforeAll(async () => {
  env = await openSyncEnv();
});
afterAll(async () => {
  await env.close();
});

/**
 * The database, counting the statements run through it (and those whose text matches `count`),
 * and for each statement the texts of those still running when it went out. Statements matching
 * `slow` take one more turn of the event loop (PGlite answers within the turn it was asked in, so
 * nothing would ever run beside them).
 */
function counting(db: Database, count?: RegExp, slow?: RegExp): { db: Database; statements: () => number; matching: () => number; reset: () => void; startedBeside: (sql: RegExp) => string[] } {
  let statements = 0;
  let matching = 0;
  const running = new Set<string>();
  let beside: Array<{ sql: string; running: string[] }> = [];
  const wrapped: Database = {
    kind: db.kind,
    query: async (sql, params) => {
      statements++;
      if (count?.test(sql)) matching++;
      beside.push({ sql, running: [...running] });
      running.add(sql);
      try {
        if (slow?.test(sql)) await new Promise((resolve) => setImmediate(resolve));
        return await db.query(sql, params);
      } finally {
        running.delete(sql);
      }
    },
    transaction: (work) => db.transaction(work),
    exec: (sql) => db.exec(sql),
    acquireSession: () => db.acquireSession(),
    listen: (channel, onNotify) => db.listen(channel, onNotify),
    close: () => db.close(),
  };
  return {
    db: wrapped,
    statements: () => statements,
    matching: () => matching,
    reset: () => ((statements = 0), (matching = 0), (beside = [])),
    startedBeside: (sql) => beside.filter((entry) => sql.test(entry.sql)).flatMap((entry) => entry.running),
  };
}

describe('incremental sync cost', () => {
  it('reads only what moved: one new message costs a few statements whatever the room count, a quiet window one', async () => {
    const rooms = Array.from({ length: 6 }, (_unused, i) => `!cost${i}:test`);
    for (const room of rooms) {
      await env.rooms.createRoom(room, ALICE);
      await env.rooms.join(room, BOB);
    }
    const counter = counting(env.db, undefined, /WITH at_end AS/);
    const service = new SyncService({ db: counter.db, views: env.views, writerIds: new MemoryWriterIds(['main']), accountData: new StoredAccountData(counter.db) });
    const filter = await resolveSyncFilter('{"room":{"state":{"lazy_load_members":true}}}', BOB, undefined);
    const sync = async (since: string | undefined): Promise<Record<string, any>> =>
      service.sync({ userId: BOB, deviceId: 'DEVICE', since, filter, fullState: false, timeoutMs: 0 });

    const initial = await sync(undefined);
    expect(Object.keys(initial['rooms'].join).sort()).toEqual([...rooms].sort());

    // Keys the answer counts (read with the window overview, not on their own).
    await addOneTimeKeys(env.db, BOB, 'DEVICE', [{ algorithm: 'signed_curve25519', keyId: 'A', key: { key: 'a' } }]);
    await setFallbackKeys(env.db, BOB, 'DEVICE', [{ algorithm: 'signed_curve25519', keyId: 'F', key: { key: 'f' } }]);
    await env.rooms.message(rooms[2]!, ALICE, 'one');
    counter.reset();
    const woken = await sync(initial['next_batch']);
    const costOfOne = counter.statements();
    expect(Object.keys(woken['rooms'].join)).toEqual([rooms[2]]);
    const timeline = woken['rooms'].join[rooms[2]!].timeline.events;
    expect(timeline.map((e: any) => e.content.body)).toEqual(['one']);
    // Lazy-loading: the sender's membership comes along, read from the cached state group.
    expect(woken['rooms'].join[rooms[2]!].state.events.map((e: any) => e.state_key)).toEqual([ALICE]);
    expect(woken['rooms'].join[rooms[2]!].unread_notifications).toEqual({ notification_count: 1, highlight_count: 0 });
    expect(woken['device_one_time_keys_count']).toEqual({ signed_curve25519: 1 });
    expect(woken['device_unused_fallback_key_types']).toEqual(['signed_curve25519']);
    // The window overview (memberships, their changes, room activity, unread counts, keys),
    // timeline, state group, room version, member event, summary (a member event came along),
    // to-device (the first since of this device acknowledges). Device lists are not asked: no
    // key or membership moved.
    expect(costOfOne).toBeLessThanOrEqual(8);

    // A second message in the same room: state groups, room version and to-device acknowledgement are remembered.
    await env.rooms.message(rooms[2]!, ALICE, 'two');
    counter.reset();
    const again = await sync(woken['next_batch']);
    expect(again['rooms'].join[rooms[2]!].timeline.events.map((e: any) => e.content.body)).toEqual(['two']);
    expect(again['rooms'].join[rooms[2]!].state.events).toEqual([]);
    expect(again['rooms'].join[rooms[2]!].unread_notifications).toEqual({ notification_count: 2, highlight_count: 0 });
    // The window overview (memberships, changes, activity, unread counts, keys) and the timeline.
    expect(counter.statements()).toBe(2);

    counter.reset();
    const quiet = await sync(again['next_batch']);
    expect(quiet['rooms']).toEqual({ join: {}, invite: {}, leave: {}, knock: {} });
    expect(quiet['next_batch']).toBe(again['next_batch']);
    expect(quiet['device_one_time_keys_count']).toEqual({ signed_curve25519: 1 });
    expect(counter.statements()).toBe(1);

    // A long-poll from where the view is waits without computing anything, and once woken by a
    // message costs what any woken sync costs: the overview and the timeline.
    counter.reset();
    const polling = service.sync({ userId: BOB, deviceId: 'DEVICE', since: quiet['next_batch'], filter, fullState: false, timeoutMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(counter.statements()).toBe(0);
    await env.rooms.message(rooms[2]!, ALICE, 'three');
    const woke = (await polling) as Record<string, any>;
    expect(Object.keys(woke['rooms'].join)).toEqual([rooms[2]]);
    expect(woke['rooms'].join[rooms[2]!].timeline.events.map((e: any) => e.content.body)).toEqual(['three']);
    expect(counter.statements()).toBe(2);
    // The page went out beside the overview, not after it: the room's new events were known
    // from the rows the view read.
    expect(counter.startedBeside(/AS page_room/).some((sql) => /WITH at_end AS/.test(sql))).toBe(true);
  });

  it('reads a room\'s new timeline once for the members woken by the same message', async () => {
    const CAROL = '@carol:test';
    const room = '!shared:test';
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.join(room, BOB);
    await env.rooms.join(room, CAROL);
    // The timeline query (latestRoomPages, for every room woken in the same turn).
    const counter = counting(env.db, /AS page_room/);
    const service = new SyncService({ db: counter.db, views: env.views, writerIds: new MemoryWriterIds(['main']), accountData: new StoredAccountData(counter.db) });
    const filter = await resolveSyncFilter('{"room":{"state":{"lazy_load_members":true}}}', BOB, undefined);
    const sync = async (userId: string, since: string | undefined): Promise<Record<string, any>> =>
      service.sync({ userId, deviceId: 'DEVICE', since, filter, fullState: false, timeoutMs: 0 });
    const since = (await sync(BOB, undefined))['next_batch'] as string;
    await env.rooms.message(room, ALICE, 'to both');
    counter.reset();
    const [bob, carol] = [await sync(BOB, since), await sync(CAROL, since)];
    for (const answer of [bob, carol]) expect(answer['rooms'].join[room].timeline.events.map((e: any) => e.content.body)).toEqual(['to both']);
    expect(counter.matching()).toBe(1);
  });

  it('asks the window overview once for the long-polls one message wakes, each answered as alone', async () => {
    const DAN = '@dan:test';
    const EVE = '@eve:test';
    // Members without keys: the answers of their two devices then differ in nothing device-specific.
    const FAY = '@fay:test';
    const room = '!woken:test';
    await env.rooms.createRoom(room, ALICE);
    for (const member of [FAY, DAN, EVE]) await env.rooms.join(room, member);
    // The overview's text (alone or for several askers) holds its at_end CTE.
    const counter = counting(env.db, /WITH at_end AS/);
    const service = new SyncService({ db: counter.db, views: env.views, writerIds: new MemoryWriterIds(['main']), accountData: new StoredAccountData(counter.db) });
    const filter = await resolveSyncFilter('{"room":{"state":{"lazy_load_members":true}}}', BOB, undefined);
    const sync = async (userId: string, deviceId: string, since: string | undefined, timeoutMs: number): Promise<Record<string, any>> =>
      service.sync({ userId, deviceId, since, filter, fullState: false, timeoutMs });
    const members = [FAY, DAN, EVE];
    const since = (await sync(FAY, 'DEVICE', undefined, 0))['next_batch'] as string;
    const polls = members.map((member) => sync(member, 'DEVICE', since, 20_000));
    while (env.views.notifier.waiting < members.length) await new Promise((resolve) => setImmediate(resolve));
    counter.reset();
    await env.rooms.message(room, ALICE, 'wake up');
    const woken = await Promise.all(polls);
    expect(counter.matching()).toBe(1);
    // The same windows computed one at a time (an overview each), for another device of each
    // member (lazy-loading remembers per device which members it was sent).
    const alone = [];
    for (const member of members) alone.push(await sync(member, 'ALONE', since, 0));
    expect(counter.matching()).toBe(1 + members.length);
    const withoutAge = (body: Record<string, any>) => JSON.parse(JSON.stringify(body, (key, value) => (key === 'age' ? undefined : value)));
    for (const [i, answer] of woken.entries()) {
      expect(answer['rooms'].join[room].timeline.events.map((e: any) => e.content.body)).toEqual(['wake up']);
      expect(withoutAge(answer)).toEqual(withoutAge(alone[i]!));
    }
  });

  it('reads transaction IDs with the timeline page: the sending device alone sees its own, with no statement of their own', async () => {
    const GUS = '@gus:test';
    const HAL = '@hal:test';
    const room = '!txn:test';
    await env.rooms.createRoom(room, GUS);
    await env.rooms.join(room, HAL);
    const counter = counting(env.db, /event_txn_ids/);
    const service = new SyncService({ db: counter.db, views: env.views, writerIds: new MemoryWriterIds(['main']), accountData: new StoredAccountData(counter.db) });
    const filter = await resolveSyncFilter(undefined, GUS, undefined);
    const sync = async (userId: string, deviceId: string, since: string | undefined): Promise<Record<string, any>> =>
      service.sync({ userId, deviceId, since, filter, fullState: false, timeoutMs: 0 });
    const since = (await sync(GUS, 'PHONE', undefined))['next_batch'] as string;
    await env.rooms.message(room, GUS, 'from the phone', { txn: { deviceId: 'PHONE', txnId: 'txn-1' } });
    counter.reset();
    const unsignedOf = async (userId: string, deviceId: string) => (await sync(userId, deviceId, since))['rooms'].join[room].timeline.events.at(-1).unsigned;
    // The sender's device, another device of the sender, another user on a device of the same name.
    expect((await unsignedOf(GUS, 'PHONE'))['transaction_id']).toBe('txn-1');
    expect((await unsignedOf(GUS, 'LAPTOP'))['transaction_id']).toBeUndefined();
    expect((await unsignedOf(HAL, 'PHONE'))['transaction_id']).toBeUndefined();
    // The one statement naming event_txn_ids was the page's.
    expect(counter.matching()).toBe(1);
  });

  it('reaches a send committed just before (read-your-writes) by asking the writer, with no statement', async () => {
    const room = '!ryw:test';
    await env.rooms.createRoom(room, ALICE);
    const counter = counting(env.db);
    const views = await SyncViews.start(counter.db, env.transport, { writersOf: () => ['main'] });
    try {
      counter.reset();
      const sent = await env.rooms.message(room, ALICE, 'mine');
      await views.catchUp(5000);
      expect(views.currentToken().events.get('main')).toBeGreaterThanOrEqual(sent.position);
      // Neither the newest event nor the members of the room were read: the rows came with the
      // advance, the target from the writer's answer.
      expect(counter.statements()).toBe(0);
    } finally {
      await views.stop();
    }
  });
});
