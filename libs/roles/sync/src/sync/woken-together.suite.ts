// The long-polls one advance wakes are computed together (one window overview for all, shared
// timeline pages, transaction IDs read with the pages, reads overlapping the rooms section):
// each answer must equal the one the same window gets computed on its own. Over random
// histories (joins, leaves, invites, renames, topics, messages with mentions and transaction
// IDs) and a random waking step, for the members of its room with random filters, on the
// database given.
/* eslint-disable @typescript-eslint/no-explicit-any -- sync bodies are deep JSON compared whole */
import { joinedMembers } from '@homeserver/storage';
import { MemoryWriterIds } from '@homeserver/streams';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSyncEnv, type SyncEnv } from '../testing/sync-env.ts';
import type { TestEnvDatabase } from '../testing/test-app.ts';
import { StoredAccountData } from './stored-account-data.ts';
import { resolveSyncFilter } from './sync-filter.ts';
import { SyncService } from './sync-service.ts';

const USERS = ['@ann:test', '@ben:test', '@cat:test', '@dan:test'];
const ROOMS = 3;
const FILTERS = [undefined, '{"room":{"state":{"lazy_load_members":true}}}', '{"room":{"timeline":{"limit":2}}}'];

type Step =
  | { kind: 'join' | 'leave' | 'rename' | 'topic'; user: number; room: number }
  | { kind: 'invite'; user: number; by: number; room: number }
  | { kind: 'message'; user: number; room: number; mention: boolean; txn: boolean };

const user = fc.nat(USERS.length - 1);
const room = fc.nat(ROOMS - 1);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constantFrom('join' as const, 'leave' as const, 'rename' as const, 'topic' as const), user, room }),
  fc.record({ kind: fc.constant('invite' as const), user, by: user, room }),
  fc.record({ kind: fc.constant('message' as const), user, room, mention: fc.boolean(), txn: fc.boolean() }),
  fc.record({ kind: fc.constant('message' as const), user, room, mention: fc.boolean(), txn: fc.boolean() }),
);

/** Unsigned age grows between two computations; everything else must match. */
const withoutAge = (body: Record<string, any>) => JSON.parse(JSON.stringify(body, (key, value) => (key === 'age' ? undefined : value)));

export function wokenTogetherSuite(name: string, database?: () => TestEnvDatabase): void {
  describe(name, () => {
    let env: SyncEnv;
    let run = 0;
    let txn = 0;

    beforeAll(async () => {
      env = await openSyncEnv({ database: database?.() });
    });
    afterAll(async () => {
      await env?.close();
    });

    async function play(roomIds: readonly string[], steps: readonly Step[]): Promise<void> {
      for (const s of steps) {
        const who = USERS[s.user]!;
        const roomId = roomIds[s.room]!;
        if (s.kind === 'join') await env.rooms.join(roomId, who);
        else if (s.kind === 'leave') await env.rooms.leave(roomId, who);
        else if (s.kind === 'rename') await env.rooms.send(roomId, who, 'm.room.member', { membership: 'join', displayname: `${who} ${++txn}` }, who);
        else if (s.kind === 'topic') await env.rooms.send(roomId, who, 'm.room.topic', { topic: `topic ${++txn}` }, '');
        else if (s.kind === 'invite') await env.rooms.invite(roomId, USERS[s.by]!, who);
        else if (s.kind === 'message') {
          const body = s.mention ? `hey ${USERS.map((u) => u.slice(1, u.indexOf(':'))).join(' ')}` : 'plain';
          await env.rooms.message(roomId, who, body, s.txn ? { txn: { deviceId: 'POLL', txnId: `t${++txn}` } } : {});
        }
      }
    }

    it('answers each long-poll woken with others as its window computed alone', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { maxLength: 15 }), step, fc.array(fc.nat(FILTERS.length - 1), { minLength: USERS.length, maxLength: USERS.length }), async (history, waking, filters) => {
          const prefix = `!t${++run}`;
          const roomIds = Array.from({ length: ROOMS }, (_unused, i) => `${prefix}r${i}:test`);
          for (const [i, roomId] of roomIds.entries()) {
            await env.rooms.createRoom(roomId, USERS[i % USERS.length]!);
            for (const member of USERS) if (member !== USERS[i % USERS.length]) await env.rooms.join(roomId, member);
          }
          await play(roomIds, history);
          await env.views.catchUp(5000);
          // The waking step's room's members poll (its advance wakes every one of them), each
          // with its own filter; two services, so each computation's per-device memos
          // (lazy-loading) start empty: one for the polls, one for the same windows alone.
          const pollers = await joinedMembers(env.db, roomIds[waking.room]!);
          const together = new SyncService({ db: env.db, views: env.views, writerIds: new MemoryWriterIds(['main']), accountData: new StoredAccountData(env.db) });
          const alone = new SyncService({ db: env.db, views: env.views, writerIds: new MemoryWriterIds(['main']), accountData: new StoredAccountData(env.db) });
          const sync = async (service: SyncService, userId: string, since: string | undefined, timeoutMs: number): Promise<Record<string, any>> =>
            service.sync({ userId, deviceId: 'POLL', since, filter: await resolveSyncFilter(FILTERS[filters[USERS.indexOf(userId)]!], userId, undefined), fullState: false, timeoutMs });
          const since = (await together.sync({ userId: USERS[0]!, deviceId: 'START', since: undefined, filter: await resolveSyncFilter(undefined, USERS[0]!, undefined), fullState: false, timeoutMs: 0 }))['next_batch'] as string;
          const waitingBefore = env.views.notifier.waiting;
          const polls = pollers.map((member) => sync(together, member, since, 20_000));
          while (env.views.notifier.waiting < waitingBefore + pollers.length) await new Promise((resolve) => setImmediate(resolve));
          await play(roomIds, [waking]);
          const woken = await Promise.all(polls);
          for (const [i, member] of pollers.entries()) {
            // One advance moved the view: the alone window ends where the woken one did.
            const single = await sync(alone, member, since, 0);
            expect(single['next_batch']).toBe(woken[i]!['next_batch']);
            expect(withoutAge(woken[i]!)).toEqual(withoutAge(single));
          }
        }),
        { numRuns: 10 },
      );
    });
  });
}
