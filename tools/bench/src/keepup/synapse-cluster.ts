// Synapse in worker mode beside our cluster, for the keep-up benchmark: matrix-synapse from PyPI
// (libs/testing's cached venv, plus its postgres and redis extras), a throwaway PostgreSQL
// database, its own redis-server, main + generic workers named like ours (sync1.., persister1..,
// and one idle federation reader, federation sender, pusher and media worker), and nginx in front
// routing /sync to the first sync worker, media to the media worker and the rest to main.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase } from '@homeserver/storage/testing';
import { ensureSynapseVenv, freePort, SpawnedServer, startRedisServer } from '@homeserver/testing';
import type { BenchCluster, BenchProcess } from './bench-cluster.ts';

const run = promisify(execFile);
const SERVER_NAME = 'bench.synapse';

export interface SynapseClusterOptions {
  /** Event persisters (persister1..N) in stream_writers.events. Required. */
  readonly persisters: number;
  /** Sync workers (sync1..N); only sync1 is routed to by nginx. Required. */
  readonly syncs: number;
}

interface SynapseWorker {
  readonly name: string;
  /** The kind the benchmark reports (our app names). */
  readonly app: string;
  /** Listener resources; every worker also answers /health on its listener. */
  readonly resources: readonly string[];
}

function logConfig(dir: string, name: string): string {
  // Warnings only, to a file: the benchmark charges each process for its work, not its logging.
  return JSON.stringify({
    version: 1,
    formatters: { precise: { format: '%(asctime)s %(name)s %(levelname)s %(message)s' } },
    handlers: { file: { class: 'logging.FileHandler', formatter: 'precise', filename: join(dir, `${name}.log`) } },
    root: { level: 'WARNING', handlers: ['file'] },
    disable_existing_loggers: false,
  });
}

async function waitForHealth(child: ChildProcess, name: string, port: number, dir: string): Promise<void> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`synapse ${name} exited with ${child.exitCode} before serving (see ${join(dir, `${name}.log`)})`);
    if (await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false)) return;
    if (Date.now() > deadline) throw new Error(`synapse ${name} did not answer /health within 240 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function nginxConfig(dir: string, listen: number, upstream: { main: number; sync: number; media: number }): string {
  const pass = (port: number) => `proxy_pass http://127.0.0.1:${port}; proxy_set_header Host $host; proxy_set_header X-Forwarded-For $remote_addr; proxy_read_timeout 600s; client_max_body_size 50m;`;
  return `pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'nginx-error.log')};
events {}
http {
  access_log off;
  client_body_temp_path ${dir};
  proxy_temp_path ${dir};
  server {
    listen 127.0.0.1:${listen};
    location ~ ^/_matrix/client/(r0|v3)/(sync|events|initialSync)$ { ${pass(upstream.sync)} }
    location ~ ^/_matrix/(media|client/v1/media)/ { ${pass(upstream.media)} }
    location / { ${pass(upstream.main)} }
  }
}
`;
}

export async function startSynapseCluster(options: SynapseClusterOptions): Promise<BenchCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'hs-keepup-synapse-'));
  const stops: Array<() => Promise<unknown>> = [() => rm(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) await step().catch(() => {});
  };
  try {
    const python = await ensureSynapseVenv();
    const pg = await createTestDatabase('hs_keepup_synapse');
    stops.push(() => pg.drop());
    const redis = await startRedisServer();
    stops.push(() => redis.stop());

    const persisters = Array.from({ length: options.persisters }, (_, i) => ({ name: `persister${i + 1}`, app: 'event-persister', resources: ['replication'] }));
    const workers: SynapseWorker[] = [
      ...persisters,
      ...Array.from({ length: options.syncs }, (_, i) => ({ name: `sync${i + 1}`, app: 'sync', resources: ['client'] })),
      { name: 'fedreader1', app: 'federation-reader', resources: ['federation'] },
      { name: 'fedsender1', app: 'federation-sender', resources: ['health'] },
      { name: 'pusher1', app: 'pusher', resources: ['health'] },
      { name: 'media1', app: 'media', resources: ['media'] },
    ];
    const ports = new Map<string, number>([['main', await freePort()], ['main-replication', await freePort()]]);
    for (const w of workers) ports.set(w.name, await freePort());
    const generous = { per_second: 100_000, burst_count: 100_000 };
    const shared = {
      server_name: SERVER_NAME,
      report_stats: false,
      pid_file: join(dir, 'main.pid'),
      signing_key_path: join(dir, 'signing.key'),
      media_store_path: join(dir, 'media'),
      log_config: join(dir, 'main.log.yaml'),
      listeners: [
        { port: ports.get('main'), bind_addresses: ['127.0.0.1'], type: 'http', x_forwarded: true, resources: [{ names: ['client'], compress: false }] },
        { port: ports.get('main-replication'), bind_addresses: ['127.0.0.1'], type: 'http', resources: [{ names: ['replication'] }] },
      ],
      database: { name: 'psycopg2', allow_unsafe_locale: true, args: { user: pg.options.user, password: pg.options.password, host: pg.options.host, port: pg.options.port, database: pg.options.database, cp_min: 1, cp_max: 4 } },
      redis: { enabled: true, host: '127.0.0.1', port: redis.port },
      instance_map: Object.fromEntries([['main', { host: '127.0.0.1', port: ports.get('main-replication') }], ...persisters.map((p) => [p.name, { host: '127.0.0.1', port: ports.get(p.name) }])]),
      stream_writers: { events: persisters.map((p) => p.name) },
      federation_sender_instances: ['fedsender1'],
      pusher_instances: ['pusher1'],
      enable_media_repo: false,
      media_instance_running_background_jobs: 'media1',
      enable_registration: true,
      enable_registration_without_verification: true,
      macaroon_secret_key: 'keepup-macaroon-secret',
      form_secret: 'keepup-form-secret',
      trusted_key_servers: [],
      suppress_key_server_warning: true,
      rc_message: generous,
      rc_registration: generous,
      rc_login: { address: generous, account: generous, failed_attempts: generous },
      rc_joins: { local: generous, remote: generous },
    };
    const sharedFile = join(dir, 'homeserver.yaml');
    await writeFile(sharedFile, JSON.stringify(shared, null, 2));
    await writeFile(join(dir, 'main.log.yaml'), logConfig(dir, 'main'));
    await run(python, ['-m', 'synapse.app.homeserver', '-c', sharedFile, '--generate-keys'], { cwd: dir });

    const processes: BenchProcess[] = [];
    const launch = async (name: string, app: string, args: readonly string[]) => {
      const child = spawn(python, ['-m', ...args], { cwd: dir, stdio: 'ignore' });
      stops.push(async () => {
        if (child.exitCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      });
      await waitForHealth(child, name, ports.get(name)!, dir);
      processes.push({ name, app, pid: child.pid! });
    };
    // Main first: it creates the schema the workers expect.
    await launch('main', 'main', ['synapse.app.homeserver', '-c', sharedFile]);
    for (const w of workers) {
      const file = join(dir, `${w.name}.yaml`);
      await writeFile(join(dir, `${w.name}.log.yaml`), logConfig(dir, w.name));
      await writeFile(file, JSON.stringify({
        worker_app: 'synapse.app.generic_worker',
        worker_name: w.name,
        worker_log_config: join(dir, `${w.name}.log.yaml`),
        worker_listeners: [{ type: 'http', port: ports.get(w.name), bind_addresses: ['127.0.0.1'], x_forwarded: true, resources: [{ names: [...w.resources] }] }],
      }));
      await launch(w.name, w.app, ['synapse.app.generic_worker', '-c', sharedFile, '-c', file]);
    }

    const proxyPort = await freePort();
    const nginxConf = join(dir, 'nginx.conf');
    await writeFile(nginxConf, nginxConfig(dir, proxyPort, { main: ports.get('main')!, sync: ports.get('sync1')!, media: ports.get('media1')! }));
    const nginx = new SpawnedServer({ binary: '/usr/sbin/nginx', args: ['-p', dir, '-c', nginxConf, '-g', 'daemon off;'], port: proxyPort });
    await nginx.start();
    stops.push(() => nginx.stop());
    return { label: `Synapse ${(await run(python, ['-c', 'import synapse; print(synapse.__version__)'])).stdout.trim()} workers on PostgreSQL over Redis`, baseUrl: `http://127.0.0.1:${proxyPort}`, processes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
