// Trusted replication over real servers that require credentials: NATS with user/password,
// a token or an nkey, Redis with an ACL user. A client without the credentials cannot even
// connect; with them, the authenticated wrapper meets the whole transport contract (reconnect
// after a server restart included).
import { nkeys } from '@nats-io/transport-node';
import { startNatsServer, startRedisServer, type TestServer } from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateTransport } from './authenticated-transport.ts';
import { connectNatsTransport, NatsConnectError } from './nats-transport.ts';
import { connectRedisTransport, RedisConnectError } from './redis-transport.ts';
import { describeTransportContract } from './transport-contract.ts';

const secret = 'replication-secret';
const fast = { reconnectDelayMs: { min: 50, max: 500 } };
const nkeyPair = nkeys.createUser();
const seed = new TextDecoder().decode(nkeyPair.getSeed());

const servers: Record<'natsUser' | 'natsToken' | 'natsNkey' | 'redisAcl', TestServer> = {} as never;
beforeAll(async () => {
  [servers.natsUser, servers.natsToken, servers.natsNkey, servers.redisAcl] = await Promise.all([
    startNatsServer({ auth: { user: 'hs', password: 'nats-pw' } }),
    startNatsServer({ auth: { token: 'nats-token' } }),
    startNatsServer({ auth: { nkey: nkeyPair.getPublicKey() } }),
    startRedisServer({ auth: { user: 'hs', password: 'redis-pw' } }),
  ]);
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server?.stop()));
});

describeTransportContract('authenticated over NATS with an nkey', {
  create: async () => authenticateTransport(await connectNatsTransport({ servers: servers.natsNkey.url, nkeySeed: seed, ...fast }), { secret }),
  server: { stop: () => servers.natsNkey.stop(), restart: () => servers.natsNkey.restart() },
});

describeTransportContract('authenticated over Redis with an ACL user', {
  create: async () => authenticateTransport(await connectRedisTransport({ url: servers.redisAcl.url, username: 'hs', password: 'redis-pw', ...fast }), { secret }),
  server: { stop: () => servers.redisAcl.stop(), restart: () => servers.redisAcl.restart() },
});

describe('transport credentials', () => {
  it('connects to NATS with user/password and with a token, and is refused without them', async () => {
    const byUser = await connectNatsTransport({ servers: servers.natsUser.url, user: 'hs', pass: 'nats-pw' });
    const byToken = await connectNatsTransport({ servers: servers.natsToken.url, token: 'nats-token' });
    await Promise.all([byUser.close(), byToken.close()]);
    await expect(connectNatsTransport({ servers: servers.natsUser.url })).rejects.toBeInstanceOf(NatsConnectError);
    await expect(connectNatsTransport({ servers: servers.natsUser.url, user: 'hs', pass: 'wrong' })).rejects.toBeInstanceOf(NatsConnectError);
    await expect(connectNatsTransport({ servers: servers.natsToken.url, token: 'wrong' })).rejects.toBeInstanceOf(NatsConnectError);
    const otherSeed = new TextDecoder().decode(nkeys.createUser().getSeed());
    await expect(connectNatsTransport({ servers: servers.natsNkey.url, nkeySeed: otherSeed })).rejects.toBeInstanceOf(NatsConnectError);
  });

  it('is refused by Redis without the ACL user or with a wrong password', async () => {
    await expect(connectRedisTransport({ url: servers.redisAcl.url })).rejects.toBeInstanceOf(RedisConnectError);
    await expect(connectRedisTransport({ url: servers.redisAcl.url, username: 'hs', password: 'wrong' })).rejects.toBeInstanceOf(RedisConnectError);
  });
});
