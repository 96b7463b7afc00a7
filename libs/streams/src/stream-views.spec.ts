// Views of a stream: the writer announces the rows it tagged for a view on the view's own
// subject, and a consumer following the view hears of nothing else, yet misses nothing (a lost
// view advance, a start behind, rows not inline all end in the view's catch-up call).
import { StreamAdvance } from '@homeserver/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { int64ToNumber } from './stream-logger.ts';
import { streamSubject, viewSubject } from './stream-definition.ts';
import { ShardedConsumer, type ShardItem } from './sharded-consumer.ts';
import type { StreamWriter } from './stream-writer.ts';
import { eventually, Harness } from './testing/harness.ts';
import { insertTestRow, ODD_VIEW, testStream, type TestRow } from './testing/test-stream.ts';

let h: Harness;
let streamNo = 0;
const nextStream = () => `test_v${++streamNo}`;
beforeAll(async () => {
  h = await Harness.open();
});
afterEach(() => h.reset());
afterAll(() => h.close());

/** Writes rows n = first.. in one transaction, tagging the odd ones with the view (as the test stream's view fetch selects them). */
async function writeTagged(writer: StreamWriter<TestRow>, first: number, count: number): Promise<number[]> {
  const { value } = await writer.write(async (tx) => {
    const positions = await tx.allocate(count);
    for (const [i, position] of positions.entries()) {
      const row = { n: first + i, text: `row ${first + i}` };
      await insertTestRow(tx, writer.stream, writer.instanceName, position, row);
      tx.addRow(position, row, row.n % 2 === 1 ? [ODD_VIEW] : []);
    }
    return positions;
  });
  return value;
}

async function spy(subject: string) {
  const advances: Array<{ prev: number; position: number; rows: number[]; inline: boolean }> = [];
  await h.transport().subscribe(subject, (message) => {
    const a = StreamAdvance.decode(message.payload);
    advances.push({ prev: int64ToNumber(a.prevPosition), position: int64ToNumber(a.position), rows: a.rows.map((r) => int64ToNumber(r.position)), inline: a.rowsInline });
  });
  return advances;
}

async function oddConsumer(stream: string, transport = h.transport()) {
  const seen: Array<{ n: number; source: string }> = [];
  const consumer = await ShardedConsumer.start(h.db, transport, testStream(stream), {
    name: `odd_${stream}`,
    instanceName: 'c1',
    instances: () => [],
    writers: ['w1'],
    view: ODD_VIEW,
    shards: 1,
    startAt: 'beginning',
    keysOf: () => ['all'],
    handle: async (items: readonly ShardItem<TestRow>[], { source }) => {
      for (const item of items) seen.push({ n: item.record.data.n, source });
    },
  });
  return { consumer, seen };
}

describe('stream views', () => {
  it('announce only the tagged rows, on the view subject, each advance chained on the previous one of the view', async () => {
    const stream = nextStream();
    const writer = await h.writer(stream, { instanceName: 'w1', heartbeatMs: 60_000 });
    const whole = await spy(streamSubject(stream));
    const view = await spy(viewSubject(stream, ODD_VIEW));
    const start = writer.position;
    const [even] = await writeTagged(writer, 0, 1);
    const [odd1, even2] = await writeTagged(writer, 1, 2);
    const [odd3] = await writeTagged(writer, 3, 1);
    await eventually(() => whole.length === 3 && view.length === 2, 3000, 'the advances');
    expect(whole.map((a) => a.rows)).toEqual([[even], [odd1, even2], [odd3]]);
    // The even-only batch is not announced on the view; the next view advance covers its range.
    expect(view).toEqual([
      { prev: start, position: even2, rows: [odd1], inline: true },
      { prev: even2, position: odd3, rows: [odd3], inline: true },
    ]);
  });

  it('reach a consumer of the view with exactly its rows, from the bus and from a catch-up after it started behind', async () => {
    const stream = nextStream();
    const writer = await h.writer(stream, { instanceName: 'w1', heartbeatMs: 60_000 });
    await writeTagged(writer, 0, 4);
    const { consumer, seen } = await oddConsumer(stream);
    expect(seen).toEqual([{ n: 1, source: 'catch-up' }, { n: 3, source: 'catch-up' }]);
    await writeTagged(writer, 4, 4);
    await eventually(() => seen.length === 4, 3000, 'rows 5 and 7');
    expect(seen.slice(2)).toEqual([{ n: 5, source: 'bus' }, { n: 7, source: 'bus' }]);
    await consumer.stop();
  });

  it('leave no row behind when a view advance is lost: the next one shows the gap and the view is fetched', async () => {
    const stream = nextStream();
    const writerTransport = h.transport();
    const writer = await h.writer(stream, { instanceName: 'w1', heartbeatMs: 60_000, transport: writerTransport });
    const { consumer, seen } = await oddConsumer(stream);
    writerTransport.dropPublishes = true;
    await writeTagged(writer, 0, 2);
    writerTransport.dropPublishes = false;
    await writeTagged(writer, 2, 2);
    await eventually(() => seen.length === 2, 3000, 'rows 1 and 3');
    // The gap is fetched up to the advance that showed it (its own row with it).
    expect(seen).toEqual([{ n: 1, source: 'catch-up' }, { n: 3, source: 'catch-up' }]);
    await consumer.stop();
  });

  it('confirm the last view advance by a heartbeat, so a consumer that lost it catches up without another write', async () => {
    const stream = nextStream();
    const writerTransport = h.transport();
    const writer = await h.writer(stream, { instanceName: 'w1', heartbeatMs: 50, idleHeartbeatMs: 60_000, transport: writerTransport });
    const { consumer, seen } = await oddConsumer(stream);
    writerTransport.dropPublishes = true;
    await writeTagged(writer, 0, 2);
    writerTransport.dropPublishes = false;
    await eventually(() => seen.length === 1, 3000, 'row 1 after the heartbeat');
    expect(seen).toEqual([{ n: 1, source: 'catch-up' }]);
    await consumer.stop();
  });

  it('refuse a tag the stream does not define, naming it', async () => {
    const stream = nextStream();
    const writer = await h.writer(stream, { instanceName: 'w1', heartbeatMs: 60_000 });
    await expect(
      writer.write(async (tx) => {
        const [position] = await tx.allocate(1);
        tx.addRow(position!, { n: 1, text: 'x' }, ['even']);
      }),
    ).rejects.toThrow(/views even: the stream defines odd/);
  });
});
