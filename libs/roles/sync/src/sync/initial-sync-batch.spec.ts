// An initial /sync reads its rooms together (issue 14): each kind of read (timeline pages, state
// groups, room versions, state events, unread counts, summaries) is one statement for all rooms
// built in the same turn, so its cost does not grow with the rooms the user is in; and each
// room's section is what a sync filtered to that room alone answers.
/* eslint-disable @typescript-eslint/no-explicit-any -- sync bodies are deep JSON checked field by field */
import type { Database } from '@homeserver/storage';
import { MemoryWriterIds } from '@homeserver/streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSyncEnv, type SyncEnv } from '../testing/sync-env.ts';
import { StoredAccountData } from './stored-account-data.ts';
import { resolveSyncFilter } from './sync-filter.ts';
import { SyncService } from './sync-service.ts';

const ALICE = '@alice:test';
/** One clock for every answer compared (events' age). */
const NOW = Date.now() + 60_000;
let env: SyncEnv;

beforeAll(async () => {
  env = await openSyncEnv();
});
afterAll(async () => {
  await env.close();
});

function counting(db: Database): { db: Database; statements: () => number } {
  let statements = 0;
  const wrapped: Database = {
    kind: db.kind,
    query: (sql, params) => (statements++, db.query(sql, params)),
    transaction: (work) => db.transaction(work),
    exec: (sql) => db.exec(sql),
    acquireSession: () => db.acquireSession(),
    listen: (channel, onNotify) => db.listen(channel, onNotify),
    close: () => db.close(),
  };
  return { db: wrapped, statements: () => statements };
}

/** A fresh service (cold caches) over a counting database; its initial sync with `filter` and the statements it ran. */
async function initialSync(userId: string, filterJson: string): Promise<{ body: Record<string, any>; statements: number }> {
  const counter = counting(env.db);
  const service = new SyncService({ db: counter.db, views: env.views, writerIds: new MemoryWriterIds(['main']), accountData: new StoredAccountData(counter.db), now: () => NOW });
  const filter = await resolveSyncFilter(filterJson, userId, undefined);
  const body = await service.sync({ userId, deviceId: 'DEVICE', since: undefined, filter, fullState: false, timeoutMs: 0 });
  return { body, statements: counter.statements() };
}

async function userInRooms(userId: string, count: number): Promise<string[]> {
  const rooms = Array.from({ length: count }, (_unused, i) => `!batch${i}-${userId.slice(1, 4)}:test`);
  for (const room of rooms) {
    await env.rooms.createRoom(room, userId);
    await env.rooms.send(room, userId, 'm.room.name', { name: `room ${room}` }, '');
    for (let n = 0; n < 4; n++) await env.rooms.message(room, userId, `${room} message ${n}`);
  }
  return rooms;
}

describe('initial sync over many rooms', () => {
  it('costs the same statements for 3 rooms as for 12', async () => {
    await userInRooms('@few:test', 3);
    await userInRooms('@many:test', 12);
    const few = await initialSync('@few:test', '{}');
    const many = await initialSync('@many:test', '{}');
    expect(Object.keys(few.body['rooms'].join)).toHaveLength(3);
    expect(Object.keys(many.body['rooms'].join)).toHaveLength(12);
    expect(many.statements).toBe(few.statements);
  });

  it('answers each room as a sync filtered to that room alone does', async () => {
    const rooms = await userInRooms(ALICE, 5);
    const all = (await initialSync(ALICE, '{}')).body;
    for (const room of rooms) {
      const alone = (await initialSync(ALICE, JSON.stringify({ room: { rooms: [room] } }))).body;
      expect(Object.keys(alone['rooms'].join)).toEqual([room]);
      // prev_batch carries the view's token, the same in both.
      expect(all['rooms'].join[room]).toEqual(alone['rooms'].join[room]);
    }
  });
});
