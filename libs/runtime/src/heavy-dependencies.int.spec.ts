// Heavy runtime dependencies stay out of the processes that do not need them: each app is
// spawned with a recorder of every module it loads, and once it serves, the packages it loaded
// are checked. PGlite (PostgreSQL compiled to WASM) is only for the embedded database, sharp
// (libvips) only for a media job actually making a thumbnail, htmlparser2 only for a URL preview,
// Ajv only for a request a route schema validates, the Redis client only on Redis (and only the
// client, built into the bundle as one chunk, not the redis package's modules).
// A control package or chunk in each case (pg, the NATS client) shows the recorder saw the loads.
import { recordLoadedPackages, startAppProcess, startRedisServer, useWorkerServices, writeConfigFiles, type TestServer } from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const services = useWorkerServices();
let redis: TestServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

/** Starts `app` on `files`, and returns the packages and the chunks of its bundle it had loaded once it served. */
async function loadedBy(app: string, files: Record<string, string>): Promise<{ packages: Set<string>; chunks: Set<string> }> {
  const paths = await writeConfigFiles(files);
  const recorder = recordLoadedPackages();
  const process = await startAppProcess(app, { configFiles: Object.values(paths), nodeArgs: recorder.nodeArgs, env: recorder.env });
  try {
    return { packages: await recorder.packages(), chunks: await recorder.bundleChunks() };
  } finally {
    expect(await process.stop()).toBe(0);
  }
}

describe('dependencies a process loads', () => {
  it('a pusher worker on PostgreSQL over NATS loads neither PGlite, sharp nor the Redis client', async () => {
    const { packages: loaded, chunks } = await loadedBy('pusher', {
      'homeserver.yaml': `server_name: test.local\n${services.databaseYaml()}${services.natsYaml()}worker_replication_secret: heavy-deps-test\npusher_instances: [pusher1]\n`,
      'worker.yaml': 'worker_app: pusher\nworker_name: pusher1\nworker_listeners: [{port: 0, type: http, resources: [{names: [health, metrics]}]}]\n',
    });
    expect(loaded).toContain('pg');
    expect(loaded).toContain('@nats-io/transport-node');
    // TypeBox validated the config, and the YAML parser read it, in the process the app replaced
    // itself with this one from; a pusher serves no routes, so its listeners are health servers:
    // neither Fastify nor Ajv, which compiles route schemas.
    for (const heavy of ['@electric-sql/pglite', 'sharp', '@img/sharp-libvips-linux-x64', 'redis', '@redis/client', 'typebox', 'fastify', 'ajv', 'yaml']) expect(loaded).not.toContain(heavy);
    expect(chunks).toContain('nats-transport');
    expect(chunks).not.toContain('redis-client');
  });

  it('a pusher worker on Redis loads the Redis client built into its bundle, not the modules the redis package adds', async () => {
    const { packages: loaded, chunks } = await loadedBy('pusher', {
      'homeserver.yaml': `server_name: test.local\n${services.databaseYaml()}redis: {enabled: true, host: 127.0.0.1, port: ${redis.port}}\nworker_replication_secret: heavy-deps-test\npusher_instances: [pusher1]\n`,
      'worker.yaml': 'worker_app: pusher\nworker_name: pusher1\nworker_listeners: [{port: 0, type: http, resources: [{names: [health, metrics]}]}]\n',
    });
    expect(loaded).toContain('pg');
    // One chunk, not the package's 478 modules (bundle-apps.ts).
    expect(chunks).toContain('redis-client');
    expect(loaded).not.toContain('@redis/client');
    // Each of these loads and registers its commands on every client (~1.3 MiB of heap).
    for (const heavy of ['redis', '@redis/bloom', '@redis/json', '@redis/search', '@redis/time-series', '@nats-io/transport-node']) expect(loaded).not.toContain(heavy);
  });

  it('the monolith on PostgreSQL loads neither PGlite nor, before any thumbnail, sharp', async () => {
    const { packages: loaded, chunks } = await loadedBy('main', {
      'homeserver.yaml': `server_name: test.local\n${services.databaseYaml()}listeners: [{port: 0, bind_addresses: ['127.0.0.1'], type: http, resources: [{names: [client, health, metrics]}]}]\n`,
    });
    expect(loaded).toContain('pg');
    // It hosts the media role: the role itself is loaded, its image library and the HTML parser
    // of URL previews are not.
    expect(loaded).toContain('fastify');
    // Its client routes have schemas, compiled by each route's first request: before any, the
    // schema compiler is not loaded.
    for (const heavy of ['@electric-sql/pglite', 'sharp', 'htmlparser2', 'ajv', 'redis', '@redis/client', '@nats-io/transport-node', 'typebox']) expect(loaded).not.toContain(heavy);
    expect(chunks).not.toContain('redis-client');
  });
});
