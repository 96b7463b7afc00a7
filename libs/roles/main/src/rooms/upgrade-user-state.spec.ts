// What follows users into an upgraded room: the upgrader's tags and m.direct at the upgrade,
// another member's when they join the new room (Synapse), and nothing for someone else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserAccountData } from './rooms-deps.ts';
import { enc, openRoomsTestEnv, SERVER, type RoomsTestEnv } from './testing/rooms-test-env.ts';

const ALICE = `@alice:${SERVER}`;
const BOB = `@bob:${SERVER}`;
const CAROL = `@carol:${SERVER}`;

/** Account data in a map, keyed by user, room ('' global) and type. */
class MemoryAccountData implements UserAccountData {
  readonly rows = new Map<string, Record<string, unknown>>();
  async get(userId: string, roomId: string, type: string) {
    return this.rows.get(`${userId}|${roomId}|${type}`);
  }
  async set(userId: string, roomId: string, type: string, content: Record<string, unknown>) {
    this.rows.set(`${userId}|${roomId}|${type}`, content);
  }
}

let env: RoomsTestEnv;
const accountData = new MemoryAccountData();

beforeAll(async () => {
  env = await openRoomsTestEnv({ accountData });
});
afterAll(async () => env.close());

describe('user state on room upgrade', () => {
  it('copies tags and the m.direct entry of the old room to the new one, for the upgrader and for joiners', async () => {
    const oldRoom = await env.createRoom(ALICE, { room_version: '10', preset: 'public_chat' });
    expect((await env.call(BOB, 'POST', `/_matrix/client/v3/join/${enc(oldRoom)}`, {})).status).toBe(200);
    await accountData.set(ALICE, oldRoom, 'm.tag', { tags: { 'm.favourite': { order: 0.5 } } });
    await accountData.set(ALICE, '', 'm.direct', { [BOB]: [oldRoom], [CAROL]: ['!other:x'] });
    await accountData.set(BOB, oldRoom, 'm.tag', { tags: { work: {} } });
    await accountData.set(CAROL, '', 'm.direct', { [ALICE]: [oldRoom] });

    const upgraded = await env.call(ALICE, 'POST', `/_matrix/client/v3/rooms/${enc(oldRoom)}/upgrade`, { new_version: '11' });
    expect(upgraded.status).toBe(200);
    const newRoom = String(upgraded.body['replacement_room']);
    expect(await accountData.get(ALICE, newRoom, 'm.tag')).toEqual({ tags: { 'm.favourite': { order: 0.5 } } });
    expect(await accountData.get(ALICE, '', 'm.direct')).toEqual({ [BOB]: [oldRoom, newRoom], [CAROL]: ['!other:x'] });
    // Bob's come with his join of the new room, not before.
    expect(await accountData.get(BOB, newRoom, 'm.tag')).toBeUndefined();
    expect((await env.call(BOB, 'POST', `/_matrix/client/v3/join/${enc(newRoom)}`, {})).status).toBe(200);
    expect(await accountData.get(BOB, newRoom, 'm.tag')).toEqual({ tags: { work: {} } });
    // Carol joined neither room: her data stays as it was.
    expect(await accountData.get(CAROL, '', 'm.direct')).toEqual({ [ALICE]: [oldRoom] });
  });
});
