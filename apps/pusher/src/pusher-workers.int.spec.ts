// Two pusher workers (pusher_instances: [pusher1, pusher2]) beside main, as OS processes on
// PostgreSQL over NATS, pushing to a push gateway in the test:
// - each pushes only for the users whose shards it holds (its pusher_pushes_total equals the
//   pushes of those users);
// - pusher2 is killed with SIGKILL while messages arrive and restarted: every notification is
//   delivered, none twice. "Delivered" is what the gateway acknowledged: while the kill happens
//   the gateway holds pusher2's requests unanswered, so a push in flight at the kill was never
//   accepted and is sent again by whoever holds the shard next.
import { randomUUID } from 'node:crypto';
// The shard count only (the test process starts no role from this import; the app loads it lazily).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { PUSHER_SHARDS } from '@homeserver/role-pusher';
import { shardOf } from '@homeserver/streams';
import { clientCall as call, processMetric, startPushGateway, startWorkerCluster, type AppProcess, type TestPushGateway, type WorkerCluster } from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const USERS = 8;
const SHARDS = PUSHER_SHARDS;
const PUSHERS = ['pusher1', 'pusher2'];

interface Session {
  readonly userId: string;
  readonly token: string;
}

const pushesMetric = async (process: AppProcess) => (await processMetric(process, /^pusher_pushes_total\{[^}]*outcome="sent"[^}]*\} (\d+)/m)) ?? 0;

describe('pusher workers sharding users, surviving kill -9', () => {
  let cluster: WorkerCluster;
  let gateway: TestPushGateway;
  let base: string;
  let alice: Session;
  const users: Session[] = [];
  let roomId: string;
  const sent: string[] = [];

  const send = async (body: string) => {
    const answer = await call(base, 'PUT', `/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${randomUUID()}`, alice.token, { msgtype: 'm.text', body });
    sent.push(String(answer['event_id']));
  };
  const everyPushDelivered = () => gateway.received.length >= sent.length * USERS;

  beforeAll(async () => {
    gateway = await startPushGateway();
    cluster = await startWorkerCluster({ workerApp: 'pusher', workerNames: PUSHERS, config: { pusher_instances: PUSHERS } });
    base = cluster.base;
    const register = async (name: string): Promise<Session> => {
      const answer = await call(base, 'POST', '/register', undefined, { username: name, password: 'correct horse battery', auth: { type: 'm.login.dummy' } });
      return { userId: String(answer['user_id']), token: String(answer['access_token']) };
    };
    alice = await register('alice');
    roomId = String((await call(base, 'POST', '/createRoom', alice.token, { preset: 'public_chat' }))['room_id']);
    for (let i = 0; i < USERS; i++) {
      const user = await register(`user${i}`);
      users.push(user);
      await call(base, 'POST', `/join/${encodeURIComponent(roomId)}`, user.token, {});
      await call(base, 'POST', '/pushers/set', user.token, {
        kind: 'http',
        app_id: 'org.example',
        app_display_name: 'Example',
        device_display_name: 'Phone',
        pushkey: user.userId,
        lang: 'en',
        data: { url: gateway.url, format: 'event_id_only' },
      });
    }
  }, 240_000);

  afterAll(async () => {
    await cluster?.stop();
    await gateway?.close();
  });

  it('spreads the users over both pushers, each pushing only for its own', async () => {
    const held = await cluster.waitForShardsSplit('pusher', SHARDS, PUSHERS);
    expect(new Set(held.values())).toEqual(new Set(['pusher1', 'pusher2']));
    for (let i = 0; i < 3; i++) await send(`hello ${i}`);
    await gateway.waitFor(everyPushDelivered, 60_000);
    const pushesOf = (holder: string) => gateway.received.filter((push) => held.get(shardOf(push.pushkey, SHARDS)) === holder).length;
    expect(pushesOf('pusher1') + pushesOf('pusher2')).toBe(3 * USERS);
    expect(await pushesMetric(cluster.workers.get('pusher1')!)).toBe(pushesOf('pusher1'));
    expect(await pushesMetric(cluster.workers.get('pusher2')!)).toBe(pushesOf('pusher2'));
  }, 120_000);

  it('delivers every notification once after pusher2 is killed mid-push and restarted', async () => {
    // Everything before is acknowledged and recorded as sent before the kill begins.
    for (;;) {
      const { rows } = await cluster.db.query<{ n: number }>('SELECT count(*)::int AS n FROM push_outbox WHERE sent_ts IS NULL');
      if (rows[0]!.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const held = await cluster.leaseHolders('pusher');
    const ofPusher2 = users.map((u) => u.userId).filter((userId) => held.get(shardOf(userId, SHARDS)) === 'pusher2');
    expect(ofPusher2.length).toBeGreaterThan(0);
    gateway.hold(ofPusher2);
    await send('during 0');
    await gateway.waitFor(() => gateway.held.length > 0, 60_000);
    await cluster.workers.get('pusher2')!.stop('SIGKILL');
    for (let i = 1; i < 5; i++) await send(`during ${i}`);
    gateway.release();
    await cluster.startWorker('pusher2');
    for (let i = 0; i < 3; i++) await send(`after ${i}`);
    await gateway.waitFor(everyPushDelivered, 120_000);
    const delivered = new Map<string, number>();
    for (const push of gateway.received) {
      const key = `${push.pushkey} ${String(push.notification['event_id'])}`;
      delivered.set(key, (delivered.get(key) ?? 0) + 1);
    }
    const missing = users.flatMap((u) => sent.filter((eventId) => !delivered.has(`${u.userId} ${eventId}`)).map((eventId) => `${u.userId} ${eventId}`));
    const twice = [...delivered].filter(([, count]) => count > 1).map(([key]) => key);
    expect(missing).toEqual([]);
    expect(twice).toEqual([]);
    expect(gateway.received).toHaveLength(sent.length * USERS);
  }, 240_000);
});
