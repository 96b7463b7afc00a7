// The keep-up measurement: each process's CPU (from /proc, so other work on the machine does not
// count) and RSS while idle, then under a steady paced load of messages sent through the proxy
// while one user per room long-polls /sync, and the stream lag each process reported meanwhile.
import { procStat } from '../cluster/proc-stat.ts';
import { sendText, sync } from '../client-api/client.ts';
import { setupRooms } from '../client-api/scenarios.ts';
import type { BenchCluster } from './bench-cluster.ts';

export interface KeepUpOptions {
  /** Messages per second over all rooms. Required. */
  readonly rate: number;
  /** Length of the steady window. Required. */
  readonly seconds: number;
  readonly rooms: number;
  /** Length of the idle window before the load. Required. */
  readonly idleSeconds: number;
  /** How long the cluster settles after its start before the idle window (JIT, first scans). Required. */
  readonly settleSeconds: number;
  /** Makes user names unique per run. Required. */
  readonly tag: string;
}

export interface ProcessFigures {
  readonly name: string;
  readonly app: string;
  /** % of one core over the idle window. */
  readonly idleCpu: number;
  /** % of one core over the steady window. */
  readonly loadCpu: number;
  readonly rssIdleMiB: number;
  readonly rssAfterMiB: number;
  /** Largest stream_reader_lag (positions) seen in the samples (every 10 s and at the end); undefined without /metrics. */
  readonly maxLag: number | undefined;
}

export interface KeepUpResult {
  readonly processes: readonly ProcessFigures[];
  readonly sent: number;
  readonly failed: number;
  /** Why the first failed send failed ('' when none did). */
  readonly firstFailure: string;
  readonly seconds: number;
  /** CPU of every process over the steady window, per message sent. */
  readonly cpuMsPerMessage: number;
  readonly pollErrors: number;
}

/** How often each process's /metrics is read for its stream lag during the load. */
const LAG_SAMPLE_EVERY_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function snapshot(cluster: BenchCluster) {
  return Promise.all(cluster.processes.map((p) => procStat(p.pid)));
}

/** The largest stream_reader_lag value on a Prometheus page, 0 when none is reported. */
function maxReaderLag(page: string): number {
  let max = 0;
  for (const line of page.split('\n')) {
    if (!line.startsWith('stream_reader_lag') && !/^\w+_stream_reader_lag\{/.test(line)) continue;
    max = Math.max(max, Number(line.slice(line.lastIndexOf(' ') + 1)) || 0);
  }
  return max;
}

export async function measureKeepUp(cluster: BenchCluster, options: KeepUpOptions): Promise<KeepUpResult> {
  await sleep(options.settleSeconds * 1000);
  const idleStart = await snapshot(cluster);
  await sleep(options.idleSeconds * 1000);
  const idleEnd = await snapshot(cluster);

  const setup = await setupRooms(cluster.baseUrl, { users: options.rooms * 2, rooms: options.rooms, tag: options.tag });
  let stopping = false;
  let pollErrors = 0;
  // One long-poller per room (users 0..rooms-1 are one in each room), as a client keeps up.
  const pollers = setup.users.slice(0, options.rooms).map(async (user) => {
    let since = (await sync(cluster.baseUrl, user, { filter: JSON.stringify({ room: { timeline: { limit: 1 } } }) })).next_batch;
    while (!stopping) {
      try {
        since = (await sync(cluster.baseUrl, user, { since, timeoutMs: 30_000 })).next_batch;
      } catch {
        pollErrors += 1;
      }
    }
  });

  const lags: Array<number | undefined> = cluster.processes.map((p) => (p.metricsUrl === undefined ? undefined : 0));
  const sampleLag = async () => {
    await Promise.all(cluster.processes.map(async (p, i) => {
      if (p.metricsUrl === undefined) return;
      const page = await fetch(p.metricsUrl).then((r) => r.text(), () => '');
      lags[i] = Math.max(lags[i] ?? 0, maxReaderLag(page));
    }));
  };
  // A /metrics scrape costs an idle process ~2.5 ms of CPU (a pusher, 50 scrapes: the request and
  // every series rendered): at one a second that alone would be half of an idle worker's 0.5%
  // budget (Synapse's are not scraped at all), so the lag is sampled as sparsely as a Prometheus
  // server would, plus once at the end.
  const sampler = setInterval(() => void sampleLag(), LAG_SAMPLE_EVERY_MS);

  const total = Math.round(options.rate * options.seconds);
  let failed = 0;
  let firstFailure = '';
  const loadStart = await snapshot(cluster);
  const started = performance.now();
  const sends: Promise<void>[] = [];
  for (let k = 0; k < total; k += 1) {
    const due = started + (k * 1000) / options.rate;
    if (due > performance.now()) await sleep(due - performance.now());
    const i = k % setup.users.length;
    sends.push(sendText(cluster.baseUrl, setup.users[i]!, setup.roomOf(i), `keepup-${k}`).then(() => {}, (error: unknown) => {
      failed += 1;
      firstFailure ||= String(error);
    }));
  }
  await Promise.all(sends);
  const loadEnd = await snapshot(cluster);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  await sampleLag();

  stopping = true;
  // A last message per room answers every long-poll, so the pollers see `stopping`.
  await Promise.all(setup.rooms.map((room, r) => sendText(cluster.baseUrl, setup.users[r]!, room, 'stop').catch(() => {})));
  await Promise.all(pollers);

  const idleSeconds = options.idleSeconds;
  const cpuTotal = loadEnd.reduce((sum, s, i) => sum + s.cpu - loadStart[i]!.cpu, 0);
  return {
    processes: cluster.processes.map((p, i) => ({
      name: p.name,
      app: p.app,
      idleCpu: ((idleEnd[i]!.cpu - idleStart[i]!.cpu) / idleSeconds) * 100,
      loadCpu: ((loadEnd[i]!.cpu - loadStart[i]!.cpu) / seconds) * 100,
      rssIdleMiB: idleEnd[i]!.rss,
      rssAfterMiB: loadEnd[i]!.rss,
      maxLag: lags[i],
    })),
    sent: total - failed,
    failed,
    firstFailure,
    seconds,
    cpuMsPerMessage: (cpuTotal * 1000) / Math.max(1, total - failed),
    pollErrors,
  };
}
