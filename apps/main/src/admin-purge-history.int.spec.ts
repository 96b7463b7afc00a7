// Synapse's purge_history over HTTP on the monolith: the timeline before the point goes (local
// events only with delete_local_events), the room keeps working (sends during and after the
// purge, joins, /sync, /state), /messages stops at the point, and the status is polled to the end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startAdminTestbed, type AdminTestbed, type TestUser } from './testing/admin-http.ts';
import type { TestHomeserver } from './testing/test-homeserver.ts';

const enc = encodeURIComponent;

describe('POST /_synapse/admin/v1/purge_history', () => {
  let bed: AdminTestbed;
  let server: TestHomeserver;
  let base: string;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  const as = (user: TestUser, method: string, path: string, body?: unknown) => bed.as(user, method, path, body);
  let txn = 0;
  const send = async (user: TestUser, roomId: string, body: string): Promise<string> => {
    const sent = await as(user, 'PUT', `/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.message/t${++txn}`, { msgtype: 'm.text', body });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    return String(sent.body['event_id']);
  };
  const bodies = async (user: TestUser, roomId: string): Promise<string[]> => {
    const page = await as(user, 'GET', `/_matrix/client/v3/rooms/${enc(roomId)}/messages?dir=b&limit=100`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    const chunk = page.body['chunk'] as Array<{ type: string; content: { body?: string } }>;
    return chunk.filter((e) => e.type === 'm.room.message').map((e) => String(e.content.body)).reverse();
  };
  const purgeAndWait = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    const started = await as(admin, 'POST', path, body);
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const purgeId = String(started.body['purge_id']);
    for (;;) {
      const status = await as(admin, 'GET', `/_synapse/admin/v1/purge_history_status/${enc(purgeId)}`);
      expect(status.status).toBe(200);
      if (status.body['status'] !== 'active') return status.body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    bed = await startAdminTestbed({ serverName: 'purge.test', users: ['alice', 'bob'] });
    ({ server, base, admin } = bed);
    alice = bed.users['alice']!;
    bob = bed.users['bob']!;
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
  }, 60_000);

  it('removes the timeline before an event while sends go on, and the room keeps working', async () => {
    const roomId = String((await as(alice, 'POST', '/_matrix/client/v3/createRoom', { preset: 'public_chat', name: 'purged' })).body['room_id']);
    for (const n of [1, 2]) await send(alice, roomId, `m${n}`);
    const point = await send(alice, roomId, 'm3');
    await send(alice, roomId, 'm4');
    // Sends racing the purge: the room's owner runs it between its commits.
    const [result, ...racing] = await Promise.all([
      purgeAndWait(`/_synapse/admin/v1/purge_history/${enc(roomId)}/${enc(point)}`, { delete_local_events: true }),
      ...[5, 6, 7].map((n) => send(alice, roomId, `m${n}`)),
    ]);
    expect(result).toEqual({ status: 'complete' });
    expect(racing).toHaveLength(3);
    expect(await bodies(alice, roomId)).toEqual(['m3', 'm4', 'm5', 'm6', 'm7']);
    // /messages stops at the point: no older state event reappears either.
    const page = await as(alice, 'GET', `/_matrix/client/v3/rooms/${enc(roomId)}/messages?dir=b&limit=100`);
    expect((page.body['chunk'] as Array<{ type: string }>).some((e) => e.type === 'm.room.create')).toBe(false);
    expect((await as(alice, 'GET', `/_matrix/client/v3/rooms/${enc(roomId)}/event/${enc(point)}`)).status).toBe(200);

    // The room keeps its state, takes new members and messages, and syncs.
    const state = (await as(alice, 'GET', `/_matrix/client/v3/rooms/${enc(roomId)}/state`)).body as unknown as Array<{ type: string }>;
    expect(state.map((e) => e.type)).toEqual(expect.arrayContaining(['m.room.create', 'm.room.power_levels', 'm.room.name', 'm.room.member']));
    expect((await as(bob, 'POST', `/_matrix/client/v3/join/${enc(roomId)}`, {})).status).toBe(200);
    await send(bob, roomId, 'after');
    const sync = await as(bob, 'GET', '/_matrix/client/v3/sync');
    expect(sync.status).toBe(200);
    const joined = (sync.body['rooms'] as { join: Record<string, { timeline: { events: Array<{ content: { body?: string } }> } }> }).join[roomId]!;
    expect(joined.timeline.events.map((e) => e.content.body)).toContain('after');
    expect(await bodies(bob, roomId)).toEqual(['m3', 'm4', 'm5', 'm6', 'm7', 'after']);
  });

  it('keeps local events unless delete_local_events, and takes a timestamp as the point', async () => {
    const roomId = String((await as(alice, 'POST', '/_matrix/client/v3/createRoom', { preset: 'private_chat' })).body['room_id']);
    await send(alice, roomId, 'old1');
    await send(alice, roomId, 'old2');
    const pointTs = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await send(alice, roomId, 'new1');
    // Local events are only taken out of the timeline: /messages stops at the point either way.
    expect(await purgeAndWait(`/_synapse/admin/v1/purge_history/${enc(roomId)}`, { purge_up_to_ts: pointTs })).toEqual({ status: 'complete' });
    expect(await bodies(alice, roomId)).toEqual(['old2', 'new1']);
    await send(alice, roomId, 'new2');
    expect(await bodies(alice, roomId)).toEqual(['old2', 'new1', 'new2']);
  });

  it('keeps the history visibility set before the point in force', async () => {
    const initial_state = [{ type: 'm.room.history_visibility', state_key: '', content: { history_visibility: 'joined' } }];
    const roomId = String((await as(alice, 'POST', '/_matrix/client/v3/createRoom', { preset: 'public_chat', initial_state })).body['room_id']);
    await send(alice, roomId, 'a');
    const point = await send(alice, roomId, 'b');
    expect(await purgeAndWait(`/_synapse/admin/v1/purge_history/${enc(roomId)}/${enc(point)}`, {})).toEqual({ status: 'complete' });
    await send(alice, roomId, 'c');
    expect((await as(bob, 'POST', `/_matrix/client/v3/join/${enc(roomId)}`, {})).status).toBe(200);
    expect(await bodies(bob, roomId)).toEqual([]);
    expect(await bodies(alice, roomId)).toEqual(['b', 'c']);
  });

  it('refuses bad input with Matrix errors, non-admins with 403, and answers 404 for unknown purges', async () => {
    const roomId = String((await as(alice, 'POST', '/_matrix/client/v3/createRoom', {})).body['room_id']);
    const other = String((await as(alice, 'POST', '/_matrix/client/v3/createRoom', {})).body['room_id']);
    const elsewhere = await send(alice, other, 'elsewhere');
    const path = `/_synapse/admin/v1/purge_history/${enc(roomId)}`;
    const refused = async (body: unknown, status: number) => {
      const answer = await as(admin, 'POST', path, body);
      expect(answer.status, JSON.stringify(answer.body)).toBe(status);
      expect(typeof answer.body['errcode']).toBe('string');
    };
    await refused({}, 400);
    await refused({ purge_up_to_ts: 'yesterday' }, 400);
    await refused({ purge_up_to_event_id: elsewhere }, 400);
    await refused({ purge_up_to_event_id: `$${'A'.repeat(43)}` }, 404);
    await refused({ purge_up_to_event_id: 'nope' }, 400);
    await refused({ purge_up_to_ts: 1 }, 404);
    expect((await as(alice, 'POST', path, { purge_up_to_ts: Date.now() })).status).toBe(403);
    expect((await http(base, 'POST', path, { body: { purge_up_to_ts: Date.now() } })).status).toBe(401);
    expect((await as(admin, 'GET', '/_synapse/admin/v1/purge_history_status/nope')).status).toBe(404);
    // No server_notices section on this server: Synapse's 400.
    const notice = await as(admin, 'POST', '/_synapse/admin/v1/send_server_notice', { user_id: alice.userId, content: { msgtype: 'm.text', body: 'x' } });
    expect(notice.status).toBe(400);
    expect(notice.body['errcode']).toBe('M_UNKNOWN');
  });
});
