// Durable sharded consumers on real PostgreSQL: shards spread over the live instances, move when
// one stops, catch up after downtime, and a holder that lost its lease cannot save a position.
import { listShardLeases, openDatabase, type Database } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { InProcessHub, InProcessTransport } from '@homeserver/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShardedConsumer, shardOf, type ShardItem } from './sharded-consumer.ts';
import { StreamWriter } from './stream-writer.ts';
import { eventually, writeRows } from './testing/harness.ts';
import { createTestStreamTable, testStream, type TestRow } from './testing/test-stream.ts';

let pg: TestPostgres;
let db: Database;
beforeAll(async () => {
  pg = await createTestDatabase('hs_sharded');
  db = await openDatabase(pg.options);
  await createTestStreamTable(db);
  // What the idempotent handler writes: one row per (consumer, key, position), however often delivered.
  await db.query('CREATE TABLE handled (consumer text, key text, position int8, holder text, deliveries int4 NOT NULL DEFAULT 1, PRIMARY KEY (consumer, key, position))');
});
afterAll(async () => {
  await db?.close();
  await pg?.drop();
});

const SHARDS = 4;
/** Each row concerns two keys (as an event concerns several users), usually in different shards. */
const keysOf = (row: TestRow) => [`@u${row.n % 7}:hs`, `@v${row.n % 5}:hs`];

function startConsumer(hub: InProcessHub, consumer: string, stream: string, instanceName: string, live: () => string[], options: { leaseTtlMs?: number } = {}) {
  return ShardedConsumer.start(db, new InProcessTransport({ hub }), testStream(stream), {
    name: consumer,
    instanceName,
    instances: live,
    writers: ['w1'],
    startAt: 'beginning',
    shards: SHARDS,
    leaseTtlMs: options.leaseTtlMs ?? 3000,
    rebalanceEveryMs: 100,
    keysOf,
    handle: async (items: readonly ShardItem<TestRow>[], { tx }) => {
      for (const { key, record } of items) {
        await tx.query(
          `INSERT INTO handled (consumer, key, position, holder) VALUES ($1, $2, $3, $4)
           ON CONFLICT (consumer, key, position) DO UPDATE SET deliveries = handled.deliveries + 1, holder = EXCLUDED.holder`,
          [consumer, key, record.position, instanceName],
        );
      }
    },
  });
}

async function handled(consumer: string): Promise<Array<{ key: string; position: number; holder: string; deliveries: number }>> {
  const { rows } = await db.query<{ key: string; position: number; holder: string; deliveries: number }>('SELECT key, position, holder, deliveries FROM handled WHERE consumer = $1', [consumer]);
  return rows;
}

async function expectedPairs(stream: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT n FROM test_stream_rows WHERE stream = $1', [stream]);
  return rows.length * 2;
}

describe('ShardedConsumer on PostgreSQL', () => {
  it('spreads shards over the live instances, hands each (row, key) to the shard of its key, and moves shards when an instance stops', async () => {
    const hub = new InProcessHub();
    const stream = 'sharded_a';
    const writer = await StreamWriter.start(db, new InProcessTransport({ hub }), testStream(stream), { instanceName: 'w1' });
    let live = ['p1', 'p2'];
    const p1 = await startConsumer(hub, 'c_a', stream, 'p1', () => live);
    const p2 = await startConsumer(hub, 'c_a', stream, 'p2', () => live);
    await eventually(() => p1.heldShards().length + p2.heldShards().length === SHARDS, 5000, 'every shard held');
    expect(p1.heldShards().length).toBeGreaterThan(0);
    expect(p2.heldShards().length).toBeGreaterThan(0);
    expect(p1.heldShards().filter((s) => p2.heldShards().includes(s))).toEqual([]);

    for (let n = 0; n < 60; n += 10) await writeRows(writer, n, 10);
    let want = await expectedPairs(stream);
    while ((await handled('c_a')).length < want) await new Promise((r) => setTimeout(r, 20));
    const first = await handled('c_a');
    for (const row of first) expect(row.holder).toBe((p1.heldShards().includes(shardOf(row.key, SHARDS)) ? 'p1' : 'p2'));

    // p2 stops (its shards are released at once) and leaves the live set: p1 takes them all.
    live = ['p1'];
    await p2.stop();
    await p1.rebalance();
    expect(p1.heldShards()).toEqual([0, 1, 2, 3]);
    await writeRows(writer, 60, 20);
    want = await expectedPairs(stream);
    while ((await handled('c_a')).length < want) await new Promise((r) => setTimeout(r, 20));
    const all = await handled('c_a');
    expect(all).toHaveLength(want);
    expect(all.filter((row) => row.position > Math.max(...first.map((f) => f.position))).every((row) => row.holder === 'p1')).toBe(true);
    // Clean hand-overs: every pair handled once.
    expect(all.filter((row) => row.deliveries !== 1)).toEqual([]);
    await p1.stop();
    await writer.close();
  });

  it('catches up from PostgreSQL after downtime, from each shard\'s saved position', async () => {
    const hub = new InProcessHub();
    const stream = 'sharded_b';
    const writer = await StreamWriter.start(db, new InProcessTransport({ hub }), testStream(stream), { instanceName: 'w1' });
    const first = await startConsumer(hub, 'c_b', stream, 'p1', () => ['p1']);
    await writeRows(writer, 0, 10);
    while ((await handled('c_b')).length < 20) await new Promise((r) => setTimeout(r, 20));
    await first.stop();
    // Written while nobody consumes: only PostgreSQL has them.
    await writeRows(writer, 10, 15);
    const again = await startConsumer(hub, 'c_b', stream, 'p9', () => ['p9']);
    await eventually(() => again.ready, 5000, 'caught up');
    while ((await handled('c_b')).length < 50) await new Promise((r) => setTimeout(r, 20));
    const rows = await handled('c_b');
    expect(rows).toHaveLength(50);
    expect(rows.filter((row) => row.deliveries !== 1)).toEqual([]);
    await again.stop();
    await writer.close();
  });

  it('fences a holder whose lease was taken over: it saves nothing more, and the new holder redelivers from the saved position', async () => {
    const hub = new InProcessHub();
    const stream = 'sharded_c';
    const writer = await StreamWriter.start(db, new InProcessTransport({ hub }), testStream(stream), { instanceName: 'w1' });
    const p1 = await startConsumer(hub, 'c_c', stream, 'p1', () => ['p1'], { leaseTtlMs: 60_000 });
    expect(p1.heldShards()).toEqual([0, 1, 2, 3]);
    await writeRows(writer, 0, 5);
    while ((await handled('c_c')).length < 10) await new Promise((r) => setTimeout(r, 20));
    // As if p1 had stalled past its lease and another instance had taken every shard.
    await db.query("UPDATE stream_consumer_leases SET holder = 'ghost', epoch = epoch + 1 WHERE consumer = 'c_c'");
    await writeRows(writer, 5, 5);
    await p1.rebalance();
    expect(p1.heldShards()).toEqual([]);
    const before = await handled('c_c');
    expect(before.every((row) => row.holder === 'p1')).toBe(true);
    expect(before.filter((row) => row.position > Math.max(...before.map((b) => b.position)))).toEqual([]);
    // The ghost's lease lapses; p2 (the only live instance now) takes the shards and delivers what p1 could not save.
    // p1 leaves first: a live p1 counts itself among the instances, so its periodic rebalance
    // could take back a shard it hashes to the moment the ghost's lease lapses.
    await p1.stop();
    await db.query("UPDATE stream_consumer_leases SET expires_at = now() - interval '1 second' WHERE consumer = 'c_c'");
    const p2 = await startConsumer(hub, 'c_c', stream, 'p2', () => ['p2']);
    expect(p2.heldShards()).toEqual([0, 1, 2, 3]);
    while ((await handled('c_c')).length < 20) await new Promise((r) => setTimeout(r, 20));
    expect((await listShardLeases(db, 'c_c')).every((lease) => lease.holder === 'p2' && lease.live)).toBe(true);
    await p2.stop();
    await writer.close();
  });
});
