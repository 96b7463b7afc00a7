/* eslint-disable @typescript-eslint/no-explicit-any -- sync bodies are deep JSON checked field by field */
import { getRoomEvents } from '@homeserver/storage';
import { LiveWriterIds, MemoryWriterIds, registerWriterId } from '@homeserver/streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSyncToken } from '../sync/sync-token.ts';
import { bearer } from '../testing/test-app.ts';
import { openSyncEnv, type SyncEnv } from '../testing/sync-env.ts';

const ALICE = '@alice:test';
const BOB = '@bob:test';
const CAROL = '@carol:test';
const DAVE = '@dave:test';
let env: SyncEnv;
let n = 0;
const freshRoom = () => `!r${++n}:test`;

beforeAll(async () => {
  env = await openSyncEnv({ filters: new Map([['5', { room: { timeline: { limit: 2 } } }]]) });
});
afterAll(async () => {
  expect(env.violations).toEqual([]);
  await env.close();
});

function bodies(room: any): string[] {
  return room.timeline.events.filter((e: any) => e.type === 'm.room.message').map((e: any) => e.content.body);
}

describe('initial and incremental sync', () => {
  it('returns joined rooms with timeline, state at the timeline start and a summary', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.join(room, BOB);
    await env.rooms.message(room, ALICE, 'hello');
    const { status, body } = await env.sync(BOB);
    expect(status).toBe(200);
    expect(typeof body.next_batch).toBe('string');
    const joined = body.rooms.join[room];
    expect(bodies(joined)).toEqual(['hello']);
    const timelineIds = new Set(joined.timeline.events.map((e: any) => e.event_id));
    for (const event of joined.state.events) expect(timelineIds.has(event.event_id)).toBe(false);
    const types = [...joined.state.events, ...joined.timeline.events].map((e: any) => e.type);
    expect(types).toContain('m.room.create');
    expect(types).toContain('m.room.power_levels');
    expect(joined.summary).toEqual({ 'm.heroes': [ALICE], 'm.joined_member_count': 2, 'm.invited_member_count': 0 });
    expect(joined.timeline.events[0].room_id).toBeUndefined();
  });

  it('formats timeline events as /messages does: prev_content of replaced state and bundled relations', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.join(room, BOB);
    await env.rooms.send(room, ALICE, 'm.room.topic', { topic: 'first' }, '');
    const since = (await env.sync(BOB)).body.next_batch;
    await env.rooms.send(room, ALICE, 'm.room.topic', { topic: 'second' }, '');
    const root = await env.rooms.message(room, ALICE, 'root');
    const edit = await env.rooms.send(room, ALICE, 'm.room.message', { msgtype: 'm.text', body: '* fixed', 'm.new_content': { msgtype: 'm.text', body: 'fixed' }, 'm.relates_to': { rel_type: 'm.replace', event_id: root.eventId } });
    const check = (events: any[]) => {
      const topic = events.findLast((e: any) => e.type === 'm.room.topic');
      expect(topic.unsigned).toMatchObject({ prev_content: { topic: 'first' }, prev_sender: ALICE });
      const original = events.find((e: any) => e.event_id === root.eventId);
      expect(original.unsigned['m.relations']['m.replace'].event_id).toBe(edit.eventId);
    };
    // Incremental: aggregations come from the window itself.
    check((await env.sync(BOB, { since })).body.rooms.join[room].timeline.events);
    // Initial: read from the database.
    check((await env.sync(BOB)).body.rooms.join[room].timeline.events);
  });

  it('gives a named room a summary without m.heroes, and a room whose name was cleared its heroes again', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.join(room, BOB);
    await env.rooms.send(room, ALICE, 'm.room.name', { name: 'Named' }, '');
    expect((await env.sync(BOB)).body.rooms.join[room].summary).toEqual({ 'm.joined_member_count': 2, 'm.invited_member_count': 0 });
    await env.rooms.send(room, ALICE, 'm.room.name', { name: '' }, '');
    expect((await env.sync(BOB)).body.rooms.join[room].summary['m.heroes']).toEqual([ALICE]);
  });

  it('delivers each new event exactly once, in order, and a client sees its own send with transaction_id', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.join(room, BOB);
    let since = (await env.sync(BOB)).body.next_batch;
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      await env.rooms.message(room, ALICE, `m${i}a`);
      await env.rooms.message(room, BOB, `m${i}b`, { txn: { deviceId: 'DEVICE', txnId: `t${i}` } });
      const { body } = await env.sync(BOB, { since });
      const joined = body.rooms.join[room];
      seen.push(...bodies(joined));
      const own = joined.timeline.events.find((e: any) => e.content.body === `m${i}b`);
      expect(own.unsigned.transaction_id).toBe(`t${i}`);
      since = body.next_batch;
    }
    expect(seen).toEqual(['m0a', 'm0b', 'm1a', 'm1b', 'm2a', 'm2b']);
    const { body } = await env.sync(BOB, { since });
    expect(body.rooms.join[room]).toBeUndefined();
  });

  it('marks a timeline limited with a prev_batch from which the gap can be paginated, and sends the state in the gap', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.join(room, BOB);
    const since = (await env.sync(BOB)).body.next_batch;
    for (let i = 0; i < 4; i++) await env.rooms.message(room, ALICE, `gap${i}`);
    await env.rooms.send(room, ALICE, 'm.room.topic', { topic: 'in the gap' }, '');
    for (let i = 4; i < 8; i++) await env.rooms.message(room, ALICE, `gap${i}`);
    const { body } = await env.sync(BOB, { since, filter: JSON.stringify({ room: { timeline: { limit: 3 } } }) });
    const joined = body.rooms.join[room];
    expect(joined.timeline.limited).toBe(true);
    expect(bodies(joined)).toEqual(['gap5', 'gap6', 'gap7']);
    expect(joined.state.events.map((e: any) => e.type)).toEqual(['m.room.topic']);
    const prev = decodeSyncToken(joined.timeline.prev_batch, new MemoryWriterIds(['main'])).events.max;
    const sinceEvents = decodeSyncToken(since, new MemoryWriterIds(['main'])).events.max;
    const gap = await getRoomEvents(env.db, room, { from: prev, to: sinceEvents, direction: 'b', limit: 50 });
    expect(gap.events.map((e) => (e.pdu['content'] as { body?: string }).body ?? e.type).reverse()).toEqual([
      'gap0', 'gap1', 'gap2', 'gap3', 'm.room.topic', 'gap4',
    ]);
  });

  it('uses a stored filter by ID and sends full state on full_state=true', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.join(room, BOB);
    for (let i = 0; i < 3; i++) await env.rooms.message(room, ALICE, `f${i}`);
    const first = await env.sync(BOB, { filter: '5' });
    expect(bodies(first.body.rooms.join[room])).toEqual(['f1', 'f2']);
    const full = await env.sync(BOB, { since: first.body.next_batch, full_state: 'true', filter: '5' });
    expect(full.body.rooms.join[room].state.events.map((e: any) => e.type)).toContain('m.room.create');
  });

  it('gives a room whose whole history fits the timeline a prev_batch at the sync position (Synapse)', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.message(room, ALICE, 'all of it');
    const { body } = await env.sync(ALICE);
    const timeline = body.rooms.join[room].timeline;
    expect(timeline.limited).toBe(false);
    expect(timeline.events[0].type).toBe('m.room.create');
    expect(timeline.prev_batch).toBe(body.next_batch);
  });

  it('fills a type-filtered timeline up to its limit from behind events of other types', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.message(room, ALICE, 'wanted');
    for (let i = 0; i < 12; i++) await env.rooms.send(room, ALICE, 'org.example.filler', { i });
    const filter = JSON.stringify({ room: { timeline: { limit: 1, types: ['m.room.message'] } } });
    const timeline = (await env.sync(ALICE, { filter })).body.rooms.join[room].timeline;
    expect(bodies({ timeline })).toEqual(['wanted']);
    expect(timeline.events).toHaveLength(1);
    expect(timeline.limited).toBe(false);
  });
});

describe('event_format federation', () => {
  it('serves timeline and state events as PDUs with their event IDs', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    const sent = await env.rooms.message(room, ALICE, 'as a pdu');
    const { body } = await env.sync(ALICE, { filter: JSON.stringify({ event_format: 'federation', room: { timeline: { limit: 1 } } }) });
    const [event] = body.rooms.join[room].timeline.events;
    expect(event).toMatchObject({ event_id: sent.eventId, room_id: room, sender: ALICE, content: { body: 'as a pdu' } });
    // The test rooms store unsigned PDUs; a real server's carry hashes and signatures too.
    for (const key of ['prev_events', 'auth_events', 'depth']) expect(event).toHaveProperty(key);
    expect(body.rooms.join[room].state.events.every((e: any) => typeof e.event_id === 'string' && Array.isArray(e.auth_events))).toBe(true);
  });
});

describe('ignored users (m.ignored_user_list)', () => {
  it('leaves their messages out of timelines and their invites out of the invite section', async () => {
    const EVE = '@eve:test';
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.join(room, EVE);
    await env.rooms.message(room, ALICE, 'from alice');
    await env.rooms.message(room, EVE, 'from eve');
    const watched = freshRoom();
    await env.rooms.createRoom(watched, BOB);
    await env.rooms.invite(watched, BOB, EVE);
    await env.setAccountData(EVE, '', 'm.ignored_user_list', { ignored_users: { [BOB]: {} } });
    await env.rooms.join(room, BOB);
    await env.rooms.message(room, BOB, 'ignored words');
    // Initial sync: BOB's message is gone (his join, a state event, stays); so is his invite.
    const first = await env.sync(EVE, { filter: JSON.stringify({ room: { timeline: { limit: 0 } } }) });
    expect(first.status).toBe(200);
    // timeline.limit 0 (Synapse accepts it): no timeline events, the current state instead.
    expect(first.body.rooms.join[room].timeline.events).toEqual([]);
    expect(first.body.rooms.join[room].state.events.map((e: any) => e.type)).toContain('m.room.create');
    const full = await env.sync(EVE);
    expect(bodies(full.body.rooms.join[room])).toEqual(['from alice', 'from eve']);
    expect(full.body.rooms.join[room].timeline.events.some((e: any) => e.type === 'm.room.member' && e.state_key === BOB)).toBe(true);
    expect(full.body.rooms.invite[watched]).toBeUndefined();
    // Incremental: a window holding only an ignored user's message shows nothing of the room.
    await env.rooms.message(room, BOB, 'more ignored words');
    const next = await env.sync(EVE, { since: full.body.next_batch, timeout: '0' });
    expect(next.body.rooms.join[room]).toBeUndefined();
    // Unignored: the next messages come through again.
    await env.setAccountData(EVE, '', 'm.ignored_user_list', { ignored_users: {} });
    await env.rooms.message(room, BOB, 'heard again');
    const after = await env.sync(EVE, { since: next.body.next_batch });
    expect(bodies(after.body.rooms.join[room])).toEqual(['heard again']);
  });
});

describe('invites and leaves', () => {
  it('shows an invite with stripped state, then the join, then the leave with the timeline up to it', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    let since = (await env.sync(CAROL)).body.next_batch;
    await env.rooms.invite(room, ALICE, CAROL);
    let { body } = await env.sync(CAROL, { since });
    const inviteState = body.rooms.invite[room].invite_state.events;
    expect(inviteState.map((e: any) => e.type)).toEqual(expect.arrayContaining(['m.room.create', 'm.room.join_rules', 'm.room.member']));
    expect(inviteState.find((e: any) => e.type === 'm.room.member')).toMatchObject({ state_key: CAROL, content: { membership: 'invite' } });
    since = body.next_batch;
    await env.rooms.join(room, CAROL);
    ({ body } = await env.sync(CAROL, { since }));
    const newlyJoined = body.rooms.join[room];
    expect([...newlyJoined.state.events, ...newlyJoined.timeline.events].map((e: any) => e.type)).toContain('m.room.create');
    since = body.next_batch;
    await env.rooms.message(room, ALICE, 'before leave');
    await env.rooms.leave(room, CAROL);
    await env.rooms.message(room, ALICE, 'after leave');
    ({ body } = await env.sync(CAROL, { since }));
    expect(body.rooms.join[room]).toBeUndefined();
    const left = body.rooms.leave[room];
    expect(left.timeline.events.map((e: any) => e.content.body ?? e.content.membership)).toEqual(['before leave', 'leave']);
    // Old leaves appear in an initial sync only with include_leave.
    expect((await env.sync(CAROL)).body.rooms.leave[room]).toBeUndefined();
    expect((await env.sync(CAROL, { filter: JSON.stringify({ room: { include_leave: true } }) })).body.rooms.leave[room]).toBeDefined();
  });
});

describe('long-poll', () => {
  it('returns as soon as a member sends, and not for a room the user is not in', async () => {
    const room = freshRoom();
    const other = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.join(room, BOB);
    await env.rooms.createRoom(other, CAROL);
    const since = (await env.sync(BOB)).body.next_batch;
    const started = Date.now();
    const poll = env.sync(BOB, { since, timeout: '10000' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await env.rooms.message(other, CAROL, 'not for bob');
    await new Promise((resolve) => setTimeout(resolve, 150));
    await env.rooms.message(room, ALICE, 'wake up');
    const sent = Date.now();
    const { body } = await poll;
    const elapsed = Date.now() - started;
    const wake = Date.now() - sent;
    if (process.env['SYNC_REPORT']) console.info(`long-poll answered ${wake} ms after the send committed`);
    expect(wake).toBeLessThan(3000);
    expect(bodies(body.rooms.join[room])).toEqual(['wake up']);
    expect(body.rooms.join[other]).toBeUndefined();
    expect(elapsed).toBeLessThan(5000);

    const quiet = Date.now();
    const res = await env.sync(BOB, { since: body.next_batch, timeout: '400' });
    expect(Date.now() - quiet).toBeGreaterThanOrEqual(350);
    expect(res.body.rooms.join).toEqual({});
  });
});

describe('ephemeral, to-device and unread counts', () => {
  it('puts typing and receipts in the room ephemeral section, private receipts only to their owner', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.join(room, BOB);
    const msg = await env.rooms.message(room, ALICE, 'read me');
    const since = (await env.sync(BOB)).body.next_batch;
    const poll = env.sync(BOB, { since, timeout: '10000' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await env.app.inject({ method: 'PUT', url: `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/typing/${encodeURIComponent(ALICE)}`, headers: bearer(ALICE), payload: { typing: true, timeout: 5000 } });
    const typed = (await poll).body;
    expect(typed.rooms.join[room].ephemeral.events).toContainEqual({ type: 'm.typing', content: { user_ids: [ALICE] } });
    await env.app.inject({ method: 'POST', url: `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/receipt/m.read/${encodeURIComponent(msg.eventId)}`, headers: bearer(BOB), payload: {} });
    await env.app.inject({ method: 'POST', url: `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/receipt/m.read.private/${encodeURIComponent(msg.eventId)}`, headers: bearer(ALICE), payload: {} });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { body } = await env.sync(BOB, { since: typed.next_batch });
    const receipt = body.rooms.join[room].ephemeral.events.find((e: any) => e.type === 'm.receipt');
    expect(receipt.content[msg.eventId]['m.read'][BOB].ts).toEqual(expect.any(Number));
    expect(receipt.content[msg.eventId]['m.read.private']).toBeUndefined();
    const alice = await env.sync(ALICE, { since: typed.next_batch });
    const own = alice.body.rooms.join[room].ephemeral.events.find((e: any) => e.type === 'm.receipt');
    expect(own.content[msg.eventId]['m.read.private'][ALICE]).toBeDefined();
  });

  it('delivers a to-device message once, deleting it when the next since acknowledges it', async () => {
    const since = (await env.sync(BOB, {}, 'BDEV2')).body.next_batch;
    await env.app.inject({ method: 'PUT', url: '/_matrix/client/v3/sendToDevice/m.ping/tx9', headers: bearer(ALICE), payload: { messages: { [BOB]: { BDEV2: { n: 1 } } } } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const first = await env.sync(BOB, { since }, 'BDEV2');
    expect(first.body.to_device.events).toEqual([{ sender: ALICE, type: 'm.ping', content: { n: 1 } }]);
    // Retrying with the same since repeats it (not acknowledged yet)...
    expect((await env.sync(BOB, { since }, 'BDEV2')).body.to_device.events).toHaveLength(1);
    // ...the next since acknowledges it.
    expect((await env.sync(BOB, { since: first.body.next_batch }, 'BDEV2')).body.to_device.events).toEqual([]);
    const { rows } = await env.db.query("SELECT 1 FROM device_inbox WHERE device_id = 'BDEV2'");
    expect(rows).toHaveLength(0);
  });

  it('counts notifications and highlights after the read receipt', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.join(room, BOB);
    const first = await env.rooms.message(room, ALICE, 'one');
    await env.rooms.message(room, ALICE, 'two');
    await env.rooms.send(room, ALICE, 'm.room.message', { msgtype: 'm.text', body: 'hey bob', 'm.mentions': { user_ids: [BOB] } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    let { body } = await env.sync(BOB);
    expect(body.rooms.join[room].unread_notifications).toEqual({ notification_count: 3, highlight_count: 1 });
    await env.app.inject({ method: 'POST', url: `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/receipt/m.read/${encodeURIComponent(first.eventId)}`, headers: bearer(BOB), payload: {} });
    ({ body } = await env.sync(BOB));
    expect(body.rooms.join[room].unread_notifications).toEqual({ notification_count: 2, highlight_count: 1 });
    expect((await env.sync(ALICE)).body.rooms.join[room].unread_notifications).toEqual({ notification_count: 0, highlight_count: 0 });
  });
});

describe('newly joined rooms', () => {
  it('a room joined within an incremental window has a limited timeline, however little it holds (Synapse)', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.message(room, ALICE, 'before the join');
    const since = (await env.sync(BOB)).body.next_batch;
    await env.rooms.join(room, BOB);
    const joined = (await env.sync(BOB, { since, filter: JSON.stringify({ room: { timeline: { limit: 50 } } }) })).body.rooms.join[room];
    expect(bodies(joined)).toEqual(['before the join']);
    expect(joined.timeline.limited).toBe(true);
    // The initial sync of the same room is whole: not limited.
    expect((await env.sync(BOB, { filter: JSON.stringify({ room: { timeline: { limit: 50 } } }) })).body.rooms.join[room].timeline.limited).toBe(false);
  });
});

describe('lazy-loading members', () => {
  it('sends only the members of timeline senders, once', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.join(room, BOB);
    await env.rooms.join(room, CAROL);
    for (let i = 0; i < 3; i++) await env.rooms.message(room, ALICE, `ll${i}`);
    const filter = JSON.stringify({ room: { timeline: { limit: 3 }, state: { lazy_load_members: true } } });
    const first = await env.sync(BOB, { filter }, 'LL');
    const members = first.body.rooms.join[room].state.events.filter((e: any) => e.type === 'm.room.member').map((e: any) => e.state_key);
    expect(members.sort()).toEqual([ALICE, BOB]);
    await env.rooms.message(room, ALICE, 'again');
    await env.rooms.message(room, CAROL, 'carol speaks');
    const next = await env.sync(BOB, { filter, since: first.body.next_batch }, 'LL');
    const more = next.body.rooms.join[room].state.events.filter((e: any) => e.type === 'm.room.member').map((e: any) => e.state_key);
    expect(more).toEqual([CAROL]);
  });

  it('a gappy incremental sync carries every membership change of its gap, as well as the senders', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.join(room, BOB);
    await env.rooms.join(room, CAROL);
    const filter = JSON.stringify({ room: { timeline: { limit: 3 }, state: { lazy_load_members: true } } });
    const first = await env.sync(BOB, { filter }, 'LLGAP');
    await env.rooms.join(room, DAVE);
    for (let i = 0; i < 5; i++) await env.rooms.message(room, CAROL, `gap${i}`);
    const gappy = await env.sync(BOB, { filter, since: first.body.next_batch }, 'LLGAP');
    const section = gappy.body.rooms.join[room];
    expect(section.timeline.limited).toBe(true);
    const members = (section.state.events as any[]).filter((e) => e.type === 'm.room.member').map((e) => e.state_key);
    expect(members.sort()).toEqual([CAROL, DAVE].sort());
    // Dave leaves in the next gap: the leave comes as state although Dave said nothing.
    await env.rooms.leave(room, DAVE);
    for (let i = 0; i < 5; i++) await env.rooms.message(room, CAROL, `gap again ${i}`);
    const again = await env.sync(BOB, { filter, since: gappy.body.next_batch }, 'LLGAP');
    const leaves = (again.body.rooms.join[room].state.events as any[]).filter((e) => e.type === 'm.room.member');
    expect(leaves.map((e) => [e.state_key, e.content.membership])).toEqual([[DAVE, 'leave']]);
  });
});

describe('bad input', () => {
  it('rejects bad tokens, filters and timeouts with 400s', async () => {
    const expectError = async (query: Record<string, string>, errcode: string) => {
      const { status, body } = await env.sync(BOB, query);
      expect(status).toBe(400);
      expect(body.errcode).toBe(errcode);
    };
    await expectError({ since: 'garbage' }, 'M_INVALID_PARAM');
    await expectError({ since: 's1_2_3_4_5_6_7_8_9' }, 'M_INVALID_PARAM');
    await expectError({ filter: '{not json' }, 'M_BAD_JSON');
    await expectError({ filter: JSON.stringify({ room: { timeline: { limit: 'ten' } } }) }, 'M_BAD_JSON');
    await expectError({ filter: 'nope' }, 'M_INVALID_PARAM');
    await expectError({ timeout: '-5' }, 'M_INVALID_PARAM');
    await expectError({ full_state: 'yes' }, 'M_INVALID_PARAM');
    const unauth = await env.app.inject({ method: 'GET', url: '/_matrix/client/v3/sync' });
    expect(unauth.statusCode).toBe(401);
  });

  it('answers a token naming a writer that joined after this process started (never a 500), and refuses an id nobody has with a 400', async () => {
    const first = await env.sync(BOB, { timeout: '0' });
    expect(first.status).toBe(200);
    // A persister that joined the cluster later: registered in the database, never seen by this view.
    await registerWriterId(env.db, 'persister_late');
    const { rows } = await env.db.query<{ id: number }>("SELECT id FROM stream_writer_ids WHERE instance_name = 'persister_late'");
    const id = rows[0]!.id;
    const [events, ...rest] = (first.body.next_batch as string).slice(1).split('_');
    const floor = Number(events!.split('~')[0]);
    const since = `s${events}~${id}.${floor + 5}_${rest.join('_')}`;
    const later = await env.sync(BOB, { since, timeout: '0' });
    expect(later.status).toBe(200);
    // The answer starts from where the client already is: the new writer's position is kept.
    expect(decodeSyncToken(later.body.next_batch, await LiveWriterIds.load(env.db)).events.get('persister_late')).toBe(floor + 5);
    const unknown = await env.sync(BOB, { since: `s${events}~9999.${floor + 5}_${rest.join('_')}`, timeout: '0' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errcode).toBe('M_INVALID_PARAM');
  });
});

describe('account data', () => {
  it('sends global and room account data once, wakes a long-poll for it, and serves m.fully_read', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.join(room, DAVE);
    const msg = await env.rooms.message(room, ALICE, 'marker');
    const since = (await env.sync(DAVE)).body.next_batch;
    const poll = env.sync(DAVE, { since, timeout: '10000' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await env.setAccountData(DAVE, '', 'm.direct', { [ALICE]: [room] });
    const woke = (await poll).body;
    expect(woke.account_data.events).toEqual([{ type: 'm.direct', content: { [ALICE]: [room] } }]);
    await env.setAccountData(DAVE, room, 'm.tag', { tags: { 'm.favourite': {} } });
    await env.app.inject({
      method: 'POST',
      url: `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/read_markers`,
      headers: bearer(DAVE),
      payload: { 'm.fully_read': msg.eventId },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const next = (await env.sync(DAVE, { since: woke.next_batch })).body;
    expect(next.account_data.events).toEqual([]);
    expect(next.rooms.join[room].account_data.events).toEqual(
      expect.arrayContaining([{ type: 'm.tag', content: { tags: { 'm.favourite': {} } } }, { type: 'm.fully_read', content: { event_id: msg.eventId } }]),
    );
    expect(next.rooms.join[room].ephemeral.events.filter((e: any) => e.type === 'm.receipt')).toEqual([]);
    const later = (await env.sync(DAVE, { since: next.next_batch })).body;
    expect(later.rooms.join[room]).toBeUndefined();
  });

  it('applies the user push rules from m.push_rules account data', async () => {
    const room = freshRoom();
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.join(room, CAROL);
    await env.setAccountData(CAROL, '', 'm.push_rules', { global: { room: [{ rule_id: room, default: false, enabled: true, actions: [] }] } });
    await env.rooms.message(room, ALICE, 'muted');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await env.sync(CAROL)).body.rooms.join[room].unread_notifications).toEqual({ notification_count: 0, highlight_count: 0 });
  });
});

describe('device lists and keys', () => {
  it('reports a room-mate whose keys changed, via /sync and /keys/changes, with one-time key counts', async () => {
    const room = freshRoom();
    const erin = '@erin:test';
    const frank = '@frank:test';
    await env.rooms.createRoom(room, erin);
    await env.rooms.join(room, frank);
    const since = (await env.sync(erin, {}, 'EDEV')).body.next_batch;
    const upload = await env.app.inject({
      method: 'POST',
      url: '/_matrix/client/v3/keys/upload',
      headers: bearer(frank, 'FDEV'),
      payload: { device_keys: { user_id: frank, device_id: 'FDEV', algorithms: [], keys: {}, signatures: {} } },
    });
    expect(upload.statusCode).toBe(200);
    await env.app.inject({
      method: 'POST',
      url: '/_matrix/client/v3/keys/upload',
      headers: bearer(erin, 'EDEV'),
      payload: { one_time_keys: { 'signed_curve25519:A': { key: 'a', signatures: {} } }, fallback_keys: { 'signed_curve25519:B': { key: 'b', fallback: true, signatures: {} } } },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { body } = await env.sync(erin, { since }, 'EDEV');
    expect(body.device_lists.changed).toEqual([frank]);
    expect(body.device_one_time_keys_count).toEqual({ signed_curve25519: 1 });
    expect(body.device_unused_fallback_key_types).toEqual(['signed_curve25519']);
    const changes = await env.app.inject({
      method: 'GET',
      url: `/_matrix/client/v3/keys/changes?from=${since}&to=${body.next_batch}`,
      headers: bearer(erin, 'EDEV'),
    });
    expect(changes.json()).toEqual({ changed: [frank], left: [] });
  });
});

describe('rejected invites', () => {
  it('shows only the leave event of a rejected invite, never the room history', async () => {
    const room = freshRoom();
    const gina = '@gina:test';
    await env.rooms.createRoom(room, ALICE);
    await env.rooms.message(room, ALICE, 'secret history');
    await env.rooms.invite(room, ALICE, gina);
    const since = (await env.sync(gina)).body.next_batch;
    await env.rooms.leave(room, gina);
    const { body } = await env.sync(gina, { since });
    const left = body.rooms.leave[room];
    expect(left.timeline.events.map((e: any) => e.content.membership)).toEqual(['leave']);
    expect(left.state.events).toEqual([]);
  });
});
