// The holes a hostile member (or a sloppy client) could use, closed, on both storage modes:
// deeply nested bodies refused, deep events already stored still served by /sync, /messages,
// /context, /event and /state, bytes that are not UTF-8 refused instead of stored as U+FFFD,
// malformed percent-encoding and bodies on unknown routes answered with Matrix errors, cross-room
// redactions refused, identical concurrent createRoom calls all succeeding, /metrics only where
// configured and every bind address listened on.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, register, type Session } from './testing/bad-input/sweep-fixture.ts';
import { startTestHomeserver, type StorageMode, type TestHomeserver } from './testing/test-homeserver.ts';

const BOOT_TIMEOUT = 180_000;

/** `{"a":{"a":...1}}` nested `depth` levels, as text (JSON.stringify cannot build it). */
const nestedObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const nestedArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** How deep `text` nests, counted without recursion. */
function depthOf(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    max = Math.max(max, depth + 1);
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return max;
}

async function raw(server: TestHomeserver, method: string, path: string, options: { token?: string; body?: string | Uint8Array } = {}): Promise<{ status: number; text: string; json: Record<string, unknown> }> {
  const response = await fetch(server.baseUrl + path, {
    method,
    headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    body: options.body,
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Left empty: the assertions name the status and text.
  }
  return { status: response.status, text, json };
}

describe.each<StorageMode>(['pglite', 'postgres'])('hostile input against the monolith (%s)', (mode) => {
  let server: TestHomeserver;
  let alice: Session;
  let bob: Session;
  let roomId: string;
  const room = () => encodeURIComponent(roomId);

  beforeAll(async () => {
    server = await startTestHomeserver(mode, {
      extra: {
        listeners: [
          { port: 0, bind_addresses: ['127.0.0.1', '::1'], type: 'http', resources: [{ names: ['client', 'health'] }] },
          { port: 0, bind_addresses: ['127.0.0.1'], type: 'http', resources: [{ names: ['metrics'] }] },
        ],
      },
    });
    const suffix = randomUUID().slice(0, 8);
    alice = await register(server.baseUrl, `alice_${suffix}`);
    bob = await register(server.baseUrl, `bob_${suffix}`);
    ({ room_id: roomId } = await call<{ room_id: string }>(server.baseUrl, 'POST', '/_matrix/client/v3/createRoom', { token: alice.accessToken, body: { preset: 'public_chat' } }));
    await call(server.baseUrl, 'POST', `/_matrix/client/v3/join/${room()}`, { token: bob.accessToken, body: {} });
  }, BOOT_TIMEOUT);
  afterAll(async () => {
    await server?.stop();
  }, 60_000);

  async function bobSyncs(): Promise<Record<string, unknown>> {
    const sync = await raw(server, 'GET', '/_matrix/client/v3/sync?timeout=0', { token: bob.accessToken });
    expect(sync.status, sync.text.slice(0, 300)).toBe(200);
    return sync.json;
  }

  it('refuses message content nested 1,001 to 100,000 levels with 400 M_BAD_JSON, and the room keeps working', async () => {
    for (const depth of [1_001, 5_000, 10_000, 100_000]) {
      const body = `{"msgtype":"m.text","body":"x","x":${nestedObjects(depth)}}`;
      const sent = await raw(server, 'PUT', `/_matrix/client/v3/rooms/${room()}/send/m.room.message/${randomUUID()}`, { token: alice.accessToken, body });
      expect([sent.status, sent.json['errcode']], `depth ${depth}`).toEqual([400, 'M_BAD_JSON']);
      for (const path of [`/_matrix/client/v3/user/${encodeURIComponent(alice.userId)}/account_data/m.deep`, `/_matrix/client/v3/rooms/${room()}/state/m.deep`]) {
        const put = await raw(server, 'PUT', path, { token: alice.accessToken, body: nestedArrays(depth) });
        expect(put.status, `${path} at depth ${depth}`).toBe(400);
      }
    }
    // 100 levels is an ordinary body: stored, synced, read back whole.
    const ok = await raw(server, 'PUT', `/_matrix/client/v3/rooms/${room()}/send/m.room.message/${randomUUID()}`, { token: alice.accessToken, body: `{"msgtype":"m.text","body":"x","x":${nestedObjects(100)}}` });
    expect(ok.status).toBe(200);
    const event = await raw(server, 'GET', `/_matrix/client/v3/rooms/${room()}/event/${encodeURIComponent(String(ok.json['event_id']))}`, { token: bob.accessToken });
    expect(depthOf((event.json['content'] as Record<string, unknown>)['x'])).toBe(100);
    await bobSyncs();
  });

  it('serves deep events already stored (planted in the database) on /sync, /messages, /context, /event and /state', async () => {
    const planted: Array<{ eventId: string; depth: number }> = [];
    // 5,000 levels of objects is the event; 30,000 of arrays is the deepest content that
    // fits the 65,536-byte event limit, which every stored event has passed.
    for (const [depth, deep, type] of [[5_000, nestedObjects(5_000), 'm.room.message'], [30_000, nestedArrays(30_000), 'm.deep.state']] as const) {
      const isState = type !== 'm.room.message';
      const path = isState ? `/_matrix/client/v3/rooms/${room()}/state/${type}/` : `/_matrix/client/v3/rooms/${room()}/send/${type}/${randomUUID()}`;
      const { event_id: eventId } = await call<{ event_id: string }>(server.baseUrl, 'PUT', path, { token: alice.accessToken, body: { msgtype: 'm.text', body: 'shallow', x: 'DEEP' } });
      const { rows } = await server.db.query<{ json: string }>('SELECT json FROM events WHERE event_id = $1', [eventId]);
      const json = rows[0]!.json.replace('"DEEP"', deep);
      expect(json).not.toBe(rows[0]!.json);
      await server.db.query('UPDATE events SET json = $1 WHERE event_id = $2', [json, eventId]);
      planted.push({ eventId, depth });
    }
    const contentDepth = (event: unknown) => depthOf(((event as { content: Record<string, unknown> }).content)['x']);
    const sync = await bobSyncs();
    const timeline = ((sync['rooms'] as { join: Record<string, { timeline: { events: Array<{ event_id: string }> } }> }).join[roomId]!.timeline.events);
    const messages = await raw(server, 'GET', `/_matrix/client/v3/rooms/${room()}/messages?dir=b&limit=50`, { token: bob.accessToken });
    expect(messages.status, messages.text.slice(0, 300)).toBe(200);
    const state = await raw(server, 'GET', `/_matrix/client/v3/rooms/${room()}/state`, { token: bob.accessToken });
    expect(state.status, state.text.slice(0, 300)).toBe(200);
    for (const { eventId, depth } of planted) {
      const event = await raw(server, 'GET', `/_matrix/client/v3/rooms/${room()}/event/${encodeURIComponent(eventId)}`, { token: bob.accessToken });
      expect(event.status, event.text.slice(0, 300)).toBe(200);
      expect(contentDepth(event.json)).toBe(depth);
      const context = await raw(server, 'GET', `/_matrix/client/v3/rooms/${room()}/context/${encodeURIComponent(eventId)}`, { token: bob.accessToken });
      expect(context.status, context.text.slice(0, 300)).toBe(200);
      expect(contentDepth(context.json['event'])).toBe(depth);
      const inMessages = (messages.json['chunk'] as Array<{ event_id: string }>).find((e) => e.event_id === eventId);
      expect(contentDepth(inMessages)).toBe(depth);
      const inSync = timeline.find((e) => e.event_id === eventId);
      if (inSync) expect(contentDepth(inSync)).toBe(depth);
    }
    const deepState = (state.json as unknown as Array<{ type: string }>).find((e) => e.type === 'm.deep.state');
    expect(contentDepth(deepState)).toBe(30_000);
    const one = await raw(server, 'GET', `/_matrix/client/v3/rooms/${room()}/state/m.deep.state/`, { token: bob.accessToken });
    expect(one.status).toBe(200);
    expect(depthOf(one.json['x'])).toBe(30_000);
  });

  it('serves deep account data already stored (planted in the database) on /sync and GET account_data', async () => {
    await call(server.baseUrl, 'PUT', `/_matrix/client/v3/user/${encodeURIComponent(bob.userId)}/account_data/m.deep`, { token: bob.accessToken, body: { x: 1 } });
    // Deeper than V8's JSON.stringify goes (about 4,500 levels), as PostgreSQL's jsonb still stores it.
    const deep = `{"x":${nestedObjects(5_000)}}`;
    await server.db.query(`UPDATE account_data SET content = $1::jsonb WHERE user_id = $2 AND data_type = 'm.deep'`, [deep, bob.userId]);
    const direct = await raw(server, 'GET', `/_matrix/client/v3/user/${encodeURIComponent(bob.userId)}/account_data/m.deep`, { token: bob.accessToken });
    expect(direct.status, direct.text.slice(0, 300)).toBe(200);
    expect(depthOf(direct.json['x'])).toBe(5_000);
    const sync = await bobSyncs();
    const events = (sync['account_data'] as { events: Array<{ type: string; content: Record<string, unknown> }> }).events;
    expect(depthOf(events.find((e) => e.type === 'm.deep')?.content['x'])).toBe(5_000);
  });

  it('refuses a body that is not UTF-8 with 400 M_NOT_JSON and stores nothing', async () => {
    const txn = randomUUID();
    const bytes = new Uint8Array([...new TextEncoder().encode('{"msgtype":"m.text","body":"caf'), 0xe9, ...new TextEncoder().encode('","k'), 0xff, ...new TextEncoder().encode('":1}')]);
    const sent = await raw(server, 'PUT', `/_matrix/client/v3/rooms/${room()}/send/m.room.message/${txn}`, { token: alice.accessToken, body: bytes });
    expect([sent.status, sent.json['errcode']]).toEqual([400, 'M_NOT_JSON']);
    // Well-formed bytes spelling a lone surrogate through a JSON escape: refused as well.
    const escaped = await raw(server, 'PUT', `/_matrix/client/v3/user/${encodeURIComponent(alice.userId)}/account_data/m.lone`, { token: alice.accessToken, body: '{"body":"a\\ud800b"}' });
    expect([escaped.status, escaped.json['errcode']]).toEqual([400, 'M_BAD_JSON']);
    const { rows } = await server.db.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE json LIKE '%\uFFFD%'`);
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it('answers malformed percent-encoding in a path and any body on an unknown route with Matrix errors', async () => {
    for (const bad of ['%E0%A4%A', '%zz', '%C3%28']) {
      const answer = await raw(server, 'GET', `/_matrix/client/v3/rooms/${bad}/state`, { token: bob.accessToken });
      expect(answer.status, `${bad}: ${answer.text}`).toBe(400);
      expect(answer.json['errcode']).toMatch(/^M_/);
    }
    const unknown = await raw(server, 'POST', '/_matrix/client/v3/no/such/endpoint', { token: bob.accessToken, body: 'this is not JSON' });
    expect([unknown.status, unknown.json['errcode']]).toEqual([404, 'M_UNRECOGNIZED']);
  });

  it('refuses to redact, from room B, an event of room A (400, as Synapse)', async () => {
    const { room_id: other } = await call<{ room_id: string }>(server.baseUrl, 'POST', '/_matrix/client/v3/createRoom', { token: alice.accessToken, body: {} });
    const { event_id: target } = await call<{ event_id: string }>(server.baseUrl, 'PUT', `/_matrix/client/v3/rooms/${room()}/send/m.room.message/${randomUUID()}`, { token: alice.accessToken, body: { msgtype: 'm.text', body: 'keep me' } });
    const redaction = await raw(server, 'PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(other)}/redact/${encodeURIComponent(target)}/${randomUUID()}`, { token: alice.accessToken, body: '{}' });
    expect(redaction.status).toBe(400);
    const event = await raw(server, 'GET', `/_matrix/client/v3/rooms/${room()}/event/${encodeURIComponent(target)}`, { token: bob.accessToken });
    expect((event.json['content'] as Record<string, unknown>)['body']).toBe('keep me');
  });

  it('creates 10 rooms from 10 identical concurrent v12 createRoom calls', async () => {
    const body = JSON.stringify({ room_version: '12', preset: 'private_chat', name: 'twins' });
    const answers = await Promise.all(Array.from({ length: 10 }, () => raw(server, 'POST', '/_matrix/client/v3/createRoom', { token: alice.accessToken, body })));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(new Set(answers.map((a) => a.json['room_id'])).size).toBe(10);
  });

  it('listens on every bind address and serves /metrics only on the listener offering it', async () => {
    const [v4, v6, metrics] = server.addresses;
    expect([v4?.host, v6?.host]).toEqual(['127.0.0.1', '::1']);
    expect(v6!.port).toBe(v4!.port);
    expect((await fetch(`http://[::1]:${v6!.port}/_matrix/client/versions`)).status).toBe(200);
    const onClient = await fetch(`${server.baseUrl}/metrics`);
    expect(onClient.status).toBe(404);
    const scrape = await fetch(`http://127.0.0.1:${metrics!.port}/metrics`);
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).toContain('http_request_duration_seconds');
  });
});
