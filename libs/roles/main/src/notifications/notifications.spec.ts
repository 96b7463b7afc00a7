// GET /notifications over the role-main rooms test env. The push actions of real events of a
// real room (which the persister committed with them from the default rules) are replaced with
// chosen ones through insertPushActions; receipts with upsertReceipt. Checks order, `read`, pagination by next_token, only=highlight, the event's
// client format, and bad input. Every response is spec-checked.
import { insertPushActions, upsertReceipt } from '@homeserver/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enc, openRoomsTestEnv, SERVER, type RoomsTestEnv } from '../rooms/testing/rooms-test-env.ts';
import { registerNotificationsRoutes } from './notifications-routes.ts';

const ALICE = `@alice:${SERVER}`;
const BOB = `@bob:${SERVER}`;
const v3 = (path: string) => `/_matrix/client/v3${path}`;
const NOTIFY = ['notify', { set_tweak: 'sound', value: 'default' }];
const HIGHLIGHT = ['notify', { set_tweak: 'sound', value: 'default' }, { set_tweak: 'highlight' }];

type Notification = { actions: unknown[]; event: Record<string, unknown>; read: boolean; room_id: string; ts: number };
let env: RoomsTestEnv;
let roomA: string;
let roomB: string;
/** Bob's messages, oldest first: a1, a2, b1, a3 (highlight), b2. */
const sent: Array<{ roomId: string; eventId: string; body: string; highlight: boolean }> = [];

async function send(roomId: string, body: string): Promise<string> {
  const result = await env.call(BOB, 'PUT', v3(`/rooms/${enc(roomId)}/send/m.room.message/${encodeURIComponent(body)}`), { msgtype: 'm.text', body });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return String(result.body['event_id']);
}

async function notifications(qs = '', user = ALICE): Promise<{ list: Notification[]; next: string | undefined }> {
  const result = await env.call(user, 'GET', v3(`/notifications${qs}`));
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return { list: result.body['notifications'] as Notification[], next: result.body['next_token'] as string | undefined };
}

beforeAll(async () => {
  env = await openRoomsTestEnv({ extraRoutes: (app, deps) => registerNotificationsRoutes(app, deps) });
  roomA = await env.createRoom(ALICE, { preset: 'public_chat' });
  roomB = await env.createRoom(ALICE, { preset: 'public_chat' });
  for (const roomId of [roomA, roomB]) expect((await env.call(BOB, 'POST', v3(`/rooms/${enc(roomId)}/join`), {})).status).toBe(200);
  for (const [roomId, body, highlight] of [
    [roomA, 'a1', false],
    [roomA, 'a2', false],
    [roomB, 'b1', false],
    [roomA, 'a3 alice', true],
    [roomB, 'b2', false],
  ] as const) {
    sent.push({ roomId, eventId: await send(roomId, body), body, highlight });
  }
  const { rows } = await env.db.query<{ event_id: string; stream_ordering: number }>('SELECT event_id, stream_ordering FROM events WHERE event_id = ANY($1)', [sent.map((s) => s.eventId)]);
  const ordering = new Map(rows.map((r) => [r.event_id, Number(r.stream_ordering)]));
  await env.db.query('DELETE FROM event_push_actions WHERE event_id = ANY($1)', [sent.map((s) => s.eventId)]);
  await insertPushActions(
    env.db,
    sent.map((s) => ({
      userId: ALICE,
      eventId: s.eventId,
      roomId: s.roomId,
      streamOrdering: ordering.get(s.eventId)!,
      threadId: 'main',
      notify: true,
      highlight: s.highlight,
      actions: s.highlight ? HIGHLIGHT : NOTIFY,
    })),
  );
  // Alice read room A up to a2 (a private receipt counts too) and nothing of room B.
  await upsertReceipt(env.db, 1, { roomId: roomA, receiptType: 'm.read.private', userId: ALICE, threadId: undefined, eventId: sent[1]!.eventId, ts: 1, instanceName: 'main' });
});
afterAll(async () => env.close());

describe('GET /notifications', () => {
  it('lists the notifications newest first with actions, the event without room_id, room_id, ts and read', async () => {
    const { list, next } = await notifications();
    expect(list.map((n) => n.event['content'])).toEqual(['b2', 'a3 alice', 'b1', 'a2', 'a1'].map((body) => ({ msgtype: 'm.text', body })));
    expect(next).toBeUndefined();
    expect(list.map((n) => n.room_id)).toEqual([roomB, roomA, roomB, roomA, roomA]);
    expect(list.map((n) => n.read)).toEqual([false, false, false, true, true]);
    expect(list[1]!.actions).toEqual(HIGHLIGHT);
    expect(list[0]!.actions).toEqual(NOTIFY);
    const event = list[0]!.event;
    expect(event).toMatchObject({ event_id: sent[4]!.eventId, sender: BOB, type: 'm.room.message' });
    expect(event['room_id']).toBeUndefined();
    expect(list[0]!.ts).toBe(event['origin_server_ts']);
  });

  it('pages with limit and next_token until no token comes back', async () => {
    const first = await notifications('?limit=2');
    expect(first.list.map((n) => n.event['event_id'])).toEqual([sent[4]!.eventId, sent[3]!.eventId]);
    expect(first.next).toBeDefined();
    const second = await notifications(`?limit=2&from=${first.next}`);
    expect(second.list.map((n) => n.event['event_id'])).toEqual([sent[2]!.eventId, sent[1]!.eventId]);
    const third = await notifications(`?limit=2&from=${second.next}`);
    expect(third.list.map((n) => n.event['event_id'])).toEqual([sent[0]!.eventId]);
    expect(third.next).toBeUndefined();
  });

  it('keeps only highlights with only=highlight', async () => {
    const { list } = await notifications('?only=highlight');
    expect(list.map((n) => n.event['event_id'])).toEqual([sent[3]!.eventId]);
  });

  it('marks a notification read once a receipt reaches it, and counts only the user’s own rows', async () => {
    await upsertReceipt(env.db, 2, { roomId: roomA, receiptType: 'm.read', userId: ALICE, threadId: undefined, eventId: sent[3]!.eventId, ts: 2, instanceName: 'main' });
    const { list } = await notifications();
    expect(list.map((n) => n.read)).toEqual([false, true, false, true, true]);
    expect((await notifications('', BOB)).list).toEqual([]);
  });

  it('answers an empty page for limit=0 and refuses bad tokens and limits', async () => {
    expect((await notifications('?limit=0')).list).toEqual([]);
    for (const qs of ['?from=abc', '?from=-1', '?limit=-1', '?limit=ten']) {
      const result = await env.call(ALICE, 'GET', v3(`/notifications${qs}`));
      expect(result.status, qs).toBe(400);
      expect(result.body['errcode'], qs).toBe('M_INVALID_PARAM');
    }
    expect((await env.call(undefined, 'GET', v3('/notifications'))).status).toBe(401);
  });
});
