// A sync process that went dormant (no request for a while: its readers unsubscribed, its
// caches dropped) answers, once woken by a request, exactly what one that never slept answers:
// rows written while it slept appear once, tokens only move forward, the joined-rooms cache
// does not outlive a membership change made meanwhile, and a long-poll that woke it is woken
// by the next row. On the database given.
/* eslint-disable @typescript-eslint/no-explicit-any -- sync bodies are deep JSON compared whole */
import { accountDataStream } from '@homeserver/services';
import { MemoryWriterIds } from '@homeserver/streams';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSyncEnv, type SyncEnv } from '../testing/sync-env.ts';
import type { TestEnvDatabase } from '../testing/test-app.ts';
import { StoredAccountData } from './stored-account-data.ts';
import { resolveSyncFilter } from './sync-filter.ts';
import { SyncService } from './sync-service.ts';
import { SyncViews } from './sync-views.ts';

const USERS = ['@ann:test', '@ben:test', '@cat:test'];
const ROOMS = 2;

type Step = { kind: 'join' | 'leave' | 'message'; user: number; room: number } | { kind: 'sync'; user: number };

const user = fc.nat(USERS.length - 1);
const room = fc.nat(ROOMS - 1);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constantFrom('join' as const, 'leave' as const, 'message' as const), user, room }),
  fc.record({ kind: fc.constant('sync' as const), user }),
);

/** Unsigned age grows between two computations; everything else must match. */
const withoutAge = (body: Record<string, any>) => JSON.parse(JSON.stringify(body, (key, value) => (key === 'age' ? undefined : value)));

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

export function dormantViewsSuite(name: string, database?: () => TestEnvDatabase): void {
  describe(name, () => {
    // The env's views go dormant as soon as no request holds them; `never` stays awake.
    let env: SyncEnv;
    let never: SyncViews;
    let run = 0;

    beforeAll(async () => {
      env = await openSyncEnv({ database: database?.(), dormantAfterMs: 0 });
      never = await SyncViews.start(env.db, env.transport, { writersOf: () => ['main'], accountDataStream, dormantAfterMs: 2 ** 31 - 1 });
    });
    afterAll(async () => {
      await never?.stop();
      await env?.close();
    });

    const service = (views: SyncViews) => new SyncService({ db: env.db, views, writerIds: new MemoryWriterIds(['main']), accountData: new StoredAccountData(env.db) });
    const sync = async (on: SyncService, userId: string, since: string | undefined, timeoutMs = 0): Promise<Record<string, any>> =>
      on.sync({ userId, deviceId: 'DORMANT', since, filter: await resolveSyncFilter(undefined, userId, undefined), fullState: false, timeoutMs });
    const timelineIds = (body: Record<string, any>, roomId: string): string[] => (body['rooms']?.['join']?.[roomId]?.['timeline']?.['events'] ?? []).map((e: any) => e['event_id']);

    async function newRooms(): Promise<string[]> {
      const roomIds = Array.from({ length: ROOMS }, (_unused, i) => `!d${++run}r${i}:test`);
      for (const roomId of roomIds) await env.rooms.createRoom(roomId, USERS[0]!);
      return roomIds;
    }

    it('answers, woken after every sleep, what a process that never slept answers', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
          const roomIds = await newRooms();
          const woken = service(env.views);
          const awake = service(never);
          const since = new Map<string, string>();
          const seen = new Map<string, Set<string>>();
          for (const s of steps) {
            const who = USERS[s.user]!;
            if (s.kind === 'sync') {
              // Each request finds the views dormant (they fall asleep after every one).
              await until(() => env.views.dormant);
              const answer = await sync(woken, who, since.get(who));
              const reference = await sync(awake, who, since.get(who));
              expect(withoutAge(answer)).toEqual(withoutAge(reference));
              // Tokens only move forward, and no event reaches a client twice.
              const next = (await woken.parseSince(answer['next_batch']))!;
              const previous = await woken.parseSince(since.get(who));
              if (previous) for (const [stream, position] of Object.entries(previous)) expect(next[stream as keyof typeof next].covers(position)).toBe(true);
              since.set(who, answer['next_batch']);
              const mine = seen.get(who) ?? new Set<string>();
              for (const roomId of roomIds) {
                for (const id of timelineIds(answer, roomId)) {
                  expect(mine.has(id)).toBe(false);
                  mine.add(id);
                }
              }
              seen.set(who, mine);
            } else if (s.kind === 'join') await env.rooms.join(roomIds[s.room]!, who);
            else if (s.kind === 'leave') await env.rooms.leave(roomIds[s.room]!, who);
            else await env.rooms.message(roomIds[s.room]!, who, `from ${who}`);
          }
        }),
        { numRuns: 12 },
      );
    });

    it('does not keep the joined rooms of before a membership change made while dormant, and wakes the long-poll', async () => {
      const [first, second] = await newRooms();
      const [joiner, sender] = [`@joiner${run}:test`, `@sender${run}:test`];
      await env.rooms.join(first!, joiner);
      const woken = service(env.views);
      const start = (await sync(woken, joiner, undefined))['next_batch'] as string;
      // The long-poll of an up-to-date client waits on the rooms it is joined to (remembered).
      const release = await env.views.hold();
      expect(await env.views.joinedRoomsOf(joiner)).toEqual([first]);
      release();
      await until(() => env.views.dormant);
      await env.rooms.join(second!, joiner);
      await env.rooms.join(second!, sender);
      const after = await sync(woken, joiner, start);
      expect(Object.keys(after['rooms']['join'])).toEqual([second]);
      // Woken by a row of the room joined while dormant: the poll waits on that room too.
      await until(() => env.views.dormant);
      const waiting = env.views.notifier.waiting;
      const poll = sync(woken, joiner, after['next_batch'], 20_000);
      await until(() => env.views.notifier.waiting > waiting);
      const sent = await env.rooms.message(second!, sender, 'after the wake');
      const answer = await poll;
      expect(timelineIds(answer, second!)).toEqual([sent.eventId]);
    });
  });
}
