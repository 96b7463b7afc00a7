// Transport benchmark: request/reply latency (p50/p99) and 1 KiB pub/sub throughput for the raw
// NATS and Redis clients against the adapters built on them, and for the in-process adapter.
// Spawns its own nats-server and redis-server on free ports, so other work on the shared
// services neither disturbs nor is disturbed by it.
//
//   npx node tools/bench/src/transport-bench.ts [--requests 5000] [--messages 100000] [--only nats|redis|in-process] [--rounds 3]
//
// The machine is shared, so each case runs several rounds, interleaved, and the table shows the
// median of the rounds for every figure.
//
// Raw Redis request/reply is a pub/sub ping-pong (request channel in, reply channel out): the
// least Redis can do for a reply. The adapter adds its Lua push (presence check) and a BLPOP hop.
import { startNatsServer, startRedisServer } from '@homeserver/testing';
import { InProcessHub, InProcessTransport, type Transport } from '@homeserver/transport';
import { connectNatsTransport, connectRedisTransport } from '@homeserver/transport/network';
import { connect as connectNats } from '@nats-io/transport-node';
import { createClient, RESP_TYPES } from '@redis/client';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '5000' },
    messages: { type: 'string', default: '100000' },
    only: { type: 'string' },
    rounds: { type: 'string', default: '3' },
  },
});
const REQUESTS = Number(values.requests);
const ROUNDS = Number(values.rounds);
const MESSAGES = Number(values.messages);
const WARMUP = Math.min(500, REQUESTS);
const BATCH = 1000;
const requestPayload = new Uint8Array(64).fill(1);
const messagePayload = new Uint8Array(1024).fill(2);

interface Row {
  name: string;
  p50?: number;
  p99?: number;
  rate?: number;
}

/** Times `count` sequential calls after a warm-up; returns p50 and p99 in milliseconds. */
async function latency(call: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < WARMUP; i++) await call();
  const samples = new Float64Array(REQUESTS);
  for (let i = 0; i < REQUESTS; i++) {
    const start = process.hrtime.bigint();
    await call();
    samples[i] = Number(process.hrtime.bigint() - start) / 1e6;
  }
  samples.sort();
  return { p50: samples[Math.floor(REQUESTS * 0.5)]!, p99: samples[Math.floor(REQUESTS * 0.99)]! };
}

/** Publishes MESSAGES in batches; resolves msgs/s once the subscriber has seen them all. */
async function throughput(
  subscribe: (onMessage: () => void) => Promise<void>,
  publish: () => unknown,
  endBatch: () => Promise<unknown>,
): Promise<number> {
  let received = 0;
  let done: () => void = () => {};
  const all = new Promise<void>((resolve) => (done = resolve));
  await subscribe(() => {
    if (++received === MESSAGES) done();
  });
  const start = process.hrtime.bigint();
  for (let sent = 0; sent < MESSAGES; ) {
    const batch: unknown[] = [];
    for (let i = 0; i < BATCH && sent < MESSAGES; i++, sent++) batch.push(publish());
    await Promise.all(batch);
    await endBatch();
  }
  await all;
  return MESSAGES / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function adapterRow(name: string, make: () => Promise<Transport>): Promise<Row> {
  const [client, server] = [await make(), await make()];
  await server.serve('bench.rpc', (payload) => payload);
  const { p50, p99 } = await latency(() => client.request('bench.rpc', requestPayload));
  const rate = await throughput(
    async (onMessage) => void (await server.subscribe('bench.msgs', onMessage)),
    () => client.publish('bench.msgs', messagePayload),
    async () => {},
  );
  await Promise.all([client.close(), server.close()]);
  return { name, p50, p99, rate };
}

async function rawNats(url: string): Promise<Row> {
  const [client, server] = [await connectNats({ servers: url }), await connectNats({ servers: url })];
  server.subscribe('raw.rpc', { callback: (_error, msg) => void msg.respond(msg.data) });
  await server.flush();
  const { p50, p99 } = await latency(() => client.request('raw.rpc', requestPayload, { timeout: 5000 }));
  let batches = 0;
  const rate = await throughput(
    async (onMessage) => {
      server.subscribe('raw.msgs', { callback: onMessage });
      await server.flush();
    },
    () => client.publish('raw.msgs', messagePayload),
    // The client buffers publishes; flushing now and then keeps its buffer bounded.
    async () => (++batches % 10 === 0 ? client.flush() : undefined),
  );
  await Promise.all([client.close(), server.close()]);
  return { name: 'NATS raw client', p50, p99, rate };
}

async function rawRedis(url: string): Promise<Row> {
  const make = async () => {
    const client = createClient({ url }).withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    await client.connect();
    return client;
  };
  const [commands, serverCommands, clientSubscriber, serverSubscriber] = await Promise.all([make(), make(), make(), make()]);
  await serverSubscriber.subscribe('raw.req', (message) => void serverCommands.publish('raw.rep', message), true);
  let waiting: (() => void) | undefined;
  await clientSubscriber.subscribe('raw.rep', () => waiting?.(), true);
  const { p50, p99 } = await latency(
    () =>
      new Promise<void>((resolve) => {
        waiting = resolve;
        void commands.publish('raw.req', Buffer.from(requestPayload));
      }),
  );
  const message = Buffer.from(messagePayload);
  const rate = await throughput(
    (onMessage) => serverSubscriber.subscribe('raw.msgs', onMessage, true),
    () => commands.publish('raw.msgs', message),
    async () => {},
  );
  for (const client of [commands, serverCommands, clientSubscriber, serverSubscriber]) client.destroy();
  return { name: 'Redis raw client', p50, p99, rate };
}

function median(rows: Row[]): Row {
  const middle = (pick: (row: Row) => number | undefined) => {
    const sorted = rows.map(pick).filter((value): value is number => value !== undefined).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  };
  return { name: rows[0]!.name, p50: middle((r) => r.p50), p99: middle((r) => r.p99), rate: middle((r) => r.rate) };
}

function format(row: Row): string {
  const ms = (value?: number) => (value === undefined ? '-' : value.toFixed(3)).padStart(9);
  const rate = row.rate === undefined ? '-' : Math.round(row.rate).toLocaleString('en-US');
  return `${row.name.padEnd(22)} ${ms(row.p50)} ${ms(row.p99)} ${rate.padStart(12)}`;
}

const [nats, redis] = await Promise.all([startNatsServer(), startRedisServer()]);
try {
  const hub = new InProcessHub();
  const wanted = (kind: string) => values.only === undefined || values.only === kind;
  const cases: (() => Promise<Row>)[] = [];
  if (wanted('in-process')) cases.push(() => adapterRow('in-process adapter', async () => new InProcessTransport({ hub })));
  if (wanted('nats')) {
    cases.push(() => rawNats(nats.url));
    cases.push(() => adapterRow('NATS adapter', () => connectNatsTransport({ servers: nats.url })));
  }
  if (wanted('redis')) {
    cases.push(() => rawRedis(redis.url));
    cases.push(() => adapterRow('Redis adapter', () => connectRedisTransport({ url: redis.url })));
  }
  const rounds: Row[][] = cases.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, run] of cases.entries()) rounds[index]!.push(await run());
  }
  const rows = rounds.map(median);
  console.log(`request/reply: ${REQUESTS} sequential 64-byte requests; pub/sub: ${MESSAGES} messages of 1 KiB;`);
  console.log(`median of ${ROUNDS} interleaved rounds\n`);
  console.log(`${'transport'.padEnd(22)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'msgs/s'.padStart(12)}`);
  for (const row of rows) console.log(format(row));
} finally {
  await Promise.all([nats.stop(), redis.stop()]);
}
