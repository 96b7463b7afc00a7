import { startRedisServer, type TestServer } from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoRespondersError } from './errors.ts';
import { connectRedisTransport, RedisConnectError } from './redis-transport.ts';
import { describeTransportContract } from './transport-contract.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

describeTransportContract('redis', {
  create: () => connectRedisTransport({ url: server.url, reconnectDelayMs: { min: 50, max: 500 } }),
  server: { stop: () => server.stop(), restart: () => server.restart() },
});

describe('RedisTransport', () => {
  it('uses the configured payload limit (default 1 MiB)', async () => {
    const small = await connectRedisTransport({ url: server.url, maxPayloadBytes: 10 });
    const plain = await connectRedisTransport({ url: server.url });
    expect(small.maxPayloadBytes).toBe(10);
    expect(plain.maxPayloadBytes).toBe(1024 * 1024);
    await Promise.all([small.close(), plain.close()]);
  });

  it('keeps deployments with different prefixes apart', async () => {
    const a = await connectRedisTransport({ url: server.url, prefix: 'one' });
    const b = await connectRedisTransport({ url: server.url, prefix: 'two' });
    const got: string[] = [];
    await b.subscribe('>', (m) => void got.push(m.subject));
    await b.serve('svc', () => new Uint8Array(0));
    await a.publish('x', new Uint8Array(1));
    await b.publish('y', new Uint8Array(1));
    await expect(a.request('svc', new Uint8Array(0))).rejects.toBeInstanceOf(NoRespondersError);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(got).toEqual(['y']);
    await Promise.all([a.close(), b.close()]);
  });

  it('matches subjects with glob characters literally', async () => {
    const transport = await connectRedisTransport({ url: server.url });
    const got: string[] = [];
    await transport.subscribe('room.!a:[::1].>', (m) => void got.push(m.subject));
    await transport.publish('room.!a:[::1].x', new Uint8Array(1));
    await transport.publish('room.!a:1.x', new Uint8Array(1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(got).toEqual(['room.!a:[::1].x']);
    await transport.close();
  });

  it('notices a server that stopped serving when its connection dies', async () => {
    const client = await connectRedisTransport({ url: server.url });
    const responder = await connectRedisTransport({ url: server.url });
    await responder.serve('gone', () => new Uint8Array(0));
    await client.request('gone', new Uint8Array(0));
    await responder.close();
    await expect(client.request('gone', new Uint8Array(0))).rejects.toBeInstanceOf(NoRespondersError);
    await client.close();
  });

  it('fails the first connection loudly, naming the server', async () => {
    await expect(connectRedisTransport({ url: 'redis://127.0.0.1:1' })).rejects.toBeInstanceOf(RedisConnectError);
  });
});
