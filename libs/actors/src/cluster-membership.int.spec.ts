// Cluster membership on real PostgreSQL: the `instances` row of each process follows it.
import { listInstances, openDatabase, type Database } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { InProcessHub, InProcessTransport } from '@homeserver/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterMembership } from './cluster-membership.ts';

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

describe('ClusterMembership and the instances table', () => {
  it('records the start, refreshes last-seen with the last report, and records a clean stop', async () => {
    const transport = new InProcessTransport({ hub: new InProcessHub() });
    const report = { roles: ['sync'], hostedKinds: ['presence'], streamWriters: [{ stream: 'typing', position: 3 }], streamReaders: [], actorKinds: [] };
    const membership = await ClusterMembership.start(transport, { workerName: 'sync1', workerApp: 'sync', db, report: () => report, intervalMs: 20, recordEveryMs: 40, settleMs: 0 });
    const [started] = await listInstances(db);
    expect(started).toMatchObject({ instanceName: 'sync1', workerApp: 'sync', incarnation: membership.incarnation, stoppedAtMs: undefined });
    while (((await listInstances(db))[0]!.report as { roles?: string[] } | null)?.roles === undefined) await sleep(20);
    const seen = (await listInstances(db))[0]!;
    expect(seen.report).toMatchObject({ workerName: 'sync1', roles: ['sync'], hostedKinds: ['presence'], streamWriters: [{ stream: 'typing', position: 3 }] });
    expect(seen.lastSeenAtMs).toBeGreaterThanOrEqual(started!.startedAtMs);
    await membership.stop();
    expect((await listInstances(db))[0]!.stoppedAtMs).toBeDefined();
    await transport.close();
  });
});
