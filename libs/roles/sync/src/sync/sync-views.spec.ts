// The joined rooms a long-poll waits on (its notifier keys) are remembered per user until the
// events reader sees a membership event of theirs, so a room the user just joined is waited on.
/* eslint-disable @typescript-eslint/no-explicit-any -- sync bodies are deep JSON checked field by field */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSyncEnv, type SyncEnv } from '../testing/sync-env.ts';
import { SyncViews } from './sync-views.ts';

const ALICE = '@alice:test';
const BOB = '@bob:test';
let env: SyncEnv;

beforeAll(async () => {
  env = await openSyncEnv();
});
afterAll(async () => {
  await env.close();
});

describe('SyncViews.joinedRoomsOf', () => {
  it('remembers a user\'s rooms until a membership event of theirs', async () => {
    const first = '!views-a:test';
    const second = '!views-b:test';
    await env.rooms.createRoom(first, ALICE);
    await env.rooms.createRoom(second, ALICE);
    await env.rooms.join(first, BOB);
    await env.views.catchUp(5000);

    const known = await env.views.joinedRoomsOf(BOB);
    expect(known).toEqual([first]);
    // The same answer, not read again.
    expect(await env.views.joinedRoomsOf(BOB)).toBe(known);
    // Someone else's membership leaves it alone.
    await env.rooms.join(second, '@carol:test');
    await env.views.catchUp(5000);
    expect(await env.views.joinedRoomsOf(BOB)).toBe(known);

    const since = (await env.sync(BOB)).body.next_batch;
    await env.rooms.join(second, BOB);
    await env.views.catchUp(5000);
    expect([...(await env.views.joinedRoomsOf(BOB))].sort()).toEqual([first, second].sort());

    // And a long-poll from after the join gets the new room's messages.
    const after = (await env.sync(BOB, { since })).body.next_batch;
    const polling = env.sync(BOB, { since: after, timeout: '20000' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await env.rooms.message(second, ALICE, 'in the new room');
    const { body } = await polling;
    expect(body.rooms.join[second].timeline.events.map((e: any) => e.content.body)).toEqual(['in the new room']);
  });
});

describe('SyncViews.eventsIn', () => {
  it('names the rooms and members of a window\'s rows while it remembers all of them, and nothing once it reaches back past them', async () => {
    const views = await SyncViews.start(env.db, env.transport, { writersOf: () => ['main'], recentEventRows: 3 });
    try {
      const rooms = ['!recent-a:test', '!recent-b:test', '!recent-c:test'];
      const start = views.currentToken().events;
      await env.rooms.createRoom(rooms[0]!, ALICE);
      await env.rooms.createRoom(rooms[1]!, ALICE);
      await views.catchUp(5000);
      // Eight rows so far: the window from the start reaches back past the three remembered.
      expect(views.eventsIn(start, views.currentToken().events)).toBeUndefined();
      const since = views.currentToken().events;
      await env.rooms.message(rooms[0]!, ALICE, 'one');
      await env.rooms.join(rooms[1]!, BOB);
      await views.catchUp(5000);
      const upTo = views.currentToken().events;
      expect(views.eventsIn(since, upTo)).toEqual({ rooms: new Set([rooms[0], rooms[1]]), members: new Set([BOB]) });
      // An empty window, and one of a single row.
      expect(views.eventsIn(upTo, upTo)).toEqual({ rooms: new Set(), members: new Set() });
      await env.rooms.message(rooms[2]!, ALICE, 'elsewhere');
      await views.catchUp(5000);
      expect(views.eventsIn(upTo, views.currentToken().events)).toEqual({ rooms: new Set([rooms[2]]), members: new Set() });
      // Three more rows pushed the window's first ones out.
      await env.rooms.message(rooms[0]!, ALICE, 'two');
      await env.rooms.message(rooms[0]!, ALICE, 'three');
      await views.catchUp(5000);
      expect(views.eventsIn(since, views.currentToken().events)).toBeUndefined();
    } finally {
      await views.stop();
    }
  });
});
