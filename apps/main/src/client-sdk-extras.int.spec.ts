// matrix-js-sdk's server-side search and space hierarchy calls against the monolith over real
// HTTP, on both storage modes (embedded PGlite and PostgreSQL): the calls Element's search box
// and space home make. Every JSON response the SDK receives is checked against the v1.19 spec.
import { MsgType, type MatrixClient } from 'matrix-js-sdk';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerUser, type ClientOptions } from './testing/sdk-clients.ts';
import { describeViolations, SpecCheckedFetch } from './testing/spec-checked-fetch.ts';
import { startTestHomeserver, type StorageMode, type TestHomeserver } from './testing/test-homeserver.ts';

const BOOT_TIMEOUT = 180_000;

describe.each<StorageMode>(['pglite', 'postgres'])('matrix-js-sdk search and spaces (%s)', (mode) => {
  let server: TestHomeserver;
  let fetcher: SpecCheckedFetch;
  let opts: ClientOptions;

  beforeAll(async () => {
    server = await startTestHomeserver(mode);
  }, BOOT_TIMEOUT);
  afterAll(async () => {
    await server?.stop();
  }, 60_000);

  beforeEach(() => {
    fetcher = new SpecCheckedFetch();
    opts = { baseUrl: server.baseUrl, fetcher };
  });
  afterEach(async () => {
    const violations = await fetcher.takeViolations();
    expect(violations, `spec violations:\n${describeViolations(violations)}`).toEqual([]);
  });

  async function send(client: MatrixClient, roomId: string, body: string): Promise<string> {
    return (await client.sendMessage(roomId, { msgtype: MsgType.Text, body })).event_id;
  }

  it('searchRoomEvents finds messages with context and profiles, and back-paginates with next_batch', async () => {
    const alice = await registerUser('searcher', opts);
    const bob = await registerUser('searchee', opts);
    const { room_id: roomId } = await alice.client.createRoom({ name: 'Search room', preset: 'public_chat' as never });
    await bob.client.joinRoom(roomId);
    await send(alice.client, roomId, 'first plain message');
    const hits: string[] = [];
    for (let i = 0; i < 12; i++) hits.push(await send(i % 2 === 0 ? alice.client : bob.client, roomId, `the kingfisher number ${i} dives`));
    await send(bob.client, roomId, 'unrelated words');
    const { room_id: privateRoom } = await alice.client.createRoom({ name: 'Alice only', preset: 'private_chat' as never });
    await send(alice.client, privateRoom, 'kingfisher secret');

    const results = await bob.client.searchRoomEvents({ term: 'kingfishers' });
    // Newest first, ten per page (the default limit), none from the room bob is not in.
    expect(results.results.map((r) => r.context.getEvent().getId())).toEqual([...hits].reverse().slice(0, 10));
    expect(results.count).toBe(12);
    expect(results.highlights).toContain('kingfisher');
    const newest = results.results[0]!.context;
    expect(newest.getTimeline().map((e) => e.getContent()['body'])).toEqual(['the kingfisher number 10 dives', 'the kingfisher number 11 dives', 'unrelated words']);
    expect(newest.getEvent().getSender()).toBe(bob.userId);

    const more = await bob.client.backPaginateRoomEventsSearch(results);
    expect(more.results.map((r) => r.context.getEvent().getId())).toEqual([...hits].reverse());
    expect(more.next_batch).toBeUndefined();

    const scoped = await alice.client.searchRoomEvents({ term: 'kingfisher', filter: { rooms: [privateRoom] } });
    expect(scoped.results.map((r) => r.context.getEvent().getContent()['body'])).toEqual(['kingfisher secret']);
  });

  it('getRoomHierarchy walks a space with suggested children, depth and pages', async () => {
    const alice = await registerUser('spacer', opts);
    const bob = await registerUser('visitor', opts);
    const { room_id: space } = await alice.client.createRoom({ name: 'Space', preset: 'public_chat' as never, creation_content: { type: 'm.space' } });
    const children: string[] = [];
    for (const name of ['General', 'Random', 'Off-topic']) {
      const { room_id: child } = await alice.client.createRoom({ name, preset: 'public_chat' as never });
      await alice.client.sendStateEvent(space, 'm.space.child' as never, { via: [server.serverName], suggested: name === 'General' } as never, child);
      children.push(child);
    }
    const { room_id: hidden } = await alice.client.createRoom({ name: 'Hidden', preset: 'private_chat' as never });
    await alice.client.sendStateEvent(space, 'm.space.child' as never, { via: [server.serverName] } as never, hidden);

    const full = await alice.client.getRoomHierarchy(space);
    expect(full.rooms.map((r) => r.room_id)).toEqual([space, ...children, hidden]);
    expect(full.rooms[0]!.children_state.map((e) => e.state_key)).toEqual([...children, hidden]);
    expect(full.rooms[1]).toMatchObject({ name: 'General', join_rule: 'public', num_joined_members: 1 });

    expect((await bob.client.getRoomHierarchy(space)).rooms.map((r) => r.room_id)).toEqual([space, ...children]);
    expect((await alice.client.getRoomHierarchy(space, undefined, undefined, true)).rooms.map((r) => r.room_id)).toEqual([space, children[0]]);
    expect((await alice.client.getRoomHierarchy(space, undefined, 0)).rooms.map((r) => r.room_id)).toEqual([space]);

    const first = await alice.client.getRoomHierarchy(space, 2);
    expect(first.rooms).toHaveLength(2);
    const second = await alice.client.getRoomHierarchy(space, 2, undefined, undefined, first.next_batch);
    const third = await alice.client.getRoomHierarchy(space, 2, undefined, undefined, second.next_batch);
    expect([...first.rooms, ...second.rooms, ...third.rooms].map((r) => r.room_id)).toEqual([space, ...children, hidden]);
    expect(third.next_batch).toBeUndefined();
  });
});
