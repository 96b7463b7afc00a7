// Two processes with one worker_name: the second refuses to start (exit non-zero, a log line
// naming the worker_name) while the first lives; after a kill -9 of the first, the name is
// usable again at once (PostgreSQL frees a dead session's advisory lock). Over NATS and Redis.
import { runAppToExit, startAppProcess, startNatsServer, startRedisServer, writeConfigFiles, type TestServer } from '@homeserver/testing';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let pg: TestPostgres;
let nats: TestServer;
let redis: TestServer;
beforeAll(async () => {
  [pg, nats, redis] = await Promise.all([createTestDatabase(), startNatsServer(), startRedisServer()]);
});
afterAll(async () => {
  await Promise.all([nats?.stop(), redis?.stop()]);
  await pg?.drop();
});

describe.each([
  ['nats', () => `nats: {servers: ["${nats.url}"]}`],
  ['redis', () => `redis: {enabled: true, host: 127.0.0.1, port: ${redis.port}}`],
] as const)('worker_name is held by one live process (%s)', (transport, transportYaml) => {
  it('refuses a second process under a live name and accepts it after a kill -9 of the first', async () => {
    const o = pg.options;
    const name = `persister-${transport}`;
    const paths = await writeConfigFiles({
      'homeserver.yaml': `server_name: test.local\ndatabase: {name: psycopg2, args: {user: ${o.user}, password: ${o.password}, database: ${o.database}, host: ${o.host}, port: ${o.port}}}\n${transportYaml()}\nworker_replication_secret: worker-name-test\nstream_writers: {events: [${name}]}\n`,
      'worker.yaml': `worker_app: event-persister\nworker_name: ${name}\nworker_listeners: [{port: 0, type: http, resources: [{names: [health, metrics]}]}]\n`,
    });
    const configFiles = [paths['homeserver.yaml']!, paths['worker.yaml']!];
    const first = await startAppProcess('event-persister', { configFiles });
    try {
      const second = await runAppToExit('event-persister', { configFiles });
      expect(second.code).not.toBe(0);
      expect(second.messages).toContain(`worker_name "${name}" is already live`);
      // The first is unaffected.
      expect((await fetch(`http://127.0.0.1:${first.addresses[0]!.port}/health/ready`)).status).toBe(200);
    } finally {
      expect(await first.stop('SIGKILL')).toBe('SIGKILL');
    }
    const third = await startAppProcess('event-persister', { configFiles });
    expect((await fetch(`http://127.0.0.1:${third.addresses[0]!.port}/health/ready`)).status).toBe(200);
    expect(await third.stop()).toBe(0);
  });
});
