// Three servers in this test process, each with its own PostgreSQL database, TLS listener
// (openssl self-signed certificates, trusted through federation_custom_ca_list) and loopback
// whitelisted: they fetch each other's keys directly and through a notary, cache them in
// PostgreSQL, and authenticate each other's signed requests; every refusal names its reason.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, type HomeserverConfigFile } from '@homeserver/config';
import { MatrixError } from '@homeserver/http';
import { SigningKey, parseServerKeys, signRequest, verifyJsonSignature, type JsonObject } from '@homeserver/matrix';
import { openDatabase, type Database } from '@homeserver/storage';
import { createTestDatabase, type TestPostgres } from '@homeserver/storage/testing';
import { createTestCertificate, freePort, type TestCertificate } from '@homeserver/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFederation, type FederationCore } from './create-federation.ts';
import { HttpFederationClient } from './federation-client.ts';
import { FederationRequestError } from './federation.ts';
import { IpPolicy } from './ip-policy.ts';
import { registerKeyRoutes } from './key-routes.ts';

interface Peer {
  readonly name: string;
  readonly key: SigningKey;
  readonly federation: FederationCore;
  readonly db: Database;
  readonly app: FastifyInstance;
  readonly pg: TestPostgres;
}

const logger = pino({ level: 'silent' });
const peers: Peer[] = [];
let dir: string;
let caPaths: string[];
const certificates = new Map<number, TestCertificate>();

async function startPeer(port: number, seed: number, extra: Partial<HomeserverConfigFile> = {}): Promise<Peer> {
  const name = `localhost:${port}`;
  const cert = certificates.get(port)!;
  const key = SigningKey.fromSeed(new Uint8Array(32).fill(seed), `k${seed}`);
  const config = resolveConfig(
    {
      server_name: name,
      ip_range_whitelist: ['127.0.0.1/32'],
      federation_custom_ca_list: caPaths,
      ...extra,
    },
    { configDir: dir },
  );
  const pg = await createTestDatabase('hs_fedkeys');
  const db = await openDatabase(pg.options);
  const federation = createFederation({ config, db, signingKey: key, logger });
  const app = Fastify({ https: { key: await readFile(cert.privateKeyPath), cert: await readFile(cert.certificatePath) } }) as unknown as FastifyInstance;
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof MatrixError) return reply.status(error.status).send({ errcode: error.errcode, error: error.message });
    return reply.status(500).send({ errcode: 'M_UNKNOWN', error: String(error) });
  });
  registerKeyRoutes(app, { federation });
  // An authenticated endpoint standing in for the federation API: answers who signed.
  const whoami = async (request: { method: string; url: string; headers: Record<string, string | string[] | undefined>; body?: unknown }) => ({
    origin: await federation.auth.authenticate({ method: request.method, uri: request.url, headers: request.headers, body: request.body }),
    ...(request.body !== undefined ? { contentLength: request.headers['content-length'] } : {}),
  });
  app.get('/_matrix/federation/v1/whoami', whoami);
  app.put('/_matrix/federation/v1/whoami/:txn', whoami);
  await app.listen({ port, host: '127.0.0.1' });
  const peer = { name, key, federation, db, app, pg };
  peers.push(peer);
  return peer;
}

let a: Peer;
let b: Peer;
let notary: Peer;
/** A server that goes away during the tests. */
let c: Peer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hs-fedkeys-'));
  caPaths = [];
  const [portA, portB, portN, portC] = [await freePort(), await freePort(), await freePort(), await freePort()];
  // Certificates first: every peer trusts all three (the CA list is read when a peer starts).
  for (const port of [portA, portB, portN, portC]) {
    const cert = await createTestCertificate(dir, { name: `peer${port}` });
    certificates.set(port, cert);
    caPaths.push(cert.certificatePath);
  }
  notary = await startPeer(portN, 3);
  const notaryKey = { [notary.key.keyId]: notary.key.publicKeyBase64 };
  a = await startPeer(portA, 1, { trusted_key_servers: [{ server_name: notary.name, verify_keys: notaryKey }], old_signing_keys: { 'ed25519:retired': { key: SigningKey.fromSeed(new Uint8Array(32).fill(9), 'retired').publicKeyBase64, expired_ts: 1000 } } });
  b = await startPeer(portB, 2, { trusted_key_servers: [{ server_name: notary.name, verify_keys: notaryKey }] });
  c = await startPeer(portC, 4);
}, 120_000);

afterAll(async () => {
  for (const peer of peers) {
    peer.federation.close();
    await peer.app.close();
    await peer.db.close();
    await peer.pg.drop();
  }
});

describe('key exchange over TLS', () => {
  it('serves our keys, current and old, self-signed and valid for key_refresh_interval', async () => {
    const before = Date.now();
    const body = await b.federation.client.getUnsigned(a.name, '/_matrix/key/v2/server');
    const keys = parseServerKeys(body, { expectedServerName: a.name });
    expect([...keys.verifyKeys.keys()]).toEqual([a.key.keyId]);
    expect(keys.oldVerifyKeys.get('ed25519:retired')?.expiredTs).toBe(1000);
    expect(keys.validUntilTs).toBeGreaterThanOrEqual(before + 86_400_000);
  });

  it('fetches a key directly, caches it in PostgreSQL, and answers old keys with their expiry', async () => {
    const key = await b.federation.keys.lookupKey(a.name, a.key.keyId);
    expect(key?.publicKey).toEqual(a.key.publicKey);
    expect(key?.validUntilTs).toBeGreaterThan(Date.now());
    const { rows } = await b.db.query<{ key_id: string; expired_ts: number | null }>('SELECT key_id, expired_ts FROM server_keys WHERE server_name = $1 ORDER BY key_id', [a.name]);
    expect(rows).toEqual([{ key_id: 'ed25519:k1', expired_ts: null }, { key_id: 'ed25519:retired', expired_ts: 1000 }]);
    expect(await b.federation.keys.lookupKey(a.name, 'ed25519:retired')).toMatchObject({ expiredTs: 1000 });
    expect(await b.federation.keys.lookupKey(a.name, 'ed25519:nosuchkey')).toBeUndefined();
  });

  it('acts as a notary: POST and GET /query answer the origin-signed keys countersigned by us', async () => {
    const posted = await a.federation.client.request<{ server_keys: JsonObject[] }>({
      destination: notary.name,
      method: 'POST',
      path: '/_matrix/key/v2/query',
      body: { server_keys: { [b.name]: { [b.key.keyId]: { minimum_valid_until_ts: Date.now() } } } },
    });
    expect(posted.server_keys).toHaveLength(1);
    const entry = posted.server_keys[0]!;
    expect(() => parseServerKeys(entry, { expectedServerName: b.name })).not.toThrow();
    expect(() => verifyJsonSignature(entry, notary.name, { keyId: notary.key.keyId, publicKey: notary.key.publicKey })).not.toThrow();
    const got = await a.federation.client.getUnsigned<{ server_keys: JsonObject[] }>(notary.name, `/_matrix/key/v2/query/${encodeURIComponent(b.name)}`);
    expect(got.server_keys.map((k) => k['server_name'])).toEqual([b.name]);
    const byKeyId = await a.federation.client.getUnsigned<{ server_keys: JsonObject[] }>(notary.name, `/_matrix/key/v2/query/${encodeURIComponent(b.name)}/${encodeURIComponent(b.key.keyId)}`);
    expect(byKeyId.server_keys.map((k) => k['server_name'])).toEqual([b.name]);
    const own = await a.federation.client.getUnsigned<{ server_keys: JsonObject[] }>(notary.name, `/_matrix/key/v2/query/${encodeURIComponent(notary.name)}`);
    expect(own.server_keys[0]?.['server_name']).toBe(notary.name);
  });

  it('falls back to the notary when the server itself cannot be reached, checking both signatures', async () => {
    // The notary learns C's keys, then C stops answering.
    await notary.federation.keys.query(c.name, Date.now());
    await c.app.close();
    const key = await a.federation.keys.lookupKey(c.name, c.key.keyId);
    expect(key?.publicKey).toEqual(c.key.publicKey);
    const { rows } = await a.db.query<{ from_server: string }>('SELECT from_server FROM server_key_responses WHERE server_name = $1', [c.name]);
    expect(rows).toEqual([{ from_server: notary.name }]);
  });

  it("refuses a notary's answer that the notary did not sign with a configured key", async () => {
    const config = resolveConfig(
      { server_name: 'doubter.example', ip_range_whitelist: ['127.0.0.1'], federation_custom_ca_list: caPaths, trusted_key_servers: [{ server_name: notary.name, verify_keys: { 'ed25519:other': a.key.publicKeyBase64 } }] },
      { configDir: dir },
    );
    const doubter = createFederation({ config, db: b.db, signingKey: b.key, logger });
    try {
      await b.db.query('DELETE FROM server_keys WHERE server_name = $1', [c.name]);
      expect(await doubter.keys.lookupKey(c.name, c.key.keyId)).toBeUndefined();
    } finally {
      doubter.close();
    }
  });

  it('authenticates signed requests both ways, with and without a body', async () => {
    expect(await a.federation.client.request({ destination: b.name, method: 'GET', path: '/_matrix/federation/v1/whoami' })).toEqual({ origin: a.name });
    const body = { pdus: [], n: 1 };
    expect(await b.federation.client.request({ destination: a.name, method: 'PUT', path: '/_matrix/federation/v1/whoami/t1?x=%2F', body })).toEqual({
      origin: b.name,
      contentLength: String(Buffer.byteLength(JSON.stringify(body))),
    });
  });

  it('reuses one kept-alive TLS connection for consecutive requests to a destination', async () => {
    let connections = 0;
    const count = () => (connections += 1);
    a.app.server.on('secureConnection', count);
    try {
      for (let i = 0; i < 5; i += 1) await b.federation.client.request({ destination: a.name, method: 'GET', path: '/_matrix/federation/v1/whoami' });
    } finally {
      a.app.server.off('secureConnection', count);
    }
    // The socket of the previous test may still be open: then no new connection at all.
    expect(connections).toBeLessThanOrEqual(1);
  });
});

describe('key validity', () => {
  it('trusts a fetched key no longer than its valid_until_ts (refetching it when stale), and refuses requests signed with it after', async () => {
    const later = Date.now() + 2 * 86_400_000;
    const config = resolveConfig({ server_name: b.name, ip_range_whitelist: ['127.0.0.1'], federation_custom_ca_list: caPaths }, { configDir: dir });
    const future = createFederation({ config, db: b.db, signingKey: b.key, logger, now: () => later });
    try {
      const before = await b.db.query<{ fetched_ts: number }>('SELECT fetched_ts FROM server_keys WHERE server_name = $1 AND key_id = $2', [a.name, a.key.keyId]);
      const key = await future.keys.lookupKey(a.name, a.key.keyId);
      // A answered again (valid for a day from its own clock), which is still before `later`.
      expect(key?.validUntilTs).toBeLessThan(later);
      const after = await b.db.query<{ fetched_ts: number }>('SELECT fetched_ts FROM server_keys WHERE server_name = $1 AND key_id = $2', [a.name, a.key.keyId]);
      expect(after.rows[0]!.fetched_ts).toBeGreaterThan(before.rows[0]!.fetched_ts);
      const authorization = signRequest({ method: 'GET', uri: '/x', origin: a.name, destination: b.name }, a.key);
      await expect(future.auth.authenticate({ method: 'GET', uri: '/x', headers: { authorization } })).rejects.toMatchObject({ status: 401, message: expect.stringContaining('was valid only until') });
    } finally {
      future.close();
    }
  });
});

describe('inbound request refusals', () => {
  const call = async (headers: Record<string, string>, path = '/_matrix/federation/v1/whoami') => {
    const response = await b.app.inject({ method: 'GET', url: path, headers });
    return { status: response.statusCode, body: response.json<{ errcode: string; error: string }>() };
  };
  const signed = (fields: Partial<{ origin: string; destination: string; uri: string; method: string }>, key = a.key) =>
    signRequest({ method: 'GET', uri: '/_matrix/federation/v1/whoami', origin: a.name, destination: b.name, ...fields }, key);

  it.each([
    ['no Authorization header', {}, 'missing Authorization header'],
    ['another scheme', { authorization: 'Bearer x' }, 'X-Matrix scheme'],
  ])('401 for %s', async (_what, headers, words) => {
    const { status, body } = await call(headers);
    expect(status).toBe(401);
    expect(body.errcode).toBe('M_UNAUTHORIZED');
    expect(body.error).toContain(words);
  });

  it.each([
    ['an origin with a non-numeric port', 'X-Matrix origin="localhost:http",key="ed25519:1",sig="abc"', 'not a server name'],
    ['no sig', 'X-Matrix origin="a.example",key="ed25519:1"', 'no sig'],
  ])('400 M_UNAUTHORIZED for an X-Matrix header with %s (malformed, as Synapse answers)', async (_what, authorization, words) => {
    const { status, body } = await call({ authorization });
    expect([status, body.errcode]).toEqual([400, 'M_UNAUTHORIZED']);
    expect(body.error).toContain(words);
  });

  it('401 for a request signed for another destination', async () => {
    const { status, body } = await call({ authorization: signed({ destination: 'other.example' }) });
    expect([status, body.errcode]).toEqual([401, 'M_UNAUTHORIZED']);
    expect(body.error).toContain('signed for destination other.example');
  });

  it('401 for a bad signature (signed for another path) and for a key the origin does not have', async () => {
    const wrongPath = await call({ authorization: signed({ uri: '/_matrix/federation/v1/other' }) });
    expect([wrongPath.status, wrongPath.body.errcode]).toEqual([401, 'M_UNAUTHORIZED']);
    expect(wrongPath.body.error).toContain('bad X-Matrix signature');
    const stranger = SigningKey.fromSeed(new Uint8Array(32).fill(42), 'unknown');
    const unknown = await call({ authorization: signed({}, stranger) });
    expect([unknown.status, unknown.body.error]).toEqual([401, `cannot find key ed25519:unknown of ${a.name}`]);
  });

  it('401 for a signature by an old key past its expiry', async () => {
    const retired = SigningKey.fromSeed(new Uint8Array(32).fill(9), 'retired');
    const { status, body } = await call({ authorization: signed({}, retired) });
    expect([status, body.error]).toEqual([401, `key ed25519:retired of ${a.name} expired at 1000`]);
  });
});

describe('server discovery over HTTPS', () => {
  it('follows /.well-known/matrix/server (through a redirect) to the delegated server, and caches the answer', async () => {
    const port = await freePort();
    const cert = certificates.get(Number(c.name.split(':')[1]))!;
    const wellKnown = Fastify({ https: { key: await readFile(cert.privateKeyPath), cert: await readFile(cert.certificatePath) } }) as unknown as FastifyInstance;
    let asked = 0;
    wellKnown.get('/.well-known/matrix/server', async (_request, reply) => {
      asked += 1;
      return reply.redirect('/moved/server', 302);
    });
    wellKnown.get('/moved/server', async () => ({ 'm.server': a.name }));
    await wellKnown.listen({ port, host: '127.0.0.1' });
    const client = new HttpFederationClient({
      serverName: 'tester.example',
      signingKey: b.key,
      logger,
      ipPolicy: new IpPolicy({ blacklist: [], whitelist: [] }),
      allows: () => true,
      ca: await Promise.all(caPaths.map((path) => readFile(path, 'utf8'))),
      wellKnownPort: port,
      lookups: { srv: async () => [] },
    });
    try {
      // `localhost` has no port: only the well-known delegation leads to A's listener.
      for (let i = 0; i < 2; i += 1) {
        const body = await client.getUnsigned('localhost', '/_matrix/key/v2/server');
        expect(body['server_name']).toBe(a.name);
      }
      expect(asked).toBe(1);
    } finally {
      client.close();
      await wellKnown.close();
    }
  });
});

describe('outbound and inbound policy', () => {
  it('refuses to connect to a blacklisted address, naming ip_range_blacklist', async () => {
    const strict = createFederation({ config: resolveConfig({ server_name: 'strict.example' }, { configDir: dir }), db: a.db, signingKey: a.key, logger });
    try {
      const error = await strict.client.request({ destination: b.name, method: 'GET', path: '/_matrix/federation/v1/whoami' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FederationRequestError);
      expect((error as FederationRequestError).status).toBe(0);
      expect((error as Error).message).toContain('blocked by ip_range_blacklist');
    } finally {
      strict.close();
    }
  });

  it('with federation_domain_whitelist: refuses outbound requests to, and answers 403 to inbound requests from, servers left out', async () => {
    const config = resolveConfig({ server_name: b.name, federation_domain_whitelist: [notary.name], ip_range_whitelist: ['127.0.0.1'], federation_custom_ca_list: caPaths }, { configDir: dir });
    const fenced = createFederation({ config, db: b.db, signingKey: b.key, logger });
    try {
      expect(fenced.allows(a.name)).toBe(false);
      expect(fenced.allows(notary.name)).toBe(true);
      const error = await fenced.client.request({ destination: a.name, method: 'GET', path: '/_matrix/federation/v1/whoami' }).catch((e: unknown) => e);
      expect((error as Error).message).toContain('federation_domain_whitelist');
      const authorization = signRequest({ method: 'GET', uri: '/x', origin: a.name, destination: b.name }, a.key);
      const refused = await fenced.auth.authenticate({ method: 'GET', uri: '/x', headers: { authorization } }).catch((e: unknown) => e);
      expect(refused).toMatchObject({ status: 403, errcode: 'M_FORBIDDEN' });
    } finally {
      fenced.close();
    }
  });

  it('does not trust a certificate outside federation_custom_ca_list', async () => {
    const config = resolveConfig({ server_name: 'picky.example', ip_range_whitelist: ['127.0.0.1'], federation_custom_ca_list: [caPaths[0]!] }, { configDir: dir });
    const picky = createFederation({ config, db: a.db, signingKey: a.key, logger });
    try {
      const other = [a, b, notary].find((p) => !p.name.endsWith(`:${caPaths[0]!.match(/peer(\d+)/)![1]}`))!;
      const error = await picky.client.getUnsigned(other.name, '/_matrix/key/v2/server').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FederationRequestError);
      expect((error as Error).message).toMatch(/certificate/i);
    } finally {
      picky.close();
    }
  });
});
