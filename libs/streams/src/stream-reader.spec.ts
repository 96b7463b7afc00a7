// Reader behaviour over the in-process transport and PGlite: bus delivery, gap detection and
// catch-up, exactly-once, checkpoints, read-your-writes, resync on reconnect, suspend/resume.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StreamAdvance } from '@homeserver/protocol';
import { openStreamsOf } from './open-streams.ts';
import { streamSubject } from './stream-definition.ts';
import { StreamWaitTimeoutError } from './stream-reader.ts';
import { eventually, Harness, sleep, writeRows } from './testing/harness.ts';
import { VectorPosition } from './vector-position.ts';

let h: Harness;
let streamNo = 0;
const nextStream = () => `test_r${++streamNo}`;
beforeAll(async () => {
  h = await Harness.open();
});
afterEach(() => h.reset());
afterAll(() => h.close());

const ns = (records: Array<{ data: { n: number } }>) => records.map((r) => r.data.n);
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

describe('StreamReader', () => {
  it('delivers inline rows from the bus exactly once, in order', async () => {
    const stream = nextStream();
    const writer = await h.writer(stream, { instanceName: 'w1' });
    const { reader, received } = await h.reader(stream, { writers: ['w1'], startAt: 'beginning' });
    expect(reader.ready).toBe(true);
    for (let i = 0; i < 5; i++) await writeRows(writer, i * 4, 4);
    await reader.waitFor({ writer: 'w1', position: writer.position }, 2000);
    expect(ns(received)).toEqual(range(0, 20));
    expect(received.map((r) => r.position)).toEqual([...received.map((r) => r.position)].sort((a, b) => a - b));
    expect(reader.stats).toMatchObject({ viaBus: 20, viaCatchUp: 0 });
  });

  it('sees a gap when advances are lost and fetches the missing rows from PostgreSQL', async () => {
    const stream = nextStream();
    const writerTransport = h.transport();
    const writer = await h.writer(stream, { instanceName: 'w1', transport: writerTransport });
    const { reader, received } = await h.reader(stream, { writers: ['w1'], startAt: 'beginning' });
    await writeRows(writer, 0, 3);
    await reader.waitFor({ writer: 'w1', position: writer.position }, 2000);
    writerTransport.dropPublishes = true;
    await writeRows(writer, 3, 2);
    await writeRows(writer, 5, 2);
    expect(writerTransport.dropped).toBe(2);
    writerTransport.dropPublishes = false;
    await writeRows(writer, 7, 1);
    await reader.waitFor({ writer: 'w1', position: writer.position }, 2000);
    expect(ns(received)).toEqual(range(0, 8));
    // The advance after the gap is applied by fetching (mine, its position]: 5 rows.
    expect(reader.stats).toMatchObject({ viaBus: 3, viaCatchUp: 5 });
  });

  it('never moves past the stream sequence in PostgreSQL, so an advance claiming 1e9 cannot freeze it', async () => {
    const stream = nextStream();
    const writer = await h.writer(stream, { instanceName: 'w1' });
    const { reader, received } = await h.reader(stream, { writers: ['w1'], startAt: 'beginning' });
    await writeRows(writer, 0, 2);
    await reader.waitFor({ writer: 'w1', position: writer.position }, 2000);
    const forged = StreamAdvance.encode({ stream, writer: 'w1', prevPosition: 0, position: 1e9, rowsInline: false }).finish();
    await h.transport().publish(streamSubject(stream), forged);
    await eventually(() => reader.stats.catchUps > 0, 2000, 'the claimed range to be checked against PostgreSQL');
    await sleep(20);
    expect(reader.positionOf('w1')).toBe(writer.position);
    // Rows written afterwards still arrive: the reader is not stuck at the claimed position.
    await writeRows(writer, 2, 3);
    await reader.waitFor({ writer: 'w1', position: writer.position }, 2000);
    expect(ns(received)).toEqual(range(0, 5));
  });

  it('fetches rows too large to travel inline', async () => {
    const stream = nextStream();
    const writer = await h.writer(stream, { instanceName: 'w1', inlineMaxBytes: 10 });
    const { reader, received } = await h.reader(stream, { writers: ['w1'], startAt: 'beginning' });
    await writeRows(writer, 0, 3);
    await reader.waitFor({ writer: 'w1', position: writer.position }, 2000);
    expect(ns(received)).toEqual([0, 1, 2]);
    expect(reader.stats).toMatchObject({ viaBus: 0, viaCatchUp: 3 });
  });

  it('learns of a lost last advance from the next heartbeat', async () => {
    const stream = nextStream();
    const writerTransport = h.transport();
    const writer = await h.writer(stream, { instanceName: 'w1', transport: writerTransport, heartbeatMs: 50 });
    const { reader, received } = await h.reader(stream, { writers: ['w1'], startAt: 'beginning' });
    writerTransport.dropPublishes = true;
    await writeRows(writer, 0, 2);
    writerTransport.dropPublishes = false;
    const started = Date.now();
    await reader.waitFor({ writer: 'w1', position: writer.position }, 2000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(ns(received)).toEqual([0, 1]);
    expect(reader.stats.viaCatchUp).toBe(2);
  });

  it('pages catch-up by fetchLimit and starts at the writer position by default', async () => {
    const stream = nextStream();
    const writer = await h.writer(stream, { instanceName: 'w1' });
    await writeRows(writer, 0, 4);
    const late = await h.reader(stream, { writers: ['w1'] });
    expect(late.reader.positionOf('w1')).toBe(writer.position);
    const full = await h.reader(stream, { writers: ['w1'], startAt: 'beginning', fetchLimit: 3 });
    expect(ns(full.received)).toEqual([0, 1, 2, 3]);
    expect(full.reader.stats.viaCatchUp).toBe(4);
    await writeRows(writer, 4, 1);
    await late.reader.waitFor({ writer: 'w1', position: writer.position }, 2000);
    expect(ns(late.received)).toEqual([4]);
  });

  it('resumes a durable consumer from its checkpoint, storing it with the delivery', async () => {
    const stream = nextStream();
    const writer = await h.writer(stream, { instanceName: 'w1' });
    const first = await h.reader(stream, { writers: ['w1'], checkpoint: 'pusher', startAt: 'beginning' });
    await writeRows(writer, 0, 3);
    await first.reader.waitFor({ writer: 'w1', position: writer.position }, 2000);
    await first.reader.close();
    const { rows } = await h.db.query('SELECT writer, position FROM stream_consumer_positions WHERE consumer = $1 AND stream = $2', ['pusher', stream]);
    expect(rows).toEqual([{ writer: 'w1', position: writer.position }]);
    await writeRows(writer, 3, 2);
    const second = await h.reader(stream, { writers: ['w1'], checkpoint: 'pusher', startAt: 'beginning' });
    expect(ns(second.received)).toEqual([3, 4]);
    expect(second.reader.stats).toMatchObject({ viaBus: 0, viaCatchUp: 2 });
  });

  it('does not advance past rows whose delivery threw, and delivers them later', async () => {
    const stream = nextStream();
    const writer = await h.writer(stream, { instanceName: 'w1' });
    const seen: number[] = [];
    let fail = true;
    const { StreamReader } = await import('./stream-reader.ts');
    const { testStream } = await import('./testing/test-stream.ts');
    const reader = await StreamReader.start(h.db, h.transport(), testStream(stream), {
      writers: ['w1'],
      startAt: 'beginning',
      deliver: (records) => {
        if (fail) throw new Error('consumer down');
        seen.push(...records.map((r) => r.data.n));
      },
    });
    await writeRows(writer, 0, 2);
    await sleep(50);
    expect(reader.positionOf('w1')).toBe(0);
    fail = false;
    await writeRows(writer, 2, 1);
    await reader.waitFor({ writer: 'w1', position: writer.position }, 2000);
    expect(seen).toEqual([0, 1, 2]);
    await reader.close();
  });

  // In memory: PGlite has one connection, so a durable consumer's open transaction would block
  // the writer here. The batching path is the same; with a checkpoint it is one transaction.
  it('delivers advances that queued up behind a slow delivery as one batch', async () => {
    const stream = nextStream();
    const writer = await h.writer(stream, { instanceName: 'w1' });
    const batches: Array<{ ns: number[]; tx: boolean }> = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { StreamReader } = await import('./stream-reader.ts');
    const { testStream } = await import('./testing/test-stream.ts');
    const reader = await StreamReader.start(h.db, h.transport(), testStream(stream), {
      writers: ['w1'],
      startAt: 'beginning',
      deliver: async (records, { tx }) => {
        batches.push({ ns: records.map((r) => r.data.n), tx: tx !== undefined });
        if (batches.length === 1) await gate;
      },
    });
    await writeRows(writer, 0, 1);
    await eventually(() => batches.length === 1, 2000, 'first delivery');
    for (let n = 1; n < 5; n++) await writeRows(writer, n, 1);
    release();
    await reader.waitFor({ writer: 'w1', position: writer.position }, 2000);
    expect(batches).toEqual([
      { ns: [0], tx: false },
      { ns: [1, 2, 3, 4], tx: false },
    ]);
    await reader.close();
  });

  it('asks its writers where they are: a target for read-your-writes that covers advances it has not received', async () => {
    const stream = nextStream();
    const writerTransport = h.transport();
    const w1 = await h.writer(stream, { instanceName: 'w1', transport: writerTransport });
    const w2 = await h.writer(stream, { instanceName: 'w2' });
    const { reader } = await h.reader(stream, { writers: ['w1', 'w2'], startAt: 'beginning' });
    await writeRows(w2, 0, 2);
    // w1's advances have not reached the reader: only its answer tells how far it got.
    writerTransport.dropPublishes = true;
    await writeRows(w1, 2, 3);
    const target = await reader.writersPosition(1000);
    expect(reader.positionOf('w1')).toBeLessThan(w1.position);
    expect(target.get('w1')).toBe(w1.position);
    expect(target.get('w2')).toBe(w2.position);
    // Waiting for it ends once w1's next announcement (its heartbeat) arrives.
    writerTransport.dropPublishes = false;
    await reader.waitFor(target, 5000);
    expect(reader.positionOf('w1')).toBeGreaterThanOrEqual(target.get('w1'));
    // A writer that does not answer counts as where the reader is.
    await w2.close();
    expect((await reader.writersPosition(50)).get('w2')).toBe(reader.positionOf('w2'));
  });

  it('waitFor resolves for vector positions and times out with a named error', async () => {
    const stream = nextStream();
    const a = await h.writer(stream, { instanceName: 'a' });
    const b = await h.writer(stream, { instanceName: 'b' });
    const { reader } = await h.reader(stream, { writers: ['a', 'b'], startAt: 'beginning' });
    const [pa] = await writeRows(a, 0, 1);
    const [pb] = await writeRows(b, 0, 1);
    await reader.waitFor(VectorPosition.of(0, [['a', pa!], ['b', pb!]]), 2000);
    expect(reader.position.covers(VectorPosition.of(0, [['a', pa!], ['b', pb!]]))).toBe(true);
    await expect(reader.waitFor({ writer: 'a', position: pa! + 100 }, 50)).rejects.toThrow(StreamWaitTimeoutError);
  });

  it('catches up after a reconnect and is not ready while disconnected', async () => {
    const stream = nextStream();
    const writerTransport = h.transport();
    const readerTransport = h.transport();
    const writer = await h.writer(stream, { instanceName: 'w1', transport: writerTransport, heartbeatMs: 60_000 });
    const { reader, received } = await h.reader(stream, { writers: ['w1'], startAt: 'beginning', transport: readerTransport });
    readerTransport.emit('disconnected');
    expect(reader.ready).toBe(false);
    writerTransport.dropPublishes = true;
    await writeRows(writer, 0, 3);
    writerTransport.dropPublishes = false;
    readerTransport.emit('reconnected');
    await eventually(() => reader.ready && received.length === 3, 2000, 'resync');
    expect(ns(received)).toEqual([0, 1, 2]);
    expect(reader.stats.viaCatchUp).toBe(3);
  });

  /** A reader of `stream` that is never suspended: once it has a row, the bus has handed it to every subscriber. */
  async function witness(stream: string) {
    return (await h.reader(stream, { writers: ['w1'], startAt: 'beginning' })).reader;
  }

  it('receives nothing while suspended (nor is it listed as open), then catches up every row written meanwhile once', async () => {
    const stream = nextStream();
    const writer = await h.writer(stream, { instanceName: 'w1' });
    const transport = h.transport();
    const { reader, received } = await h.reader(stream, { writers: ['w1'], startAt: 'beginning', transport });
    const listed = () => openStreamsOf(transport).readers.map((r) => r.stream);
    expect(listed()).toEqual([stream]);
    const other = await witness(stream);
    await writeRows(writer, 0, 3);
    await reader.waitFor({ writer: 'w1', position: writer.position }, 2000);
    await reader.suspend();
    expect(reader.suspended).toBe(true);
    expect(listed()).toEqual([]);
    await writeRows(writer, 3, 4);
    await other.waitFor({ writer: 'w1', position: writer.position }, 2000);
    expect(ns(received)).toEqual(range(0, 3));
    expect(reader.positionOf('w1')).toBeLessThan(writer.position);
    const reached = await reader.resume();
    expect(reader.suspended).toBe(false);
    expect(listed()).toEqual([stream]);
    expect(reached.get('w1')).toBe(writer.position);
    expect(ns(received)).toEqual(range(0, 7));
    expect(reader.stats).toMatchObject({ viaBus: 3, viaCatchUp: 4 });
    await writeRows(writer, 7, 2);
    await reader.waitFor({ writer: 'w1', position: writer.position }, 2000);
    expect(ns(received)).toEqual(range(0, 9));
  });

  it('with skipRows resumes at the writers\' positions without reading the rows in between', async () => {
    const stream = nextStream();
    const writer = await h.writer(stream, { instanceName: 'w1' });
    const { reader, received } = await h.reader(stream, { writers: ['w1'], startAt: 'beginning' });
    const other = await witness(stream);
    await writeRows(writer, 0, 2);
    await reader.waitFor({ writer: 'w1', position: writer.position }, 2000);
    await reader.suspend();
    await writeRows(writer, 2, 5);
    await other.waitFor({ writer: 'w1', position: writer.position }, 2000);
    const reached = await reader.resume({ skipRows: true });
    expect(reached.get('w1')).toBe(writer.position);
    expect(reader.positionOf('w1')).toBe(writer.position);
    await writeRows(writer, 7, 2);
    await reader.waitFor({ writer: 'w1', position: writer.position }, 2000);
    expect(ns(received)).toEqual([0, 1, 7, 8]);
    expect(reader.stats).toMatchObject({ viaBus: 4, viaCatchUp: 0 });
  });

  it('never lets a durable consumer skip rows', async () => {
    const stream = nextStream();
    await h.writer(stream, { instanceName: 'w1' });
    const { reader } = await h.reader(stream, { writers: ['w1'], checkpoint: 'durable' });
    await reader.suspend();
    await expect(reader.resume({ skipRows: true })).rejects.toThrow(/cannot skip rows/);
  });
});
