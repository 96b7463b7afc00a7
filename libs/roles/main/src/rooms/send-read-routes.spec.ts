// Sending (txnId idempotency, state with and without a state key, redaction) and reading
// (/messages both ways with tokens and filters, /context, /event, /members, /state), with the
// read authorization rules: non-members, history visibility, users who left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enc, openRoomsTestEnv, SERVER, type RoomsTestEnv } from './testing/rooms-test-env.ts';

const ALICE = `@alice:${SERVER}`;
const BOB = `@bob:${SERVER}`;
const EVE = `@eve:${SERVER}`;
let env: RoomsTestEnv;

beforeAll(async () => {
  env = await openRoomsTestEnv();
});
afterAll(async () => env.close());

const v3 = (path: string) => `/_matrix/client/v3${path}`;
type Ev = Record<string, unknown> & { content: Record<string, unknown>; unsigned?: Record<string, unknown> };

async function send(user: string, roomId: string, body: string, txn = `t${Math.random()}`, device = 'DEVICE'): Promise<string> {
  const result = await env.call(user, 'PUT', v3(`/rooms/${enc(roomId)}/send/m.room.message/${txn}`), { msgtype: 'm.text', body }, { device });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return String(result.body['event_id']);
}

async function messages(user: string, roomId: string, query: string): Promise<{ status: number; body: Record<string, unknown>; bodies: string[] }> {
  const result = await env.call(user, 'GET', v3(`/rooms/${enc(roomId)}/messages?${query}`));
  const chunk = (result.body['chunk'] as Ev[] | undefined) ?? [];
  return { ...result, bodies: chunk.filter((e) => e['type'] === 'm.room.message').map((e) => String(e.content['body'])) };
}

describe('send and state', () => {
  it('refuses an event over 65536 bytes with 413 M_TOO_LARGE (Synapse)', async () => {
    const roomId = await env.createRoom(ALICE);
    const huge = await env.call(ALICE, 'PUT', `/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.message/big`, { msgtype: 'm.text', body: 'x'.repeat(70_000) }, { validate: false });
    expect(huge).toMatchObject({ status: 413, body: { errcode: 'M_TOO_LARGE' } });
  });

  it('PUT /send is idempotent per device and txnId and marks the sender device with transaction_id', async () => {
    const roomId = await env.createRoom(ALICE);
    const first = await send(ALICE, roomId, 'hello', 'txn1');
    expect(await send(ALICE, roomId, 'hello again', 'txn1')).toBe(first);
    expect(await send(ALICE, roomId, 'other device', 'txn1', 'OTHER')).not.toBe(first);
    const own = await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/event/${enc(first)}`));
    expect((own.body as Ev).unsigned?.['transaction_id']).toBe('txn1');
    expect(typeof (own.body as Ev).unsigned?.['age']).toBe('number');
    const otherDevice = await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/event/${enc(first)}`), undefined, { device: 'OTHER' });
    expect((otherDevice.body as Ev).unsigned?.['transaction_id']).toBeUndefined();
    const page = await messages(ALICE, roomId, 'dir=b&limit=10');
    expect(page.bodies).toEqual(['other device', 'hello']);
  });

  it('POST /send without a transaction ID sends a new event each time', async () => {
    const roomId = await env.createRoom(ALICE);
    const url = v3(`/rooms/${enc(roomId)}/send/m.room.message`);
    const first = await env.call(ALICE, 'POST', url, { msgtype: 'm.text', body: 'legacy' }, { validate: false });
    const second = await env.call(ALICE, 'POST', url, { msgtype: 'm.text', body: 'legacy' }, { validate: false });
    expect(first.status).toBe(200);
    expect(second.body['event_id']).not.toBe(first.body['event_id']);
    expect((await messages(ALICE, roomId, 'dir=b&limit=2')).bodies).toEqual(['legacy', 'legacy']);
  });

  it('state with and without a trailing state key, format=event, 404 for missing state', async () => {
    const roomId = await env.createRoom(ALICE);
    const put = await env.call(ALICE, 'PUT', v3(`/rooms/${enc(roomId)}/state/m.room.topic`), { topic: 'a' });
    expect(put.status).toBe(200);
    const put2 = await env.call(ALICE, 'PUT', v3(`/rooms/${enc(roomId)}/state/org.example.custom/key1`), { v: 1 });
    expect(put2.status).toBe(200);
    expect((await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/state/m.room.topic`))).body).toEqual({ topic: 'a' });
    expect((await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/state/m.room.topic/`))).body).toEqual({ topic: 'a' });
    expect((await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/state/org.example.custom/key1`))).body).toEqual({ v: 1 });
    const asEvent = await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/state/m.room.topic?format=event`), undefined, { validate: false });
    expect(asEvent.body['event_id']).toBe(put.body['event_id']);
    expect((await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/state/m.room.name`))).status).toBe(404);
    const put3 = await env.call(ALICE, 'PUT', v3(`/rooms/${enc(roomId)}/state/m.room.topic/`), { topic: 'b' });
    const replaced = (await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/event/${enc(String(put3.body['event_id']))}`))).body as Ev;
    expect(replaced.unsigned).toMatchObject({ prev_content: { topic: 'a' }, replaces_state: put.body['event_id'] });
    const all = await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/state`));
    expect((all.body as unknown as Ev[]).map((e) => e['type'])).toContain('org.example.custom');
  });

  it('redaction blanks content and sets redacted_because; others need the redact level', async () => {
    const roomId = await env.createRoom(ALICE, { preset: 'public_chat' });
    await env.call(BOB, 'POST', v3(`/rooms/${enc(roomId)}/join`), {});
    const target = await send(ALICE, roomId, 'secret');
    const denied = await env.call(BOB, 'PUT', v3(`/rooms/${enc(roomId)}/redact/${enc(target)}/r1`), { reason: 'no' });
    expect(denied.status).toBe(403);
    // The same through /send with content.redacts (how v11+ rooms carry the target).
    const sneaky = await env.call(BOB, 'PUT', v3(`/rooms/${enc(roomId)}/send/m.room.redaction/r3`), { redacts: target });
    expect(sneaky.status).toBe(403);
    const redaction = await env.call(ALICE, 'PUT', v3(`/rooms/${enc(roomId)}/redact/${enc(target)}/r2`), { reason: 'oops' });
    expect(redaction.status).toBe(200);
    const event = (await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/event/${enc(target)}`))).body as Ev;
    expect(event.content).toEqual({});
    expect((event.unsigned?.['redacted_because'] as Ev)['event_id']).toBe(redaction.body['event_id']);
    expect(event.unsigned?.['redacted_by']).toBe(redaction.body['event_id']);
  });

  it('a redaction of an event in another room is 400, through /redact and /send (as Synapse)', async () => {
    const roomA = await env.createRoom(ALICE);
    const roomB = await env.createRoom(ALICE);
    const target = await send(ALICE, roomA, 'in room A');
    const viaRedact = await env.call(ALICE, 'PUT', v3(`/rooms/${enc(roomB)}/redact/${enc(target)}/x1`), { reason: 'wrong room' });
    expect(viaRedact.status).toBe(400);
    expect(viaRedact.body['errcode']).toBe('M_UNKNOWN');
    const viaSend = await env.call(ALICE, 'PUT', v3(`/rooms/${enc(roomB)}/send/m.room.redaction/x2`), { redacts: target });
    expect(viaSend.status).toBe(400);
    const event = (await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomA)}/event/${enc(target)}`))).body as Ev;
    expect(event.content).toMatchObject({ body: 'in room A' });
    // An event the server does not know may still be redacted (it may arrive later).
    const unknownTarget = await env.call(ALICE, 'PUT', v3(`/rooms/${enc(roomB)}/redact/${enc(`$${'A'.repeat(43)}`)}/x3`), {});
    expect(unknownTarget.status).toBe(200);
  });

  it('non-members cannot send or set state; bad IDs are 400', async () => {
    const roomId = await env.createRoom(ALICE);
    expect((await env.call(EVE, 'PUT', v3(`/rooms/${enc(roomId)}/send/m.room.message/x`), { body: 'x' })).status).toBe(403);
    expect((await env.call(EVE, 'PUT', v3(`/rooms/${enc(roomId)}/state/m.room.topic`), { topic: 'x' })).status).toBe(403);
    expect((await env.call(ALICE, 'PUT', v3('/rooms/bad/send/m.room.message/x'), { body: 'x' })).body['errcode']).toBe('M_INVALID_PARAM');
    expect((await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/event/not-an-event`))).body['errcode']).toBe('M_INVALID_PARAM');
    expect((await env.call(ALICE, 'PUT', v3(`/rooms/${enc(roomId)}/redact/bad/x`), {})).body['errcode']).toBe('M_INVALID_PARAM');
    expect((await env.call(ALICE, 'PUT', v3(`/rooms/${enc(roomId)}/send/m.room.message/y`), 'not json', { validate: false })).status).toBe(400);
    expect((await env.call(ALICE, 'PUT', v3(`/rooms/${enc(`!unknown:${SERVER}`)}/send/m.room.message/z`), { body: 'x' })).status).toBe(403);
  });
});

describe('reading', () => {
  it('/messages pages backwards and forwards with tokens and filters, with lazy-loaded members', async () => {
    const roomId = await env.createRoom(ALICE);
    for (let i = 0; i < 5; i++) await send(ALICE, roomId, `m${i}`);
    const first = await messages(ALICE, roomId, 'dir=b&limit=2');
    expect(first.bodies).toEqual(['m4', 'm3']);
    const second = await messages(ALICE, roomId, `dir=b&limit=2&from=${first.body['end']}`);
    expect(second.bodies).toEqual(['m2', 'm1']);
    // A page that reaches the room's start still has an `end` (Synapse's answer); the next is
    // empty and has none (no more events).
    const all = await messages(ALICE, roomId, 'dir=b&limit=100');
    expect(typeof all.body['end']).toBe('string');
    const past = await messages(ALICE, roomId, `dir=b&limit=100&from=${all.body['end']}`);
    expect(past.body['chunk']).toEqual([]);
    expect(past.body['end']).toBeUndefined();
    const forward = await messages(ALICE, roomId, `dir=f&limit=10&from=${second.body['end']}`);
    // The token sits just before m1: forwards from it starts at m1.
    expect(forward.bodies).toEqual(['m1', 'm2', 'm3', 'm4']);
    const filter = encodeURIComponent(JSON.stringify({ types: ['m.room.message'], lazy_load_members: true }));
    const filtered = await messages(ALICE, roomId, `dir=b&limit=3&filter=${filter}`);
    expect((filtered.body['chunk'] as Ev[]).every((e) => e['type'] === 'm.room.message')).toBe(true);
    expect((filtered.body['state'] as Ev[]).map((e) => e['state_key'])).toEqual([ALICE]);
    // A page down to the room's creation still carries its senders' members (as of its newest event).
    const lazyOnly = encodeURIComponent(JSON.stringify({ lazy_load_members: true }));
    const whole = await messages(ALICE, roomId, `dir=b&limit=100&filter=${lazyOnly}`);
    expect((whole.body['chunk'] as Ev[]).at(-1)?.['type']).toBe('m.room.create');
    expect((whole.body['state'] as Ev[]).map((e) => e['state_key'])).toEqual([ALICE]);
    const beyond = await messages(ALICE, roomId, `dir=b&limit=3&filter=${filter}&from=s0`);
    expect([beyond.body['chunk'], beyond.body['state']]).toEqual([[], []]);
    expect((await messages(ALICE, roomId, 'dir=x')).body['errcode']).toBe('M_INVALID_PARAM');
    expect((await messages(ALICE, roomId, 'dir=b&from=garbage')).body['errcode']).toBe('M_INVALID_PARAM');
    expect((await messages(ALICE, roomId, 'dir=b&filter=%7Bnot')).body['errcode']).toBe('M_BAD_JSON');
  });

  it('non-members cannot read messages, state, events or members', async () => {
    const roomId = await env.createRoom(ALICE);
    const eventId = await send(ALICE, roomId, 'private');
    for (const path of ['messages?dir=b', 'state', 'state/m.room.create', 'members', 'joined_members', `context/${enc(eventId)}`]) {
      const result = await env.call(EVE, 'GET', v3(`/rooms/${enc(roomId)}/${path}`));
      expect(result.status, path).toBe(403);
      expect(result.body['errcode']).toBe('M_FORBIDDEN');
    }
    // One event the user may not see is not found, in the room or by its ID alone (as Synapse).
    for (const url of [v3(`/rooms/${enc(roomId)}/event/${enc(eventId)}`), v3(`/events/${enc(eventId)}`)]) {
      const result = await env.call(EVE, 'GET', url);
      expect(result.status, url).toBe(404);
      expect(result.body['errcode']).toBe('M_NOT_FOUND');
    }
    const own = await env.call(ALICE, 'GET', v3(`/events/${enc(eventId)}`));
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ event_id: eventId, room_id: roomId, content: { body: 'private' } });
    expect((await env.call(EVE, 'GET', v3(`/rooms/${enc(`!unknown:${SERVER}`)}/messages?dir=b`))).status).toBe(403);
  });

  it('history visibility "joined" hides earlier events; world_readable shows them to anyone', async () => {
    const roomId = await env.createRoom(ALICE, { preset: 'public_chat', initial_state: [{ type: 'm.room.history_visibility', content: { history_visibility: 'joined' } }] });
    await send(ALICE, roomId, 'before bob');
    await env.call(BOB, 'POST', v3(`/rooms/${enc(roomId)}/join`), {});
    await send(ALICE, roomId, 'after bob');
    expect((await messages(BOB, roomId, 'dir=b&limit=50')).bodies).toEqual(['after bob']);
    expect((await messages(ALICE, roomId, 'dir=b&limit=50')).bodies).toEqual(['after bob', 'before bob']);

    const open = await env.createRoom(ALICE, { initial_state: [{ type: 'm.room.history_visibility', content: { history_visibility: 'world_readable' } }] });
    await send(ALICE, open, 'for everyone');
    expect((await messages(EVE, open, 'dir=b&limit=50')).bodies).toEqual(['for everyone']);
  });

  it('shared history: a new member sees earlier events; a user who left sees nothing after leaving', async () => {
    const roomId = await env.createRoom(ALICE, { preset: 'public_chat' });
    await send(ALICE, roomId, 'early');
    await env.call(BOB, 'POST', v3(`/rooms/${enc(roomId)}/join`), {});
    await send(ALICE, roomId, 'while bob is here');
    expect((await messages(BOB, roomId, 'dir=b&limit=50')).bodies).toEqual(['while bob is here', 'early']);
    await env.call(BOB, 'POST', v3(`/rooms/${enc(roomId)}/leave`), {});
    await send(ALICE, roomId, 'after bob left');
    await env.call(ALICE, 'PUT', v3(`/rooms/${enc(roomId)}/state/m.room.topic`), { topic: 'new topic' });
    const page = await messages(BOB, roomId, 'dir=b&limit=50');
    expect(page.status).toBe(200);
    expect(page.bodies).toEqual(['while bob is here', 'early']);
    const forward = await messages(BOB, roomId, 'dir=f&limit=50');
    expect(forward.bodies).not.toContain('after bob left');
    // State as of leaving: the later topic is not shown.
    expect((await env.call(BOB, 'GET', v3(`/rooms/${enc(roomId)}/state/m.room.topic`))).status).toBe(404);
  });

  it('/context, /members with filters and at, /joined_members', async () => {
    const roomId = await env.createRoom(ALICE, { preset: 'public_chat' });
    const before = await send(ALICE, roomId, 'a');
    const middle = await send(ALICE, roomId, 'b');
    await env.call(BOB, 'POST', v3(`/rooms/${enc(roomId)}/join`), {});
    await send(ALICE, roomId, 'c');
    const context = await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/context/${enc(middle)}?limit=4`));
    expect((context.body['event'] as Ev)['event_id']).toBe(middle);
    expect((context.body['events_before'] as Ev[])[0]?.['event_id']).toBe(before);
    expect((context.body['events_after'] as Ev[]).length).toBe(2);
    const members = await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/members?membership=join`));
    expect((members.body['chunk'] as Ev[]).map((e) => e['state_key']).sort()).toEqual([ALICE, BOB]);
    const notJoin = await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/members?not_membership=join`));
    expect(notJoin.body['chunk']).toEqual([]);
    const atToken = context.body['start'] as string;
    const atMembers = await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/members?at=${atToken}`));
    expect((atMembers.body['chunk'] as Ev[]).map((e) => e['state_key'])).toEqual([ALICE]);
    // Not spec-validated: unset profile fields are null (Synapse's answer).
    const joined = await env.call(BOB, 'GET', v3(`/rooms/${enc(roomId)}/joined_members`), undefined, { validate: false });
    expect(Object.keys(joined.body['joined'] as object).sort()).toEqual([ALICE, BOB]);
    expect((await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/members?membership=nope`))).status).toBe(400);
  });
});
