// createRoom under concurrency: identical requests by one user in one millisecond (a frozen
// clock) name distinct rooms in room version 12, whose room ID is the create event's hash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRoomsTestEnv, SERVER, type RoomsTestEnv } from './testing/rooms-test-env.ts';

const ALICE = `@alice:${SERVER}`;
const FROZEN = 1_760_000_000_000;
let env: RoomsTestEnv;

beforeAll(async () => {
  env = await openRoomsTestEnv({ clock: { now: () => FROZEN } });
});
afterAll(async () => env.close());

describe('createRoom', () => {
  it('gives 8 identical concurrent v12 createRoom calls 8 rooms, never M_ROOM_IN_USE', async () => {
    const body = { room_version: '12', preset: 'private_chat', name: 'same' };
    const results = await Promise.all(Array.from({ length: 8 }, () => env.call(ALICE, 'POST', '/_matrix/client/v3/createRoom', body)));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    const ids = results.map((r) => String(r.body['room_id']));
    expect(new Set(ids).size).toBe(8);
    // Each create event has its own timestamp (the frozen clock, then one past the last).
    const stamps = await Promise.all(ids.map(async (roomId) => {
      const create = await env.call(ALICE, 'GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/m.room.create?format=event`, undefined, { validate: false });
      return Number(create.body['origin_server_ts']);
    }));
    expect([...stamps].sort()).toEqual(Array.from({ length: 8 }, (_, i) => FROZEN + i));
  });
});
