// Writers on real PostgreSQL, where transactions truly run concurrently: a later transaction
// commits while an earlier one is still open, and two writer instances share one sequence.
import { openDatabase, type Database } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { InProcessHub, InProcessTransport } from '@homeserver/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamReader } from './stream-reader.ts';
import { StreamWriter } from './stream-writer.ts';
import type { StreamRecord } from './stream-definition.ts';
import { createTestStreamTable, insertTestRow, testStream, type TestRow } from './testing/test-stream.ts';

let pg: TestPostgres;
let db: Database;
beforeAll(async () => {
  pg = await createTestDatabase('hs_streams_w');
  db = await openDatabase(pg.options);
  await createTestStreamTable(db);
});
afterAll(async () => {
  await db?.close();
  await pg?.drop();
});

describe('StreamWriter on PostgreSQL', () => {
  it('holds its position below an open transaction while a later one commits', async () => {
    const hub = new InProcessHub();
    const definition = testStream('pg_inflight');
    const writer = await StreamWriter.start(db, new InProcessTransport({ hub }), definition, { instanceName: 'w1', heartbeatMs: 60_000 });
    const received: StreamRecord<TestRow>[] = [];
    const reader = await StreamReader.start(db, new InProcessTransport({ hub }), definition, {
      writers: ['w1'],
      startAt: 'beginning',
      deliver: (records) => void received.push(...records),
    });
    const start = writer.position;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let allocated: () => void = () => {};
    const firstAllocated = new Promise<void>((resolve) => (allocated = resolve));
    const slow = writer.write(async (tx) => {
      const [p] = await tx.allocate();
      await insertTestRow(tx, 'pg_inflight', 'w1', p!, { n: 0, text: 'slow' });
      tx.addRow(p!, { n: 0, text: 'slow' });
      allocated();
      await gate;
    });
    await firstAllocated;
    const fast = await writer.write(async (tx) => {
      const [p] = await tx.allocate();
      await insertTestRow(tx, 'pg_inflight', 'w1', p!, { n: 1, text: 'fast' });
      tx.addRow(p!, { n: 1, text: 'fast' });
    });
    // The fast row is committed, but announcing it would let readers skip the slow one.
    expect(writer.position).toBe(start);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toEqual([]);
    release();
    const slowResult = await slow;
    expect(slowResult.position).toBeLessThan(fast.position);
    expect(writer.position).toBe(fast.position);
    await reader.waitFor({ writer: 'w1', position: fast.position }, 2000);
    expect(received.map((r) => r.data.text)).toEqual(['slow', 'fast']);
    await reader.close();
    await writer.close();
  });

  it('two writers of one stream write concurrently; a reader gets each row once, in order per writer', async () => {
    const hub = new InProcessHub();
    const definition = testStream('pg_two_writers');
    const writers = await Promise.all(
      ['a', 'b'].map((name) => StreamWriter.start(db, new InProcessTransport({ hub }), definition, { instanceName: name, heartbeatMs: 100 })),
    );
    const received: StreamRecord<TestRow>[] = [];
    const reader = await StreamReader.start(db, new InProcessTransport({ hub }), definition, {
      writers: ['a', 'b'],
      startAt: 'beginning',
      deliver: (records) => void received.push(...records),
    });
    await Promise.all(
      writers.flatMap((writer) =>
        [0, 1, 2, 3].map(async (lane) => {
          for (let i = 0; i < 10; i++) {
            const n = lane * 10 + i;
            await writer.write(async (tx) => {
              const [p] = await tx.allocate();
              await insertTestRow(tx, 'pg_two_writers', writer.instanceName, p!, { n, text: `${writer.instanceName}${n}` });
              tx.addRow(p!, { n, text: `${writer.instanceName}${n}` });
            });
          }
        }),
      ),
    );
    const target = Object.fromEntries(writers.map((w) => [w.instanceName, w.position]));
    await reader.waitFor({ writer: 'a', position: target.a! }, 3000);
    await reader.waitFor({ writer: 'b', position: target.b! }, 3000);
    for (const name of ['a', 'b']) {
      const mine = received.filter((r) => r.writer === name);
      expect(mine.map((r) => r.data.n).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i));
      expect(mine.map((r) => r.position)).toEqual(mine.map((r) => r.position).sort((x, y) => x - y));
    }
    // Positions are unique across writers: one sequence serves both.
    expect(new Set(received.map((r) => r.position)).size).toBe(80);
    // The idle writer's heartbeat lifts the floor to the stream's newest position.
    const newest = Math.max(...received.map((r) => r.position));
    const deadline = Date.now() + 3000;
    while (reader.position.min < newest && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reader.position.min).toBe(newest);
    await reader.close();
    await Promise.all(writers.map((w) => w.close()));
  });
});
