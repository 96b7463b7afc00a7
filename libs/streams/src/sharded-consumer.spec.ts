import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShardedConsumer, shardOf, type ShardItem } from './sharded-consumer.ts';
import { Harness, eventually, writeRows } from './testing/harness.ts';
import { testStream, type TestRow } from './testing/test-stream.ts';

let h: Harness;
beforeAll(async () => {
  h = await Harness.open();
});
afterAll(async () => {
  await h.close();
});

describe('shardOf', () => {
  it('is fixed per key (every instance and version agrees) and spreads keys evenly', () => {
    expect(shardOf('@alice:example.org', 16)).toBe(shardOf('@alice:example.org', 16));
    const counts = new Array<number>(8).fill(0);
    for (let i = 0; i < 8000; i++) counts[shardOf(`@user${i}:hs`, 8)]!++;
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });
});

describe('ShardedConsumer (PGlite)', () => {
  it('refuses a bad shard count, naming it', async () => {
    const options = { name: 'bad', instanceName: 'p1', instances: () => [], writers: ['w1'], keysOf: () => [], handle: async () => {}, shards: 0 };
    await expect(ShardedConsumer.start(h.db, h.transport(), testStream('sharded_bad'), options)).rejects.toThrow(/0 shards: expected an integer from 1 to 1024/);
  });

  it('alone, holds every shard and hands each key of each row to the handler once, in position order per key', async () => {
    const writer = await h.writer('sharded_unit', { instanceName: 'w1' });
    const seen: Array<{ key: string; n: number; shard: number }> = [];
    const consumer = await ShardedConsumer.start(h.db, h.transport(), testStream('sharded_unit'), {
      name: 'unit',
      instanceName: 'p1',
      instances: () => [],
      writers: ['w1'],
      startAt: 'beginning',
      shards: 3,
      keysOf: (row: TestRow) => (row.n % 4 === 0 ? [] : [`k${row.n % 3}`, 'shared']),
      handle: async (items: readonly ShardItem<TestRow>[], { shard }) => {
        for (const item of items) seen.push({ key: item.key, n: item.record.data.n, shard });
      },
    });
    expect(consumer.heldShards()).toEqual([0, 1, 2]);
    await writeRows(writer, 0, 12);
    // Rows 0, 4 and 8 have no key; the other 9 have two keys each.
    await eventually(() => seen.length === 18, 3000, 'every key delivered');
    for (const item of seen) expect(item.shard).toBe(shardOf(item.key, 3));
    const shared = seen.filter((item) => item.key === 'shared').map((item) => item.n);
    expect(shared).toEqual([1, 2, 3, 5, 6, 7, 9, 10, 11]);
    await consumer.stop();
    expect(consumer.heldShards()).toEqual([]);
  });
});
