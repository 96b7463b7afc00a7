// Every non-event stream writer placed on a sync worker, end to end through nginx: with
// stream_writers naming sync1 for typing, receipts, to_device, presence, account_data and
// device_lists, every client request goes through the nginx config tools/proxy-config renders
// (writes to main, /sync to sync1); each write reaches sync1's writer actor over the bus, a
// client sees it on /sync, and main writes none of the six streams (tables, persisted
// positions, /metrics and logs agree). main, sync1 and an event persister are separate OS
// processes on PostgreSQL, over NATS and over Redis.
import { openDatabase, type Database } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import {
  ClusterClient,
  freePort,
  startAppProcess,
  startNginxProxy,
  TEST_BUSES,
  testHomeserverConfig,
  writeConfigFiles,
  type AppProcess,
  type NginxProxy,
  type TestServer,
} from '@homeserver/testing';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const STREAMS = ['typing', 'receipts', 'to_device', 'presence', 'account_data', 'device_lists'] as const;

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

/** The streams a process logged it hosts writers of. */
function hostedOnLogs(process: AppProcess): string[] {
  return process.logs.filter((line) => line['msg'] === 'hosting stream writers').flatMap((line) => line['streams'] as string[]);
}

describe.each(TEST_BUSES)('stream writers on a sync worker behind nginx over $name', (bus) => {
  let pg: TestPostgres;
  let server: TestServer;
  let processes: AppProcess[] = [];
  let main: AppProcess;
  let sync1: AppProcess;
  let proxy: NginxProxy;
  let db: Database;

  beforeAll(async () => {
    [pg, server] = await Promise.all([createTestDatabase(), bus.start()]);
    const listener = (port: number) => ({ port, bind_addresses: ['127.0.0.1'], type: 'http', resources: [{ names: ['client', 'health', 'metrics'] }] });
    const shared = testHomeserverConfig({
      postgres: pg.options,
      extra: {
        ...bus.yaml(server),
        worker_replication_secret: 'stream-writers-secret',
        listeners: [listener(await freePort())],
        stream_writers: { events: ['persister1'], ...Object.fromEntries(STREAMS.map((stream) => [stream, ['sync1']])) },
      },
    });
    const paths = await writeConfigFiles({
      'homeserver.yaml': JSON.stringify(shared),
      'persister1.yaml': JSON.stringify({ worker_app: 'event-persister', worker_name: 'persister1', worker_listeners: [{ port: 0, type: 'http', resources: [{ names: ['health'] }] }] }),
      'sync1.yaml': JSON.stringify({ worker_app: 'sync', worker_name: 'sync1', worker_listeners: [listener(await freePort())] }),
    });
    const home = paths['homeserver.yaml']!;
    processes.push(await startAppProcess('event-persister', { configFiles: [home, paths['persister1.yaml']!] }));
    sync1 = await startAppProcess('sync', { configFiles: [home, paths['sync1.yaml']!] });
    processes.push(sync1);
    main = await startAppProcess('main', { configFiles: [home] });
    processes.push(main);
    proxy = await startNginxProxy({ dir: dirname(home), configFiles: [home, paths['sync1.yaml']!] });
    db = await openDatabase(pg.options, { migrate: false });
  }, 240_000);

  afterAll(async () => {
    await proxy?.stop();
    for (const process of processes.reverse()) await process.stop('SIGKILL');
    processes = [];
    await db?.close();
    await server?.stop();
    await pg?.drop();
  });

  it('typing, receipts, to-device, presence, account data and device lists go through nginx, are written by sync1 only and reach /sync', async () => {
    const alice = new ClusterClient(proxy.base);
    const bob = new ClusterClient(proxy.base);
    await alice.register(`alice${bus.name}`);
    await bob.register(`bob${bus.name}`);
    const created = await alice.call('POST', '/createRoom', { preset: 'public_chat' });
    expect(created.status).toBe(200);
    const roomId = String(created.json.room_id);
    expect((await bob.call('POST', `/join/${encodeURIComponent(roomId)}`, {})).status).toBe(200);
    const sent = await alice.send(roomId, 'read me');
    expect(sent.status).toBe(200);
    const first = await bob.sync({ timeout: '0' });
    expect(first.status).toBe(200);

    const room = encodeURIComponent(roomId);
    expect((await alice.call('PUT', `/rooms/${room}/typing/${encodeURIComponent(alice.userId)}`, { typing: true, timeout: 30_000 })).status).toBe(200);
    expect((await alice.call('POST', `/rooms/${room}/receipt/m.read/${encodeURIComponent(String(sent.json.event_id))}`, {})).status).toBe(200);
    expect((await alice.call('PUT', `/sendToDevice/m.test/t1`, { messages: { [bob.userId]: { [bob.deviceId]: { hello: 'bob' } } } })).status).toBe(200);
    expect((await alice.call('PUT', `/presence/${encodeURIComponent(alice.userId)}/status`, { presence: 'online', status_msg: 'here' })).status).toBe(200);
    expect((await bob.call('PUT', `/user/${encodeURIComponent(bob.userId)}/account_data/org.example.colour`, { colour: 'teal' })).status).toBe(200);
    // A new device of alice's (main's login route) and its keys (the key-upload route): both
    // device-list changes, published by sync1.
    const login = await new ClusterClient(proxy.base).call('POST', '/login', { type: 'm.login.password', identifier: { type: 'm.id.user', user: alice.userId }, password: 'correct horse battery' });
    expect(login.status).toBe(200);
    const deviceKeys = { user_id: alice.userId, device_id: alice.deviceId, algorithms: ['m.olm.v1.curve25519-aes-sha2'], keys: { [`curve25519:${alice.deviceId}`]: 'key' }, signatures: { [alice.userId]: {} } };
    expect((await alice.call('POST', '/keys/upload', { device_keys: deviceKeys })).status).toBe(200);

    // Bob, syncing through nginx (which sends /sync to sync1), sees all six.
    const seen = { typing: false, receipt: false, toDevice: false, presence: false, accountData: false, deviceLists: false };
    let since = String(first.json.next_batch);
    for (let round = 0; round < 20 && !Object.values(seen).every(Boolean); round++) {
      const next = await bob.sync({ since, timeout: '5000' });
      expect(next.status).toBe(200);
      since = String(next.json.next_batch);
      const ephemeral = (next.json.rooms?.join?.[roomId]?.ephemeral?.events ?? []) as Array<{ type: string; content: Record<string, unknown> }>;
      seen.typing ||= ephemeral.some((e) => e.type === 'm.typing' && (e.content.user_ids as string[]).includes(alice.userId));
      seen.receipt ||= ephemeral.some((e) => e.type === 'm.receipt' && JSON.stringify(e.content).includes(alice.userId));
      seen.toDevice ||= (next.json.to_device?.events ?? []).some((e: { type: string; content: { hello?: string } }) => e.type === 'm.test' && e.content.hello === 'bob');
      seen.presence ||= (next.json.presence?.events ?? []).some((e: { sender: string; content: { status_msg?: string } }) => e.sender === alice.userId && e.content.status_msg === 'here');
      seen.accountData ||= (next.json.account_data?.events ?? []).some((e: { type: string; content: { colour?: string } }) => e.type === 'org.example.colour' && e.content.colour === 'teal');
      seen.deviceLists ||= ((next.json.device_lists?.changed ?? []) as string[]).includes(alice.userId);
    }
    expect(seen).toEqual({ typing: true, receipt: true, toDevice: true, presence: true, accountData: true, deviceLists: true });

    // The rows were written by sync1, never by main (to-device rows are gone once delivered:
    // the positions each writer persisted say who wrote them).
    for (const table of ['typing_stream', 'receipts', 'presence', 'account_data', 'device_list_changes']) {
      const { rows } = await db.query<{ writer: string }>(`SELECT DISTINCT instance_name AS writer FROM ${table}`);
      expect({ table, writers: rows.map((row) => row.writer) }).toEqual({ table, writers: ['sync1'] });
    }
    const positions = await db.query<{ stream: string; instance_name: string }>('SELECT stream, instance_name FROM stream_positions WHERE stream = ANY($1)', [[...STREAMS]]);
    expect(positions.rows.filter((row) => row.instance_name !== 'sync1')).toEqual([]);
    expect((await db.query('SELECT 1 FROM device_list_outbox')).rows).toEqual([]);
    // /metrics and the logs agree: sync1 runs the six writers, main none of them.
    const onMain = await writersOnMetrics(main.addresses[0]!.port);
    const onSync = await writersOnMetrics(sync1.addresses[0]!.port);
    for (const stream of STREAMS) {
      expect({ stream, main: [...(onMain.get(stream) ?? [])] }).toEqual({ stream, main: [] });
      expect({ stream, sync1: [...(onSync.get(stream) ?? [])] }).toEqual({ stream, sync1: ['sync1'] });
    }
    expect(hostedOnLogs(main)).toEqual([]);
    expect(hostedOnLogs(sync1).sort()).toEqual([...STREAMS].sort());
  }, 120_000);
});
