// The background tasks remove what has expired and keep the rest; the named instance runs them
// under a lease.
import { Leases } from '@homeserver/actors';
import { enqueuePushes, insertOpenIdToken, markPushesSent, openDatabase, upsertPusher, userIdForOpenIdToken, type Database } from '@homeserver/storage';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackgroundTasksOnce, startBackgroundTasks } from './background-tasks.ts';

let db: Database;
beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite' });
});
afterAll(async () => {
  await db.close();
});

const HOUR = 3_600_000;

describe('background tasks', () => {
  it('prune expired OpenID tokens and pushes sent over an hour ago, keeping the rest', async () => {
    const now = 10 * HOUR;
    await insertOpenIdToken(db, { tokenHash: 'expired', userId: '@a:x', validUntilMs: now - 1 });
    await insertOpenIdToken(db, { tokenHash: 'valid', userId: '@a:x', validUntilMs: now + HOUR });
    await upsertPusher(db, { userId: '@a:x', deviceId: 'D', kind: 'http', appId: 'app', appDisplayName: 'A', deviceDisplayName: 'D', pushkey: 'k', pushkeyTs: 0, lang: 'en', data: { url: 'u' }, profileTag: '' });
    const { rows } = await db.query<{ id: number }>('SELECT id FROM pushers');
    const pusherId = Number(rows[0]!.id);
    await enqueuePushes(db, ['$old', '$recent', '$pending'].map((eventId) => ({ pusherId, userId: '@a:x', kind: 'event' as const, eventId, roomId: '!r:x', actions: [] })), now);
    const ids = async (eventId: string) => Number((await db.query<{ id: number }>('SELECT id FROM push_outbox WHERE event_id = $1', [eventId])).rows[0]!.id);
    await markPushesSent(db, [await ids('$old')], now - 2 * HOUR);
    await markPushesSent(db, [await ids('$recent')], now - 60_000);

    expect(await runBackgroundTasksOnce(db, now)).toEqual({ openIdTokens: 1 });
    expect(await userIdForOpenIdToken(db, 'valid', { now })).toBe('@a:x');
    const left = await db.query<{ event_id: string }>('SELECT event_id FROM push_outbox ORDER BY event_id');
    expect(left.rows.map((row) => row.event_id)).toEqual(['$pending', '$recent']);
  });

  it('run under a lease once started', async () => {
    const leases = new Leases(db, { pollIntervalMs: 10 });
    const run = startBackgroundTasks({ db, leases, clock: { now: () => Date.now() }, logger: pino({ level: 'silent' }), everyMs: 60_000 });
    while (!run.holding) await new Promise((resolve) => setTimeout(resolve, 10));
    await run.stop();
    expect(run.holding).toBe(false);
  });
});
