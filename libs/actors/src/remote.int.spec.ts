// Remote asks between two actor systems over real NATS and Redis servers spawned for the test.
import { startNatsServer, startRedisServer, type TestServer } from '@homeserver/testing';
import type { Transport } from '@homeserver/transport';
import { connectNatsTransport, connectRedisTransport } from '@homeserver/transport/network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem } from './actor-system.ts';
import { ActorCrashedError, ActorUnreachableError, AskTimeoutError } from './errors.ts';
import { RendezvousPlacement } from './placement.ts';
import { counterActor, sleep } from './test-actors.ts';

const counter = counterActor('net-counter');
const placement = new RendezvousPlacement({ instances: { 'net-counter': ['alpha', 'beta'] } });
const onBeta = Array.from({ length: 100 }, (_, i) => `!room${i}:hs`).filter((key) => placement.instanceFor('net-counter', key) === 'beta');

const adapters: { name: string; start: () => Promise<TestServer>; connect: (url: string) => Promise<Transport> }[] = [
  { name: 'NATS', start: () => startNatsServer(), connect: (url) => connectNatsTransport({ servers: url }) },
  { name: 'Redis', start: () => startRedisServer(), connect: (url) => connectRedisTransport({ url }) },
];

describe.each(adapters)('remote asks over $name', ({ start, connect }) => {
  let server: TestServer;
  const transports: Transport[] = [];
  let alpha: ActorSystem;
  let beta: ActorSystem;

  beforeAll(async () => {
    server = await start();
    for (let i = 0; i < 2; i++) transports.push(await connect(server.url));
    alpha = new ActorSystem({ instance: 'alpha', placement, transport: transports[0] }).host(counter);
    beta = new ActorSystem({ instance: 'beta', placement, transport: transports[1] }).host(counter);
    await alpha.start();
    await beta.start();
  });

  afterAll(async () => {
    await alpha?.stop();
    await beta?.stop();
    for (const transport of transports) await transport.close();
    await server?.stop();
  });

  it('asks an actor hosted by the other process and gets its reply and positions', async () => {
    const client = alpha.client(counter);
    const key = onBeta[0]!;
    expect((await client.ask(key, 'where', undefined)).value).toBe('beta');
    expect(await client.ask(key, 'write', 12)).toEqual({ value: { ok: true }, positions: [{ stream: 'events', writer: 'beta', position: 12 }] });
    expect((await beta.client(counter).ask(key, 'get', undefined)).value).toBe(12);
  });

  it('keeps per-key order for concurrent asks across the wire', async () => {
    const client = alpha.client(counter);
    const key = onBeta[1]!;
    const sums = await Promise.all(Array.from({ length: 200 }, () => client.ask(key, 'add', 1)));
    expect(sums.map((s) => s.value)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('brings crashes and timeouts back as named errors', async () => {
    const client = alpha.client(counter);
    const key = onBeta[2]!;
    await expect(client.ask(key, 'crash', 'over the wire')).rejects.toThrow(ActorCrashedError);
    await expect(client.ask(key, 'slow', 300, { timeoutMs: 50 })).rejects.toThrow(AskTimeoutError);
    await expect(client.ask(key, 'record', 'late', { timeoutMs: 50 })).rejects.toThrow(AskTimeoutError);
    await sleep(300);
    expect((await client.ask(key, 'seen', undefined)).value.seen).toEqual([]);
  });

  it('brings back a reply several times bigger than one transport message', async () => {
    const length = 3 * transports[0]!.maxPayloadBytes;
    expect((await alpha.client(counter).ask(onBeta[3]!, 'blob', length, { timeoutMs: 20_000 })).value).toHaveLength(length);
  });

  it('reports an instance nobody serves as unreachable', async () => {
    const lonelyPlacement = new RendezvousPlacement({ instances: { 'net-counter': ['gamma'] } });
    const lonely = new ActorSystem({ instance: 'alpha2', placement: lonelyPlacement, transport: transports[0] });
    await expect(lonely.client(counter).ask('k', 'get', undefined, { timeoutMs: 1000 })).rejects.toThrow(ActorUnreachableError);
  });
});
