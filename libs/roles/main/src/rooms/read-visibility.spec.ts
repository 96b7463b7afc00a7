// History visibility on every room read path besides /messages (covered in send-read-routes):
// /event, /context (events and state), /relations, /threads, /timestamp_to_event and
// /members (invitees, `at` before the reader could see the room).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enc, openRoomsTestEnv, SERVER, type RoomsTestEnv } from './testing/rooms-test-env.ts';

const ALICE = `@alice:${SERVER}`;
const BOB = `@bob:${SERVER}`;
const CAROL = `@carol:${SERVER}`;
let env: RoomsTestEnv;

beforeAll(async () => {
  env = await openRoomsTestEnv();
});
afterAll(async () => env.close());

const v3 = (path: string) => `/_matrix/client/v3${path}`;
const v1 = (path: string) => `/_matrix/client/v1${path}`;
type Ev = Record<string, unknown> & { content: Record<string, unknown> };

async function send(user: string, roomId: string, content: Record<string, unknown> | string): Promise<string> {
  const body = typeof content === 'string' ? { msgtype: 'm.text', body: content } : content;
  const result = await env.call(user, 'PUT', v3(`/rooms/${enc(roomId)}/send/m.room.message/t${Math.random()}`), body);
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return String(result.body['event_id']);
}

async function join(user: string, roomId: string): Promise<string> {
  const result = await env.call(user, 'POST', v3(`/rooms/${enc(roomId)}/join`), {});
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  const member = await env.call(user, 'GET', v3(`/rooms/${enc(roomId)}/state/m.room.member/${enc(user)}?format=event`), undefined, { validate: false });
  return String(member.body['event_id']);
}

function joinedOnlyRoom(): Promise<string> {
  return env.createRoom(ALICE, { preset: 'public_chat', initial_state: [{ type: 'm.room.history_visibility', content: { history_visibility: 'joined' } }] });
}

/** A token for the room's position now, as Alice's /messages gives it. */
async function positionNow(roomId: string): Promise<string> {
  return String((await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/messages?dir=b&limit=1`))).body['start']);
}

describe('/messages', () => {
  it('reads past pages of hidden events instead of answering an empty chunk the SDK takes for the start', async () => {
    const roomId = await joinedOnlyRoom();
    await join(BOB, roomId);
    await send(ALICE, roomId, 'first stint');
    await env.call(BOB, 'POST', v3(`/rooms/${enc(roomId)}/leave`), {});
    for (let i = 0; i < 5; i++) await send(ALICE, roomId, `while away ${i}`);
    await join(BOB, roomId);
    await send(ALICE, roomId, 'second stint');
    const seen: string[] = [];
    let from: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = await env.call(BOB, 'GET', v3(`/rooms/${enc(roomId)}/messages?dir=b&limit=3${from ? `&from=${from}` : ''}`));
      const chunk = page.body['chunk'] as Ev[];
      // An empty page is where a client stops (Synapse gives `end` even then): one before the
      // room's start would lose the first stint, which the check below would see.
      if (chunk.length === 0) break;
      seen.push(...chunk.filter((e) => e['type'] === 'm.room.message').map((e) => String(e.content['body'])));
      if (page.body['end'] === undefined) break;
      from = String(page.body['end']);
    }
    expect(seen).toEqual(['second stint', 'first stint']);
  });
});

describe('single events', () => {
  it('/event, /context and /relations answer 404 for an event from before a joined-only join', async () => {
    const roomId = await joinedOnlyRoom();
    const hidden = await send(ALICE, roomId, 'before bob');
    await send(ALICE, roomId, { msgtype: 'm.text', body: 'reply', 'm.relates_to': { rel_type: 'm.thread', event_id: hidden } });
    await join(BOB, roomId);
    const seen = await send(ALICE, roomId, 'after bob');
    for (const path of [v3(`/rooms/${enc(roomId)}/event/${enc(hidden)}`), v3(`/rooms/${enc(roomId)}/context/${enc(hidden)}`), v1(`/rooms/${enc(roomId)}/relations/${enc(hidden)}`)]) {
      const result = await env.call(BOB, 'GET', path);
      expect(result.status, path).toBe(404);
      expect(result.body['errcode']).toBe('M_NOT_FOUND');
      expect((await env.call(ALICE, 'GET', path)).status, path).toBe(200);
    }
    expect((await env.call(BOB, 'GET', v3(`/rooms/${enc(roomId)}/event/${enc(seen)}`))).status).toBe(200);
    // The thread's root predates Bob: /threads does not list it to him.
    expect((await env.call(BOB, 'GET', v1(`/rooms/${enc(roomId)}/threads`))).body['chunk']).toEqual([]);
    expect(((await env.call(ALICE, 'GET', v1(`/rooms/${enc(roomId)}/threads`))).body['chunk'] as Ev[]).map((e) => e['event_id'])).toEqual([hidden]);
  });

  it('/context around a joined-only join omits earlier events on its before side', async () => {
    const roomId = await joinedOnlyRoom();
    await send(ALICE, roomId, 'before bob');
    const joinId = await join(BOB, roomId);
    await send(ALICE, roomId, 'after bob');
    const context = await env.call(BOB, 'GET', v3(`/rooms/${enc(roomId)}/context/${enc(joinId)}?limit=10`));
    expect(context.status).toBe(200);
    const bodies = (key: string) => (context.body[key] as Ev[]).filter((e) => e['type'] === 'm.room.message').map((e) => e.content['body']);
    expect(bodies('events_before')).toEqual([]);
    expect(bodies('events_after')).toEqual(['after bob']);
  });

  it('/context for a user who left: nothing after the leave, and the state at the last event returned', async () => {
    const roomId = await env.createRoom(ALICE, { preset: 'public_chat' });
    await join(BOB, roomId);
    const here = await send(ALICE, roomId, 'while bob is here');
    await env.call(BOB, 'POST', v3(`/rooms/${enc(roomId)}/leave`), {});
    await env.call(ALICE, 'PUT', v3(`/rooms/${enc(roomId)}/state/m.room.topic`), { topic: 'after bob left' });
    await send(ALICE, roomId, 'after bob left');
    const context = await env.call(BOB, 'GET', v3(`/rooms/${enc(roomId)}/context/${enc(here)}?limit=10`));
    expect(context.status).toBe(200);
    const after = context.body['events_after'] as Ev[];
    expect(after.map((e) => [e['type'], e['state_key']])).toEqual([['m.room.member', BOB]]);
    const state = context.body['state'] as Ev[];
    expect(state.map((e) => e['type'])).not.toContain('m.room.topic');
    expect(state.find((e) => e['type'] === 'm.room.member' && e['state_key'] === BOB)?.content['membership']).toBe('leave');
  });
});

describe('timestamp_to_event', () => {
  it('skips events the user may not see: from before a joined-only join it finds the join; after a leave, nothing', async () => {
    const roomId = await joinedOnlyRoom();
    // Room creation may share a millisecond with t0; a short pause keeps them apart.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const t0 = Date.now();
    const hidden = await send(ALICE, roomId, 'before bob');
    const joinId = await join(BOB, roomId);
    const path = (user: string, ts: number, dir: string) => env.call(user, 'GET', v1(`/rooms/${enc(roomId)}/timestamp_to_event?ts=${ts}&dir=${dir}`));
    expect((await path(ALICE, t0, 'f')).body['event_id']).toBe(hidden);
    expect((await path(BOB, t0, 'f')).body['event_id']).toBe(joinId);
    await env.call(BOB, 'POST', v3(`/rooms/${enc(roomId)}/leave`), {});
    await new Promise((resolve) => setTimeout(resolve, 5));
    const t1 = Date.now();
    await send(ALICE, roomId, 'after bob left');
    const gone = await path(BOB, t1, 'f');
    expect(gone.status).toBe(404);
    expect(gone.body['errcode']).toBe('M_NOT_FOUND');
  });
});

describe('/members', () => {
  it('refuses invitees (they get stripped state) and `at` positions the reader could not see', async () => {
    const roomId = await joinedOnlyRoom();
    await send(ALICE, roomId, 'before bob');
    const beforeBob = await positionNow(roomId);
    await env.call(ALICE, 'POST', v3(`/rooms/${enc(roomId)}/invite`), { user_id: CAROL });
    const invited = await env.call(CAROL, 'GET', v3(`/rooms/${enc(roomId)}/members`));
    expect(invited.status).toBe(403);
    expect(invited.body['errcode']).toBe('M_FORBIDDEN');
    await join(BOB, roomId);
    const afterBob = await positionNow(roomId);
    const early = await env.call(BOB, 'GET', v3(`/rooms/${enc(roomId)}/members?at=${beforeBob}`));
    expect(early.status).toBe(403);
    expect(early.body['errcode']).toBe('M_FORBIDDEN');
    const late = await env.call(BOB, 'GET', v3(`/rooms/${enc(roomId)}/members?at=${afterBob}&membership=join`));
    expect((late.body['chunk'] as Ev[]).map((e) => e['state_key']).sort()).toEqual([ALICE, BOB]);
    // Alice was there: she may look back.
    expect((await env.call(ALICE, 'GET', v3(`/rooms/${enc(roomId)}/members?at=${beforeBob}`))).status).toBe(200);
  });
});
