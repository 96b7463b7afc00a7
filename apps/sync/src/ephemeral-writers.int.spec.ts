// Ephemeral stream writers placed on a sync worker: with stream_writers naming sync1 for typing,
// receipts, to_device and presence, main (the HTTP edge for those routes) writes none of them:
// each write reaches sync1's writer actor over the bus, and a client syncing on sync1 sees it.
// main, sync1 and an event persister are separate OS processes on PostgreSQL, over NATS and Redis.
import { openDatabase, type Database } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import {
  ClusterClient,
  startAppProcess,
  TEST_BUSES,
  testHomeserverConfig,
  writeConfigFiles,
  type AppProcess,
  type TestServer,
} from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const buses = TEST_BUSES;

const EPHEMERAL = ['typing', 'receipts', 'to_device', 'presence'] as const;

/** Every stream_writer_position series of a process's /metrics, as stream -> writers. */
async function writersOnMetrics(port: number): Promise<Map<string, Set<string>>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out = new Map<string, Set<string>>();
  for (const match of text.matchAll(/^stream_writer_position\{([^}]*)\}/gm)) {
    const stream = /stream="([^"]+)"/.exec(match[1]!)?.[1];
    const writer = /writer="([^"]+)"/.exec(match[1]!)?.[1];
    if (stream && writer) out.set(stream, (out.get(stream) ?? new Set()).add(writer));
  }
  return out;
}

describe.each(buses)('ephemeral writers on a sync worker over $name', (bus) => {
  let pg: TestPostgres;
  let server: TestServer;
  let processes: AppProcess[] = [];
  let main: AppProcess;
  let sync1: AppProcess;
  let db: Database;

  beforeAll(async () => {
    [pg, server] = await Promise.all([createTestDatabase(), bus.start()]);
    const listeners = [{ port: 0, bind_addresses: ['127.0.0.1'], type: 'http', resources: [{ names: ['client', 'health', 'metrics'] }] }];
    const shared = testHomeserverConfig({
      postgres: pg.options,
      extra: {
        ...bus.yaml(server),
        worker_replication_secret: 'ephemeral-writers-secret',
        listeners,
        stream_writers: { events: ['persister1'], typing: ['sync1'], receipts: ['sync1'], to_device: ['sync1'], presence: ['sync1'] },
      },
    });
    const paths = await writeConfigFiles({
      'homeserver.yaml': JSON.stringify(shared),
      'persister1.yaml': JSON.stringify({ worker_app: 'event-persister', worker_name: 'persister1', worker_listeners: [{ port: 0, type: 'http', resources: [{ names: ['health'] }] }] }),
      'sync1.yaml': JSON.stringify({ worker_app: 'sync', worker_name: 'sync1', worker_listeners: listeners }),
    });
    const home = paths['homeserver.yaml']!;
    processes.push(await startAppProcess('event-persister', { configFiles: [home, paths['persister1.yaml']!] }));
    sync1 = await startAppProcess('sync', { configFiles: [home, paths['sync1.yaml']!] });
    processes.push(sync1);
    main = await startAppProcess('main', { configFiles: [home] });
    processes.push(main);
    db = await openDatabase(pg.options, { migrate: false });
  }, 240_000);

  afterAll(async () => {
    for (const process of processes.reverse()) await process.stop('SIGKILL');
    processes = [];
    await db?.close();
    await server?.stop();
    await pg?.drop();
  });

  it('typing, receipts, to-device and presence sent through main are written by sync1 and seen by a client syncing on sync1', async () => {
    const edge = `http://127.0.0.1:${main.addresses[0]!.port}`;
    const syncBase = `http://127.0.0.1:${sync1.addresses[0]!.port}`;
    const alice = new ClusterClient(edge);
    const bob = new ClusterClient(edge);
    await alice.register(`alice${bus.name}`);
    await bob.register(`bob${bus.name}`);
    const created = await alice.call('POST', '/createRoom', { preset: 'public_chat' });
    expect(created.status).toBe(200);
    const roomId = String(created.json.room_id);
    expect((await bob.call('POST', `/join/${encodeURIComponent(roomId)}`, {})).status).toBe(200);
    const sent = await alice.send(roomId, 'read me');
    expect(sent.status).toBe(200);
    const first = await bob.sync({ timeout: '0' }, syncBase);
    expect(first.status).toBe(200);

    const room = encodeURIComponent(roomId);
    expect((await alice.call('PUT', `/rooms/${room}/typing/${encodeURIComponent(alice.userId)}`, { typing: true, timeout: 30_000 })).status).toBe(200);
    expect((await alice.call('POST', `/rooms/${room}/receipt/m.read/${encodeURIComponent(String(sent.json.event_id))}`, {})).status).toBe(200);
    expect((await alice.call('PUT', `/sendToDevice/m.test/t1`, { messages: { [bob.userId]: { [bob.deviceId]: { hello: 'bob' } } } })).status).toBe(200);
    expect((await alice.call('PUT', `/presence/${encodeURIComponent(alice.userId)}/status`, { presence: 'online', status_msg: 'here' })).status).toBe(200);

    // Bob, syncing on sync1, sees all four (long-polling until each has arrived).
    const seen = { typing: false, receipt: false, toDevice: false, presence: false };
    let since = String(first.json.next_batch);
    for (let round = 0; round < 20 && !Object.values(seen).every(Boolean); round++) {
      const next = await bob.sync({ since, timeout: '5000' }, syncBase);
      expect(next.status).toBe(200);
      since = String(next.json.next_batch);
      const ephemeral = (next.json.rooms?.join?.[roomId]?.ephemeral?.events ?? []) as Array<{ type: string; content: Record<string, unknown> }>;
      seen.typing ||= ephemeral.some((e) => e.type === 'm.typing' && (e.content.user_ids as string[]).includes(alice.userId));
      seen.receipt ||= ephemeral.some((e) => e.type === 'm.receipt' && JSON.stringify(e.content).includes(alice.userId));
      seen.toDevice ||= (next.json.to_device?.events ?? []).some((e: { type: string; content: { hello?: string } }) => e.type === 'm.test' && e.content.hello === 'bob');
      seen.presence ||= (next.json.presence?.events ?? []).some((e: { sender: string; content: { status_msg?: string } }) => e.sender === alice.userId && e.content.status_msg === 'here');
    }
    expect(seen).toEqual({ typing: true, receipt: true, toDevice: true, presence: true });

    // The rows were written by sync1, never by main (to-device rows are gone once delivered:
    // the positions each writer persisted say who wrote).
    for (const [table, column] of [['typing_stream', 'instance_name'], ['receipts', 'instance_name'], ['presence', 'instance_name']] as const) {
      const { rows } = await db.query<{ writer: string }>(`SELECT DISTINCT ${column} AS writer FROM ${table}`);
      expect({ table, writers: rows.map((row) => row.writer) }).toEqual({ table, writers: ['sync1'] });
    }
    const positions = await db.query<{ stream: string; instance_name: string }>('SELECT stream, instance_name FROM stream_positions WHERE stream = ANY($1)', [[...EPHEMERAL]]);
    expect(positions.rows.filter((row) => row.instance_name !== 'sync1')).toEqual([]);
    // And /metrics agrees: sync1 runs the four writers, main none of them.
    const onMain = await writersOnMetrics(main.addresses[0]!.port);
    const onSync = await writersOnMetrics(sync1.addresses[0]!.port);
    for (const stream of EPHEMERAL) {
      expect({ stream, main: [...(onMain.get(stream) ?? [])] }).toEqual({ stream, main: [] });
      expect({ stream, sync1: [...(onSync.get(stream) ?? [])] }).toEqual({ stream, sync1: ['sync1'] });
    }
  }, 120_000);
});
