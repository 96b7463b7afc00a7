import { startNatsServer, type TestServer } from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNatsTransport, NatsConnectError } from './nats-transport.ts';
import { describeTransportContract } from './transport-contract.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startNatsServer();
});
afterAll(async () => {
  await server?.stop();
});

describeTransportContract('nats', {
  create: () => connectNatsTransport({ servers: server.url, reconnectDelayMs: { min: 50, max: 500 } }),
  server: { stop: () => server.stop(), restart: () => server.restart() },
});

describe('NatsTransport', () => {
  it('takes its payload limit from the server', async () => {
    const transport = await connectNatsTransport({ servers: server.url });
    expect(transport.maxPayloadBytes).toBe(1024 * 1024);
    await transport.close();
  });

  it('keeps deployments with different prefixes apart', async () => {
    const a = await connectNatsTransport({ servers: server.url, prefix: 'one' });
    const b = await connectNatsTransport({ servers: server.url, prefix: 'two' });
    const got: string[] = [];
    await b.subscribe('>', (m) => void got.push(m.subject));
    await b.serve('svc', () => new Uint8Array(0));
    await a.publish('x', new Uint8Array(1));
    await b.publish('y', new Uint8Array(1));
    await expect(a.request('svc', new Uint8Array(0))).rejects.toThrow(/no responders/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(got).toEqual(['y']);
    await Promise.all([a.close(), b.close()]);
  });

  it('fails the first connection loudly, naming the server', async () => {
    await expect(connectNatsTransport({ servers: 'nats://127.0.0.1:1' })).rejects.toBeInstanceOf(NatsConnectError);
  });
});
