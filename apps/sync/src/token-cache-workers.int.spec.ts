// The access-token cache across processes: a sync worker remembers who owns each token it saw
// (no statement per request), and forgets it the moment main commits a change to it — a logout,
// a deactivation — through the PostgreSQL NOTIFY every process listens to (access-token-cache.ts).
// main and sync1 are separate OS processes on one PostgreSQL database, over NATS.
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { ClusterClient, freePort, startAppProcess, startNatsServer, testHomeserverConfig, writeConfigFiles, type AppProcess, type TestServer } from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PASSWORD = 'correct horse battery';

describe('access tokens cached on a sync worker', () => {
  let pg: TestPostgres;
  let nats: TestServer;
  const processes: AppProcess[] = [];
  let mainBase: string;
  let syncBase: string;

  beforeAll(async () => {
    [pg, nats] = await Promise.all([createTestDatabase(), startNatsServer()]);
    const listener = (port: number) => ({ port, bind_addresses: ['127.0.0.1'], type: 'http', resources: [{ names: ['client', 'health'] }] });
    const [mainPort, syncPort] = [await freePort(), await freePort()];
    const paths = await writeConfigFiles({
      'homeserver.yaml': JSON.stringify(
        testHomeserverConfig({ postgres: pg.options, extra: { nats: { servers: [nats.url] }, worker_replication_secret: 'token-cache-secret', listeners: [listener(mainPort)] } }),
      ),
      'sync1.yaml': JSON.stringify({ worker_app: 'sync', worker_name: 'sync1', worker_listeners: [listener(syncPort)] }),
    });
    processes.push(await startAppProcess('main', { configFiles: [paths['homeserver.yaml']!] }));
    processes.push(await startAppProcess('sync', { configFiles: [paths['homeserver.yaml']!, paths['sync1.yaml']!] }));
    mainBase = `http://127.0.0.1:${mainPort}`;
    syncBase = `http://127.0.0.1:${syncPort}`;
  }, 240_000);

  afterAll(async () => {
    for (const process of processes.reverse()) await process.stop();
    await nats?.stop();
    await pg?.drop();
  });

  /** GET /sync on the worker until it answers `status` (the NOTIFY reaches it asynchronously). */
  async function workerAnswers(client: ClusterClient, status: number): Promise<Record<string, unknown>> {
    for (;;) {
      const answer = await client.sync({ timeout: '0' }, syncBase);
      if (answer.status === status) return answer.json;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  it('refuses a token on the worker once main logged it out, and keeps the other tokens', async () => {
    const alice = new ClusterClient(mainBase);
    await alice.register('alice');
    const second = new ClusterClient(mainBase);
    const login = await second.call('POST', '/login', { type: 'm.login.password', identifier: { type: 'm.id.user', user: 'alice' }, password: PASSWORD });
    expect(login.status).toBe(200);
    second.token = String(login.json['access_token']);
    // Both tokens are now known to the worker.
    expect((await alice.sync({ timeout: '0' }, syncBase)).status).toBe(200);
    expect((await second.sync({ timeout: '0' }, syncBase)).status).toBe(200);

    expect((await second.call('POST', '/logout', {})).status).toBe(200);
    expect(await workerAnswers(second, 401)).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN' });
    // Alice's other device was not logged out: its token is read again and still works.
    expect((await alice.sync({ timeout: '0' }, syncBase)).status).toBe(200);
  });

  it('refuses every token of a user on the worker once main deactivated the account', async () => {
    const bob = new ClusterClient(mainBase);
    await bob.register('bob');
    expect((await bob.sync({ timeout: '0' }, syncBase)).status).toBe(200);
    const auth = { type: 'm.login.password', identifier: { type: 'm.id.user', user: 'bob' }, password: PASSWORD };
    const started = await bob.call('POST', '/account/deactivate', {});
    expect(started.status).toBe(401);
    const done = await bob.call('POST', '/account/deactivate', { auth: { ...auth, session: started.json['session'] } });
    expect(done.status).toBe(200);
    expect(await workerAnswers(bob, 401)).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN' });
  });
});
