// The per-transport list of open writers and readers that /metrics reads: positions, the
// reader's lag behind what writers announced, and removal on close.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStreamsOf } from './open-streams.ts';
import { StreamReader } from './stream-reader.ts';
import { eventually, Harness, writeRows } from './testing/harness.ts';
import { testStream } from './testing/test-stream.ts';

let h: Harness;
let streamNo = 0;
const nextStream = () => `test_o${++streamNo}`;
beforeAll(async () => {
  h = await Harness.open();
});
afterEach(() => h.reset());
afterAll(() => h.close());

describe('openStreamsOf', () => {
  it('lists the writers and readers open on a transport with their positions, and forgets closed ones', async () => {
    const stream = nextStream();
    const transport = h.transport();
    const other = h.transport();
    const writer = await h.writer(stream, { instanceName: 'w1', transport });
    const { reader } = await h.reader(stream, { writers: ['w1'], startAt: 'beginning', transport });
    await writeRows(writer, 0, 3);
    await reader.waitFor({ writer: 'w1', position: writer.position }, 2000);

    const open = openStreamsOf(transport);
    expect(open.writers).toEqual([{ stream, writer: 'w1', position: writer.position }]);
    expect(open.readers).toEqual([
      { stream, ready: true, writers: [{ writer: 'w1', position: writer.position, latest: writer.position }], stats: { viaBus: 3, viaCatchUp: 0, catchUps: 0 } },
    ]);
    expect(openStreamsOf(other)).toEqual({ writers: [], readers: [] });

    await reader.close();
    expect(openStreamsOf(transport).readers).toEqual([]);
    await writer.close();
    expect(openStreamsOf(transport)).toEqual({ writers: [], readers: [] });
  });

  it('reports how far a reader is behind the position its writer announced while a delivery is slow', async () => {
    const stream = nextStream();
    const writer = await h.writer(stream, { instanceName: 'w1' });
    const transport = h.transport();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let deliveries = 0;
    const reader = await StreamReader.start(h.db, transport, testStream(stream), {
      writers: ['w1'],
      startAt: 'beginning',
      deliver: async () => {
        deliveries++;
        if (deliveries === 1) await gate;
      },
    });
    try {
      const [first] = await writeRows(writer, 0, 1);
      await eventually(() => deliveries === 1, 2000, 'first delivery');
      await writeRows(writer, 1, 4);
      // The advances wait behind the blocked delivery: known, not applied.
      const lagging = () => openStreamsOf(transport).readers[0]?.writers[0];
      await eventually(() => lagging()?.latest === writer.position, 2000, 'the writer\'s advances to arrive');
      expect(lagging()).toEqual({ writer: 'w1', position: first! - 1, latest: writer.position });
      release();
      await reader.waitFor({ writer: 'w1', position: writer.position }, 2000);
      expect(lagging()).toEqual({ writer: 'w1', position: writer.position, latest: writer.position });
    } finally {
      release();
      await reader.close();
    }
  });
});
