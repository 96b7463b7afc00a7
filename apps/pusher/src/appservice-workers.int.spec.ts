// The appservice notifier placed on workers, as OS processes on PostgreSQL over NATS: main and
// two pusher workers, notify_appservices_from_worker: [pusher1, pusher2].
// - main sends no transactions (it has no notifier at all); the appservice's shard is held by one
//   of the workers, which sends every transaction;
// - that worker is killed with SIGKILL while messages arrive: the other takes the shard over once
//   the lease lapses, and the appservice receives every message, in order, once.
import { randomUUID } from 'node:crypto';
// The shard count only (the test process starts no role from this import; the app loads it lazily).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { APPSERVICE_SHARDS } from '@homeserver/role-appservice';
import { shardOf } from '@homeserver/streams';
import {
  appserviceRegistrationYaml,
  clientCall as call,
  processMetric,
  startTestAppservice,
  startWorkerCluster,
  type AppProcess,
  type TestAppservice,
  type WorkerCluster,
} from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SERVER = 'test.local';
const AS = { id: 'workers-bridge', asToken: 'workers-as-token', hsToken: 'workers-hs-token', senderLocalpart: 'wbot', users: `@wb_.*:${SERVER}` };

/** The `appservice_transactions_total{outcome="sent"}` of a process, or undefined when it has no notifier. */
const transactionsSent = (process: AppProcess) => processMetric(process, /^appservice_transactions_total\{[^}]*outcome="sent"[^}]*\} (\d+)/m);

/**
 * A worker's sent-transaction count once it counted one: the appservice sees a transaction
 * before the worker has its answer and counts it, so a read right after arrival can be early.
 */
async function transactionsSentOnceCounted(process: AppProcess): Promise<number | undefined> {
  let sent = await transactionsSent(process);
  for (const deadline = Date.now() + 10_000; !(sent !== undefined && sent > 0) && Date.now() < deadline; sent = await transactionsSent(process)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return sent;
}

describe('appservice notifier on workers, surviving kill -9 of its holder', () => {
  let cluster: WorkerCluster;
  let appservice: TestAppservice;
  let aliceToken: string;
  let roomId: string;
  const sent: string[] = [];
  const shard = shardOf(AS.id, APPSERVICE_SHARDS);

  const send = async (body: string) => {
    const answer = await call(cluster.base, 'PUT', `/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${randomUUID()}`, aliceToken, { msgtype: 'm.text', body });
    sent.push(String(answer['event_id']));
  };
  const received = () => appservice.events().filter((event) => event['room_id'] === roomId && event['type'] === 'm.room.message').map((event) => event['event_id']);
  const holder = async () =>
    (await cluster.db.query<{ holder: string | null; epoch: string }>("SELECT holder, epoch FROM stream_consumer_leases WHERE consumer = 'appservice' AND shard = $1", [shard])).rows[0];

  beforeAll(async () => {
    appservice = await startTestAppservice({ hsToken: AS.hsToken });
    cluster = await startWorkerCluster({
      workerApp: 'pusher',
      workerNames: ['pusher1', 'pusher2'],
      serverName: SERVER,
      config: { pusher_instances: ['pusher1', 'pusher2'], notify_appservices_from_worker: ['pusher1', 'pusher2'], app_service_config_files: ['bridge.yaml'] },
      files: { 'bridge.yaml': appserviceRegistrationYaml({ ...AS, url: appservice.url }) },
    });
    const base = cluster.base;
    const alice = await call(base, 'POST', '/register', undefined, { username: 'alice', password: 'correct horse battery', auth: { type: 'm.login.dummy' } });
    aliceToken = String(alice['access_token']);
    roomId = String((await call(base, 'POST', '/createRoom', aliceToken, { preset: 'public_chat' }))['room_id']);
    // A user of the appservice joins: the room's events interest it from then on.
    await call(base, 'POST', '/register', AS.asToken, { type: 'm.login.application_service', username: 'wb_bob' });
    await call(base, 'POST', `/join/${encodeURIComponent(roomId)}?user_id=${encodeURIComponent(`@wb_bob:${SERVER}`)}`, AS.asToken, {});
  }, 240_000);

  afterAll(async () => {
    await cluster?.stop();
    await appservice?.close();
  });

  it('sends from the worker holding the shard, never from main', { timeout: 120_000 }, async () => {
    for (let i = 0; i < 3; i++) await send(`before ${i}`);
    await appservice.waitFor(() => received().length >= sent.length, 60_000);
    expect(received()).toEqual(sent);
    const owner = (await holder())?.holder;
    expect(['pusher1', 'pusher2']).toContain(owner);
    expect(await transactionsSent(cluster.main)).toBeUndefined();
    expect(await transactionsSentOnceCounted(cluster.workers.get(owner!)!)).toBeGreaterThan(0);
  });

  it('moves to the other worker when the holder is killed, missing nothing and repeating nothing', { timeout: 180_000 }, async () => {
    const before = (await holder())!;
    const dead = before.holder!;
    const survivor = dead === 'pusher1' ? 'pusher2' : 'pusher1';
    await cluster.workers.get(dead)!.stop('SIGKILL');
    const killedAt = Date.now();
    for (let i = 0; i < 5; i++) await send(`after ${i}`);
    await appservice.waitFor(() => received().length >= sent.length, 120_000);
    const tookOverMs = Date.now() - killedAt;
    const after = (await holder())!;
    expect(after.holder).toBe(survivor);
    expect(Number(after.epoch)).toBeGreaterThan(Number(before.epoch));
    expect(received()).toEqual(sent);
    expect(await transactionsSentOnceCounted(cluster.workers.get(survivor)!)).toBeGreaterThan(0);
    expect(await transactionsSent(cluster.main)).toBeUndefined();
    process.stdout.write(`appservice notifier takeover after kill -9: ${tookOverMs} ms (lease 15 s, rebalance every 5 s)\n`);
  });
});
