// matrix-js-sdk drives the monolith over real HTTP on both storage modes (embedded PGlite and
// PostgreSQL). Every JSON response the SDK receives is checked against the Matrix v1.19 spec.
import { ClientEvent, Direction, EventType, Method, MsgType, ReceiptType, RelationType, RoomMemberEvent, SyncState, type IRoomEvent, type MatrixClient } from 'matrix-js-sdk';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { historyOldestFirst, waitUntil, walkMessages } from './testing/room-history.ts';
import { inBatches, matrixErrorOf, sendRawMessage } from './testing/raw-requests.ts';
import { loginUser, registerUser, type ClientOptions } from './testing/sdk-clients.ts';
import { describeViolations, SpecCheckedFetch } from './testing/spec-checked-fetch.ts';
import { SyncFollower } from './testing/sync-follower.ts';
import { startTestHomeserver, type StorageMode, type TestHomeserver } from './testing/test-homeserver.ts';

const BOOT_TIMEOUT = 180_000;

describe.each<StorageMode>(['pglite', 'postgres'])('matrix-js-sdk against the monolith (%s)', (mode) => {
  let server: TestHomeserver;
  let fetcher: SpecCheckedFetch;
  let opts: ClientOptions;
  const started: MatrixClient[] = [];

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
    for (const client of started.splice(0)) client.stopClient();
    const violations = await fetcher.takeViolations();
    expect(violations, `spec violations:\n${describeViolations(violations)}`).toEqual([]);
  });

  async function startSyncing(client: MatrixClient): Promise<void> {
    started.push(client);
    const prepared = new Promise<void>((resolve, reject) => {
      client.on(ClientEvent.Sync, (state, _prev, data) => {
        if (state === SyncState.Prepared) resolve();
        if (state === SyncState.Error) reject(new Error(`SDK sync failed: ${String(data?.error)}`));
      });
    });
    await client.startClient({ initialSyncLimit: 50 });
    await prepared;
  }

  it('chat: register, login, invite/join, messages, edit, redact, pagination, typing, receipts, profile, room state, SDK timeline', async () => {
    const alice = await registerUser('alice', opts);
    const bobRegistered = await registerUser('bob', opts);
    // A second device for bob through the password login a client shows on its login screen.
    const bob = await loginUser(bobRegistered.userId, bobRegistered.password, opts);
    expect(bob.userId).toBe(`@bob:${server.serverName}`);
    expect((await bob.client.whoami()).user_id).toBe(bob.userId);

    const { room_id: roomId } = await alice.client.createRoom({ name: 'Chat', preset: 'private_chat' as never });
    await alice.client.invite(roomId, bob.userId);
    await bob.client.joinRoom(roomId);

    const first = await alice.client.sendMessage(roomId, { msgtype: MsgType.Text, body: 'hello bob' });
    const second = await bob.client.sendMessage(roomId, { msgtype: MsgType.Text, body: 'hi alice' });
    const edit = await alice.client.sendMessage(roomId, {
      msgtype: MsgType.Text,
      body: '* hello bob!',
      'm.new_content': { msgtype: MsgType.Text, body: 'hello bob!' },
      'm.relates_to': { rel_type: RelationType.Replace, event_id: first.event_id },
    });
    const redaction = await bob.client.redactEvent(roomId, second.event_id, undefined, { reason: 'typo' });
    for (let i = 0; i < 6; i += 1) await alice.client.sendTextMessage(roomId, `filler ${i}`);

    // History both ways: walk back from the live end in small pages, then forward from a deep token.
    const back = await walkMessages(bob.client, roomId, Direction.Backward, { limit: 3 });
    const oldestFirst = [...back.events].reverse();
    expect(oldestFirst[0]?.type).toBe(EventType.RoomCreate);
    expect(new Set(oldestFirst.map((e) => e.event_id)).size).toBe(oldestFirst.length);
    const ids = oldestFirst.map((e) => e.event_id);
    for (const id of [first.event_id, second.event_id, edit.event_id, redaction.event_id]) expect(ids).toContain(id);
    const redacted = oldestFirst.find((e) => e.event_id === second.event_id);
    expect(redacted?.content).toEqual({});
    expect(redacted?.unsigned?.redacted_because?.event_id).toBe(redaction.event_id);
    // Forward from the `end` of the second page: everything newer than that position, oldest first.
    const deep = back.ends[1];
    expect(deep).toBeDefined();
    const forward = await walkMessages(bob.client, roomId, Direction.Forward, { from: deep!, limit: 4 });
    expect(forward.events.map((e) => e.event_id)).toEqual(back.events.slice(0, 6).reverse().map((e) => e.event_id));

    // The SDK's own sync loop.
    await startSyncing(alice.client);
    await startSyncing(bob.client);
    const bobRoom = await waitUntil('bob to see the room', () => bob.client.getRoom(roomId) ?? undefined);
    const timelineIds = bobRoom.getLiveTimeline().getEvents().map((e) => e.getId());
    expect(timelineIds.length).toBeGreaterThan(0);
    expect(ids.slice(-timelineIds.length)).toEqual(timelineIds);
    expect(bobRoom.findEventById(second.event_id)?.isRedacted()).toBe(true);
    expect(bobRoom.findEventById(first.event_id)?.replacingEventId()).toBe(edit.event_id);
    expect(bobRoom.findEventById(first.event_id)?.getContent()['body']).toBe('hello bob!');

    // Typing and receipts arrive at the other client through its sync loop.
    let aliceTyping = false;
    bob.client.on(RoomMemberEvent.Typing, (_event, member) => {
      if (member.userId === alice.userId) aliceTyping = member.typing;
    });
    await alice.client.sendTyping(roomId, true, 20_000);
    await waitUntil('bob to see alice typing', () => aliceTyping);
    await alice.client.sendTyping(roomId, false, 0);
    await waitUntil('bob to see alice stop typing', () => !aliceTyping);
    const lastFromAlice = bobRoom.findEventById(ids.at(-1)!)!;
    await bob.client.sendReceipt(lastFromAlice, ReceiptType.Read);
    const aliceRoom = alice.client.getRoom(roomId)!;
    await waitUntil('alice to see bob\'s read receipt', () => aliceRoom.getReadReceiptForUserId(bob.userId)?.eventId === lastFromAlice.getId());

    // Profile and room state changes reach the other client, and the member event carries the name.
    await alice.client.setDisplayName('Alice Liddell');
    await waitUntil('bob to see alice\'s new display name', () => bobRoom.getMember(alice.userId)?.name === 'Alice Liddell');
    const member = await bob.client.getStateEvent(roomId, EventType.RoomMember, alice.userId);
    expect(member).toMatchObject({ membership: 'join', displayname: 'Alice Liddell' });
    await alice.client.setRoomTopic(roomId, 'all about tea');
    await alice.client.setRoomName(roomId, 'Tea party');
    await waitUntil('bob to see the new name and topic', () =>
      bobRoom.name === 'Tea party' && bobRoom.currentState.getStateEvents(EventType.RoomTopic, '')?.getContent()['topic'] === 'all about tea');

    // A message sent while both sync loops run lands at the end of both SDK timelines, as in /messages.
    const live = await bob.client.sendTextMessage(roomId, 'see you');
    await waitUntil('alice to receive the live message', () => aliceRoom.getLiveTimeline().getEvents().at(-1)?.getId() === live.event_id);
    const history = await historyOldestFirst(alice.client, roomId);
    const aliceTimeline = aliceRoom.getLiveTimeline().getEvents().map((e) => e.getId());
    expect(history.map((e) => e.event_id).slice(-aliceTimeline.length)).toEqual(aliceTimeline);
    // The SDK's own back-pagination reaches the room's start and agrees with the raw walk.
    await bob.client.scrollback(bobRoom, 100);
    const bobTimeline = bobRoom.getLiveTimeline().getEvents().map((e) => e.getId());
    expect(bobTimeline[0]).toBe(history[0]?.event_id);
    expect(bobTimeline).toEqual((await historyOldestFirst(bob.client, roomId)).map((e) => e.event_id));
    expect(fetcher.checked).toBeGreaterThan(20);
  });

  it('a follower sees 1,000 messages exactly once and in order through limited incremental syncs and /messages gap filling', async ({ annotate }) => {
    const sender = await registerUser('sender', opts);
    const follower = await registerUser('follower', opts);
    const { room_id: roomId } = await sender.client.createRoom({ name: 'Firehose', preset: 'public_chat' as never });
    await follower.client.joinRoom(roomId);
    const follow = new SyncFollower(follower.client, roomId, { timelineLimit: 20 });
    await follow.step();
    const startedAt = Date.now();
    // 100 before the follower syncs again guarantees one limited sync; the rest race its syncs.
    const total = 1000;
    const early = await inBatches(100, 10, (i) => sendRawMessage(sender.client, roomId, `m${i}`));
    let sending = true;
    const rest = inBatches(total - 100, 10, (i) => sendRawMessage(sender.client, roomId, `m${i + 100}`)).finally(() => {
      sending = false;
    });
    const followed = () => follow.events.filter((e) => e.type === EventType.RoomMessage).length;
    while (sending || followed() < total) {
      // Long-polls, as clients do: the server answers as soon as the room moves.
      await follow.step(2_000);
      // A slow client now and then: more than a timeline's worth of messages piles up meanwhile.
      if (sending && follow.syncs % 4 === 0) await new Promise((resolve) => setTimeout(resolve, 1_000));
      if (!sending && Date.now() - startedAt > 200_000) break;
    }
    const sentIds = [...early, ...(await rest)];
    const elapsed = Date.now() - startedAt;

    const messages = follow.events.filter((e) => e.type === EventType.RoomMessage);
    expect(messages.map((e) => e.content['body']).sort()).toEqual(Array.from({ length: total }, (_, i) => `m${i}`).sort());
    expect(new Set(messages.map((e) => e.event_id))).toEqual(new Set(sentIds));
    // In order: the room's order as /messages reports it.
    const history = (await historyOldestFirst(follower.client, roomId, 100)).filter((e) => e.type === EventType.RoomMessage);
    expect(messages.map((e) => e.event_id)).toEqual(history.map((e) => e.event_id));
    expect(follow.limitedSyncs).toBeGreaterThan(0);
    expect(follow.recoveredByPagination).toBeGreaterThanOrEqual(80);
    await annotate(`[${mode}] ${total} messages sent 10 at a time and followed in ${elapsed} ms: ${follow.syncs} syncs, ${follow.limitedSyncs} limited, ${follow.recoveredByPagination} events recovered by /messages`);
  });

  it('authorization: non-members, missing power, bans and left users', async () => {
    const owner = await registerUser('owner', opts);
    const member = await registerUser('member', opts);
    const victim = await registerUser('victim', opts);
    const outsider = await registerUser('outsider', opts);
    const { room_id: roomId } = await owner.client.createRoom({ name: 'Private', preset: 'private_chat' as never });
    for (const user of [member, victim]) {
      await owner.client.invite(roomId, user.userId);
      await user.client.joinRoom(roomId);
    }
    const secretId = await sendRawMessage(owner.client, roomId, 'members only');
    const forbidden = { status: 403, errcode: 'M_FORBIDDEN' };
    const notFound = { status: 404, errcode: 'M_NOT_FOUND' };

    // A non-member can neither read nor send.
    expect(await matrixErrorOf(outsider.client.createMessagesRequest(roomId, null, 10, Direction.Backward))).toEqual(forbidden);
    expect(await matrixErrorOf(outsider.client.roomState(roomId))).toEqual(forbidden);
    expect(await matrixErrorOf(outsider.client.getStateEvent(roomId, EventType.RoomName, ''))).toEqual(forbidden);
    // The spec documents 404 for an event the user may not see; Synapse answers 403. Either refuses.
    expect([forbidden, notFound]).toContainEqual(await matrixErrorOf(outsider.client.fetchRoomEvent(roomId, secretId)));
    expect(await matrixErrorOf(sendRawMessage(outsider.client, roomId, 'let me in'))).toEqual(forbidden);
    expect(await matrixErrorOf(outsider.client.joinRoom(roomId))).toEqual(forbidden);

    // A member at power level 0 cannot kick, ban, change power levels or room state.
    expect(await matrixErrorOf(member.client.kick(roomId, victim.userId))).toEqual(forbidden);
    expect(await matrixErrorOf(member.client.ban(roomId, victim.userId))).toEqual(forbidden);
    expect(await matrixErrorOf(member.client.setPowerLevel(roomId, member.userId, 100))).toEqual(forbidden);
    expect(await matrixErrorOf(member.client.setRoomTopic(roomId, 'mine now'))).toEqual(forbidden);
    expect(await matrixErrorOf(member.client.setRoomName(roomId, 'mine now'))).toEqual(forbidden);
    expect(await matrixErrorOf(member.client.invite(roomId, outsider.userId))).toEqual({ status: 200, errcode: '(the request succeeded)' });
    const state = await owner.client.roomState(roomId);
    expect(state.find((e) => e.type === EventType.RoomName)?.content).toEqual({ name: 'Private' });
    expect(state.find((e) => e.type === EventType.RoomMember && e.state_key === victim.userId)?.content['membership']).toBe('join');

    // A banned user cannot come back.
    await owner.client.ban(roomId, victim.userId, 'spam');
    expect(await matrixErrorOf(victim.client.joinRoom(roomId))).toEqual(forbidden);
    expect(await matrixErrorOf(sendRawMessage(victim.client, roomId, 'unbanned?'))).toEqual(forbidden);

    // A user who left sees nothing sent afterwards, neither in /messages nor in /sync.
    const filter = JSON.stringify({ room: { rooms: [roomId], timeline: { limit: 50 } } });
    const before = await member.client.http.authedRequest<{ next_batch: string }>(Method.Get, '/sync', { filter, timeout: '0' });
    await member.client.leave(roomId);
    const afterLeaveId = await sendRawMessage(owner.client, roomId, 'after you left');
    const seenBack = (await historyOldestFirst(member.client, roomId)).map((e: IRoomEvent) => e.event_id);
    expect(seenBack).toContain(secretId);
    expect(seenBack).not.toContain(afterLeaveId);
    expect([forbidden, notFound]).toContainEqual(await matrixErrorOf(member.client.fetchRoomEvent(roomId, afterLeaveId)));
    type Sync = { next_batch: string; rooms?: { join?: Record<string, unknown>; leave?: Record<string, { timeline?: { events?: IRoomEvent[] } }> } };
    const since = await member.client.http.authedRequest<Sync>(Method.Get, '/sync', { filter, timeout: '0', since: before.next_batch });
    expect(since.rooms?.join?.[roomId]).toBeUndefined();
    const leftTimeline = since.rooms?.leave?.[roomId]?.timeline?.events ?? [];
    expect(leftTimeline.map((e) => e.type === EventType.RoomMember ? e.content['membership'] : e.type)).toContain('leave');
    expect(leftTimeline.map((e) => e.event_id)).not.toContain(afterLeaveId);
    await sendRawMessage(owner.client, roomId, 'still not for you');
    const later = await member.client.http.authedRequest<Sync>(Method.Get, '/sync', { filter, timeout: '0', since: since.next_batch });
    expect(later.rooms?.join?.[roomId]).toBeUndefined();
    expect(later.rooms?.leave?.[roomId]).toBeUndefined();
  });

  it('/metrics: room actor mailboxes, the events stream\'s writer and reader positions (rising with a message) and DB pool use', async () => {
    const scrape = async () => (await fetch(`${server.baseUrl}/metrics`)).text();
    /** The value of the one sample of `name` whose labels start with `labels` (default labels follow). */
    const sample = (text: string, name: string, labels: string): number => {
      const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels},`));
      if (!line) throw new Error(`no ${name}{${labels}} in /metrics:\n${text}`);
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    const owner = await registerUser('metrics', opts);
    const { room_id: roomId } = await owner.client.createRoom({ name: 'Counted', preset: 'private_chat' as never });
    const before = await scrape();
    expect(sample(before, 'actor_mailbox_messages', 'kind="room"')).toBeGreaterThanOrEqual(0);
    expect(sample(before, 'actor_mailbox_max_depth', 'kind="room"')).toBeGreaterThanOrEqual(0);
    // The new room's persister actor is live (rooms passivate after 10 idle minutes).
    expect(sample(before, 'actors_live', 'kind="room"')).toBeGreaterThanOrEqual(1);
    const writerBefore = sample(before, 'stream_writer_position', 'stream="events",writer="main"');
    expect(writerBefore).toBeGreaterThan(0);
    expect(sample(before, 'stream_writer_position', 'stream="typing",writer="main"')).toBeGreaterThanOrEqual(0);
    // PGlite is one connection; the pg pool also tells idle and waiting (connections close when idle).
    if (mode === 'pglite') expect(sample(before, 'db_pool_connections', 'state="total"')).toBe(1);
    else {
      expect(sample(before, 'db_pool_connections', 'state="total"')).toBeGreaterThanOrEqual(sample(before, 'db_pool_connections', 'state="idle"'));
      expect(sample(before, 'db_pool_connections', 'state="waiting"')).toBeGreaterThanOrEqual(0);
    }

    await sendRawMessage(owner.client, roomId, 'one more event');
    let after = await scrape();
    const writerAfter = sample(after, 'stream_writer_position', 'stream="events",writer="main"');
    expect(writerAfter).toBeGreaterThan(writerBefore);
    // The sync role's reader applies it right after; then it reports no lag behind the writer.
    const deadline = Date.now() + 15_000;
    while (sample(after, 'stream_reader_position', 'stream="events",writer="main"') < writerAfter && Date.now() < deadline) after = await scrape();
    expect(sample(after, 'stream_reader_position', 'stream="events",writer="main"')).toBeGreaterThanOrEqual(writerAfter);
    expect(sample(after, 'stream_reader_lag', 'stream="events",writer="main"')).toBe(0);
  });

  it('history visibility "joined": a joiner sees nothing from before the join, neither in the SDK timeline nor through /messages', async () => {
    const owner = await registerUser('hvowner', opts);
    const joiner = await registerUser('hvjoiner', opts);
    const { room_id: roomId } = await owner.client.createRoom({
      name: 'From now on',
      preset: 'public_chat' as never,
      initial_state: [{ type: EventType.RoomHistoryVisibility, state_key: '', content: { history_visibility: 'joined' } }],
    });
    // More than the SDK's initial sync limit (50), so the joiner's first timeline is limited.
    const before = await inBatches(55, 10, (i) => sendRawMessage(owner.client, roomId, `before ${i}`));
    await joiner.client.joinRoom(roomId);
    const after = [await sendRawMessage(owner.client, roomId, 'after 0'), await sendRawMessage(owner.client, roomId, 'after 1')];
    const bodies = (events: readonly IRoomEvent[]) => events.filter((e) => e.type === EventType.RoomMessage).map((e) => String(e.content['body']));

    // /messages from the live end to the room's start.
    const history = await historyOldestFirst(joiner.client, roomId);
    expect(bodies(history)).toEqual(['after 0', 'after 1']);
    const ownerHistory = await historyOldestFirst(owner.client, roomId);
    expect(ownerHistory.map((e) => e.event_id)).toEqual(expect.arrayContaining([...before, ...after]));

    // The SDK's sync: the initial timeline, a live message, then its own back-pagination from prev_batch.
    await startSyncing(joiner.client);
    const room = await waitUntil('the joiner to see the room', () => joiner.client.getRoom(roomId) ?? undefined);
    const messageIds = () => room.getLiveTimeline().getEvents().filter((e) => e.getType() === EventType.RoomMessage).map((e) => e.getId());
    expect(messageIds()).toEqual(after);
    const live = await sendRawMessage(owner.client, roomId, 'after 2');
    await waitUntil('the joiner to receive the live message', () => messageIds().at(-1) === live);
    await joiner.client.scrollback(room, 100);
    expect(messageIds()).toEqual([...after, live]);
    const timeline = room.getLiveTimeline().getEvents().map((e) => e.getId());
    expect(timeline).toEqual((await historyOldestFirst(joiner.client, roomId)).map((e) => e.event_id));
    for (const id of before) expect(room.findEventById(id)).toBeUndefined();
    // The joiner's own join is in the timeline; events the room was made of (before 'joined' was set) too.
    expect(room.getLiveTimeline().getEvents().some((e) => e.getType() === EventType.RoomMember && e.getStateKey() === joiner.userId)).toBe(true);
    expect(timeline[0]).toBe(history[0]?.event_id);
  });
});
