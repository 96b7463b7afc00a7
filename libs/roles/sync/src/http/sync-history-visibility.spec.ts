/* eslint-disable @typescript-eslint/no-explicit-any -- sync bodies are deep JSON checked field by field */
// /sync applies m.room.history_visibility to the timelines of joined and left rooms: for each
// value, an initial sync after the join, an incremental sync whose window holds the join, and a
// user who left; plus the user's own membership events, rejoins and limited timelines.
import { MemoryWriterIds } from '@homeserver/streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSyncToken } from '../sync/sync-token.ts';
import { openSyncEnv, type SyncEnv } from '../testing/sync-env.ts';

const ALICE = '@alice:test';
const BOB = '@bob:test';
let env: SyncEnv;
let n = 0;
const freshRoom = () => `!hv${++n}:test`;

const WIDE = JSON.stringify({ room: { timeline: { limit: 50 } } });
const WIDE_WITH_LEAVE = JSON.stringify({ room: { include_leave: true, timeline: { limit: 50 } } });

beforeAll(async () => {
  env = await openSyncEnv();
});
afterAll(async () => {
  expect(env.violations).toEqual([]);
  await env.close();
});

function bodies(room: any): string[] {
  return room.timeline.events.filter((e: any) => e.type === 'm.room.message').map((e: any) => e.content.body);
}

function ownMemberships(room: any, userId: string): string[] {
  return room.timeline.events.filter((e: any) => e.type === 'm.room.member' && e.state_key === userId).map((e: any) => e.content.membership);
}

/** Alice's room with the given visibility: a message before Bob's invite, one while he is invited. */
async function roomUpToInvite(visibility: string): Promise<string> {
  const room = freshRoom();
  await env.rooms.createRoom(room, ALICE);
  await env.rooms.send(room, ALICE, 'm.room.history_visibility', { history_visibility: visibility }, '');
  await env.rooms.message(room, ALICE, 'before invite');
  await env.rooms.invite(room, ALICE, BOB);
  await env.rooms.message(room, ALICE, 'while invited');
  return room;
}

/** What Bob may see of 'before invite' and 'while invited' once he has joined. */
const PRE_JOIN: Record<string, string[]> = {
  world_readable: ['before invite', 'while invited'],
  shared: ['before invite', 'while invited'],
  invited: ['while invited'],
  joined: [],
};

/**
 * Bob's own membership events before his join: his own invite is always his to see, so it stays
 * in the timeline even with 'joined', where the hidden 'while invited' is left out around it.
 */
const OWN_BEFORE_JOIN: Record<string, string[]> = { world_readable: ['invite'], shared: ['invite'], invited: ['invite'], joined: ['invite'] };

describe.each(Object.keys(PRE_JOIN))('history_visibility %s', (visibility) => {
  it('initial sync after the join shows only what the joiner may see, and his own invite and join', async () => {
    const room = await roomUpToInvite(visibility);
    await env.rooms.join(room, BOB);
    await env.rooms.message(room, ALICE, 'after join');
    const joined = (await env.sync(BOB, { filter: WIDE })).body.rooms.join[room];
    expect(bodies(joined)).toEqual([...PRE_JOIN[visibility]!, 'after join']);
    expect(ownMemberships(joined, BOB)).toEqual([...OWN_BEFORE_JOIN[visibility]!, 'join']);
    // A timeline that left hidden events out is limited (prev_batch leads /messages past them).
    if (visibility === 'joined') expect(joined.timeline.limited).toBe(true);
    // State plus timeline still describe the whole room (state is not history).
    const types = [...joined.state.events, ...joined.timeline.events].map((e: any) => e.type);
    expect(types).toEqual(expect.arrayContaining(['m.room.create', 'm.room.power_levels', 'm.room.join_rules', 'm.room.history_visibility']));
  });

  it('an incremental sync whose window holds the join filters the same way', async () => {
    const since = (await env.sync(BOB)).body.next_batch;
    const room = await roomUpToInvite(visibility);
    await env.rooms.join(room, BOB);
    await env.rooms.message(room, ALICE, 'after join');
    const joined = (await env.sync(BOB, { since, filter: WIDE })).body.rooms.join[room];
    expect(bodies(joined)).toEqual([...PRE_JOIN[visibility]!, 'after join']);
    expect(ownMemberships(joined, BOB)).toEqual([...OWN_BEFORE_JOIN[visibility]!, 'join']);
    // Later incremental syncs (joined throughout) carry every new event.
    const next = (await env.sync(BOB, { since, filter: WIDE })).body.next_batch;
    await env.rooms.message(room, ALICE, 'later');
    expect(bodies((await env.sync(BOB, { since: next, filter: WIDE })).body.rooms.join[room])).toEqual(['later']);
  });

  it('a user who left sees what they could see up to their leave, in initial and incremental syncs', async () => {
    const since = (await env.sync(BOB)).body.next_batch;
    const room = await roomUpToInvite(visibility);
    await env.rooms.join(room, BOB);
    await env.rooms.message(room, ALICE, 'while joined');
    await env.rooms.leave(room, BOB);
    await env.rooms.message(room, ALICE, 'after leave');
    const expected = [...PRE_JOIN[visibility]!, 'while joined'];

    const initial = (await env.sync(BOB, { filter: WIDE_WITH_LEAVE })).body.rooms.leave[room];
    expect(bodies(initial)).toEqual(expected);
    expect(ownMemberships(initial, BOB)).toEqual([...OWN_BEFORE_JOIN[visibility]!, 'join', 'leave']);

    const incremental = (await env.sync(BOB, { since, filter: WIDE_WITH_LEAVE })).body.rooms.leave[room];
    expect(bodies(incremental)).toEqual(expected);
    expect(ownMemberships(incremental, BOB)).toEqual([...OWN_BEFORE_JOIN[visibility]!, 'join', 'leave']);
  });

  it('a user joined at the window start who leaves within it gets the window up to the leave', async () => {
    const room = await roomUpToInvite(visibility);
    await env.rooms.join(room, BOB);
    const since = (await env.sync(BOB)).body.next_batch;
    await env.rooms.message(room, ALICE, 'while joined');
    await env.rooms.leave(room, BOB);
    await env.rooms.message(room, ALICE, 'after leave');
    const left = (await env.sync(BOB, { since, filter: WIDE })).body.rooms.leave[room];
    expect(bodies(left)).toEqual(['while joined']);
    expect(ownMemberships(left, BOB)).toEqual(['leave']);
  });
});

describe('own membership events and rejoins', () => {
  it('a joined-only room: what happened while away is left out, but what is still current state is in the timeline', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.send(room, ALICE, 'm.room.history_visibility', { history_visibility: 'joined' }, '');
    await env.rooms.join(room, BOB);
    await env.rooms.message(room, ALICE, 'first stint');
    const since = (await env.sync(BOB)).body.next_batch;
    await env.rooms.leave(room, BOB);
    await env.rooms.message(room, ALICE, 'while away');
    const topic = await env.rooms.send(room, ALICE, 'm.room.topic', { topic: 'changed while away' }, '');
    await env.rooms.send(room, ALICE, 'm.room.member', { membership: 'ban' }, BOB);
    await env.rooms.send(room, ALICE, 'm.room.member', { membership: 'leave' }, BOB);
    const rejoin = await env.rooms.join(room, BOB);
    await env.rooms.message(room, ALICE, 'second stint');
    const cases: Array<{ query: Record<string, string>; own: string[]; bodies: string[] }> = [
      { query: { filter: WIDE }, own: ['join', 'leave', 'ban', 'leave', 'join'], bodies: ['first stint', 'second stint'] },
      { query: { since: String(since), filter: WIDE }, own: ['leave', 'ban', 'leave', 'join'], bodies: ['second stint'] },
    ];
    for (const expected of cases) {
      const joined = (await env.sync(BOB, expected.query)).body.rooms.join[room];
      // Bob's own memberships are always his to see; 'while away' is not (Synapse's sync).
      expect(ownMemberships(joined, BOB)).toEqual(expected.own);
      expect(joined.timeline.events.map((e: any) => e.event_id)).toContain(rejoin.eventId);
      expect(bodies(joined)).toEqual(expected.bodies);
      expect(joined.timeline.limited).toBe(true);
      // The topic set while he was away is current state: shown in the timeline, as Synapse does.
      expect(joined.timeline.events.map((e: any) => e.event_id), JSON.stringify(expected.query)).toContain(topic.eventId);
    }
  });

  it('a joined-only room seen from the start: own membership events and the first stint are all there', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.send(room, ALICE, 'm.room.history_visibility', { history_visibility: 'joined' }, '');
    await env.rooms.invite(room, ALICE, BOB);
    await env.rooms.join(room, BOB);
    await env.rooms.message(room, ALICE, 'first stint');
    await env.rooms.send(room, ALICE, 'm.room.member', { membership: 'leave' }, BOB);
    const joined = (await env.sync(BOB, { filter: WIDE_WITH_LEAVE })).body.rooms.leave[room];
    // Nothing was hidden (the room's creation predates 'joined'), so nothing was cut.
    expect(joined.timeline.events[0].type).toBe('m.room.create');
    expect(ownMemberships(joined, BOB)).toEqual(['invite', 'join', 'leave']);
    expect(bodies(joined)).toEqual(['first stint']);
  });

  it('shows each visibility event when the value before or after it allows (spec: the more permissive side)', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.send(room, ALICE, 'm.room.history_visibility', { history_visibility: 'joined' }, '');
    await env.rooms.message(room, ALICE, 'hidden');
    await env.rooms.send(room, ALICE, 'm.room.history_visibility', { history_visibility: 'world_readable' }, '');
    await env.rooms.message(room, ALICE, 'readable');
    await env.rooms.join(room, BOB);
    const joined = (await env.sync(BOB, { filter: WIDE })).body.rooms.join[room];
    // The 'world_readable' event is visible by the value after it ('joined' before it hid the message).
    const visibility = joined.timeline.events.filter((e: any) => e.type === 'm.room.history_visibility').map((e: any) => e.content.history_visibility);
    expect(visibility.at(-1)).toBe('world_readable');
    expect(bodies(joined)).toEqual(['readable']);
  });
});

describe('limited timelines', () => {
  it('a joined-only room: the window drops pre-join events, stays limited, and prev_batch starts below the first shown event', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.send(room, ALICE, 'm.room.history_visibility', { history_visibility: 'joined' }, '');
    for (let i = 0; i < 12; i++) await env.rooms.message(room, ALICE, `old ${i}`);
    const join = await env.rooms.join(room, BOB);
    await env.rooms.message(room, ALICE, 'new 0');
    await env.rooms.message(room, ALICE, 'new 1');
    const joined = (await env.sync(BOB, { filter: JSON.stringify({ room: { timeline: { limit: 5 } } }) })).body.rooms.join[room];
    expect(bodies(joined)).toEqual(['new 0', 'new 1']);
    expect(joined.timeline.events[0].event_id).toBe(join.eventId);
    expect(joined.timeline.limited).toBe(true);
    const prev = decodeSyncToken(joined.timeline.prev_batch, new MemoryWriterIds(['main'])).events.max;
    expect(prev).toBe(join.position - 1);
  });

  it('a joined-only room the user has been in all along: a limited incremental window loses nothing', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.send(room, ALICE, 'm.room.history_visibility', { history_visibility: 'joined' }, '');
    await env.rooms.join(room, BOB);
    const since = (await env.sync(BOB)).body.next_batch;
    for (let i = 0; i < 6; i++) await env.rooms.message(room, ALICE, `m${i}`);
    const joined = (await env.sync(BOB, { since, filter: JSON.stringify({ room: { timeline: { limit: 3 } } }) })).body.rooms.join[room];
    expect(joined.timeline.limited).toBe(true);
    expect(bodies(joined)).toEqual(['m3', 'm4', 'm5']);
  });
});
