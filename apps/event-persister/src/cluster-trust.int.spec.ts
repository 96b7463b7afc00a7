// Trusted replication and failing well in a real worker cluster: main and one event persister as
// separate OS processes on PostgreSQL, over NATS and over Redis (each test-spawned so it can be
// killed), with a worker_replication_secret.
//
// - Forged traffic on the bus (a request without a MAC, one sealed with a wrong secret, a genuine
//   request replayed, the same request with its sender swapped, a StreamAdvance claiming position
//   1e9) changes nothing in PostgreSQL, is counted in replication_messages_rejected_total, and
//   /sync keeps delivering new messages.
// - kill -9 of the persister: its room answers 503 with Retry-After at once (the time is printed,
//   not asserted); once it is restarted the room is served again and every acknowledged message
//   is still there. A frozen persister (SIGSTOP) is answered 503 within actor_unreachable_timeout.
// - The bus server killed and restarted: sends fail fast with 503 meanwhile, and the cluster
//   recovers by itself.
import { randomUUID } from 'node:crypto';
import { ActorSystem, RendezvousPlacement } from '@homeserver/actors';
import { StreamAdvance } from '@homeserver/protocol';
import { RoomClient } from '@homeserver/services';
import { openDatabase, type Database } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import {
  startAppProcess,
  TEST_BUSES,
  testHomeserverConfig,
  writeConfigFiles,
  type AppProcess,
  type TestBus,
  type TestServer,
} from '@homeserver/testing';
import { authenticateTransport, createTransport, type Transport, type TransportConfig } from '@homeserver/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SECRET = 'cluster-trust-secret';
const PERSISTER = 'persister1';

interface Bus extends TestBus {
  /** A transport for the test itself, reconnecting quickly after the server restarts. */
  transport(server: TestServer): TransportConfig;
}

const TEST_TRANSPORTS: Record<Bus['name'], (server: TestServer) => TransportConfig> = {
  nats: (server) => ({ kind: 'nats', servers: server.url, reconnectDelayMs: { min: 50, max: 500 } }),
  redis: (server) => ({ kind: 'redis', url: `${server.url}/0`, reconnectDelayMs: { min: 50, max: 500 } }),
};

const buses: Bus[] = TEST_BUSES.map((bus) => ({ ...bus, transport: TEST_TRANSPORTS[bus.name] }));

/** Remembers the sealed frames a transport sends, so the test can replay them raw. */
class RecordingTransport implements Transport {
  readonly requests: Array<{ subject: string; frame: Uint8Array }> = [];
  #inner: Transport;
  constructor(inner: Transport) {
    this.#inner = inner;
  }
  get kind() {
    return this.#inner.kind;
  }
  get maxPayloadBytes() {
    return this.#inner.maxPayloadBytes;
  }
  publish: Transport['publish'] = (subject, payload) => this.#inner.publish(subject, payload);
  subscribe: Transport['subscribe'] = (subject, handler, options) => this.#inner.subscribe(subject, handler, options);
  serve: Transport['serve'] = (subject, handler) => this.#inner.serve(subject, handler);
  request: Transport['request'] = (subject, payload, options) => {
    this.requests.push({ subject, frame: payload });
    return this.#inner.request(subject, payload, options);
  };
  on: Transport['on'] = (event, listener) => this.#inner.on(event, listener);
  close: Transport['close'] = () => this.#inner.close();
}

class Client {
  readonly base: string;
  token = '';
  userId = '';
  constructor(base: string) {
    this.base = base;
  }
  async call(method: string, path: string, body?: unknown, timeoutMs = 30_000): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
    const response = await fetch(`${this.base}/_matrix/client/v3${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
  }
  async register(username: string): Promise<void> {
    const body = { username, password: 'correct horse battery', auth: { type: 'm.login.dummy' } };
    let answer = await this.call('POST', '/register', body);
    if (answer.status === 401) answer = await this.call('POST', '/register', { ...body, auth: { type: 'm.login.dummy', session: answer.json.session } });
    expect(answer.status).toBe(200);
    this.token = String(answer.json.access_token);
    this.userId = String(answer.json.user_id);
  }
  send(roomId: string, body: string, timeoutMs?: number) {
    return this.call('PUT', `/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${randomUUID()}`, { msgtype: 'm.text', body }, timeoutMs);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function rejectedCounts(port: number): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^replication_messages_rejected_total\{([^}]*)\} (\d+)/gm)) {
    const reason = /reason="([^"]+)"/.exec(match[1]!)?.[1];
    if (reason) counts[reason] = (counts[reason] ?? 0) + Number(match[2]);
  }
  return counts;
}

/** Replaces every occurrence of `from` by `to` (same length) in a copy of `bytes`. */
function swapped(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const copy = Buffer.from(bytes);
  const needle = Buffer.from(from);
  let found = 0;
  for (let at = copy.indexOf(needle); at >= 0; at = copy.indexOf(needle, at + 1)) {
    Buffer.from(to).copy(copy, at);
    found++;
  }
  expect(found).toBeGreaterThan(0);
  return new Uint8Array(copy);
}

describe.each(buses)('worker cluster trust and failure over $name', (bus) => {
  let pg: TestPostgres;
  let server: TestServer;
  let files: string[];
  let persisterFiles: string[];
  let main: AppProcess;
  let persister: AppProcess;
  let db: Database;
  let alice: Client;
  let roomId: string;

  const mainPort = () => main.addresses[0]!.port;
  const persisterPort = () => persister.addresses[0]!.port;
  const eventCount = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE room_id = $1', [roomId])).rows[0]!.n);

  beforeAll(async () => {
    [pg, server] = await Promise.all([createTestDatabase(), bus.start()]);
    const shared = testHomeserverConfig({
      postgres: pg.options,
      extra: {
        ...bus.yaml(server),
        worker_replication_secret: SECRET,
        stream_writers: { events: [PERSISTER] },
        listeners: [{ port: 0, bind_addresses: ['127.0.0.1'], type: 'http', resources: [{ names: ['client', 'health', 'metrics'] }] }],
      },
    });
    const paths = await writeConfigFiles({
      'homeserver.yaml': JSON.stringify(shared),
      'persister.yaml': JSON.stringify({ worker_app: 'event-persister', worker_name: PERSISTER, worker_listeners: [{ port: 0, type: 'http', resources: [{ names: ['health', 'metrics'] }] }] }),
    });
    files = [paths['homeserver.yaml']!];
    persisterFiles = [paths['homeserver.yaml']!, paths['persister.yaml']!];
    persister = await startAppProcess('event-persister', { configFiles: persisterFiles });
    main = await startAppProcess('main', { configFiles: files });
    db = await openDatabase(pg.options, { migrate: false });
    alice = new Client(`http://127.0.0.1:${mainPort()}`);
    await alice.register(`alice${bus.name}`);
    const created = await alice.call('POST', '/createRoom', { preset: 'private_chat' });
    expect(created.status).toBe(200);
    roomId = String(created.json.room_id);
    expect((await alice.send(roomId, 'hello')).status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await main?.stop('SIGKILL');
    await persister?.stop('SIGKILL');
    await db?.close();
    await server?.stop();
    await pg?.drop();
  });

  it('drops forged, wrongly keyed and replayed requests without a database change, and counts them', async () => {
    const raw = await createTransport(bus.transport(server));
    const recording = new RecordingTransport(raw);
    const trusted = authenticateTransport(recording, { secret: SECRET });
    const actors = new ActorSystem({ instance: 'tester', placement: new RendezvousPlacement({ instances: { room: [PERSISTER] } }), transport: trusted });
    const wrongKey = authenticateTransport(raw, { secret: 'not-the-secret' });
    try {
      // A genuine write, sealed with the secret, as an edge would make it.
      const genuine = await new RoomClient(actors, db).sendEvent(roomId, { type: 'm.room.message', sender: alice.userId, content: { msgtype: 'm.text', body: 'genuine' } });
      expect(genuine.ok).toBe(true);
      const before = await eventCount();
      const rejectedBefore = await rejectedCounts(persisterPort());
      const first = recording.requests[0]!;
      const mallory = `@${'m'.repeat(alice.userId.indexOf(':') - 1)}${alice.userId.slice(alice.userId.indexOf(':'))}`;
      const attempts = {
        replayed: raw.request(first.subject, first.frame, { timeoutMs: 5000 }),
        otherSender: raw.request(first.subject, swapped(first.frame, alice.userId, mallory), { timeoutMs: 5000 }),
        noMac: raw.request(first.subject, first.frame.subarray(58), { timeoutMs: 5000 }),
        wrongKey: wrongKey.request(first.subject, first.frame.subarray(58), { timeoutMs: 5000 }),
      };
      const outcomes = Object.fromEntries(await Promise.all(Object.entries(attempts).map(async ([name, attempt]) => [name, await attempt.then(() => 'accepted', (e: Error) => e.message)])));
      expect(outcomes.replayed).toMatch(/refused: replayed/);
      expect(outcomes.otherSender).toMatch(/refused: bad_mac/);
      expect(outcomes.noMac).toMatch(/refused: no_mac/);
      expect(outcomes.wrongKey).toMatch(/refused: bad_mac/);
      expect(await eventCount()).toBe(before);
      const sentByMallory = await db.query('SELECT 1 FROM events WHERE sender = $1', [mallory]);
      expect(sentByMallory.rows).toEqual([]);
      const rejected = await rejectedCounts(persisterPort());
      expect((rejected.replayed ?? 0) - (rejectedBefore.replayed ?? 0)).toBe(1);
      expect((rejected.bad_mac ?? 0) - (rejectedBefore.bad_mac ?? 0)).toBe(2);
      expect((rejected.no_mac ?? 0) - (rejectedBefore.no_mac ?? 0)).toBe(1);
    } finally {
      await actors.stop();
      await trusted.close();
    }
  });

  it('ignores a forged StreamAdvance at position 1e9: /sync keeps delivering', async () => {
    const first = await alice.call('GET', '/sync?timeout=0');
    const since = String(first.json.next_batch);
    const rejectedBefore = await rejectedCounts(mainPort());
    const raw = await createTransport(bus.transport(server));
    try {
      const forged = StreamAdvance.encode({ stream: 'events', writer: PERSISTER, prevPosition: 0, position: 1e9, rowsInline: true, heartbeat: true }).finish();
      await raw.publish('repl.events', forged);
      await authenticateTransport(raw, { secret: 'not-the-secret' }).publish('repl.events', forged);
      // Both reach main (the sync role here) and are dropped there.
      for (let i = 0; i < 100; i++) {
        const now = await rejectedCounts(mainPort());
        if ((now.no_mac ?? 0) > (rejectedBefore.no_mac ?? 0) && (now.bad_mac ?? 0) > (rejectedBefore.bad_mac ?? 0)) break;
        await sleep(50);
      }
      // Counted once per subscription that received it (main may read the events stream more than once).
      const after = await rejectedCounts(mainPort());
      expect((after.no_mac ?? 0) - (rejectedBefore.no_mac ?? 0)).toBeGreaterThan(0);
      expect((after.bad_mac ?? 0) - (rejectedBefore.bad_mac ?? 0)).toBeGreaterThan(0);
    } finally {
      await raw.close();
    }
    const sent = await alice.send(roomId, 'after the forgery');
    expect(sent.status).toBe(200);
    const synced = await alice.call('GET', `/sync?timeout=10000&since=${encodeURIComponent(since)}`);
    expect(synced.status).toBe(200);
    expect(JSON.stringify(synced.json)).toContain(String(sent.json.event_id));
  });

  it('answers 503 with Retry-After for a room whose persister was killed, and serves it again after a restart, losing nothing acknowledged', async () => {
    const acknowledged: string[] = [];
    for (let i = 0; i < 5; i++) {
      const sent = await alice.send(roomId, `before kill ${i}`);
      expect(sent.status).toBe(200);
      acknowledged.push(String(sent.json.event_id));
    }
    expect(await persister.stop('SIGKILL')).toBe('SIGKILL');
    const started = Date.now();
    const refused = await alice.send(roomId, 'while the persister is dead');
    const elapsed = Date.now() - started;
    console.log(`[${bus.name}] send to a room whose persister was killed: ${refused.status} ${String(refused.json.errcode)} after ${elapsed} ms, Retry-After ${refused.headers.get('retry-after')}`);
    expect(refused.status).toBe(503);
    expect(refused.json.errcode).toBe('M_UNKNOWN');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    persister = await startAppProcess('event-persister', { configFiles: persisterFiles });
    const restarted = Date.now();
    let served: Awaited<ReturnType<Client['send']>> | undefined;
    for (let attempt = 0; attempt < 200; attempt++) {
      served = await alice.send(roomId, 'after the restart');
      if (served.status !== 503) break;
      await sleep(100);
    }
    console.log(`[${bus.name}] room served again ${Date.now() - restarted} ms after the persister restarted`);
    expect(served!.status).toBe(200);
    acknowledged.push(String(served!.json.event_id));
    for (const eventId of acknowledged) {
      const event = await alice.call('GET', `/rooms/${encodeURIComponent(roomId)}/event/${encodeURIComponent(eventId)}`);
      expect(event.status, eventId).toBe(200);
    }
  });

  it('answers 503 within the unreachable bound for a room whose persister hangs, and serves it again when it resumes', async () => {
    persister.child.kill('SIGSTOP');
    let refused: Awaited<ReturnType<Client['send']>>;
    try {
      const started = Date.now();
      refused = await alice.send(roomId, 'while the persister is frozen');
      console.log(`[${bus.name}] send to a room whose persister is frozen (SIGSTOP): ${refused.status} after ${Date.now() - started} ms (actor_unreachable_timeout 2s)`);
    } finally {
      persister.child.kill('SIGCONT');
    }
    expect(refused.status).toBe(503);
    let served: Awaited<ReturnType<Client['send']>> | undefined;
    for (let attempt = 0; attempt < 100; attempt++) {
      served = await alice.send(roomId, 'after resuming');
      if (served.status === 200) break;
      await sleep(100);
    }
    expect(served!.status).toBe(200);
  });

  it('fails sends fast while the bus server is down and recovers by itself when it is back', async () => {
    await server.stop();
    const started = Date.now();
    const refused = await alice.send(roomId, 'during the outage');
    console.log(`[${bus.name}] send during a ${bus.name} outage: ${refused.status} after ${Date.now() - started} ms`);
    expect(refused.status).toBe(503);
    await server.restart();
    const restarted = Date.now();
    let served: Awaited<ReturnType<Client['send']>> | undefined;
    for (let attempt = 0; attempt < 300; attempt++) {
      served = await alice.send(roomId, 'after the outage');
      if (served.status === 200) break;
      await sleep(100);
    }
    console.log(`[${bus.name}] sends succeed again ${Date.now() - restarted} ms after ${bus.name} came back`);
    expect(served!.status).toBe(200);
    const synced = await alice.call('GET', '/sync?timeout=0');
    expect(synced.status).toBe(200);
  });
});
