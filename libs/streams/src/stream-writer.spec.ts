// Writer behaviour: out-of-order commits, rollbacks, heartbeats, position queries, restarts.
import { PositionReply, StreamAdvance } from '@homeserver/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { int64ToNumber } from './stream-logger.ts';
import { positionSubject, streamSubject } from './stream-definition.ts';
import { StreamWriter, StreamWriterError } from './stream-writer.ts';
import { eventually, Harness, sleep, writeRows } from './testing/harness.ts';
import { insertTestRow, testStream } from './testing/test-stream.ts';

let h: Harness;
let streamNo = 0;
const nextStream = () => `test_w${++streamNo}`;
beforeAll(async () => {
  h = await Harness.open();
});
afterEach(() => h.reset());
afterAll(() => h.close());

/** Collects the decoded advances published on a stream. */
async function spy(stream: string) {
  const advances: Array<{ writer: string; prev: number; position: number; rows: number[]; inline: boolean; heartbeat: boolean }> = [];
  await h.transport().subscribe(streamSubject(stream), (message) => {
    const a = StreamAdvance.decode(message.payload);
    advances.push({
      writer: a.writer,
      prev: int64ToNumber(a.prevPosition),
      position: int64ToNumber(a.position),
      rows: a.rows.map((r) => int64ToNumber(r.position)),
      inline: a.rowsInline,
      heartbeat: a.heartbeat,
    });
  });
  return advances;
}

/** The harness's database, showing every statement to `watch` before running it. */
function watchedDb(watch: (sql: string, params?: unknown[]) => void): typeof h.db {
  return new Proxy(h.db, {
    get(target, property) {
      if (property === 'query') {
        return (sql: string, params?: unknown[]) => {
          watch(sql, params);
          return target.query(sql, params);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A writer whose positions written to stream_positions are recorded, after five advances. */
async function persistingWriter(heartbeatMs: number) {
  const stream = nextStream();
  const persisted: number[] = [];
  const db = watchedDb((sql, params) => {
    if (sql.startsWith('INSERT INTO stream_positions')) persisted.push(params![2] as number);
  });
  const writer = await StreamWriter.start(db, h.transport(), testStream(stream), { instanceName: 'w1', heartbeatMs });
  for (let n = 0; n < 5; n++) await writeRows(writer, n, 1);
  return { stream, writer, persisted };
}

describe('StreamWriter', () => {
  it('does not announce past a transaction still in flight, whatever commits first', async () => {
    const stream = nextStream();
    const writer = await h.writer(stream, { instanceName: 'w1', heartbeatMs: 60_000 });
    const advances = await spy(stream);
    const { reader, received } = await h.reader(stream, { writers: ['w1'], startAt: 'beginning' });
    const start = writer.position;
    // Two transactions take positions in order; the later one finishes first.
    const first = writer.begin();
    const second = writer.begin();
    const [p1] = await h.db.transaction(async (tx) => {
      const positions = await first.allocate(tx, 1);
      await insertTestRow(tx, stream, 'w1', positions[0]!, { n: 1, text: 'first' });
      first.addRow(positions[0]!, { n: 1, text: 'first' });
      return positions;
    });
    const [p2] = await h.db.transaction(async (tx) => {
      const positions = await second.allocate(tx, 1);
      await insertTestRow(tx, stream, 'w1', positions[0]!, { n: 2, text: 'second' });
      second.addRow(positions[0]!, { n: 2, text: 'second' });
      return positions;
    });
    expect(p2).toBeGreaterThan(p1!);
    expect(second.committed()).toBe(p2);
    expect(writer.position).toBe(start);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(received).toEqual([]);
    first.committed();
    expect(writer.position).toBe(p2);
    await reader.waitFor({ writer: 'w1', position: p2! }, 2000);
    expect(received.map((r) => r.data.n)).toEqual([1, 2]);
    expect(reader.stats).toMatchObject({ viaBus: 2, viaCatchUp: 0 });
    const last = advances.at(-1)!;
    expect(last).toMatchObject({ prev: start, position: p2, rows: [p1, p2], inline: true });
  });

  it('does not announce past an allocation whose answer is still on its way', async () => {
    const stream = nextStream();
    const writer = await h.writer(stream, { instanceName: 'w1', heartbeatMs: 60_000 });
    const start = writer.position;
    // The first allocation's nextval runs in PostgreSQL, but its answer is held back, so the
    // second allocation (a higher position) is known to the writer first.
    let ran: () => void = () => {};
    const nextvalRan = new Promise<void>((resolve) => (ran = resolve));
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slowConnection = {
      query: async <Row>(sql: string, params?: readonly unknown[]) => {
        const result = await h.db.query<Row>(sql, params);
        ran();
        await gate;
        return result;
      },
    };
    const first = writer.begin();
    const second = writer.begin();
    const firstPositions = first.allocate(slowConnection, 1);
    await nextvalRan;
    const [p2] = await second.allocate(h.db, 1);
    second.committed();
    expect(writer.position).toBe(start);
    release();
    const [p1] = await firstPositions;
    expect(p1).toBeLessThan(p2!);
    expect(writer.position).toBe(p1! - 1);
    first.committed();
    expect(writer.position).toBe(p2);
  });

  it('releases the positions of a rolled-back transaction', async () => {
    const stream = nextStream();
    const writer = await h.writer(stream, { instanceName: 'w1' });
    const { reader, received } = await h.reader(stream, { writers: ['w1'], startAt: 'beginning' });
    await expect(
      writer.write(async (tx) => {
        await tx.allocate(2);
        throw new Error('domain check failed');
      }),
    ).rejects.toThrow('domain check failed');
    const [p] = await writeRows(writer, 0, 1);
    expect(writer.position).toBe(p);
    const { rows } = await h.db.query('SELECT count(*)::int8 AS n FROM test_stream_rows WHERE stream = $1', [stream]);
    expect(rows).toEqual([{ n: 1 }]);
    await reader.waitFor({ writer: 'w1', position: p! }, 2000);
    expect(received.map((r) => r.data.n)).toEqual([0]);
  });

  it('refuses rows at positions the transaction did not allocate', async () => {
    const stream = nextStream();
    const writer = await h.writer(stream, { instanceName: 'w1' });
    await expect(writer.write(async (tx) => tx.addRow(999, { n: 0, text: '' }))).rejects.toThrow(StreamWriterError);
  });

  it('moves an idle writer to the sequence value other writers reached, by heartbeat', async () => {
    const stream = nextStream();
    const busy = await h.writer(stream, { instanceName: 'busy', heartbeatMs: 60_000 });
    const idle = await h.writer(stream, { instanceName: 'idle', heartbeatMs: 40 });
    const advances = await spy(stream);
    const { reader } = await h.reader(stream, { writers: ['busy', 'idle'], startAt: 'beginning' });
    await writeRows(busy, 0, 5);
    await eventually(() => idle.position === busy.position, 2000, 'idle writer to move');
    await reader.waitFor({ writer: 'idle', position: busy.position }, 2000);
    expect(reader.position.min).toBe(busy.position);
    expect(advances.some((a) => a.writer === 'idle' && a.heartbeat && a.rows.length === 0 && a.position === busy.position)).toBe(true);
  });

  it('confirms its last advance once, then stays quiet while nothing moves, and still announces a floor another writer moved', async () => {
    const stream = nextStream();
    const busy = await h.writer(stream, { instanceName: 'busy', heartbeatMs: 60_000 });
    const advances = await spy(stream);
    const quiet = await h.writer(stream, { instanceName: 'quiet', heartbeatMs: 20, idleHeartbeatMs: 60_000 });
    const { reader } = await h.reader(stream, { writers: ['busy', 'quiet'], startAt: 'beginning' });
    await writeRows(quiet, 0, 2);
    const written = quiet.position;
    // (A heartbeat confirming the writer's start may come first: only those after the write count.)
    const heartbeats = () => advances.filter((a) => a.writer === 'quiet' && a.heartbeat && a.position >= written);
    await eventually(() => heartbeats().length === 1, 2000, 'the confirming heartbeat');
    expect(heartbeats()[0]!.position).toBe(written);
    // Many heartbeat periods with nothing new: no more heartbeats (the keep-alive is a minute away).
    await sleep(300);
    expect(heartbeats()).toHaveLength(1);
    // Another writer takes positions: the quiet one announces its floor moving (gap detection).
    await writeRows(busy, 2, 3);
    await reader.waitFor({ writer: 'quiet', position: busy.position }, 2000);
    const after = heartbeats().slice(1).map((a) => a.position);
    expect(after.at(-1)).toBe(busy.position);
    expect(after.every((position, i) => position > (i === 0 ? written : after[i - 1]!))).toBe(true);
  });

  it('re-announces an unchanged position every idleHeartbeatMs', async () => {
    const stream = nextStream();
    const advances = await spy(stream);
    const writer = await h.writer(stream, { instanceName: 'w1', heartbeatMs: 10, idleHeartbeatMs: 50 });
    await writeRows(writer, 0, 1);
    await eventually(() => advances.filter((a) => a.heartbeat && a.position === writer.position).length >= 3, 3000, 'keep-alives');
  });

  it("as the stream's only writer, confirms and keeps alive its position without reading the sequence", async () => {
    const stream = nextStream();
    const sequenceReads: string[] = [];
    // The harness's database, counting the statements that read the stream sequence.
    const db = watchedDb((sql) => {
      if (sql.includes('last_value')) sequenceReads.push(sql);
    });
    const writer = await StreamWriter.start(db, h.transport(), testStream(stream), { instanceName: 'w1', writers: ['w1'], heartbeatMs: 10, idleHeartbeatMs: 50 });
    const advances = await spy(stream);
    const atStart = sequenceReads.length;
    await writeRows(writer, 0, 1);
    await eventually(() => advances.filter((a) => a.heartbeat && a.position === writer.position).length >= 3, 3000, 'keep-alives');
    expect(sequenceReads).toHaveLength(atStart);
    await writer.close();
  });

  it('answers position queries and persists its position', async () => {
    const stream = nextStream();
    const writer = await h.writer(stream, { instanceName: 'w1' });
    await writeRows(writer, 0, 3);
    const reply = PositionReply.decode(await h.transport().request(positionSubject(stream, 'w1'), new Uint8Array()));
    expect(int64ToNumber(reply.position)).toBe(writer.position);
    await writer.close();
    const { rows } = await h.db.query('SELECT position FROM stream_positions WHERE stream = $1 AND instance_name = $2', [stream, 'w1']);
    expect(rows).toEqual([{ position: writer.position }]);
  });

  it('writes its position at most once per heartbeat while advancing, and its last one at close', async () => {
    const { stream, writer, persisted } = await persistingWriter(60_000);
    await eventually(() => persisted.length >= 1, 2000, 'the first advance persisted');
    // Five advances within one heartbeat: only the first was written.
    expect(persisted).toHaveLength(1);
    await writer.close();
    expect(persisted).toHaveLength(2);
    const { rows } = await h.db.query('SELECT position FROM stream_positions WHERE stream = $1 AND instance_name = $2', [stream, 'w1']);
    expect(rows).toEqual([{ position: writer.position }]);
  });

  it('writes a position that moved since its last write at a later heartbeat', async () => {
    const { writer, persisted } = await persistingWriter(50);
    // No further advance: the heartbeat writes the last position, once.
    await eventually(() => persisted.at(-1) === writer.position, 3000, 'the last position persisted by a heartbeat');
    const writes = persisted.length;
    await sleep(200);
    expect(persisted).toHaveLength(writes);
    await writer.close();
  });

  it('after a restart makes readers fetch what the old incarnation never announced', async () => {
    const stream = nextStream();
    const transport = h.transport();
    const old = await h.writer(stream, { instanceName: 'w1', transport, heartbeatMs: 60_000 });
    const { reader, received } = await h.reader(stream, { writers: ['w1'], startAt: 'beginning' });
    await writeRows(old, 0, 2);
    await reader.waitFor({ writer: 'w1', position: old.position }, 2000);
    transport.dropPublishes = true; // committed, then "crashed" before announcing
    await writeRows(old, 2, 2);
    await old.close();
    const restarted = await h.writer(stream, { instanceName: 'w1', heartbeatMs: 60_000 });
    await reader.waitFor({ writer: 'w1', position: restarted.position }, 2000);
    expect(received.map((r) => r.data.n)).toEqual([0, 1, 2, 3]);
    expect(reader.stats).toMatchObject({ viaBus: 2, viaCatchUp: 2 });
  });
});
