// The worker-restart promise across real OS processes: a writer process streams rows through a
// real transport server (NATS, Redis) into a checkpointed reader process, on real PostgreSQL.
// Scenario 1 SIGKILLs the reader mid-stream and restarts it; scenario 2 stops the transport
// server mid-stream and starts it again on the same port. Either way the reader ends with every
// row exactly once, in order, and the rows the bus lost came from PostgreSQL by catch-up.
import { openDatabase, type Database } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { createTestStreamTable } from '@homeserver/streams/testing';
import { startNatsServer, startRedisServer, type TestServer } from '@homeserver/testing';
import type { TransportConfig } from '@homeserver/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixtureProcess } from './fixture-process.ts';
import type { FixtureConfig } from './fixtures/fixture-config.ts';

const ROWS = 2000;
let pg: TestPostgres;
let db: Database;
let streamNo = 0;

beforeAll(async () => {
  pg = await createTestDatabase('hs_streams');
  db = await openDatabase(pg.options);
  await createTestStreamTable(db);
  await db.exec(`CREATE TABLE test_consumed (
    id bigserial PRIMARY KEY, consumer text NOT NULL, writer text NOT NULL,
    position int8 NOT NULL, n int8 NOT NULL, source text NOT NULL)`);
});
afterAll(async () => {
  await db?.close();
  await pg?.drop();
});

async function consumedCount(consumer: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM test_consumed WHERE consumer = $1', [consumer]);
  return rows[0]!.n;
}

async function waitForConsumed(consumer: string, count: number, timeoutMs: number, processes: FixtureProcess[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await consumedCount(consumer)) < count) {
    if (Date.now() > deadline) {
      throw new Error(`reader consumed ${await consumedCount(consumer)} of ${count} rows in ${timeoutMs} ms; stderr:\n${processes.map((p) => `--- ${p.name}\n${p.stderr}`).join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every row exactly once and in order; returns how many came by bus and by catch-up. */
async function checkConsumed(consumer: string): Promise<{ bus: number; catchUp: number }> {
  const { rows } = await db.query<{ n: number; position: number; source: string }>(
    'SELECT n, position, source FROM test_consumed WHERE consumer = $1 ORDER BY id',
    [consumer],
  );
  expect(rows.map((row) => row.n)).toEqual(Array.from({ length: ROWS }, (_, i) => i));
  const positions = rows.map((row) => row.position);
  expect(positions).toEqual([...positions].sort((a, b) => a - b));
  return {
    bus: rows.filter((row) => row.source === 'bus').length,
    catchUp: rows.filter((row) => row.source === 'catch-up').length,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const adapters: Array<{ kind: 'nats' | 'redis'; start: () => Promise<TestServer>; config: (server: TestServer) => TransportConfig }> = [
  { kind: 'nats', start: () => startNatsServer(), config: (s) => ({ kind: 'nats', servers: s.url, reconnectDelayMs: { min: 50, max: 400 } }) },
  { kind: 'redis', start: () => startRedisServer(), config: (s) => ({ kind: 'redis', url: s.url, reconnectDelayMs: { min: 50, max: 400 } }) },
];

describe.each(adapters)('multi-process replication over $kind', ({ kind, start, config }) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  function fixtureConfig(consumer: string): FixtureConfig & { stream: string } {
    return {
      database: pg.options,
      transport: config(server),
      stream: `mp_${kind}_${++streamNo}`,
      instanceName: 'writer1',
      writers: ['writer1'],
      rows: ROWS,
      batch: 4,
      paceMs: 6,
      heartbeatMs: 200,
      consumer,
    };
  }

  it('a SIGKILLed reader resumes from its checkpoint with every row exactly once', async () => {
    const consumer = `kill_${kind}`;
    const base = fixtureConfig(consumer);
    const reader = new FixtureProcess('reader-process', base);
    await reader.waitForEvent('ready');
    const writer = new FixtureProcess('writer-process', base);
    const processes = [writer, reader];
    await waitForConsumed(consumer, 500, 30_000, processes);
    await reader.kill('SIGKILL');
    const atKill = await consumedCount(consumer);
    await sleep(700); // the writer goes on: these rows reach nobody on the bus
    const restarted = new FixtureProcess('reader-process', base);
    processes.push(restarted);
    await restarted.waitForEvent('ready');
    await writer.waitForEvent('done', 60_000);
    await waitForConsumed(consumer, ROWS, 30_000, processes);
    await sleep(300); // a duplicate would land now
    const { bus, catchUp } = await checkConsumed(consumer);
    console.log(`${kind} reader SIGKILL at ${atKill} rows: ${bus} rows via bus, ${catchUp} via catch-up`);
    expect(atKill).toBeLessThan(ROWS);
    expect(catchUp).toBeGreaterThan(0);
    expect(bus).toBeGreaterThan(0);
    expect(bus + catchUp).toBe(ROWS);
    await Promise.all([writer.kill('SIGTERM'), restarted.kill('SIGTERM')]);
  });

  it('a transport server restart mid-stream loses no row and duplicates none', async () => {
    const consumer = `outage_${kind}`;
    const base = fixtureConfig(consumer);
    const reader = new FixtureProcess('reader-process', base);
    await reader.waitForEvent('ready');
    const writer = new FixtureProcess('writer-process', base);
    const processes = [writer, reader];
    await waitForConsumed(consumer, 500, 30_000, processes);
    await server.stop();
    await sleep(1000);
    await server.restart();
    await writer.waitForEvent('done', 60_000);
    await waitForConsumed(consumer, ROWS, 30_000, processes);
    await sleep(300);
    const { bus, catchUp } = await checkConsumed(consumer);
    console.log(`${kind} server restart: ${bus} rows via bus, ${catchUp} via catch-up`);
    // No count via catch-up is promised here: a client may hold what it published during the
    // outage and send it on reconnect, after the reader has subscribed again (seen with Redis
    // under load), so every row can arrive on the bus. What is promised is checked above
    // (every row once, in order); the reader-kill test above forces the catch-up path.
    expect(bus).toBeGreaterThan(0);
    expect(bus + catchUp).toBe(ROWS);
    await Promise.all([writer.kill('SIGTERM'), reader.kill('SIGTERM')]);
  });
});
