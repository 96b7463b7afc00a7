// Actor benchmark: ask round-trip latency (p50/p99) for a local actor (direct call into its
// mailbox), and for a remote one over the in-process, NATS and Redis transports, each next to
// the raw request/reply it is built on, so the actor layer's own cost is visible.
// Spawns its own nats-server and redis-server on free ports.
//
//   npx node tools/bench/src/actors-bench.ts [--asks 10000] [--warmup 1000]
import { ActorSystem, defineActor, RendezvousPlacement } from '@homeserver/actors';
import { startNatsServer, startRedisServer } from '@homeserver/testing';
import { authenticateTransport, InProcessHub, InProcessTransport, type Transport } from '@homeserver/transport';
import { connectNatsTransport, connectRedisTransport } from '@homeserver/transport/network';
import { connect as connectNats } from '@nats-io/transport-node';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { asks: { type: 'string', default: '10000' }, warmup: { type: 'string', default: '1000' } },
});
const ASKS = Number(values.asks);
const WARMUP = Number(values.warmup);

// A small protocol shaped like a persister's: a message in, a small result and positions out.
const room = defineActor('bench-room', {
  create(key) {
    let count = 0;
    return {
      append(message: { sender: string; body: string }) {
        count++;
        return { eventId: `$${key}-${count}`, sender: message.sender };
      },
    };
  },
});
const message = { sender: '@alice:example.org', body: 'hello world, this is a benchmark message' };
const rawPayload = new TextEncoder().encode(JSON.stringify({ kind: 'bench-room', key: '!room:example.org', message }));

interface Row {
  readonly name: string;
  readonly p50: number;
  readonly p99: number;
}

async function latency(name: string, call: () => Promise<unknown>): Promise<Row> {
  // Progress on stderr, so a slow run on a busy machine shows where it is; results go to stdout.
  process.stderr.write(`measuring ${name}...\n`);
  for (let i = 0; i < WARMUP; i++) await call();
  const samples = new Float64Array(ASKS);
  for (let i = 0; i < ASKS; i++) {
    const start = process.hrtime.bigint();
    await call();
    samples[i] = Number(process.hrtime.bigint() - start) / 1e6;
  }
  samples.sort();
  return { name, p50: samples[Math.floor(ASKS * 0.5)]!, p99: samples[Math.floor(ASKS * 0.99)]! };
}

/** Two actor systems, "edge" and "persister"; every bench-room key lives on "persister". */
async function remoteRows(label: string, make: () => Promise<Transport>): Promise<Row[]> {
  const [edgeTransport, persisterTransport] = [await make(), await make()];
  await persisterTransport.serve('bench.echo', (payload) => payload);
  const rawRow = await latency(`${label}: raw request`, () => edgeTransport.request('bench.echo', rawPayload));
  const placement = new RendezvousPlacement({ instances: { 'bench-room': ['persister'] } });
  const edge = new ActorSystem({ instance: 'edge', placement, transport: edgeTransport });
  const persister = new ActorSystem({ instance: 'persister', placement, transport: persisterTransport }).host(room);
  await edge.start();
  await persister.start();
  const client = edge.client(room);
  const askRow = await latency(`${label}: actor ask`, () => client.ask('!room:example.org', 'append', message));
  await edge.stop();
  await persister.stop();
  await Promise.all([edgeTransport.close(), persisterTransport.close()]);
  return [rawRow, askRow];
}

async function rawNatsRow(url: string): Promise<Row> {
  const [client, server] = [await connectNats({ servers: url }), await connectNats({ servers: url })];
  server.subscribe('raw.rpc', { callback: (_error, msg) => void msg.respond(msg.data) });
  await server.flush();
  const row = await latency('NATS: raw client', () => client.request('raw.rpc', rawPayload, { timeout: 5000 }));
  await Promise.all([client.close(), server.close()]);
  return row;
}

async function localRow(): Promise<Row> {
  const system = new ActorSystem({ instance: 'main' }).host(room);
  const client = system.client(room);
  const row = await latency('local: actor ask (direct)', () => client.ask('!room:example.org', 'append', message));
  await system.stop();
  return row;
}

function format(row: Row, baseline?: Row): string {
  const ms = (value: number) => value.toFixed(3).padStart(9);
  const ratio = baseline && baseline !== row ? `${(row.p50 / baseline.p50).toFixed(2)}x / ${(row.p99 / baseline.p99).toFixed(2)}x` : '';
  return `${row.name.padEnd(30)} ${ms(row.p50)} ${ms(row.p99)}   ${ratio}`;
}

const [nats, redis] = await Promise.all([startNatsServer(), startRedisServer()]);
try {
  const hub = new InProcessHub();
  const local = await localRow();
  const inProcess = await remoteRows('in-process', async () => new InProcessTransport({ hub }));
  const natsRaw = await rawNatsRow(nats.url);
  const natsRows = await remoteRows('NATS', () => connectNatsTransport({ servers: nats.url }));
  const redisRows = await remoteRows('Redis', () => connectRedisTransport({ url: redis.url }));
  // The same asks with every frame sealed and checked under worker_replication_secret, as a worker cluster runs them.
  const sealed = { secret: 'bench-replication-secret' };
  const natsMacRows = await remoteRows('NATS + MAC', async () => authenticateTransport(await connectNatsTransport({ servers: nats.url }), sealed));
  const redisMacRows = await remoteRows('Redis + MAC', async () => authenticateTransport(await connectRedisTransport({ url: redis.url }), sealed));
  console.log(`${ASKS} sequential asks after ${WARMUP} warm-up asks; message ${rawPayload.byteLength} bytes of JSON`);
  console.log(`ratios: p50 / p99 against the raw request/reply of the same transport\n`);
  console.log(`${'path'.padEnd(30)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)}   vs raw`);
  console.log(format(local));
  for (const row of inProcess) console.log(format(row, inProcess[0]));
  console.log(format(natsRaw));
  for (const row of natsRows) console.log(format(row, natsRaw));
  for (const row of redisRows) console.log(format(row, redisRows[0]));
  for (const row of natsMacRows) console.log(format(row, natsRaw));
  for (const row of redisMacRows) console.log(format(row, redisRows[0]));
} finally {
  await Promise.all([nats.stop(), redis.stop()]);
}
