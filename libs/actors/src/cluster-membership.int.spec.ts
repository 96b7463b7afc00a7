// Cluster membership on real servers: the `instances` rows follow the processes (PostgreSQL), and
// the relay, its failover and the newcomer's view work over NATS and Redis.
import { listInstances, openDatabase, type Database } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { startNatsServer, startRedisServer, type TestServer } from '@homeserver/testing';
import { InProcessHub, InProcessTransport, type Transport } from '@homeserver/transport';
import { connectNatsTransport, connectRedisTransport } from '@homeserver/transport/network';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClusterMembership } from './cluster-membership.ts';
import type { MemberReport } from './cluster-view.ts';

let pg: TestPostgres;
let db: Database;
beforeAll(async () => {
  pg = await createTestDatabase('hs_cluster');
  db = await openDatabase(pg.options);
});
afterAll(async () => {
  await db?.close();
  await pg?.drop();
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(10);
}
const idle: MemberReport = { roles: [], hostedKinds: [], streamWriters: [], streamReaders: [], actorKinds: [] };

describe('ClusterMembership and the instances table', () => {
  it('records the start, refreshes every live member\'s last-seen and report from the relay, and records a clean stop', async () => {
    const hub = new InProcessHub();
    const transports = [new InProcessTransport({ hub }), new InProcessTransport({ hub })];
    const report = { ...idle, roles: ['main'], hostedKinds: ['presence'], streamWriters: [{ stream: 'typing', position: 3 }] };
    const relay = await ClusterMembership.start(transports[0]!, { workerName: 'main', workerApp: 'main', db, report: () => report, intervalMs: 20, recordEveryMs: 40, settleMs: 0 });
    const follower = await ClusterMembership.start(transports[1]!, { workerName: 'sync1', workerApp: 'sync', db, report: () => ({ ...idle, roles: ['sync'] }), intervalMs: 20, recordEveryMs: 40, settleMs: 20 });
    expect([relay.relaying, follower.relaying]).toEqual([true, false]);
    const row = async (name: string) => (await listInstances(db)).find((r) => r.instanceName === name)!;
    expect(await row('sync1')).toMatchObject({ workerApp: 'sync', incarnation: follower.incarnation, stoppedAtMs: undefined });
    // The follower writes nothing itself: the relay's one statement refreshes both rows.
    while (((await row('sync1')).report as { roles?: string[] } | null)?.roles === undefined) await sleep(20);
    expect((await row('sync1')).report).toMatchObject({ workerName: 'sync1', roles: ['sync'] });
    expect((await row('main')).report).toMatchObject({ workerName: 'main', roles: ['main'], hostedKinds: ['presence'], streamWriters: [{ stream: 'typing', position: 3 }] });
    await follower.stop();
    await relay.stop();
    expect((await row('main')).stoppedAtMs).toBeDefined();
    expect((await row('sync1')).stoppedAtMs).toBeDefined();
    for (const transport of transports) await transport.close();
  });
});

const adapters: { name: string; start: () => Promise<TestServer>; connect: (url: string) => Promise<Transport> }[] = [
  { name: 'NATS', start: () => startNatsServer(), connect: (url) => connectNatsTransport({ servers: url }) },
  { name: 'Redis', start: () => startRedisServer(), connect: (url) => connectRedisTransport({ url }) },
];

describe.each(adapters)('ClusterMembership over $name', ({ start, connect }) => {
  let server: TestServer;
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    server = await start();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function member(workerName: string, report: Partial<MemberReport> = {}) {
    const transport = await connect(server.url);
    const membership = await ClusterMembership.start(transport, { workerName, workerApp: 'test', report: () => ({ ...idle, ...report }), intervalMs: 100, settleMs: 100 });
    cleanups.push(async () => {
      await membership.stop();
      await transport.close().catch(() => {});
    });
    return { membership, transport };
  }

  it('one relay; a relay killed without leaving drops out and the next takes over; a follower killed then drops out; a newcomer gets the whole view', async () => {
    const main = await member('main', { roles: ['main'] });
    const p1 = await member('persister1', { hostedKinds: ['room'], actorKinds: [{ kind: 'room', actors: 4, queued: 0 }] });
    const sync1 = await member('sync1');
    const sync2 = await member('sync2');
    await until(() => [main, p1, sync1, sync2].every((m) => m.membership.members().length === 4 && m.membership.relaying === (m === main)));

    // kill -9: the connection just goes away, no leaving heartbeat or view.
    await main.transport.close();
    await until(() => [p1, sync1, sync2].every((m) => !m.membership.isLive('main')) && p1.membership.relaying);
    await sync1.transport.close();
    await until(() => [p1, sync2].every((m) => !m.membership.isLive('sync1')));
    expect(sync2.membership.members().map((m) => m.workerName)).toEqual(['persister1', 'sync2']);

    const newcomer = await member('sync3');
    await until(() => newcomer.membership.members().length === 3);
    expect(newcomer.membership.member('persister1')!.actorKinds).toEqual([{ kind: 'room', actors: 4, queued: 0 }]);
    expect(newcomer.membership.relaying).toBe(false);
  });
});
