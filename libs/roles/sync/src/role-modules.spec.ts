import { get as httpGet } from 'node:http';
import { ActorSystem } from '@homeserver/actors';
import { createProcessMetrics, createServer, type ProcessMetrics } from '@homeserver/http';
import type { ServerContext } from '@homeserver/services';
import { openDatabase, type Database } from '@homeserver/storage';
import { InProcessHub, InProcessTransport } from '@homeserver/transport';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
// Test-only composition of two roles, as the main app composes them.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createStreamWritersRole } from '@homeserver/role-stream-writers';
import { createSyncRole, startEphemeral } from './role-modules.ts';
import { bearer, fakeAuthenticate, logger } from './testing/test-app.ts';

let db: Database;
let transport: InProcessTransport;
let app: FastifyInstance;
let actors: ActorSystem;
let metrics: ProcessMetrics;
const stops: Array<() => Promise<void>> = [];

beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite' });
  transport = new InProcessTransport({ hub: new InProcessHub() });
  actors = new ActorSystem({ instance: 'main' });
  metrics = createProcessMetrics({ workerName: 'main', workerApp: 'main' });
  const ctx = {
    config: { workerName: 'main', workerApp: 'main', instances: { 'event-persister': ['main'], 'federation-sender': ['main'], pusher: ['main'] }, streamWriters: {} },
    serverName: 'test',
    instanceName: 'main',
    logger,
    db,
    transport,
    actors,
    clock: { now: () => Date.now() },
    metrics,
    // No other server in this test: /keys/query of remote users would find it unreachable.
    federation: { client: { request: () => Promise.reject(new Error('no federation in this test')) } },
  } as unknown as ServerContext;
  const writers = await createStreamWritersRole('main').start(ctx);
  const ephemeral = await startEphemeral(ctx, { authenticate: fakeAuthenticate });
  const sync = await createSyncRole({ authenticate: fakeAuthenticate }).start(ctx);
  stops.push(() => sync.stop(), () => ephemeral.stop(), () => writers.stop());
  app = await createServer({ logger, metrics });
  const client = new Set(['client'] as const);
  await ephemeral.registerRoutes?.(app, client);
  await sync.registerRoutes?.(app, client);
  await app.ready();
  expect(sync.isReady?.()).toBe(true);
});
afterAll(async () => {
  await app.close();
  await actors.stop();
  for (const stop of stops) await stop();
  await transport.close();
  await db.close();
});

describe('role modules', () => {
  it('host the ephemeral writers and /sync in one process, wired through the streams', async () => {
    const first = await app.inject({ method: 'GET', url: '/_matrix/client/v3/sync', headers: bearer('@a:test', 'D1') });
    expect(first.statusCode).toBe(200);
    await app.inject({ method: 'PUT', url: '/_matrix/client/v3/sendToDevice/m.hi/t1', headers: bearer('@b:test', 'D2'), payload: { messages: { '@a:test': { D1: { x: 1 } } } } });
    const next = await app.inject({ method: 'GET', url: `/_matrix/client/r0/sync?since=${first.json().next_batch}&timeout=5000`, headers: bearer('@a:test', 'D1') });
    expect(next.json().to_device.events).toEqual([{ sender: '@b:test', type: 'm.hi', content: { x: 1 } }]);
  });

  it('counts the long-polls parked until something new arrives in sync_long_polls_waiting, and ends one whose client went away', async () => {
    const waiting = async () => Number(/^sync_long_polls_waiting\{[^}]*\} (\d+)$/m.exec(await metrics.registry.getSingleMetricAsString('sync_long_polls_waiting'))?.[1]);
    const first = await app.inject({ method: 'GET', url: '/_matrix/client/v3/sync', headers: bearer('@w:test', 'D1') });
    // The first /sync set the user online: the next one answers that at once.
    const caughtUp = await app.inject({ method: 'GET', url: `/_matrix/client/v3/sync?since=${first.json().next_batch}&timeout=0`, headers: bearer('@w:test', 'D1') });
    expect(await waiting()).toBe(0);
    // then() sends the injected request (an inject chain is sent only when awaited).
    const parked = app.inject({ method: 'GET', url: `/_matrix/client/v3/sync?since=${caughtUp.json().next_batch}&timeout=10000`, headers: bearer('@w:test', 'D1') }).then((res) => res);
    while ((await waiting()) < 1) await new Promise((resolve) => setTimeout(resolve, 10));
    await app.inject({ method: 'PUT', url: '/_matrix/client/v3/sendToDevice/m.hi/t2', headers: bearer('@b:test', 'D2'), payload: { messages: { '@w:test': { D1: { x: 2 } } } } });
    expect((await parked).json().to_device.events).toHaveLength(1);
    expect(await waiting()).toBe(0);

    // A client that goes away mid-wait takes its long-poll with it.
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const latest = (await app.inject({ method: 'GET', url: `/_matrix/client/v3/sync?since=${caughtUp.json().next_batch}&timeout=0`, headers: bearer('@w:test', 'D1') })).json().next_batch;
    const gone = httpGet(`${address}/_matrix/client/v3/sync?since=${latest}&timeout=30000`, { headers: bearer('@w:test', 'D1') });
    gone.on('error', () => {});
    while ((await waiting()) < 1) await new Promise((resolve) => setTimeout(resolve, 10));
    gone.destroy();
    // Its 30 s would otherwise run out first.
    const stopped = Date.now();
    while ((await waiting()) > 0 && Date.now() - stopped < 10_000) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await waiting()).toBe(0);
  });

  it('sends an unchanged set_presence to the presence writer once the stream showed it, not with every /sync', async () => {
    const tell = vi.spyOn(actors, 'tell');
    const told = () => tell.mock.calls.filter(([, method]) => method === 'setFromSync').length;
    const sync = (presence = 'online') => app.inject({ method: 'GET', url: `/_matrix/client/v3/sync?timeout=0&set_presence=${presence}`, headers: bearer('@q:test', 'D1') });
    await sync();
    expect(told()).toBe(1);
    // Until the written state comes back through the presence stream, each /sync sends it.
    for (let before = -1, tries = 0; told() !== before && tries < 50; tries++) {
      before = told();
      await sync();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const settled = told();
    await sync();
    await sync();
    expect(told()).toBe(settled);
    // A changed state is sent at once.
    await sync('unavailable');
    expect(told()).toBe(settled + 1);
    tell.mockRestore();
  });

  it('applies set_presence from /sync through the presence actor of the presence writer', async () => {
    const res = await app.inject({ method: 'GET', url: '/_matrix/client/v3/sync?set_presence=unavailable', headers: bearer('@p:test', 'D1') });
    expect(res.statusCode).toBe(200);
    let presence: unknown;
    for (let i = 0; i < 50; i++) {
      presence = (await app.inject({ method: 'GET', url: '/_matrix/client/v3/presence/@p:test/status', headers: bearer('@p:test', 'D1') })).json().presence;
      if (presence === 'unavailable') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(presence).toBe('unavailable');
  });
});
