// Whom a batch of a room's events may notify: users with a pusher who are joined, or invited
// (an invite is pushed to its target before they join); and the badge a push carries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../index.ts';
import { insertPushActions } from '../sync/push-action-store.ts';
import { badgeCounts, upsertPusher, usersWithPushersIn } from './pusher-store.ts';

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

describe('badgeCounts', () => {
  const user = '@badge:test';
  /** The user's membership event at position n, in the current state and their memberships. */
  const membership = async (roomId: string, value: string, n: number) => {
    await db.query(`DELETE FROM current_state_events WHERE room_id = $1 AND type = 'm.room.member' AND state_key = $2`, [roomId, user]);
    await member(roomId, user, value, n);
    await db.query(`INSERT INTO room_memberships (event_id, room_id, user_id, sender, membership, stream_ordering) VALUES ($1, $2, $3, '@alice:test', $4, $5)`, [`$m${n}`, roomId, user, value, n]);
  };
  const pushed = (roomId: string, n: number) =>
    insertPushActions(db, [{ userId: user, eventId: `$e${n}`, roomId, streamOrdering: n, threadId: 'main', notify: true, highlight: false, actions: ['notify'] }]);

  it('counts each pending invite and each joined room with notifications after the join, as Synapse', async () => {
    // Invited to a room: its pushed invite makes the badge 1.
    await membership('!dm:test', 'invite', 100);
    await pushed('!dm:test', 100);
    expect((await badgeCounts(db, user)).unread).toBe(1);
    // Joined it: no receipt, so counts start after the join; the invite no longer counts.
    await membership('!dm:test', 'join', 101);
    expect((await badgeCounts(db, user)).unread).toBe(0);
    await pushed('!dm:test', 102);
    await pushed('!dm:test', 103);
    // A second invite, to another room: one room with unread messages and one invite.
    await membership('!other:test', 'invite', 104);
    expect((await badgeCounts(db, user)).unread).toBe(2);
  });
});
