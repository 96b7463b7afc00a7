// Two pusher workers (pusher_instances: [pusher1, pusher2]) beside main, as OS processes on
// PostgreSQL over NATS, pushing to a push gateway in the test:
// - each pushes only for the users whose shards it holds (its pusher_pushes_total equals the
//   pushes of those users);
// - pusher2 is killed with SIGKILL while messages arrive and restarted: every notification is
//   delivered, none twice. "Delivered" is what the gateway acknowledged: while the kill happens
//   the gateway holds pusher2's requests unanswered, so a push in flight at the kill was never
//   accepted and is sent again by whoever holds the shard next.
import { randomUUID } from 'node:crypto';
import { PUSHER_SHARDS } from '@homeserver/role-pusher';
import { openDatabase, type Database } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { shardOf } from '@homeserver/streams';
import { startAppProcess, startNatsServer, startPushGateway, testHomeserverConfig, writeConfigFiles, type AppProcess, type TestPushGateway, type TestServer } from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const USERS = 8;
const SHARDS = PUSHER_SHARDS;

interface Session {
  readonly userId: string;
  readonly token: string;
}

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

async function pushesMetric(process: AppProcess): Promise<number> {
  const port = process.addresses[0]!.port;
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(/^pusher_pushes_total\{[^}]*outcome="sent"[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
}

describe('pusher workers sharding users, surviving kill -9', () => {
  let pg: TestPostgres;
  let nats: TestServer;
  let gateway: TestPushGateway;
  let db: Database;
  let main: AppProcess;
  const pushers = new Map<string, AppProcess>();
  const files: Record<string, string[]> = {};
  let base: string;
  let alice: Session;
  const users: Session[] = [];
  let roomId: string;
  const sent: string[] = [];

  const startPusher = async (name: string) => pushers.set(name, await startAppProcess('pusher', { configFiles: files[name]! }));
  const send = async (body: string) => {
    const answer = await call(base, 'PUT', `/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${randomUUID()}`, alice.token, { msgtype: 'm.text', body });
    sent.push(String(answer['event_id']));
  };
  const holders = async () => {
    const { rows } = await db.query<{ shard: number; holder: string }>("SELECT shard, holder FROM stream_consumer_leases WHERE consumer = 'pusher' AND holder IS NOT NULL");
    return new Map(rows.map((row) => [Number(row.shard), row.holder]));
  };
  const everyPushDelivered = () => gateway.received.length >= sent.length * USERS;

  beforeAll(async () => {
    [pg, nats, gateway] = await Promise.all([createTestDatabase(), startNatsServer(), startPushGateway()]);
    const worker = (name: string) => JSON.stringify({ worker_app: 'pusher', worker_name: name, worker_listeners: [{ port: 0, type: 'http', resources: [{ names: ['health', 'metrics'] }] }] });
    const paths = await writeConfigFiles({
      'homeserver.yaml': JSON.stringify(
        testHomeserverConfig({ postgres: pg.options, extra: { nats: { servers: [nats.url] }, worker_replication_secret: 'pusher-workers', pusher_instances: ['pusher1', 'pusher2'] } }),
      ),
      'pusher1.yaml': worker('pusher1'),
      'pusher2.yaml': worker('pusher2'),
    });
    files['main'] = [paths['homeserver.yaml']!];
    files['pusher1'] = [paths['homeserver.yaml']!, paths['pusher1.yaml']!];
    files['pusher2'] = [paths['homeserver.yaml']!, paths['pusher2.yaml']!];
    main = await startAppProcess('main', { configFiles: files['main'] });
    await Promise.all([startPusher('pusher1'), startPusher('pusher2')]);
    db = await openDatabase(pg.options, { migrate: false });
    base = `http://127.0.0.1:${main.addresses[0]!.port}`;
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
    await main?.stop('SIGKILL');
    for (const process of pushers.values()) await process.stop('SIGKILL');
    await db?.close();
    await gateway?.close();
    await nats?.stop();
    await pg?.drop();
  });

  it('spreads the users over both pushers, each pushing only for its own', async () => {
    // A pusher that started before it saw the other live took every shard; it hands the other's
    // shards over at its next rebalance (a third of the lease time), so wait until they settled.
    let held = await holders();
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; held = await holders()) {
      if (held.size === SHARDS && new Set(held.values()).size === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(new Set(held.values())).toEqual(new Set(['pusher1', 'pusher2']));
    for (let i = 0; i < 3; i++) await send(`hello ${i}`);
    await gateway.waitFor(everyPushDelivered, 60_000);
    const pushesOf = (holder: string) => gateway.received.filter((push) => held.get(shardOf(push.pushkey, SHARDS)) === holder).length;
    expect(pushesOf('pusher1') + pushesOf('pusher2')).toBe(3 * USERS);
    expect(await pushesMetric(pushers.get('pusher1')!)).toBe(pushesOf('pusher1'));
    expect(await pushesMetric(pushers.get('pusher2')!)).toBe(pushesOf('pusher2'));
  }, 120_000);

  it('delivers every notification once after pusher2 is killed mid-push and restarted', async () => {
    // Everything before is acknowledged and recorded as sent before the kill begins.
    for (;;) {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM push_outbox WHERE sent_ts IS NULL');
      if (rows[0]!.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const held = await holders();
    const ofPusher2 = users.map((u) => u.userId).filter((userId) => held.get(shardOf(userId, SHARDS)) === 'pusher2');
    expect(ofPusher2.length).toBeGreaterThan(0);
    gateway.hold(ofPusher2);
    await send('during 0');
    await gateway.waitFor(() => gateway.held.length > 0, 60_000);
    await pushers.get('pusher2')!.stop('SIGKILL');
    for (let i = 1; i < 5; i++) await send(`during ${i}`);
    gateway.release();
    await startPusher('pusher2');
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
