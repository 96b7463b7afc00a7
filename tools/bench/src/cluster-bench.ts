// Client-Server API benchmark of a worker cluster (main, sync workers, event persisters, each its
// own process, on PostgreSQL over NATS or Redis, behind the generated nginx config): send
// throughput with concurrent senders, send-to-sync delivery latency seen by long-polling users,
// and each process's CPU and RSS over the run.
//
//   npx node tools/bench/src/cluster-bench.ts [--transport=nats|redis|both] [--persisters=2] [--syncs=1]
//     [--messages=5000] [--senders=50] [--rooms=10] [--latency-messages=1000] [--latency-rate=<msg/s>]
//     [--latency-warmup=1]
//
//   --latency-warmup: rounds of one message per sender sent before the latency run's messages, on
//   the same schedule, whose deliveries are printed apart (as client-api-bench's).
import { parseArgs } from 'node:util';
import { startCluster, type Cluster, type ClusterTransport } from './cluster/cluster.ts';
import { deliveryLatency, parkedLongPolls, sendThroughput, setupRooms, warmupLine, warmupRounds } from './client-api/scenarios.ts';

const { values } = parseArgs({
  options: {
    transport: { type: 'string', default: 'nats' },
    persisters: { type: 'string', default: '2' },
    syncs: { type: 'string', default: '1' },
    messages: { type: 'string', default: '5000' },
    senders: { type: 'string', default: '50' },
    rooms: { type: 'string', default: '10' },
    'latency-messages': { type: 'string', default: '1000' },
    'latency-rate': { type: 'string' },
    'latency-warmup': { type: 'string', default: '1' },
  },
});
const transports: ClusterTransport[] = values.transport === 'both' ? ['nats', 'redis'] : [values.transport as ClusterTransport];
for (const t of transports) if (t !== 'nats' && t !== 'redis') throw new Error(`--transport must be nats, redis or both, got ${JSON.stringify(values.transport)}`);
const SENDERS = Number(values.senders);
const ROOMS = Number(values.rooms);
const MESSAGES = Number(values.messages);
const LATENCY_MESSAGES = Number(values['latency-messages']);
const LATENCY_RATE = values['latency-rate'] === undefined ? undefined : Number(values['latency-rate']);
const LATENCY_WARMUP = warmupRounds(values['latency-warmup']);

const out = (line: string) => process.stdout.write(`${line}\n`);
const ms = (n: number) => `${n.toFixed(0)} ms`;

/** Runs `work` and prints each process's CPU use (seconds and % of a core) and RSS after it. */
async function measured<T>(cluster: Cluster, label: string, work: () => Promise<T>): Promise<T> {
  const before = await Promise.all(cluster.processes.map((p) => p.cpuSeconds()));
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const parts = await Promise.all(cluster.processes.map(async (p, i) => {
    const cpu = (await p.cpuSeconds()) - before[i]!;
    return `${p.name} ${cpu.toFixed(1)} s (${((cpu / seconds) * 100).toFixed(0)}%) ${(await p.rssMiB()).toFixed(0)} MiB`;
  }));
  out(`  ${label} per process (CPU, % of a core, RSS): ${parts.join('; ')}`);
  return result;
}

/** Long-polls parked over the cluster's processes (those that serve /sync report them). */
async function parkedInCluster(cluster: Cluster): Promise<number> {
  const pages = await Promise.all(cluster.processes.map((p) => fetch(`http://127.0.0.1:${p.port}/metrics`).then((r) => r.text(), () => '')));
  return pages.reduce((sum, page) => sum + parkedLongPolls(page), 0);
}

async function benchmark(transport: ClusterTransport): Promise<void> {
  out(`\n== cluster on PostgreSQL over ${transport}: main, ${values.syncs} sync, ${values.persisters} persisters, nginx ==`);
  const cluster = await startCluster({ transport, persisters: Number(values.persisters), syncs: Number(values.syncs) });
  try {
    const setup = await setupRooms(cluster.baseUrl, { users: SENDERS, rooms: ROOMS, tag: transport });
    out(`setup: ${SENDERS} users in ${ROOMS} rooms`);
    const perSender = Math.max(1, Math.round(MESSAGES / SENDERS));
    const tp = await measured(cluster, 'throughput run', () => sendThroughput(cluster.baseUrl, setup, perSender));
    out(`send throughput: ${tp.messages} messages from ${SENDERS} concurrent senders into ${ROOMS} rooms in ${tp.seconds.toFixed(1)} s = ${tp.perSecond.toFixed(0)} msg/s (send p50 ${ms(tp.sendP50)}, p99 ${ms(tp.sendP99)})`);
    const latencyPerSender = Math.max(1, Math.round(LATENCY_MESSAGES / SENDERS));
    const l = await measured(cluster, 'latency run', () => deliveryLatency(cluster.baseUrl, setup, latencyPerSender, { rate: LATENCY_RATE, warmupRounds: LATENCY_WARMUP, parked: () => parkedInCluster(cluster) }));
    out(`send->sync latency: ${SENDERS} long-polling users, ${l.messages} messages sent ${LATENCY_RATE === undefined ? 'at full speed' : `on a schedule of ${LATENCY_RATE} msg/s`} (${l.perSecond.toFixed(0)} msg/s; send p50 ${ms(l.sendP50)}, p99 ${ms(l.sendP99)}): delivery p50 ${ms(l.p50)}, p99 ${ms(l.p99)}, max ${ms(l.max)} over ${l.samples}/${l.expected} deliveries in ${l.answers} /sync answers`);
    if (l.warmup) out(warmupLine(l.warmup, LATENCY_WARMUP));
    if (l.pollErrors > 0) out(`  ${l.pollErrors} long-polls failed without an answer and were retried (last: ${l.lastPollError})`);
  } finally {
    await cluster.stop();
  }
}

for (const transport of transports) await benchmark(transport);
