// Reporting events, rooms and users over the role-main rooms test env: what is stored for
// admins, Synapse's 404s (unknown or invisible events, unknown rooms), silently dropped user
// reports about unknown or remote users, and bad input. Every response is spec-checked.
import { insertUser } from '@homeserver/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enc, openRoomsTestEnv, SERVER, type RoomsTestEnv } from '../rooms/testing/rooms-test-env.ts';

const ALICE = `@alice:${SERVER}`;
const BOB = `@bob:${SERVER}`;
const MALLORY = `@mallory:${SERVER}`;
const v3 = (path: string) => `/_matrix/client/v3${path}`;
let env: RoomsTestEnv;
let room: string;
let message: string;

async function rows(table: string): Promise<Array<Record<string, unknown>>> {
  return (await env.db.query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY id`)).rows;
}

async function send(user: string, roomId: string, body: string): Promise<string> {
  const result = await env.call(user, 'PUT', v3(`/rooms/${enc(roomId)}/send/m.room.message/${encodeURIComponent(body)}`), { msgtype: 'm.text', body });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return String(result.body['event_id']);
}

beforeAll(async () => {
  // registerRoomsRoutes registers the report routes.
  env = await openRoomsTestEnv();
  room = await env.createRoom(ALICE, { preset: 'public_chat' });
  expect((await env.call(BOB, 'POST', v3(`/rooms/${enc(room)}/join`), {})).status).toBe(200);
  message = await send(ALICE, room, 'offensive');
  await insertUser(env.db, { userId: MALLORY, passwordHash: null, createdTs: 1 });
});
afterAll(async () => env.close());

describe('POST /rooms/{roomId}/report/{eventId}', () => {
  it('stores the report with its reason and whole body (v3 and r0)', async () => {
    expect(await env.call(BOB, 'POST', v3(`/rooms/${enc(room)}/report/${enc(message)}`), { reason: 'rude', score: -100 })).toEqual({ status: 200, body: {} });
    expect((await env.call(BOB, 'POST', `/_matrix/client/r0/rooms/${enc(room)}/report/${enc(message)}`, {})).status).toBe(200);
    const stored = await rows('event_reports');
    expect(stored.map((r) => [r['room_id'], r['event_id'], r['user_id'], r['reason'], r['content']])).toEqual([
      [room, message, BOB, 'rude', { reason: 'rude', score: -100 }],
      [room, message, BOB, null, {}],
    ]);
    expect(Number(stored[0]!['received_ts'])).toBeGreaterThan(0);
  });

  it('answers 404 for an unknown event, an event of another room, or one the reporter cannot see', async () => {
    const other = await env.createRoom(ALICE, { preset: 'private_chat' });
    const hidden = await send(ALICE, other, 'secret');
    const cases: Array<[string, string, string]> = [
      [BOB, room, `$unknown:${SERVER}`],
      [BOB, room, hidden],
      // Bob is not in the private room.
      [BOB, other, hidden],
    ];
    for (const [user, roomId, eventId] of cases) {
      const result = await env.call(user, 'POST', v3(`/rooms/${enc(roomId)}/report/${enc(eventId)}`), { reason: 'x' });
      expect([result.status, result.body['errcode']], `${roomId} ${eventId}`).toEqual([404, 'M_NOT_FOUND']);
    }
    // A member who left may no longer report the room's events.
    expect((await env.call(BOB, 'POST', v3(`/rooms/${enc(room)}/leave`), {})).status).toBe(200);
    expect((await env.call(BOB, 'POST', v3(`/rooms/${enc(room)}/report/${enc(message)}`), { reason: 'x' })).status).toBe(404);
    expect((await env.call(BOB, 'POST', v3(`/rooms/${enc(room)}/join`), {})).status).toBe(200);
    expect(await rows('event_reports')).toHaveLength(2);
  });

  it('refuses a non-string reason, a non-integer score, malformed IDs and a missing token', async () => {
    for (const payload of [{ reason: 5 }, { score: 'high' }, { score: 1.5 }, []]) {
      const result = await env.call(BOB, 'POST', v3(`/rooms/${enc(room)}/report/${enc(message)}`), payload);
      expect([result.status, result.body['errcode']], JSON.stringify(payload)).toEqual([400, 'M_BAD_JSON']);
    }
    expect((await env.call(BOB, 'POST', v3(`/rooms/not-a-room/report/${enc(message)}`), {})).status).toBe(400);
    expect((await env.call(BOB, 'POST', v3(`/rooms/${enc(room)}/report/not-an-event`), {})).status).toBe(400);
    expect((await env.call(undefined, 'POST', v3(`/rooms/${enc(room)}/report/${enc(message)}`), {})).status).toBe(401);
  });
});

describe('POST /rooms/{roomId}/report', () => {
  it('stores a report about an existing room, even from a non-member', async () => {
    const privateRoom = await env.createRoom(ALICE, { preset: 'private_chat' });
    expect(await env.call(BOB, 'POST', v3(`/rooms/${enc(privateRoom)}/report`), { reason: 'spam room' })).toEqual({ status: 200, body: {} });
    expect((await rows('room_reports')).map((r) => [r['room_id'], r['user_id'], r['reason']])).toEqual([[privateRoom, BOB, 'spam room']]);
  });

  it('answers 404 for an unknown room and 400 without a string reason', async () => {
    const unknown = await env.call(BOB, 'POST', v3(`/rooms/${enc(`!nowhere:${SERVER}`)}/report`), { reason: 'x' });
    expect([unknown.status, unknown.body['errcode']]).toEqual([404, 'M_NOT_FOUND']);
    for (const payload of [{}, { reason: null }]) {
      expect((await env.call(BOB, 'POST', v3(`/rooms/${enc(room)}/report`), payload)).status, JSON.stringify(payload)).toBe(400);
    }
    expect(await rows('room_reports')).toHaveLength(1);
  });
});

describe('POST /users/{userId}/report', () => {
  it('stores reports about existing local users and silently drops the others', async () => {
    for (const target of [MALLORY, `@ghost:${SERVER}`, '@mallory:elsewhere.example']) {
      expect(await env.call(BOB, 'POST', v3(`/users/${enc(target)}/report`), { reason: 'harassment' }), target).toEqual({ status: 200, body: {} });
    }
    expect((await rows('user_reports')).map((r) => [r['target_user_id'], r['user_id'], r['reason']])).toEqual([[MALLORY, BOB, 'harassment']]);
  });

  it('refuses reasons over 1000 characters, missing reasons and malformed user IDs', async () => {
    const long = await env.call(BOB, 'POST', v3(`/users/${enc(MALLORY)}/report`), { reason: 'x'.repeat(1001) });
    expect([long.status, long.body['errcode']]).toEqual([400, 'M_BAD_JSON']);
    expect((await env.call(BOB, 'POST', v3(`/users/${enc(MALLORY)}/report`), {})).status).toBe(400);
    expect((await env.call(BOB, 'POST', v3('/users/mallory/report'), { reason: 'x' })).status).toBe(400);
    expect(await rows('user_reports')).toHaveLength(1);
  });
});
