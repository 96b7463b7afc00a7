// A worker-mode cluster for tests of one sharded role: main plus named workers of one app, as OS
// processes on a fresh PostgreSQL database over a private NATS server, with the calls those tests
// share (client API calls on main, a process's metric, who holds each shard lease).
import { openDatabase, type Database } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { startAppProcess, type AppProcess } from './app-process.ts';
import { writeConfigFiles } from './app-process-contract.ts';
import { testHomeserverConfig } from './homeserver-config.ts';
import { startNatsServer } from './nats-server.ts';
import type { TestServer } from './spawned-server.ts';

export interface WorkerClusterOptions {
  /** The app every worker runs (`worker_app`). */
  readonly workerApp: string;
  readonly workerNames: readonly string[];
  readonly serverName?: string;
  /** homeserver.yaml keys beside the test defaults, the transport and the replication secret. */
  readonly config?: Record<string, unknown>;
  /** Other files written beside homeserver.yaml before anything starts (e.g. appservice registrations). */
  readonly files?: Record<string, string>;
  /** The NATS server to use (stopped with the cluster). Default: a new one. */
  readonly nats?: TestServer;
}

export interface WorkerCluster {
  readonly pg: TestPostgres;
  readonly nats: TestServer;
  /** The cluster's database, opened by the test (for lease and outbox checks). */
  readonly db: Database;
  readonly main: AppProcess;
  /** The running worker process of each name (replaced when a worker is restarted). */
  readonly workers: Map<string, AppProcess>;
  /** main's client API base URL. */
  readonly base: string;
  /** Starts (or restarts after a kill) the named worker. */
  startWorker(name: string): Promise<AppProcess>;
  /** Shard → holder of every held lease of a sharded consumer. */
  leaseHolders(consumer: string): Promise<Map<number, string>>;
  /** Waits until every shard of `consumer` is held and the holders are exactly `names`. */
  waitForShardsSplit(consumer: string, shards: number, names: readonly string[]): Promise<Map<number, string>>;
  stop(): Promise<void>;
}

export async function startWorkerCluster(options: WorkerClusterOptions): Promise<WorkerCluster> {
  const [pg, nats] = await Promise.all([createTestDatabase(), options.nats ?? startNatsServer()]);
  const workerConfig = (name: string) =>
    JSON.stringify({ worker_app: options.workerApp, worker_name: name, worker_listeners: [{ port: 0, type: 'http', resources: [{ names: ['health', 'metrics'] }] }] });
  const paths = await writeConfigFiles({
    'homeserver.yaml': JSON.stringify(
      testHomeserverConfig({
        ...(options.serverName === undefined ? {} : { serverName: options.serverName }),
        postgres: pg.options,
        extra: { nats: { servers: [nats.url] }, worker_replication_secret: `${options.workerApp}-workers`, ...options.config },
      }),
    ),
    ...Object.fromEntries(options.workerNames.map((name) => [`${name}.yaml`, workerConfig(name)])),
    ...options.files,
  });
  const homeserverYaml = paths['homeserver.yaml']!;
  const workers = new Map<string, AppProcess>();
  const startWorker = async (name: string) => {
    const process = await startAppProcess(options.workerApp, { configFiles: [homeserverYaml, paths[`${name}.yaml`]!] });
    workers.set(name, process);
    return process;
  };
  const main = await startAppProcess('main', { configFiles: [homeserverYaml] });
  await Promise.all(options.workerNames.map(startWorker));
  const db = await openDatabase(pg.options, { migrate: false });
  const leaseHolders = async (consumer: string) => {
    const { rows } = await db.query<{ shard: number; holder: string }>('SELECT shard, holder FROM stream_consumer_leases WHERE consumer = $1 AND holder IS NOT NULL', [consumer]);
    return new Map(rows.map((row) => [Number(row.shard), row.holder]));
  };
  return {
    pg,
    nats,
    db,
    main,
    workers,
    base: `http://127.0.0.1:${main.addresses[0]!.port}`,
    startWorker,
    leaseHolders,
    async waitForShardsSplit(consumer, shards, names) {
      // A worker that started before it saw the others took every shard; it hands theirs over at
      // its next rebalance (a third of the lease time).
      let held = await leaseHolders(consumer);
      for (const deadline = Date.now() + 60_000; Date.now() < deadline; held = await leaseHolders(consumer)) {
        if (held.size === shards && new Set(held.values()).size === names.length) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      return held;
    },
    async stop() {
      await main.stop('SIGKILL');
      for (const process of workers.values()) await process.stop('SIGKILL');
      await db.close();
      await nats.stop();
      await pg.drop();
    },
  };
}

/** A client API call on `base` that throws on a non-2xx answer (for setup steps that must work). */
export async function clientCall(base: string, method: string, path: string, token: string | undefined, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}/_matrix/client/v3${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

/** The first sample of `/metrics` matching `pattern` (its first group is the value), or undefined. */
export async function processMetric(process: AppProcess, pattern: RegExp): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${process.addresses[0]!.port}/metrics`)).text();
  const match = pattern.exec(text);
  return match === null ? undefined : Number(match[1]);
}
