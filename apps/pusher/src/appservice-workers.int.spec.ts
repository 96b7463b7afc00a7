// The appservice notifier placed on workers, as OS processes on PostgreSQL over NATS: main and
// two pusher workers, notify_appservices_from_worker: [pusher1, pusher2].
// - main sends no transactions (it has no notifier at all); the appservice's shard is held by one
//   of the workers, which sends every transaction;
// - that worker is killed with SIGKILL while messages arrive: the other takes the shard over once
//   the lease lapses, and the appservice receives every message, in order, once.
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { APPSERVICE_SHARDS } from '@homeserver/role-appservice';
import { openDatabase, type Database } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { shardOf } from '@homeserver/streams';
import {
  appserviceRegistrationYaml,
  startAppProcess,
  startNatsServer,
  startTestAppservice,
  testHomeserverConfig,
  writeConfigFiles,
  type AppProcess,
  type TestAppservice,
  type TestServer,
} from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SERVER = 'test.local';
const AS = { id: 'workers-bridge', asToken: 'workers-as-token', hsToken: 'workers-hs-token', senderLocalpart: 'wbot', users: `@wb_.*:${SERVER}` };

async function call(base: string, method: string, path: string, token: string | undefined, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}/_matrix/client/v3${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

/** The `appservice_transactions_total{outcome="sent"}` of a process, or undefined when it has no notifier. */
async function transactionsSent(process: AppProcess): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${process.addresses[0]!.port}/metrics`)).text();
  const match = /^appservice_transactions_total\{[^}]*outcome="sent"[^}]*\} (\d+)/m.exec(text);
  return match === null ? undefined : Number(match[1]);
}

describe('appservice notifier on workers, surviving kill -9 of its holder', () => {
  let pg: TestPostgres;
  let nats: TestServer;
  let appservice: TestAppservice;
  let db: Database;
  let main: AppProcess;
  const workers = new Map<string, AppProcess>();
  let base: string;
  let aliceToken: string;
  let roomId: string;
  const sent: string[] = [];
  const shard = shardOf(AS.id, APPSERVICE_SHARDS);

  const send = async (body: string) => {
    const answer = await call(base, 'PUT', `/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${randomUUID()}`, aliceToken, { msgtype: 'm.text', body });
    sent.push(String(answer['event_id']));
  };
  const received = () => appservice.events().filter((event) => event['room_id'] === roomId && event['type'] === 'm.room.message').map((event) => event['event_id']);
  const holder = async () =>
    (await db.query<{ holder: string | null; epoch: string }>("SELECT holder, epoch FROM stream_consumer_leases WHERE consumer = 'appservice' AND shard = $1", [shard])).rows[0];

  beforeAll(async () => {
    [pg, nats, appservice] = await Promise.all([createTestDatabase(), startNatsServer(), startTestAppservice({ hsToken: AS.hsToken })]);
    const worker = (name: string) => JSON.stringify({ worker_app: 'pusher', worker_name: name, worker_listeners: [{ port: 0, type: 'http', resources: [{ names: ['health', 'metrics'] }] }] });
    const paths = await writeConfigFiles({
      'homeserver.yaml': JSON.stringify(
        testHomeserverConfig({
          serverName: SERVER,
          postgres: pg.options,
          extra: {
            nats: { servers: [nats.url] },
            worker_replication_secret: 'appservice-workers',
            pusher_instances: ['pusher1', 'pusher2'],
            notify_appservices_from_worker: ['pusher1', 'pusher2'],
            app_service_config_files: ['bridge.yaml'],
          },
        }),
      ),
      'pusher1.yaml': worker('pusher1'),
      'pusher2.yaml': worker('pusher2'),
    });
    await writeFile(join(dirname(paths['homeserver.yaml']!), 'bridge.yaml'), appserviceRegistrationYaml({ ...AS, url: appservice.url }));
    main = await startAppProcess('main', { configFiles: [paths['homeserver.yaml']!] });
    for (const name of ['pusher1', 'pusher2']) workers.set(name, await startAppProcess('pusher', { configFiles: [paths['homeserver.yaml']!, paths[`${name}.yaml`]!] }));
    db = await openDatabase(pg.options, { migrate: false });
    base = `http://127.0.0.1:${main.addresses[0]!.port}`;
    const alice = await call(base, 'POST', '/register', undefined, { username: 'alice', password: 'correct horse battery', auth: { type: 'm.login.dummy' } });
    aliceToken = String(alice['access_token']);
    roomId = String((await call(base, 'POST', '/createRoom', aliceToken, { preset: 'public_chat' }))['room_id']);
    // A user of the appservice joins: the room's events interest it from then on.
    await call(base, 'POST', '/register', AS.asToken, { type: 'm.login.application_service', username: 'wb_bob' });
    await call(base, 'POST', `/join/${encodeURIComponent(roomId)}?user_id=${encodeURIComponent(`@wb_bob:${SERVER}`)}`, AS.asToken, {});
  }, 240_000);

  afterAll(async () => {
    await main?.stop('SIGKILL');
    for (const process of workers.values()) await process.stop('SIGKILL');
    await db?.close();
    await appservice?.close();
    await nats?.stop();
    await pg?.drop();
  });

  it('sends from the worker holding the shard, never from main', { timeout: 120_000 }, async () => {
    for (let i = 0; i < 3; i++) await send(`before ${i}`);
    await appservice.waitFor(() => received().length >= sent.length, 60_000);
    expect(received()).toEqual(sent);
    const owner = (await holder())?.holder;
    expect(['pusher1', 'pusher2']).toContain(owner);
    expect(await transactionsSent(main)).toBeUndefined();
    expect(await transactionsSent(workers.get(owner!)!)).toBeGreaterThan(0);
  });

  it('moves to the other worker when the holder is killed, missing nothing and repeating nothing', { timeout: 180_000 }, async () => {
    const before = (await holder())!;
    const dead = before.holder!;
    const survivor = dead === 'pusher1' ? 'pusher2' : 'pusher1';
    await workers.get(dead)!.stop('SIGKILL');
    const killedAt = Date.now();
    for (let i = 0; i < 5; i++) await send(`after ${i}`);
    await appservice.waitFor(() => received().length >= sent.length, 120_000);
    const tookOverMs = Date.now() - killedAt;
    const after = (await holder())!;
    expect(after.holder).toBe(survivor);
    expect(Number(after.epoch)).toBeGreaterThan(Number(before.epoch));
    expect(received()).toEqual(sent);
    expect(await transactionsSent(workers.get(survivor)!)).toBeGreaterThan(0);
    expect(await transactionsSent(main)).toBeUndefined();
    process.stdout.write(`appservice notifier takeover after kill -9: ${tookOverMs} ms (lease 15 s, rebalance every 5 s)\n`);
  });
});
