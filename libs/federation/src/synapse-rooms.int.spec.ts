// Rooms shared with a real Synapse (the must-show "Interop with Synapse"), driven by
// matrix-js-sdk clients on both sides: a user of each side joins the other side's room, 100
// messages each way arrive in order on both sides' /sync and /messages (and 50 each when both
// chat in one room at once), power levels and topics cross both ways, an invite each way is
// accepted, a kick and a ban each way are honoured, and our user pages back through 500
// messages Synapse held before it joined.
import { Direction, Preset, type IRoomEvent } from 'matrix-js-sdk';
import type { JsonObject } from '@homeserver/matrix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bodiesWith,
  clientApi,
  messagesOldestFirst,
  registerUser,
  stateContent,
  statusOf,
  SyncingClient,
  waitFor,
  type RegisteredUser,
} from './testing/interop-clients.ts';
import { startInteropPair, type InteropPair } from './testing/interop-pair.ts';

let pair: InteropPair;
const started: SyncingClient[] = [];
/** Our user and Synapse's, and a room created on each side that both joined (first test). */
let erin: SyncingClient;
let dave: SyncingClient;
let synapseRoomId: string;
let ourRoomId: string;

const enc = encodeURIComponent;

beforeAll(async () => {
  pair = await startInteropPair();
}, 20 * 60_000);

afterAll(async () => {
  for (const client of started) client.stop();
  await pair?.stop();
});

async function syncingUser(base: string, name: string, displayname: string): Promise<SyncingClient> {
  const client = new SyncingClient(await registerUser(base, name, displayname));
  started.push(client);
  await client.start();
  return client;
}

/** Waits until `viewer`'s server shows `userId` with `membership` in the room. */
async function membershipSeen(viewer: RegisteredUser, roomId: string, userId: string, membership: string): Promise<void> {
  await waitFor(`${userId} to be ${membership} in ${roomId} as ${viewer.userId} reads it`, async () =>
    (await stateContent(viewer, roomId, 'm.room.member', userId))?.['membership'] === membership || undefined,
  );
}

/** A raw send (no SDK retries or local echo): its status is what the server decided. */
function sendRaw(user: RegisteredUser, roomId: string, body: string): Promise<number> {
  const path = `/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.message/${enc(`${body}-${Date.now()}`)}`;
  return statusOf(clientApi(user.base, 'PUT', path, { msgtype: 'm.text', body }, user.token));
}

/** A raw join (the SDK answers a join of a room it thinks the user is in without asking). */
function joinRaw(user: RegisteredUser, roomId: string, via: string): Promise<number> {
  return statusOf(clientApi(user.base, 'POST', `/_matrix/client/v3/join/${enc(roomId)}?server_name=${enc(via)}`, {}, user.token));
}

describe('rooms shared with Synapse', () => {
  it('our user joins a Synapse room by alias and a Synapse user joins ours by ID', async () => {
    const { ours, synapse } = pair;
    dave = await syncingUser(synapse.clientUrl, 'dave', 'Dave');
    erin = await syncingUser(ours.clientUrl, 'erin', 'Erin');
    synapseRoomId = (await dave.client.createRoom({ preset: Preset.PublicChat, room_alias_name: 'interop' })).room_id;
    expect((await erin.client.joinRoom(`#interop:${synapse.serverName}`)).roomId).toBe(synapseRoomId);
    ourRoomId = (await erin.client.createRoom({ preset: Preset.PublicChat })).room_id;
    await dave.client.joinRoom(ourRoomId, { viaServers: [ours.serverName] });
    for (const viewer of [erin.user, dave.user]) {
      for (const roomId of [synapseRoomId, ourRoomId]) {
        for (const member of [erin.user.userId, dave.user.userId]) await membershipSeen(viewer, roomId, member, 'join');
      }
    }
    // The state the join got from Synapse (send_join) is the room's state section in our /sync.
    const filter = JSON.stringify({ room: { rooms: [synapseRoomId], timeline: { limit: 1 } } });
    const sync = await clientApi(ours.clientUrl, 'GET', `/_matrix/client/v3/sync?timeout=0&filter=${enc(filter)}`, undefined, erin.user.token);
    const joined = ((sync['rooms'] as JsonObject)['join'] as Record<string, { state: { events: JsonObject[] } }>)[synapseRoomId]!;
    const stateKeys = joined.state.events.map((e) => `${e['type'] as string}|${e['state_key'] as string}`);
    for (const key of ['m.room.create|', 'm.room.power_levels|', 'm.room.join_rules|', `m.room.member|${dave.user.userId}`]) expect(stateKeys).toContain(key);
  });

  it("100 messages each way arrive in order on the receiving SDK client's /sync and on both servers' /messages", async () => {
    const texts = (prefix: string) => Array.from({ length: 100 }, (_, i) => `${prefix} ${i}`);
    const fromOurs = texts('from-ours');
    const fromSynapse = texts('from-synapse');
    const sendAll = async (sender: SyncingClient, roomId: string, bodies: string[]) => {
      for (const body of bodies) await sender.client.sendTextMessage(roomId, body);
    };
    // Both directions at once; each sender's messages one after the other (their order is checked).
    await Promise.all([sendAll(erin, synapseRoomId, fromOurs), sendAll(dave, ourRoomId, fromSynapse)]);
    await waitFor("Synapse's client to get our 100 messages through /sync", () => bodiesWith(dave.timeline(synapseRoomId), 'from-ours').length >= 100 || undefined);
    await waitFor("our client to get Synapse's 100 messages through /sync", () => bodiesWith(erin.timeline(ourRoomId), 'from-synapse').length >= 100 || undefined);
    expect(bodiesWith(dave.timeline(synapseRoomId), 'from-ours')).toEqual(fromOurs);
    expect(bodiesWith(erin.timeline(ourRoomId), 'from-synapse')).toEqual(fromSynapse);
    for (const [client, roomId] of [[dave, synapseRoomId], [erin, ourRoomId]] as const) {
      const ids = client.timeline(roomId).map((e) => e.event_id);
      expect(new Set(ids).size).toBe(ids.length);
    }
    for (const viewer of [erin.user, dave.user]) {
      const inSynapseRoom = await messagesOldestFirst(viewer, synapseRoomId);
      const inOurRoom = await messagesOldestFirst(viewer, ourRoomId);
      expect(bodiesWith(inSynapseRoom, 'from-ours')).toEqual(fromOurs);
      expect(bodiesWith(inOurRoom, 'from-synapse')).toEqual(fromSynapse);
      for (const events of [inSynapseRoom, inOurRoom]) expect(new Set(events.map((e) => e['event_id'])).size).toBe(events.length);
    }
  }, 300_000);

  it("both users chat in the same room at once: each one's messages arrive in order on both sides, and the room goes on after", async () => {
    const texts = (prefix: string) => Array.from({ length: 50 }, (_, i) => `${prefix} ${i}`);
    const fromErin = texts('erin-at-once');
    const fromDave = texts('dave-at-once');
    const sendAll = async (sender: SyncingClient, bodies: string[]) => {
      for (const body of bodies) await sender.client.sendTextMessage(synapseRoomId, body);
    };
    await Promise.all([sendAll(erin, fromErin), sendAll(dave, fromDave)]);
    await waitFor("Synapse's client to get Erin's messages", () => bodiesWith(dave.timeline(synapseRoomId), 'erin-at-once').length >= 50 || undefined);
    await waitFor("our client to get Dave's messages", () => bodiesWith(erin.timeline(synapseRoomId), 'dave-at-once').length >= 50 || undefined);
    expect(bodiesWith(dave.timeline(synapseRoomId), 'erin-at-once')).toEqual(fromErin);
    expect(bodiesWith(erin.timeline(synapseRoomId), 'dave-at-once')).toEqual(fromDave);
    for (const viewer of [erin.user, dave.user]) {
      const events = await messagesOldestFirst(viewer, synapseRoomId);
      expect(bodiesWith(events, 'erin-at-once')).toEqual(fromErin);
      expect(bodiesWith(events, 'dave-at-once')).toEqual(fromDave);
      expect(new Set(events.map((e) => e['event_id'])).size).toBe(events.length);
    }
    // The room goes on after the burst (concurrent sends may leave it with several extremities).
    await erin.client.sendTextMessage(synapseRoomId, 'after the burst');
    await waitFor("Synapse's client to get the message after the burst", () => bodiesWith(dave.timeline(synapseRoomId), 'after the burst').length === 1 || undefined);
  }, 300_000);

  it("power levels and topics cross both ways: each side raises the other side's user, who then sets the topic", async () => {
    const levelOf = async (viewer: RegisteredUser, roomId: string, userId: string) =>
      ((await stateContent(viewer, roomId, 'm.room.power_levels'))?.['users'] as Record<string, number> | undefined)?.[userId];
    const topicIs = async (viewer: RegisteredUser, roomId: string, topic: string) =>
      waitFor(`topic "${topic}" as ${viewer.userId} reads it`, async () => (await stateContent(viewer, roomId, 'm.room.topic'))?.['topic'] === topic || undefined);

    await dave.client.setPowerLevel(synapseRoomId, erin.user.userId, 50);
    await waitFor('our copy of the Synapse room to give Erin level 50', async () => (await levelOf(erin.user, synapseRoomId, erin.user.userId)) === 50 || undefined);
    await erin.client.setRoomTopic(synapseRoomId, 'set at ours');
    await topicIs(dave.user, synapseRoomId, 'set at ours');

    await erin.client.setPowerLevel(ourRoomId, dave.user.userId, 50);
    await waitFor("Synapse's copy of our room to give Dave level 50", async () => (await levelOf(dave.user, ourRoomId, dave.user.userId)) === 50 || undefined);
    await dave.client.setRoomTopic(ourRoomId, 'set at Synapse');
    await topicIs(erin.user, ourRoomId, 'set at Synapse');
  });

  it('an invite from Synapse: our user accepts it and pages back through the history from before the invite', async () => {
    const frank = await registerUser(pair.synapse.clientUrl, 'frank', 'Frank');
    const gina = await syncingUser(pair.ours.clientUrl, 'gina', 'Gina');
    const room = await clientApi(frank.base, 'POST', '/_matrix/client/v3/createRoom', { preset: 'private_chat' }, frank.token);
    const roomId = room['room_id'] as string;
    const before = Array.from({ length: 30 }, (_, i) => `before the invite ${i}`);
    for (const [i, body] of before.entries()) await clientApi(frank.base, 'PUT', `/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.message/b${i}`, { msgtype: 'm.text', body }, frank.token);
    await clientApi(frank.base, 'POST', `/_matrix/client/v3/rooms/${enc(roomId)}/invite`, { user_id: gina.user.userId }, frank.token);
    await waitFor("the invite in our user's /sync", () => gina.client.getRoom(roomId)?.getMyMembership() === 'invite' || undefined);
    await gina.client.joinRoom(roomId);
    await membershipSeen(frank, roomId, gina.user.userId, 'join');
    const history = await messagesOldestFirst(gina.user, roomId, 10);
    expect(bodiesWith(history, 'before the invite')).toEqual(before);
    // The invite the join followed and the room's creation, held as outliers at first, are there too.
    expect(history.at(-2)).toMatchObject({ type: 'm.room.member', state_key: gina.user.userId, content: { membership: 'invite' } });
    expect(history[0]?.['type']).toBe('m.room.create');
  });

  it('an invite from our user: the Synapse user accepts it and messages flow in the room', async () => {
    const harry = await syncingUser(pair.synapse.clientUrl, 'harry', 'Harry');
    const roomId = (await erin.client.createRoom({ preset: Preset.PrivateChat })).room_id;
    await erin.client.invite(roomId, harry.user.userId);
    await waitFor("the invite in Synapse's /sync", () => harry.client.getRoom(roomId)?.getMyMembership() === 'invite' || undefined);
    await harry.client.joinRoom(roomId);
    await membershipSeen(erin.user, roomId, harry.user.userId, 'join');
    await harry.client.sendTextMessage(roomId, 'harry accepted');
    await waitFor("Harry's message in our client's /sync", () => bodiesWith(erin.timeline(roomId), 'harry accepted').length === 1 || undefined);
  });

  it('a kick crosses both ways: the kicked user cannot send until it joins again', async () => {
    await dave.client.kick(synapseRoomId, erin.user.userId, 'interop kick');
    await membershipSeen(erin.user, synapseRoomId, erin.user.userId, 'leave');
    expect(await sendRaw(erin.user, synapseRoomId, 'after the kick')).toBe(403);
    await erin.client.kick(ourRoomId, dave.user.userId, 'interop kick');
    await membershipSeen(dave.user, ourRoomId, dave.user.userId, 'leave');
    expect(await sendRaw(dave.user, ourRoomId, 'after the kick')).toBe(403);
    // A kick is no ban: both join again, and the other side sees it.
    await erin.client.joinRoom(synapseRoomId, { viaServers: [pair.synapse.serverName] });
    await dave.client.joinRoom(ourRoomId, { viaServers: [pair.ours.serverName] });
    await membershipSeen(dave.user, synapseRoomId, erin.user.userId, 'join');
    await membershipSeen(erin.user, ourRoomId, dave.user.userId, 'join');
  });

  it('a ban crosses both ways: the banned user can neither send nor join again', async () => {
    await dave.client.ban(synapseRoomId, erin.user.userId, 'interop ban');
    await membershipSeen(erin.user, synapseRoomId, erin.user.userId, 'ban');
    expect(await sendRaw(erin.user, synapseRoomId, 'after the ban')).toBe(403);
    expect(await joinRaw(erin.user, synapseRoomId, pair.synapse.serverName)).toBe(403);
    // Synapse shows a banned user nothing of the room: another Synapse user there watches.
    const kim = await registerUser(pair.synapse.clientUrl, 'kim', 'Kim');
    expect(await joinRaw(kim, ourRoomId, pair.ours.serverName)).toBe(200);
    await erin.client.ban(ourRoomId, dave.user.userId, 'interop ban');
    await membershipSeen(kim, ourRoomId, dave.user.userId, 'ban');
    expect(await sendRaw(dave.user, ourRoomId, 'after the ban')).toBe(403);
    expect(await joinRaw(dave.user, ourRoomId, pair.ours.serverName)).toBe(403);
  });

  it('our user pages back through 500 messages Synapse held before it joined: all of them, in order, once', async () => {
    const ivan = await registerUser(pair.synapse.clientUrl, 'ivan', 'Ivan');
    const roomId = (await clientApi(ivan.base, 'POST', '/_matrix/client/v3/createRoom', { preset: 'public_chat' }, ivan.token))['room_id'] as string;
    const history = Array.from({ length: 500 }, (_, i) => `history ${i}`);
    for (const [i, body] of history.entries()) await clientApi(ivan.base, 'PUT', `/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.message/h${i}`, { msgtype: 'm.text', body }, ivan.token);
    const judy = await syncingUser(pair.ours.clientUrl, 'judy', 'Judy');
    await judy.client.joinRoom(roomId, { viaServers: [pair.synapse.serverName] });
    const pages: IRoomEvent[] = [];
    let from: string | null = null;
    for (let page = 0; page < 100; page++) {
      const answer = await judy.client.createMessagesRequest(roomId, from, 50, Direction.Backward);
      if (answer.chunk.length === 0 || answer.end === undefined) break;
      pages.push(...answer.chunk);
      from = answer.end;
    }
    const ours = [...pages].reverse();
    expect(bodiesWith(ours, 'history ')).toEqual(history);
    expect(new Set(ours.map((e) => e.event_id)).size).toBe(ours.length);
    // The same events in the same order as Synapse's own /messages, the room's creation (the
    // state our join came with) included.
    const theirs = await messagesOldestFirst(ivan, roomId);
    expect(ours.map((e) => e.event_id)).toEqual(theirs.map((e) => e['event_id']));
    expect(ours[0]?.type).toBe('m.room.create');
  }, 600_000);
});
