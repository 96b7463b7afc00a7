/* eslint-disable @typescript-eslint/no-explicit-any -- sync bodies are deep JSON checked field by field */
// device_lists.left of /sync and /keys/changes: users who no longer share any room with the
// syncing user since `since` (they left its room, or it left theirs). Every response is checked
// against the v1.19 spec (env.violations).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../testing/test-app.ts';
import { openSyncEnv, type SyncEnv } from '../testing/sync-env.ts';

let env: SyncEnv;
let n = 0;
const freshRoom = () => `!left${++n}:test`;

beforeAll(async () => {
  env = await openSyncEnv();
});
afterAll(async () => {
  expect(env.violations).toEqual([]);
  await env.close();
});

async function keysChanges(userId: string, from: string, to: string): Promise<any> {
  const res = await env.app.inject({ method: 'GET', url: `/_matrix/client/v3/keys/changes?from=${from}&to=${to}`, headers: bearer(userId) });
  expect(res.statusCode).toBe(200);
  return res.json();
}

describe('device_lists.left', () => {
  it('lists a room-mate who left the last room shared with the user, in /sync and /keys/changes', async () => {
    const room = freshRoom();
    const [alice, bob] = ['@alice1:test', '@bob1:test'];
    await env.rooms.createRoom(room, alice);
    await env.rooms.join(room, bob);
    const since = (await env.sync(alice)).body.next_batch;
    await env.rooms.leave(room, bob);
    const { body } = await env.sync(alice, { since });
    expect(body.device_lists).toEqual({ changed: [], left: [bob] });
    expect(await keysChanges(alice, since, body.next_batch)).toEqual({ changed: [], left: [bob] });
    // Reported once: the next sync has nothing more to say about bob.
    expect((await env.sync(alice, { since: body.next_batch })).body.device_lists).toEqual({ changed: [], left: [] });
  });

  it('does not list a room-mate who still shares another room', async () => {
    const [first, second] = [freshRoom(), freshRoom()];
    const [alice, bob] = ['@alice2:test', '@bob2:test'];
    for (const room of [first, second]) {
      await env.rooms.createRoom(room, alice);
      await env.rooms.join(room, bob);
    }
    const since = (await env.sync(alice)).body.next_batch;
    await env.rooms.leave(first, bob);
    const { body } = await env.sync(alice, { since });
    expect(body.device_lists.left).toEqual([]);
    await env.rooms.leave(second, bob);
    const later = await env.sync(alice, { since: body.next_batch });
    expect(later.body.device_lists.left).toEqual([bob]);
  });

  it('lists the members of a room the user left, except those it still shares a room with', async () => {
    const [left, kept] = [freshRoom(), freshRoom()];
    const [alice, bob, carol] = ['@alice3:test', '@bob3:test', '@carol3:test'];
    await env.rooms.createRoom(left, bob);
    await env.rooms.join(left, alice);
    await env.rooms.join(left, carol);
    await env.rooms.createRoom(kept, carol);
    await env.rooms.join(kept, alice);
    const since = (await env.sync(alice)).body.next_batch;
    await env.rooms.leave(left, alice);
    const { body } = await env.sync(alice, { since });
    expect(body.device_lists).toEqual({ changed: [], left: [bob] });
    expect(body.rooms.leave[left]).toBeDefined();
  });

  it('lists a user who joined and left within the window only as left', async () => {
    const room = freshRoom();
    const [alice, dave] = ['@alice4:test', '@dave4:test'];
    await env.rooms.createRoom(room, alice);
    const since = (await env.sync(alice)).body.next_batch;
    await env.rooms.join(room, dave);
    const joined = (await env.sync(alice, { since })).body;
    expect(joined.device_lists).toEqual({ changed: [dave], left: [] });
    await env.rooms.leave(room, dave);
    await env.rooms.join(room, dave);
    await env.rooms.leave(room, dave);
    expect((await env.sync(alice, { since })).body.device_lists).toEqual({ changed: [], left: [dave] });
    // A user who left and came back within the window is tracked, not dropped.
    const back = (await env.sync(alice)).body.next_batch;
    await env.rooms.join(room, dave);
    await env.rooms.leave(room, dave);
    await env.rooms.join(room, dave);
    expect((await env.sync(alice, { since: back })).body.device_lists).toEqual({ changed: [dave], left: [] });
  });
});
