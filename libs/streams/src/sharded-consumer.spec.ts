import { StreamAdvance } from '@homeserver/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamSubject } from './stream-definition.ts';
import { openStreamsOf } from './open-streams.ts';
import { everyShardKeys, ShardedConsumer, shardOf, type ShardItem } from './sharded-consumer.ts';
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

  it('moves past batches `skip` declines without a transaction, and stores that position at the next rebalance and on release', async () => {
    const writer = await h.writer('sharded_skip', { instanceName: 'w1' });
    const handled: number[] = [];
    const asked: number[] = [];
    const start = (instanceName: string) =>
      ShardedConsumer.start(h.db, h.transport(), testStream('sharded_skip'), {
        name: 'skippy',
        instanceName,
        instances: () => [],
        writers: ['w1'],
        startAt: 'beginning',
        shards: 1,
        rebalanceEveryMs: 3_600_000,
        keysOf: () => ['k'],
        // Odd rows concern nobody.
        skip: (items: readonly ShardItem<TestRow>[]) => {
          asked.push(...items.map((item) => item.record.data.n));
          return items.every((item) => item.record.data.n % 2 === 1);
        },
        handle: async (items: readonly ShardItem<TestRow>[]) => {
          for (const item of items) handled.push(item.record.data.n);
        },
      });
    const stored = async () => (await h.db.query<{ position: number }>("SELECT position FROM stream_consumer_positions WHERE consumer = 'skippy#0'")).rows[0]?.position;
    const first = await start('p1');
    const positions: number[] = [];
    for (let n = 0; n < 4; n++) positions.push(...(await writeRows(writer, n, 1)));
    await eventually(() => asked.includes(3), 3000, 'row 3 seen');
    expect(handled).toEqual([0, 2]);
    // Row 3 was skipped: the stored position is still row 2's, until the next rebalance.
    expect(Number(await stored())).toBe(positions[2]);
    await first.rebalance();
    expect(Number(await stored())).toBe(positions[3]);
    positions.push(...(await writeRows(writer, 4, 1)), ...(await writeRows(writer, 5, 1)));
    await eventually(() => asked.includes(5), 3000, 'row 5 seen');
    // Stopping releases the shard after storing where it got: the next holder reads nothing again.
    await first.stop();
    expect(Number(await stored())).toBe(positions[5]);
    asked.length = 0;
    const second = await start('p2');
    await writeRows(writer, 6, 1);
    await eventually(() => handled.includes(6), 3000, 'row 6 handled');
    expect(handled).toEqual([0, 2, 4, 6]);
    expect(asked).toEqual([6]);
    await second.stop();
  });

  it('follows the stream with ONE subscription for every shard it holds, works out each bus row\'s keys once, and holds none without shards', async () => {
    const writer = await h.writer('sharded_feed', { instanceName: 'w1' });
    const transport = h.transport();
    const subject = 'repl.sharded_feed';
    const keysAsked: number[] = [];
    const seen: Array<{ key: string; n: number; shard: number }> = [];
    let live = ['p1'];
    const consumer = await ShardedConsumer.start(h.db, transport, testStream('sharded_feed'), {
      name: 'feed',
      instanceName: 'p1',
      instances: () => live,
      writers: ['w1'],
      shards: 4,
      rebalanceEveryMs: 3_600_000,
      keysOf: (row: TestRow) => {
        keysAsked.push(row.n);
        return [`a${row.n}`, `b${row.n}`, `c${row.n}`, `d${row.n}`];
      },
      handle: async (items: readonly ShardItem<TestRow>[], { shard }) => {
        for (const item of items) seen.push({ key: item.key, n: item.record.data.n, shard });
      },
    });
    expect(consumer.heldShards()).toEqual([0, 1, 2, 3]);
    expect(transport.liveSubscriptions(subject)).toBe(1);
    for (let n = 0; n < 6; n++) await writeRows(writer, n, 1);
    await eventually(() => seen.length === 24, 3000, 'every key of every row delivered');
    for (const item of seen) expect(item.shard).toBe(shardOf(item.key, 4));
    // Every shard saw each row from the bus, and keysOf ran once per row, not once per shard.
    expect(keysAsked.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
    // The consumer reports itself as one reader of the stream, at its slowest shard.
    expect(openStreamsOf(transport).readers.filter((r) => r.stream === 'sharded_feed')).toEqual([
      expect.objectContaining({ ready: true, writers: [{ writer: 'w1', position: writer.position, latest: writer.position }] }),
    ]);
    // Another instance takes every shard: this one keeps no subscription for a stream it does not follow.
    live = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9'].filter((name) => name !== 'p1');
    await consumer.rebalance();
    expect(consumer.heldShards()).toEqual([]);
    expect(transport.liveSubscriptions(subject)).toBe(0);
    expect(openStreamsOf(transport).readers.filter((r) => r.stream === 'sharded_feed')).toEqual([]);
    await consumer.stop();
  });

  it('lets a shard taken later catch up from its saved position while the shards it already held keep following the bus', async () => {
    const writer = await h.writer('sharded_late', { instanceName: 'w1' });
    const transport = h.transport();
    const seen = new Map<number, number[]>();
    const keys = everyShardKeys(2);
    // px never starts: the shard placed on it stays free while it counts as live.
    let live = ['p1', 'px'];
    const consumer = await ShardedConsumer.start(h.db, transport, testStream('sharded_late'), {
      name: 'late',
      instanceName: 'p1',
      instances: () => live,
      writers: ['w1'],
      startAt: 'beginning',
      shards: 2,
      rebalanceEveryMs: 3_600_000,
      keysOf: () => keys,
      handle: async (items: readonly ShardItem<TestRow>[], { shard }) => {
        const list = seen.get(shard) ?? [];
        for (const item of items) list.push(item.record.data.n);
        seen.set(shard, list);
      },
    });
    const first = consumer.heldShards();
    expect(first).toHaveLength(1);
    for (let n = 0; n < 5; n++) await writeRows(writer, n, 1);
    for (const shard of first) await eventually(() => (seen.get(shard) ?? []).length === 5, 3000, `shard ${shard} follows the bus`);
    // px is gone: p1 takes the other shard, which starts from the beginning and reads the rows from PostgreSQL.
    live = ['p1'];
    await consumer.rebalance();
    expect(consumer.heldShards()).toEqual([0, 1]);
    expect(transport.liveSubscriptions('repl.sharded_late')).toBe(1);
    await writeRows(writer, 5, 1);
    await eventually(() => (seen.get(0) ?? []).length === 6 && (seen.get(1) ?? []).length === 6, 3000, 'both shards have every row');
    expect(seen.get(0)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(seen.get(1)).toEqual([0, 1, 2, 3, 4, 5]);
    await consumer.stop();
    expect(transport.liveSubscriptions('repl.sharded_late')).toBe(0);
  });

  it('with lingerMs, delivers advances that arrive together as one batch per writer, though the writers interleave', async () => {
    const stream = 'sharded_linger';
    const transport = h.transport();
    // Real writers answer the position queries (both at 0); the advances below are published by hand.
    await h.writer(stream, { instanceName: 'w1', heartbeatMs: 60_000 });
    await h.writer(stream, { instanceName: 'w2', heartbeatMs: 60_000 });
    const batches: Array<{ writer: string; ns: number[] }> = [];
    const consumer = await ShardedConsumer.start(h.db, transport, testStream(stream), {
      name: 'linger',
      instanceName: 'p1',
      instances: () => [],
      writers: ['w1', 'w2'],
      shards: 1,
      lingerMs: 200,
      rebalanceEveryMs: 3_600_000,
      keysOf: () => ['k'],
      handle: async (items: readonly ShardItem<TestRow>[]) => {
        batches.push({ writer: items[0]!.record.writer, ns: items.map((item) => item.record.data.n) });
      },
    });
    const advance = (writer: string, prev: number, position: number) =>
      StreamAdvance.encode({ stream, writer, prevPosition: prev, position, rowsInline: true, rows: [{ position, data: new TextEncoder().encode(JSON.stringify({ n: position, text: '' })) }] }).finish();
    for (const [writer, prev, position] of [['w1', 0, 1], ['w2', 0, 2], ['w1', 1, 3], ['w2', 2, 4]] as const) {
      await transport.publish(streamSubject(stream), advance(writer, prev, position));
    }
    await eventually(() => batches.length === 2, 3000, 'both writers delivered');
    expect(batches.sort((a, b) => a.writer.localeCompare(b.writer))).toEqual([
      { writer: 'w1', ns: [1, 3] },
      { writer: 'w2', ns: [2, 4] },
    ]);
    await consumer.stop();
  });
});
