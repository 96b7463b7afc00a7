// Trusted replication over real servers that require credentials: NATS with user/password,
// a token, an nkey or a creds file (operator mode), Redis with an ACL user. A client without the credentials cannot even
// connect; with them, the authenticated wrapper meets the whole transport contract (reconnect
// after a server restart included).
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

type Signer = ReturnType<typeof nkeys.createOperator>;
const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');

/** A NATS JWT (ed25519-nkey) with `claims`, issued and signed by `issuer`. */
function natsJwt(claims: Record<string, unknown>, issuer: Signer): string {
  const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'ed25519-nkey' }));
  const body = { ...claims, iat: Math.floor(Date.now() / 1000), iss: issuer.getPublicKey() };
  const payload = b64url(JSON.stringify({ jti: createHash('sha256').update(JSON.stringify(body)).digest('base64url'), ...body }));
  return `${header}.${payload}.${b64url(issuer.sign(new TextEncoder().encode(`${header}.${payload}`)))}`;
}

/** An operator, a system account, an account and one user of it, as `nsc` would make them. */
function operatorSetup() {
  const [operator, system, account, user] = [nkeys.createOperator(), nkeys.createAccount(), nkeys.createAccount(), nkeys.createUser()];
  const unlimited = { subs: -1, data: -1, payload: -1, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1 };
  const accountJwt = (pair: Signer, name: string) => natsJwt({ sub: pair.getPublicKey(), name, nats: { limits: unlimited, type: 'account', version: 2 } }, operator);
  const userJwt = natsJwt({ sub: user.getPublicKey(), name: 'homeserver', nats: { pub: {}, sub: {}, subs: -1, data: -1, payload: -1, type: 'user', version: 2 } }, account);
  const credsFile = join(tmpdir(), `hs-test-${process.pid}-${Date.now()}.creds`);
  writeFileSync(credsFile, `-----BEGIN NATS USER JWT-----\n${userJwt}\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\n${new TextDecoder().decode(user.getSeed())}\n------END USER NKEY SEED------\n`);
  return {
    credsFile,
    auth: {
      operatorJwt: natsJwt({ sub: operator.getPublicKey(), name: 'test-operator', nats: { type: 'operator', version: 2 } }, operator),
      systemAccount: system.getPublicKey(),
      accountJwts: { [system.getPublicKey()]: accountJwt(system, 'SYS'), [account.getPublicKey()]: accountJwt(account, 'homeserver') },
    },
  };
}
const operator = operatorSetup();

const servers: Record<'natsUser' | 'natsToken' | 'natsNkey' | 'natsOperator' | 'redisAcl', TestServer> = {} as never;
beforeAll(async () => {
  [servers.natsUser, servers.natsToken, servers.natsNkey, servers.natsOperator, servers.redisAcl] = await Promise.all([
    startNatsServer({ auth: { user: 'hs', password: 'nats-pw' } }),
    startNatsServer({ auth: { token: 'nats-token' } }),
    startNatsServer({ auth: { nkey: nkeyPair.getPublicKey() } }),
    startNatsServer({ auth: operator.auth }),
    startRedisServer({ auth: { user: 'hs', password: 'redis-pw' } }),
  ]);
});
afterAll(async () => {
  rmSync(operator.credsFile, { force: true });
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

  it('connects to an operator-mode NATS with a creds file, and is refused without it', async () => {
    const client = authenticateTransport(await connectNatsTransport({ servers: servers.natsOperator.url, credsFile: operator.credsFile }), { secret });
    const server = authenticateTransport(await connectNatsTransport({ servers: servers.natsOperator.url, credsFile: operator.credsFile }), { secret });
    await server.serve('svc', (payload) => payload);
    expect(new TextDecoder().decode(await client.request('svc', new TextEncoder().encode('over creds')))).toBe('over creds');
    await Promise.all([client.close(), server.close()]);
    await expect(connectNatsTransport({ servers: servers.natsOperator.url })).rejects.toBeInstanceOf(NatsConnectError);
    await expect(connectNatsTransport({ servers: servers.natsOperator.url, credsFile: '/nonexistent/user.creds' })).rejects.toBeInstanceOf(NatsConnectError);
  });

  it('is refused by Redis without the ACL user or with a wrong password', async () => {
    await expect(connectRedisTransport({ url: servers.redisAcl.url })).rejects.toBeInstanceOf(RedisConnectError);
    await expect(connectRedisTransport({ url: servers.redisAcl.url, username: 'hs', password: 'wrong' })).rejects.toBeInstanceOf(RedisConnectError);
  });
});
