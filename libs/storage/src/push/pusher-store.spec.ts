// Whom a batch of a room's events may notify: users with a pusher who are joined, or invited
// (an invite is pushed to its target before they join).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../index.ts';
import { upsertPusher, usersWithPushersIn } from './pusher-store.ts';

let db: Database;
beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite' });
});
afterAll(async () => {
  await db.close();
});

const member = (roomId: string, userId: string, membership: string, n: number) =>
  db.query(`INSERT INTO current_state_events (room_id, type, state_key, event_id, membership, stream_ordering) VALUES ($1, 'm.room.member', $2, $3, $4, $5)`, [roomId, userId, `$m${n}`, membership, n]);

describe('usersWithPushersIn', () => {
  it('lists joined and invited users with a pusher, not those who left or have none', async () => {
    const room = '!pushers:test';
    const users = { joined: '@joined:test', invited: '@invited:test', left: '@left:test', quiet: '@quiet:test' };
    await member(room, users.joined, 'join', 1);
    await member(room, users.invited, 'invite', 2);
    await member(room, users.left, 'leave', 3);
    await member(room, users.quiet, 'join', 4);
    for (const userId of [users.joined, users.invited, users.left]) {
      await upsertPusher(db, {
        userId,
        deviceId: 'D',
        kind: 'http',
        appId: 'app',
        appDisplayName: 'app',
        deviceDisplayName: 'device',
        pushkey: `key-${userId}`,
        pushkeyTs: 1,
        lang: 'en',
        data: { url: 'https://push.example/_matrix/push/v1/notify' },
        profileTag: '',
      });
    }
    expect((await usersWithPushersIn(db, [room])).sort()).toEqual([users.invited, users.joined].sort());
  });
});
