// The window overview asked for several syncs at once (syncWindows, one statement for the
// long-polls one event woke) must answer each exactly as syncWindow answers it alone, and the
// rooms' pages read together (latestRoomPages) as each room's read alone: over
// random histories of joins, leaves, invites, profile changes, messages, read receipts and key
// uploads and claims, and random askers (user, device, window, end), on the database given.
import { addOneTimeKeys, claimKey, getRoomEvents, latestRoomPages, setFallbackKeys, syncWindow, syncWindows, upsertReceipt, type Database, type SyncWindowOptions } from '@homeserver/storage';
import { InProcessHub, InProcessTransport } from '@homeserver/transport';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestRooms } from '../testing/test-rooms.ts';

const USERS = ['@ann:test', '@ben:test', '@cat:test', '@dan:test'];
const DEVICES = ['D1', 'D2'];
const ROOMS = 3;

type Step =
  | { kind: 'join' | 'leave' | 'rename'; user: number; room: number }
  | { kind: 'invite'; user: number; by: number; room: number }
  | { kind: 'message'; user: number; room: number; mention: boolean }
  | { kind: 'read'; user: number; room: number }
  | { kind: 'keys'; user: number; device: number; claim: boolean };

const user = fc.nat(USERS.length - 1);
const room = fc.nat(ROOMS - 1);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constantFrom('join' as const, 'leave' as const, 'rename' as const), user, room }),
  fc.record({ kind: fc.constant('invite' as const), user, by: user, room }),
  fc.record({ kind: fc.constant('message' as const), user, room, mention: fc.boolean() }),
  fc.record({ kind: fc.constant('read' as const), user, room }),
  fc.record({ kind: fc.constant('keys' as const), user, device: fc.nat(DEVICES.length - 1), claim: fc.boolean() }),
);
/** An asker: whose, and the window as indexes into the positions the history reached. */
const asker = fc.record({ user, device: fc.nat(DEVICES.length - 1), from: fc.nat(), to: fc.nat(), end: fc.nat() });

export function syncWindowBatchSuite(name: string, open: () => Promise<Database>, close: (db: Database) => Promise<void>): void {
  describe(name, () => {
    let db: Database;
    let hub: InProcessHub;
    let rooms: TestRooms;
    let run = 0;
    let receiptPosition = 0;

    beforeAll(async () => {
      db = await open();
      hub = new InProcessHub();
      rooms = await TestRooms.start(db, new InProcessTransport({ hub }));
    });
    afterAll(async () => {
      await rooms?.close();
      if (db) await close(db);
    });

    /** Plays the history; returns the events positions it went through. */
    async function play(steps: readonly Step[]): Promise<number[]> {
      const prefix = `!w${++run}`;
      const roomIds = Array.from({ length: ROOMS }, (_unused, i) => `${prefix}r${i}:test`);
      const positions: number[] = [];
      const lastEvent = new Map<string, string>();
      for (const [i, roomId] of roomIds.entries()) {
        await rooms.createRoom(roomId, USERS[i % USERS.length]!);
        const sent = await rooms.message(roomId, USERS[i % USERS.length]!, 'hello');
        lastEvent.set(roomId, sent.eventId);
        positions.push(sent.position);
      }
      for (const s of steps) {
        const who = USERS[s.user]!;
        const roomId = 'room' in s ? roomIds[s.room]! : '';
        let sent: { eventId: string; position: number } | undefined;
        if (s.kind === 'join') sent = await rooms.join(roomId, who);
        else if (s.kind === 'leave') sent = await rooms.leave(roomId, who);
        else if (s.kind === 'rename') sent = await rooms.send(roomId, who, 'm.room.member', { membership: 'join', displayname: `${who} ${run}` }, who);
        else if (s.kind === 'invite') sent = await rooms.invite(roomId, USERS[s.by]!, who);
        else if (s.kind === 'message') sent = await rooms.message(roomId, who, s.mention ? `hey ${USERS.map((u) => u.slice(1, u.indexOf(':'))).join(' ')}` : 'plain');
        else if (s.kind === 'read') {
          const eventId = lastEvent.get(roomId)!;
          await db.transaction((tx) => upsertReceipt(tx, ++receiptPosition, { roomId, receiptType: 'm.read', userId: who, threadId: undefined, eventId, ts: 1, instanceName: 'main' }));
        } else if (s.kind === 'keys') {
          const device = DEVICES[s.device]!;
          if (s.claim) await db.transaction((tx) => claimKey(tx, who, device, 'signed_curve25519'));
          else {
            await addOneTimeKeys(db, who, device, [{ algorithm: 'signed_curve25519', keyId: `k${run}_${positions.length}`, key: { key: 'k' } }]);
            await setFallbackKeys(db, who, device, [{ algorithm: 'signed_curve25519', keyId: `f${run}`, key: { key: 'f' } }]);
          }
        }
        if (sent) {
          lastEvent.set(roomId, sent.eventId);
          positions.push(sent.position);
        }
      }
      return positions;
    }

    it('answers each asker of a batch as syncWindow answers it alone', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), fc.array(asker, { minLength: 2, maxLength: 8 }), async (steps, drawn) => {
          const positions = [0, ...(await play(steps))];
          const at = (index: number) => positions[index % positions.length]!;
          const askers: SyncWindowOptions[] = drawn.map((a) => {
            const [floor, ceiling] = [at(a.from), at(a.to)].sort((x, y) => x - y) as [number, number];
            return { userId: USERS[a.user]!, deviceId: DEVICES[a.device]!, upTo: Math.max(ceiling, at(a.end)), window: { floor, ceiling } };
          });
          const alone = [];
          for (const one of askers) alone.push(await syncWindow(db, one));
          expect(await syncWindows(db, askers)).toEqual(alone);
        }),
        { numRuns: 12 },
      );
    });

    it("reads the rooms' newest pages, within a window or not, as each room's own page read answers", async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), fc.nat(), fc.nat(), fc.integer({ min: 1, max: 6 }), async (steps, a, b, limit) => {
          const positions = [0, ...(await play(steps))];
          const [to, from] = [positions[a % positions.length]!, positions[b % positions.length]!].sort((x, y) => x - y) as [number, number];
          const roomIds = Array.from({ length: ROOMS }, (_unused, i) => `!w${run}r${i}:test`);
          // With a floor (a woken long-poll's window) and without one (an initial sync's page).
          for (const window of [{ from, to, limit }, { from, limit }]) {
            const pages = await latestRoomPages(db, roomIds, window);
            for (const roomId of roomIds) {
              const alone = await getRoomEvents(db, roomId, { ...window, direction: 'b' });
              expect({ events: pages.get(roomId)!.events, limited: pages.get(roomId)!.limited }).toEqual({ events: alone.events, limited: alone.limited });
            }
          }
        }),
        { numRuns: 8 },
      );
    });
  });
}
