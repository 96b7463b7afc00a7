// Client-Server API benchmark of the monolith (apps/main as a child process) on the embedded
// default (PGlite) and on real PostgreSQL: send throughput with concurrent senders, send-to-sync
// delivery latency seen by long-polling users, initial sync of a user in many rooms, and the
// server's resident memory idle and under load.
//
//   npx node tools/bench/src/client-api-bench.ts [--storage=pglite|postgres|both] [--messages=5000]
//     [--senders=50] [--rooms=10] [--latency-messages=1000] [--latency-rate=<msg/s>] [--latency-warmup=1] [--initial-rooms=100] [--initial-messages=20] [--initial-repeats=10]
//     [--lone-messages=300] [--only=lone-sends|throughput|latency|initial-sync]
//
//   Initial sync: --initial-repeats answers for the same user; the first (cold) apart, then the p50 of the others and their server CPU.
//   --only runs one scenario alone (no idle waits, no other scenario, no restart): the quick loop
//   while working on one path. lone-sends: one user sends --lone-messages messages one at a
//   time, 25 ms apart, nobody long-polling: what a send costs a server that does nothing else (a
//   quiet server's every send). initial-sync also prints the statements of the warm answers.
//   HS_BENCH_CONFIG_JSON='{...}' adds homeserver.yaml keys (e.g. node_heap) to the server's config.
//   On a PostgreSQL started with shared_preload_libraries = 'pg_stat_statements' the throughput
//   and latency runs also print the statements the server ran per message, the most frequent first
//   (and the part spent planning them, with pg_stat_statements.track_planning = on).
//   The latency run starts sending once the server holds every poller's long-poll, and prints
//   the server's garbage collections beside the bench's own collections, event-loop delay and CPU
//   (the bench's stalls are part of the latencies it measures, and its CPU is taken from the server's machine).
//   --latency-rate sends the latency run's messages on a fixed schedule (the same offered load
//   for every server) instead of each sender's next message as soon as the previous answered.
//   --latency-warmup: rounds of one message per sender sent first, on the same schedule, whose
//   deliveries are printed apart (a fresh server runs unoptimized code for its first few hundred
//   milliseconds of this load); 0 counts every message.
//   PostgreSQL is the one of the tests (HS_TEST_PG_HOST, HS_TEST_PG_PORT...); a socket folder as
//   HS_TEST_PG_HOST (e.g. /var/run/postgresql) connects over the Unix socket instead of TCP.
//   Each figure comes with the load average and the CPU the server and its PostgreSQL backends
//   spent per message, which a shared machine's load skews far less than wall-clock times, and
//   the PostgreSQL transactions per message and per /sync answer (pg_stat_database: a statement
//   outside a transaction counts one), which it does not skew at all.
import { loadavg } from 'node:os';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startChildServer, type ChildServer, type StorageMode } from './client-api/child-server.ts';
import { deliveryLatency, initialSync, loneSends, parkedLongPolls, sendThroughput, setupRooms, warmupLine, warmupRounds } from './client-api/scenarios.ts';
import { serverGcShares, serverTimeShares } from './client-api/server-timings.ts';
import { percentile } from './client-api/client.ts';
import { StatementCounter } from './client-api/statement-counts.ts';

const { values } = parseArgs({
  options: {
    storage: { type: 'string', default: 'both' },
    messages: { type: 'string', default: '5000' },
    senders: { type: 'string', default: '50' },
    rooms: { type: 'string', default: '10' },
    'latency-messages': { type: 'string', default: '1000' },
    'latency-rate': { type: 'string' },
    'latency-warmup': { type: 'string', default: '1' },
    'lone-messages': { type: 'string', default: '300' },
    'initial-rooms': { type: 'string', default: '100' },
    'initial-messages': { type: 'string', default: '20' },
    'initial-repeats': { type: 'string', default: '10' },
    only: { type: 'string' },
  },
});
const modes: StorageMode[] = values.storage === 'both' ? ['pglite', 'postgres'] : [values.storage as StorageMode];
for (const mode of modes) if (mode !== 'pglite' && mode !== 'postgres') throw new Error(`--storage must be pglite, postgres or both, got ${JSON.stringify(values.storage)}`);
const SENDERS = Number(values.senders);
const ROOMS = Number(values.rooms);
const MESSAGES = Number(values.messages);
const LATENCY_MESSAGES = Number(values['latency-messages']);
const LATENCY_RATE = values['latency-rate'] === undefined ? undefined : Number(values['latency-rate']);
const LATENCY_WARMUP = warmupRounds(values['latency-warmup']);
const SCENARIOS = ['lone-sends', 'throughput', 'latency', 'initial-sync'];
if (values.only !== undefined && !SCENARIOS.includes(values.only)) throw new Error(`--only takes ${SCENARIOS.join(', ')}, got ${JSON.stringify(values.only)}`);
/** Whether this run includes the scenario (every one unless --only names another). */
const runs = (scenario: (typeof SCENARIOS)[number]) => values.only === undefined || values.only === scenario;
if (!(Number(values['initial-repeats']) >= 2)) throw new Error(`--initial-repeats must be 2 or more (the first answer is cold, the others are measured), got ${JSON.stringify(values['initial-repeats'])}`);
const LONE_MESSAGES = Number(values['lone-messages']);
/** The pause between two lone sends: the server is idle when each arrives. */
const LONE_GAP_MS = 25;
if (LATENCY_RATE !== undefined && !(LATENCY_RATE > 0)) throw new Error(`--latency-rate must be a positive number of messages per second, got ${JSON.stringify(values['latency-rate'])}`);

const out = (line: string) => process.stdout.write(`${line}\n`);
const ms = (n: number) => `${n.toFixed(0)} ms`;
const median = (values: readonly number[]) => percentile([...values].sort((a, b) => a - b), 50);

/** The bench's own event-loop delay is sampled this often (Node counts the interval in each sample). */
const CLIENT_SAMPLE_MS = 5;

/** The machine's 1-minute load average, printed with every figure (the machine is shared). */
const load = () => `load average ${loadavg()[0]!.toFixed(2)}`;

/** PostgreSQL's statistics reach pg_stat_database within about a second of a transaction. */
const statsSettled = () => new Promise((resolve) => setTimeout(resolve, 1500));

/** CPU seconds the server and its PostgreSQL backends spent while `work` ran, and the transactions it cost. */
async function withCpu<T>(server: ChildServer, work: () => Promise<T>): Promise<{ result: T; server: number; postgres: number; transactions: number }> {
  await statsSettled();
  const [server0, postgres0, transactions0] = [await server.cpuSeconds(), await server.postgresCpuSeconds(), await server.postgresTransactions()];
  const result = await work();
  const [server1, postgres1] = [await server.cpuSeconds(), await server.postgresCpuSeconds()];
  await statsSettled();
  return { result, server: server1 - server0, postgres: postgres1 - postgres0, transactions: (await server.postgresTransactions()) - transactions0 };
}

const perMessage = (cpu: { server: number; postgres: number }, messages: number) =>
  `server CPU ${((cpu.server * 1000) / messages).toFixed(2)} ms and PostgreSQL CPU ${((cpu.postgres * 1000) / messages).toFixed(2)} ms per message`;

/** Samples the child's RSS every 250 ms while `work` runs; returns its result and the peak. */
async function withPeakRss<T>(server: ChildServer, work: () => Promise<T>): Promise<{ result: T; peakMiB: number }> {
  let peak = await server.rssMiB();
  const timer = setInterval(() => {
    server.rssMiB().then((rss) => (peak = Math.max(peak, rss)), () => {});
  }, 250);
  try {
    const result = await work();
    return { result, peakMiB: Math.max(peak, await server.rssMiB()) };
  } finally {
    clearInterval(timer);
  }
}

async function benchmark(mode: StorageMode): Promise<void> {
  out(`\n== ${mode} ==`);
  const bootStart = performance.now();
  const server = await startChildServer(mode);
  try {
    const startedMs = performance.now() - bootStart;
    // A fresh PGlite data folder is made by a second, temporary PGlite (initdb) whose memory
    // is only returned once V8 collects it: read the idle RSS once that settled.
    const atStart = await server.rssMiB();
    if (values.only !== undefined) {
      out(`started in ${ms(startedMs)}; RSS at start ${atStart.toFixed(0)} MiB`);
    } else {
      await new Promise((resolve) => setTimeout(resolve, 15_000));
      out(`started in ${ms(startedMs)}; RSS at start ${atStart.toFixed(0)} MiB, idle 15 s later ${(await server.rssMiB()).toFixed(0)} MiB (${await server.heap()})`);
    }
    if (values.only === 'initial-sync') return await initialSyncRun(server, mode);
    const setup = await setupRooms(server.baseUrl, { users: SENDERS, rooms: ROOMS, tag: mode });
    out(`setup: ${SENDERS} users in ${ROOMS} rooms; RSS ${(await server.rssMiB()).toFixed(0)} MiB`);

    if (runs('lone-sends')) {
      const loneCounter = await openStatementCounter(server);
      const lone = await withCpu(server, () => loneSends(server.baseUrl, setup, LONE_MESSAGES, LONE_GAP_MS));
      out(`lone sends: ${lone.result.messages} messages one at a time, ${LONE_GAP_MS} ms apart, nobody long-polling: send p50 ${lone.result.sendP50.toFixed(1)} ms, p99 ${lone.result.sendP99.toFixed(1)} ms; ${load()}`);
      out(`  ${perMessage(lone, lone.result.messages)}; ${(lone.transactions / lone.result.messages).toFixed(2)} PostgreSQL transactions per message`);
      await printStatements(loneCounter, lone.result.messages);
    }

    if (runs('throughput')) {
      const perSender = Math.max(1, Math.round(MESSAGES / SENDERS));
      const tpCounter = await openStatementCounter(server);
      const tpCpu = await withCpu(server, () => withPeakRss(server, () => sendThroughput(server.baseUrl, setup, perSender)));
      const tp = tpCpu.result;
      out(`send throughput: ${tp.result.messages} messages from ${SENDERS} concurrent senders into ${ROOMS} rooms in ${tp.result.seconds.toFixed(1)} s = ${tp.result.perSecond.toFixed(0)} msg/s (send p50 ${ms(tp.result.sendP50)}, p99 ${ms(tp.result.sendP99)}); peak RSS ${tp.peakMiB.toFixed(0)} MiB; ${load()}`);
      out(`  ${perMessage(tpCpu, tp.result.messages)}; ${(tpCpu.transactions / tp.result.messages).toFixed(2)} PostgreSQL transactions per message`);
      await printStatements(tpCounter, tp.result.messages);
    }
    if (!runs('latency')) return;

    const latencyPerSender = Math.max(1, Math.round(LATENCY_MESSAGES / SENDERS));
    const latCounter = await openStatementCounter(server);
    const metricsBefore = await server.metrics();
    // This process's own stalls delay when an answer is seen, as the server's delay when it is sent.
    const clientDelay = monitorEventLoopDelay({ resolution: CLIENT_SAMPLE_MS });
    clientDelay.enable();
    const clientGc = { count: 0, ms: 0, max: 0 };
    const gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) Object.assign(clientGc, { count: clientGc.count + 1, ms: clientGc.ms + entry.duration, max: Math.max(clientGc.max, entry.duration) });
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    const clientCpuBefore = process.cpuUsage();
    const latCpu = await withCpu(server, () => withPeakRss(server, () => deliveryLatency(server.baseUrl, setup, latencyPerSender, { rate: LATENCY_RATE, warmupRounds: LATENCY_WARMUP, parked: async () => parkedLongPolls(await server.metrics()) })));
    const lat = latCpu.result;
    const l = lat.result;
    // The CPU, transactions, statements and the server's send timings cover the warm-up rounds too.
    const sentInAll = l.messages + (l.warmup?.messages ?? 0);
    const deliveredInAll = l.samples + (l.warmup?.samples ?? 0);
    out(`send->sync latency: ${SENDERS} long-polling users, ${l.messages} messages sent ${LATENCY_RATE === undefined ? 'at full speed' : `on a schedule of ${LATENCY_RATE} msg/s`} (${l.perSecond.toFixed(0)} msg/s; send p50 ${ms(l.sendP50)}, p99 ${ms(l.sendP99)}): delivery p50 ${ms(l.p50)}, p99 ${ms(l.p99)}, max ${ms(l.max)} over ${l.samples}/${l.expected} deliveries in ${l.answers} /sync answers; peak RSS ${lat.peakMiB.toFixed(0)} MiB; ${load()}`);
    if (l.warmup) out(warmupLine(l.warmup, LATENCY_WARMUP));
    out(`  ${perMessage(latCpu, sentInAll)}; server ${((latCpu.server * 1000) / deliveredInAll).toFixed(2)} ms per delivery`);
    const clientCpu = process.cpuUsage(clientCpuBefore);
    clientDelay.disable();
    gcObserver.disconnect();
    const metricsAfter = await server.metrics();
    out(`  sends timed by the server: ${serverTimeShares(metricsBefore, metricsAfter, 'PUT', '/send/')}`);
    out(`  garbage collections: server ${serverGcShares(metricsBefore, metricsAfter)}; bench client ${clientGc.count} in ${ms(clientGc.ms)} (longest ${clientGc.max.toFixed(1)} ms), its event-loop delay p99 ${ms(clientDelay.percentile(99) / 1e6 - CLIENT_SAMPLE_MS)}, max ${ms(clientDelay.max / 1e6 - CLIENT_SAMPLE_MS)}, its CPU ${((clientCpu.user + clientCpu.system) / 1000 / sentInAll).toFixed(2)} ms per message`);
    // Statements outside a transaction count one each: what the sends cost (the figure above) plus what each /sync answer cost.
    out(`  ${latCpu.transactions} PostgreSQL transactions: ${(latCpu.transactions / sentInAll).toFixed(2)} per message, ${(latCpu.transactions / l.answers).toFixed(2)} per /sync answer`);
    await printStatements(latCounter, sentInAll);
    if (l.pollErrors > 0) out(`  ${l.pollErrors} long-polls failed without an answer and were retried (last: ${l.lastPollError})`);
    if (values.only !== undefined) return;

    await new Promise((resolve) => setTimeout(resolve, 3000));
    out(`RSS idle after load ${(await server.rssMiB()).toFixed(0)} MiB (${await server.heap()})`);
    // V8 shrinks an idle heap on its own (its memory reducer) only some seconds later: read again.
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    out(`RSS idle 30 s later ${(await server.rssMiB()).toFixed(0)} MiB (${await server.heap()})`);

    await initialSyncRun(server, mode);

    // A server restarted on its data (no initdb this time) is what a long-running one idles at.
    await server.restart();
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    out(`RSS idle 15 s after a restart on the same data ${(await server.rssMiB()).toFixed(0)} MiB (${await server.heap()})`);
  } finally {
    await server.stop();
  }
}

/** The initial sync scenario: its times, its server CPU per warm answer and (on PostgreSQL) the statements of the warm answers. */
async function initialSyncRun(server: ChildServer, mode: StorageMode): Promise<void> {
  let counter: StatementCounter | string | undefined;
  const repeats = Number(values['initial-repeats']);
  const init = await withPeakRss(server, () =>
    initialSync(server.baseUrl, {
      rooms: Number(values['initial-rooms']),
      messages: Number(values['initial-messages']),
      repeats,
      tag: mode,
      cpuSeconds: () => server.cpuSeconds(),
      beforeWarm: async () => void (counter = await openStatementCounter(server)),
    }),
  );
  const i = init.result;
  out(`initial sync: user in ${i.rooms} rooms x ${values['initial-messages']} messages (setup ${i.setupSeconds.toFixed(1)} s): first ${ms(i.timesMs[0]!)}, then p50 ${ms(median(i.timesMs.slice(1)))} (${i.timesMs.slice(1).map(ms).join(', ')}), server CPU ${i.warmCpuMs?.toFixed(1)} ms per answer after the first (${i.joinedInResponse} joined rooms in the answer); peak RSS ${init.peakMiB.toFixed(0)} MiB; ${load()}`);
  if (i.roomIdCollisions > 0) out(`  ${i.roomIdCollisions} createRoom calls answered M_ROOM_IN_USE (same-millisecond v12 create events) and were retried`);
  await printStatements(counter, repeats - 1, 'answer');
}

/** A statement counter reset now, for a server on PostgreSQL (the reason there is none, else). */
async function openStatementCounter(server: ChildServer): Promise<StatementCounter | string | undefined> {
  const counter = server.postgres ? await StatementCounter.open(server.postgres) : undefined;
  if (counter instanceof StatementCounter) await counter.reset();
  return counter;
}

/** The statements run since the counter was opened, per message, the most frequent first. */
async function printStatements(counter: StatementCounter | string | undefined, messages: number, unit = 'message'): Promise<void> {
  if (typeof counter === 'string') out(`  statements per ${unit}: unknown, ${counter}`);
  if (!(counter instanceof StatementCounter)) return;
  // Read at once: the idle server's own periodic statements would creep in.
  const counts = await counter.read();
  await counter.close();
  // Planning is counted only with pg_stat_statements.track_planning on; shown then.
  const planned = (ms: number) => (counts.planMs > 0 ? ` (planning ${(ms / messages).toFixed(3)})` : '');
  const per = unit === 'message' ? 'msg' : unit;
  out(`  statements per ${unit} ${(counts.calls / messages).toFixed(2)} (${counts.calls} in all), planned and executed in ${(counts.ms / messages).toFixed(3)} ms per ${unit}${planned(counts.planMs)}; most frequent:`);
  for (const row of counts.top) out(`    ${(row.calls / messages).toFixed(3)}/${per} ${(row.ms / messages).toFixed(3)} ms/${per}${planned(row.planMs)}  ${row.query}`);
}

out(`client-api-bench: ${modes.join(', ')}; machine: ${(await import('node:os')).cpus().length} cores, shared and loaded (numbers are indicative)`);
for (const mode of modes) await benchmark(mode);
