// A sync worker that went dormant (no /sync for 30 s: its stream readers unsubscribed from the
// bus) answers the next /sync with what was written meanwhile, once, and a long-poll on it is
// woken by the next message. main and sync1 are separate OS processes on PostgreSQL, over NATS
// and over Redis; the client writes through main and syncs on sync1.
import { openDatabase, type Database } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { ClusterClient, freePort, startAppProcess, TEST_BUSES, testHomeserverConfig, writeConfigFiles, type AppProcess, type TestServer } from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- sync bodies are deep JSON

const timelineBodies = (body: Body, roomId: string): string[] =>
  ((body['rooms']?.['join']?.[roomId]?.['timeline']?.['events'] ?? []) as Body[]).filter((e) => e['type'] === 'm.room.message').map((e) => String(e['content']['body']));

const count = (process: AppProcess, message: string): number => process.logs.filter((line) => line['msg'] === message).length;

async function logged(process: AppProcess, message: string, times: number): Promise<void> {
  while (count(process, message) < times) await new Promise((resolve) => setTimeout(resolve, 100));
}

describe.each(TEST_BUSES)('a dormant sync worker over $name', (bus) => {
  let pg: TestPostgres;
  let server: TestServer;
  let main: AppProcess;
  let sync1: AppProcess;
  let db: Database;

  beforeAll(async () => {
    [pg, server] = await Promise.all([createTestDatabase(), bus.start()]);
    const listener = (port: number) => ({ port, bind_addresses: ['127.0.0.1'], type: 'http', resources: [{ names: ['client', 'health', 'metrics'] }] });
    const paths = await writeConfigFiles({
      'homeserver.yaml': JSON.stringify(testHomeserverConfig({ postgres: pg.options, extra: { ...bus.yaml(server), worker_replication_secret: 'dormant-secret', listeners: [listener(await freePort())] } })),
      'sync1.yaml': JSON.stringify({ worker_app: 'sync', worker_name: 'sync1', worker_listeners: [listener(await freePort())] }),
    });
    main = await startAppProcess('main', { configFiles: [paths['homeserver.yaml']!] });
    sync1 = await startAppProcess('sync', { configFiles: [paths['homeserver.yaml']!, paths['sync1.yaml']!] });
    db = await openDatabase(pg.options, { migrate: false });
  }, 120_000);

  afterAll(async () => {
    for (const process of [sync1, main]) await process?.stop('SIGKILL');
    await db?.close();
    await server?.stop();
    await pg?.drop();
  });

  it('answers the first /sync after dormancy with the rows written meanwhile, once, and wakes a long-poll with the next', async () => {
    const onSync1 = `http://127.0.0.1:${sync1.addresses[0]!.port}`;
    const alice = new ClusterClient(`http://127.0.0.1:${main.addresses[0]!.port}`);
    const bob = new ClusterClient(alice.base);
    await alice.register(`alice${bus.name}`);
    await bob.register(`bob${bus.name}`);
    const roomId = String((await alice.call('POST', '/createRoom', { preset: 'public_chat' })).json['room_id']);
    expect((await bob.call('POST', `/join/${encodeURIComponent(roomId)}`, {})).status).toBe(200);
    expect((await alice.send(roomId, 'before')).status).toBe(200);
    const first = await bob.sync({ timeout: '0' }, onSync1);
    expect(timelineBodies(first.json, roomId)).toEqual(['before']);

    // 30 s after that request sync1 goes dormant (again, if it already did before it); then two
    // messages are written through main.
    const [slept, woke] = [count(sync1, 'sync views dormant'), count(sync1, 'sync views awake')];
    await logged(sync1, 'sync views dormant', slept + 1);
    expect((await alice.send(roomId, 'while dormant 1')).status).toBe(200);
    expect((await alice.send(roomId, 'while dormant 2')).status).toBe(200);
    const woken = await bob.sync({ since: String(first.json['next_batch']), timeout: '10000' }, onSync1);
    expect(woken.status).toBe(200);
    expect(count(sync1, 'sync views awake')).toBe(woke + 1);
    expect(timelineBodies(woken.json, roomId)).toEqual(['while dormant 1', 'while dormant 2']);

    // Awake again: a long-poll from there is answered by the next message, and only with it.
    const poll = bob.sync({ since: String(woken.json['next_batch']), timeout: '20000' }, onSync1);
    expect((await alice.send(roomId, 'after the wake')).status).toBe(200);
    const polled = await poll;
    expect(polled.status).toBe(200);
    expect(timelineBodies(polled.json, roomId)).toEqual(['after the wake']);
  }, 120_000);
});
