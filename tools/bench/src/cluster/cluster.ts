// A worker cluster on one machine for benchmarks: a throwaway PostgreSQL database, its own
// nats-server or redis-server, main + sync workers + event persisters (+ any other apps) as
// separate OS processes, and nginx in front on the config tools/proxy-config renders, so the
// load reaches each path the way a production deployment routes it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { procStat } from './proc-stat.ts';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { appEntry, freePort, startNatsServer, startNginxProxy, startRedisServer, testHomeserverConfig, type TestServer } from '@homeserver/testing';

export type ClusterTransport = 'nats' | 'redis';

export interface ClusterWorker {
  /** worker_name. */
  readonly name: string;
  /** The app (apps/<app>). */
  readonly app: string;
  /** Left out of the nginx config, so no client reaches it (an idle worker that only keeps up). Default: false. */
  readonly unrouted?: boolean;
}

export interface StartClusterOptions {
  /** Default: 'nats'. */
  readonly transport?: ClusterTransport;
  /** Event persisters (persister1..N), written into stream_writers.events. Default: 2. */
  readonly persisters?: number;
  /** Sync workers (sync1..N). Default: 1. */
  readonly syncs?: number;
  /** More workers, e.g. an idle pusher or media instance. Default: none. */
  readonly extraWorkers?: readonly ClusterWorker[];
  /** Keys added to the shared homeserver.yaml. Default: none. */
  readonly extraConfig?: Record<string, unknown>;
  /** PostgreSQL connections per process at most. Default: 16. */
  readonly poolSize?: number;
  /** Extra node flags for every process. Default: none. */
  readonly nodeArgs?: readonly string[];
}

export interface ClusterProcess {
  readonly name: string;
  readonly app: string;
  readonly port: number;
  readonly pid: number;
  /** CPU time (user + system) used so far, in seconds. */
  cpuSeconds(): Promise<number>;
  /** Resident set size in MiB. */
  rssMiB(): Promise<number>;
}

export interface Cluster {
  /** nginx in front of every process. */
  readonly baseUrl: string;
  readonly processes: readonly ClusterProcess[];
  stop(): Promise<void>;
}

const SECRET = 'bench-replication-secret';

function spawnApp(app: string, files: readonly string[], cwd: string, nodeArgs: readonly string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeArgs, appEntry(app), ...files.flatMap((f) => ['-c', f])], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${app} (${files.at(-1)}) did not report "started" within 240 s`)), 240_000);
    child.once('exit', (code) => reject(new Error(`${app} (${files.at(-1)}) exited with ${code} before starting`)));
    lines.on('line', (line) => {
      if (line.includes('"level":50') || line.includes('"level":60')) process.stderr.write(`[${app}] ${line}\n`);
      if (!line.includes('"msg":"started"')) return;
      clearTimeout(timer);
      resolve(child);
    });
  });
}

export async function startCluster(options: StartClusterOptions = {}): Promise<Cluster> {
  const transportKind = options.transport ?? 'nats';
  const dir = await mkdtemp(join(tmpdir(), `hs-cluster-${transportKind}-`));
  const stops: Array<() => Promise<unknown>> = [() => rm(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) await step().catch(() => {});
  };
  try {
    const pg: TestPostgres = await createTestDatabase('hs_cluster');
    stops.push(() => pg.drop());
    const bus: TestServer = transportKind === 'nats' ? await startNatsServer({ jetstream: true }) : await startRedisServer();
    stops.push(() => bus.stop());

    const persisters = Array.from({ length: options.persisters ?? 2 }, (_, i) => ({ name: `persister${i + 1}`, app: 'event-persister' }));
    const syncs = Array.from({ length: options.syncs ?? 1 }, (_, i) => ({ name: `sync${i + 1}`, app: 'sync' }));
    const workers: ClusterWorker[] = [...persisters, ...syncs, ...(options.extraWorkers ?? [])];
    const ports = new Map<string, number>([['main', await freePort()]]);
    for (const w of workers) ports.set(w.name, await freePort());

    const base = testHomeserverConfig({ serverName: 'bench.local', postgres: pg.options, poolSize: options.poolSize ?? 16, extra: { log_level: 'info' } });
    const shared = {
      ...base,
      listeners: [{ port: ports.get('main'), bind_addresses: ['127.0.0.1'], type: 'http', resources: [{ names: ['client', 'health', 'metrics'] }] }],
      ...(transportKind === 'nats' ? { nats: { servers: [bus.url] } } : { redis: { enabled: true, host: '127.0.0.1', port: bus.port } }),
      stream_writers: { events: persisters.map((p) => p.name) },
      worker_replication_secret: SECRET,
      ...options.extraConfig,
    };
    const sharedFile = join(dir, 'homeserver.yaml');
    await writeFile(sharedFile, JSON.stringify(shared, null, 2));
    const files = new Map<string, string>();
    for (const w of workers) {
      const resources = w.app === 'sync' || w.app === 'media' ? ['client', 'health', 'metrics'] : ['health', 'metrics'];
      const file = join(dir, `${w.name}.yaml`);
      await writeFile(file, JSON.stringify({ worker_app: w.app, worker_name: w.name, worker_listeners: [{ port: ports.get(w.name), type: 'http', bind_addresses: ['127.0.0.1'], resources: [{ names: resources }] }] }));
      files.set(w.name, file);
    }

    const processes: ClusterProcess[] = [];
    const launch = async (name: string, app: string, configFiles: readonly string[]) => {
      const child = await spawnApp(app, configFiles, dir, options.nodeArgs ?? []);
      stops.push(async () => {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      });
      const pid = child.pid!;
      processes.push({ name, app, port: ports.get(name)!, pid, cpuSeconds: async () => (await procStat(pid)).cpu, rssMiB: async () => (await procStat(pid)).rss });
    };
    // Writers first: readers ask every writer for its position as they start.
    for (const w of persisters) await launch(w.name, w.app, [sharedFile, files.get(w.name)!]);
    await launch('main', 'main', [sharedFile]);
    for (const w of [...syncs, ...(options.extraWorkers ?? [])]) await launch(w.name, w.app, [sharedFile, files.get(w.name)!]);

    const proxy = await startNginxProxy({ dir, configFiles: [sharedFile, ...workers.filter((w) => w.unrouted !== true).map((w) => files.get(w.name)!)], accessLog: false });
    stops.push(() => proxy.stop());
    return { baseUrl: proxy.base, processes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
