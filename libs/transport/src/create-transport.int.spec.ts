import { startNatsServer, startRedisServer, type TestServer } from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransport } from './create-transport.ts';

let nats: TestServer;
let redis: TestServer;
beforeAll(async () => {
  [nats, redis] = await Promise.all([startNatsServer(), startRedisServer()]);
});
afterAll(async () => {
  await Promise.all([nats?.stop(), redis?.stop()]);
});

describe('createTransport with servers', () => {
  it('connects the NATS and Redis adapters', async () => {
    const natsTransport = await createTransport({ kind: 'nats', servers: nats.url, prefix: 'x' });
    const redisTransport = await createTransport({ kind: 'redis', url: redis.url, prefix: 'x' });
    expect([natsTransport.kind, redisTransport.kind]).toEqual(['nats', 'redis']);
    for (const transport of [natsTransport, redisTransport]) {
      await transport.serve('ping', () => new Uint8Array([2]));
      expect(await transport.request('ping', new Uint8Array(0))).toEqual(new Uint8Array([2]));
      await transport.close();
    }
  });
});
