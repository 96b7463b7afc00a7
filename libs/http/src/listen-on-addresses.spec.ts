import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { lookup } from 'node:dns/promises';
import { createHealthServer, createProcessMetrics, createServer } from './index.ts';
import { listenOnAddresses, type ListeningAddresses } from './listen-on-addresses.ts';

let app: FastifyInstance | undefined;
let listening: ListeningAddresses | undefined;

async function server(): Promise<FastifyInstance> {
  app = await createServer({ logger: pino({ level: 'silent' }), metrics: createProcessMetrics({ workerName: 't', workerApp: 'main' }) });
  app.get('/_matrix/client/versions', async (request) => ({ via: request.socket.localAddress }));
  return app;
}

afterEach(async () => {
  await listening?.close();
  await app?.close();
  listening = undefined;
  app = undefined;
});

describe('listenOnAddresses', () => {
  it('serves the same routes on every bind address, on one port', async () => {
    listening = await listenOnAddresses(await server(), 0, ['127.0.0.1', '::1']);
    const [v4, v6] = listening.addresses;
    expect(v6!.port).toBe(v4!.port);
    const over4 = (await (await fetch(`http://127.0.0.1:${v4!.port}/_matrix/client/versions`)).json()) as { via: string };
    const over6 = (await (await fetch(`http://[::1]:${v6!.port}/_matrix/client/versions`)).json()) as { via: string };
    expect([over4.via, over6.via]).toEqual(['127.0.0.1', '::1']);
  });

  it('accepts both wildcards on a dual-stack host (the IPv6 one already takes IPv4)', async () => {
    listening = await listenOnAddresses(await server(), 0, ['::', '0.0.0.0']);
    const port = listening.addresses[0]!.port;
    expect((await fetch(`http://127.0.0.1:${port}/_matrix/client/versions`)).status).toBe(200);
    expect((await fetch(`http://[::1]:${port}/_matrix/client/versions`)).status).toBe(200);
  });

  it('binds "localhost" as every address it resolves to, for the health server as for Fastify', async () => {
    const loopbacks = (await lookup('localhost', { all: true })).map((a) => a.address);
    const health = createHealthServer({ logger: pino({ level: 'silent' }), metrics: createProcessMetrics({ workerName: 't', workerApp: 'pusher' }) });
    const bound = await listenOnAddresses(health, 0, ['localhost']);
    try {
      expect(bound.addresses.map((a) => a.host)).toEqual(loopbacks);
      for (const { host, port } of bound.addresses) expect((await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${port}/health`)).status).toBe(200);
    } finally {
      await bound.close();
      await health.close();
    }
    listening = await listenOnAddresses(await server(), 0, ['localhost']);
    expect(listening.addresses.map((a) => a.host)).toEqual(loopbacks);
  });

  it('fails naming the address it could not take', async () => {
    const blocker = await listenOnAddresses(await server(), 0, ['127.0.0.1', '::1']);
    const port = blocker.addresses[0]!.port;
    const other = await createServer({ logger: pino({ level: 'silent' }), metrics: createProcessMetrics({ workerName: 't', workerApp: 'main' }) });
    try {
      await expect(listenOnAddresses(other, port, ['127.0.0.2', '::1'])).rejects.toThrow(/::1 port/);
    } finally {
      await other.close();
      await blocker.close();
    }
  });
});
