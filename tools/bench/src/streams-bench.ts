// Replication stream benchmark: rows per second end to end (writer transaction committed on
// real PostgreSQL -> StreamAdvance over the transport -> reader delivered the row), and the
// commit-to-delivery latency, through each transport adapter. Spawns its own nats-server and
// redis-server on free ports; uses a throwaway database on the machine's PostgreSQL.
//
//   npx node tools/bench/src/streams-bench.ts [--rows 10000] [--concurrency 4]
//
// Each adapter runs three shapes: 1 row per transaction (latency), 50 rows per transaction with
// `concurrency` transactions in flight (throughput, commits finish out of order), and the same
// with a checkpointed (durable) reader that stores its position with each delivery.
import { openDatabase, type Database } from '@homeserver/storage';
import { createTestDatabase } from '@homeserver/storage/testing';
import { StreamReader, StreamWriter, type StreamRecord } from '@homeserver/streams';
import { createTestStreamTable, insertTestRows, testStream, type TestRow } from '@homeserver/streams/testing';
import { startNatsServer, startRedisServer } from '@homeserver/testing';
import { InProcessHub, InProcessTransport, type Transport } from '@homeserver/transport';
import { connectNatsTransport, connectRedisTransport } from '@homeserver/transport/network';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '10000' }, concurrency: { type: 'string', default: '4' } } });
const ROWS = Number(values.rows);
const CONCURRENCY = Number(values.concurrency);
const LATENCY_ROWS = Math.min(1000, ROWS);

interface Result {
  adapter: string;
  shape: string;
  rows: number;
  rowsPerSec: number;
  p50: number;
  p99: number;
  viaBus: number;
  viaCatchUp: number;
}

let streamNo = 0;

async function run(db: Database, adapter: string, connect: () => Promise<Transport>, shape: { name: string; rows: number; batch: number; concurrency: number; checkpoint: boolean }): Promise<Result> {
  const stream = `bench_${++streamNo}`;
  const writerTransport = await connect();
  const readerTransport = await connect();
  const definition = testStream(stream);
  const writer = await StreamWriter.start(db, writerTransport, definition, { instanceName: 'bench_writer' });
  const committedAt = new Map<number, bigint>();
  const latencies: number[] = [];
  let delivered = 0;
  let allDelivered: () => void = () => {};
  const done = new Promise<void>((resolve) => (allDelivered = resolve));
  const reader = await StreamReader.start(db, readerTransport, definition, {
    writers: ['bench_writer'],
    startAt: 'current',
    ...(shape.checkpoint ? { checkpoint: `bench_${stream}` } : {}),
    deliver: async (records: StreamRecord<TestRow>[], { tx }) => {
      if (tx) await tx.query('SELECT 1');
      const now = process.hrtime.bigint();
      for (const record of records) {
        const at = committedAt.get(record.position);
        if (at !== undefined) latencies.push(Number(now - at) / 1e6);
      }
      delivered += records.length;
      if (delivered >= shape.rows) allDelivered();
    },
  });

  const started = process.hrtime.bigint();
  let next = 0;
  async function worker(): Promise<void> {
    while (next < shape.rows) {
      const first = next;
      const count = Math.min(shape.batch, shape.rows - first);
      next += count;
      const { value: positions } = await writer.write(async (tx) => {
        const taken = await tx.allocate(count);
        const rows = taken.map((position, i) => ({ position, row: { n: first + i, text: `bench row ${first + i}` } }));
        await insertTestRows(tx, stream, 'bench_writer', rows);
        for (const { position, row } of rows) tx.addRow(position, row);
        return taken;
      });
      const now = process.hrtime.bigint();
      for (const position of positions) committedAt.set(position, now);
    }
  }
  // Progress on stderr, so a stall shows where it is.
  const progress = setInterval(() => {
    process.stderr.write(`${adapter} ${shape.name}: delivered ${delivered}/${shape.rows}, writer at ${writer.position}, reader at ${reader.positionOf('bench_writer')}\n`);
  }, 5000);
  await Promise.all(Array.from({ length: shape.concurrency }, () => worker()));
  let stalled: NodeJS.Timeout | undefined;
  await Promise.race([
    done,
    new Promise<never>((_, reject) => {
      stalled = setTimeout(() => reject(new Error(`${adapter} ${shape.name}: reader stalled at ${delivered}/${shape.rows} rows (writer at ${writer.position}, reader at ${reader.positionOf('bench_writer')})`)), 120_000);
    }),
  ]);
  clearTimeout(stalled);
  clearInterval(progress);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // Stats count a batch once its delivery returned; let the last one settle.
  await reader.waitFor({ writer: 'bench_writer', position: writer.position }, 5000);
  latencies.sort((a, b) => a - b);
  const result = {
    adapter,
    shape: shape.name,
    rows: delivered,
    rowsPerSec: delivered / seconds,
    p50: latencies[Math.floor(latencies.length * 0.5)] ?? NaN,
    p99: latencies[Math.floor(latencies.length * 0.99)] ?? NaN,
    viaBus: reader.stats.viaBus,
    viaCatchUp: reader.stats.viaCatchUp,
  };
  await reader.close();
  await writer.close();
  await readerTransport.close();
  await writerTransport.close();
  return result;
}

const pg = await createTestDatabase('hs_bench');
const db = await openDatabase({ ...pg.options, maxConnections: CONCURRENCY + 4 });
await createTestStreamTable(db);
const nats = await startNatsServer();
const redis = await startRedisServer();
const hub = new InProcessHub();
const adapters: Array<[string, () => Promise<Transport>]> = [
  ['in-process', async () => new InProcessTransport({ hub })],
  ['nats', () => connectNatsTransport({ servers: nats.url })],
  ['redis', () => connectRedisTransport({ url: redis.url })],
];
const shapes = [
  { name: '1 row/tx, sequential', rows: LATENCY_ROWS, batch: 1, concurrency: 1, checkpoint: false },
  { name: `50 rows/tx, ${CONCURRENCY} tx in flight`, rows: ROWS, batch: 50, concurrency: CONCURRENCY, checkpoint: false },
  { name: `50 rows/tx, ${CONCURRENCY} in flight, durable reader`, rows: ROWS, batch: 50, concurrency: CONCURRENCY, checkpoint: true },
];
const results: Result[] = [];
try {
  for (const [name, connect] of adapters) {
    for (const shape of shapes) results.push(await run(db, name, connect, shape));
  }
} finally {
  await db.close();
  await pg.drop();
  await nats.stop();
  await redis.stop();
}

const header = ['adapter', 'shape', 'rows', 'rows/s', 'p50 ms', 'p99 ms', 'via bus', 'via catch-up'];
const table = results.map((r) => [r.adapter, r.shape, String(r.rows), r.rowsPerSec.toFixed(0), r.p50.toFixed(2), r.p99.toFixed(2), String(r.viaBus), String(r.viaCatchUp)]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
console.log(`streams end to end on PostgreSQL (commit -> reader delivered), latency = commit returned -> row delivered`);
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const row of table) console.log(line(row));
