// Interop with a real Synapse (matrix-synapse from PyPI, venv cached between runs) on loopback
// over TLS: our process and Synapse fetch each other's keys (each through its own notary
// endpoint), and signed requests verify both ways: ours at Synapse's /query/profile, Synapse's
// at ours when a Synapse user looks up one of our users' profiles. Rooms: synapse-rooms.int.spec.ts.
import { readFile } from 'node:fs/promises';
import { Agent, request as httpsRequest } from 'node:https';
import { loadConfig } from '@homeserver/config';
import { parseServerKeys, parseSigningKeyFile, signRequest, verifyJsonSignature, type JsonObject } from '@homeserver/matrix';
import type { FederationMember, SynapseServer } from '@homeserver/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpFederationClient } from './federation-client.ts';
import { FederationRequestError } from './federation.ts';
import { IpPolicy } from './ip-policy.ts';
import { clientApi, registerUser } from './testing/interop-clients.ts';
import { startInteropPair, type InteropPair } from './testing/interop-pair.ts';

let pair: InteropPair;
let ours: FederationMember;
let synapse: SynapseServer;
let client: HttpFederationClient;
let ca: string[];

async function getTls(base: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: JsonObject }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${base}${path}`, { agent: new Agent({ ca }), headers }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as JsonObject }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  pair = await startInteropPair();
  ({ ours, synapse, ca } = pair);
  const config = await loadConfig([ours.configPath]);
  const [signingKey] = parseSigningKeyFile(await readFile(config.signingKeyPath, 'utf8'));
  // Speaks as our process (its name and key), through the real outbound client.
  client = new HttpFederationClient({
    serverName: ours.serverName,
    signingKey: signingKey!,
    logger: pino({ level: 'silent' }),
    ipPolicy: new IpPolicy({ blacklist: config.federation.ipRangeBlacklist, whitelist: config.federation.ipRangeWhitelist }),
    allows: (server) => server !== ours.serverName,
    ca,
  });
}, 20 * 60_000);

afterAll(async () => {
  client?.close();
  await pair?.stop();
});

describe('Synapse interop', () => {
  it("we fetch Synapse's keys: our notary endpoint fetches them over TLS, checks and countersigns them", async () => {
    const { status, body } = await getTls(ours.federationUrl, `/_matrix/key/v2/query/${encodeURIComponent(synapse.serverName)}`);
    expect(status).toBe(200);
    const [entry] = body['server_keys'] as JsonObject[];
    expect(parseServerKeys(entry!, { expectedServerName: synapse.serverName }).verifyKeys.size).toBeGreaterThan(0);
    expect(Object.keys((entry!['signatures'] as JsonObject)[ours.serverName] as JsonObject)).toHaveLength(1);
  });

  it('Synapse fetches our keys: its /_matrix/key/v2/query notary answers them signed by us and by Synapse', async () => {
    const ourKeys = parseServerKeys((await getTls(ours.federationUrl, '/_matrix/key/v2/server')).body);
    const [ourKeyId] = [...ourKeys.verifyKeys.keys()];
    // Synapse's notary fetches on a cache miss only for named key IDs.
    const body = await client.request<{ server_keys: JsonObject[] }>({
      destination: synapse.serverName,
      method: 'POST',
      path: '/_matrix/key/v2/query',
      body: { server_keys: { [ours.serverName]: { [ourKeyId!]: { minimum_valid_until_ts: Date.now() } } } },
    });
    const entry = body.server_keys.find((k) => k['server_name'] === ours.serverName);
    expect(entry).toBeDefined();
    expect(parseServerKeys(entry!, { expectedServerName: ours.serverName }).verifyKeys.get(ourKeyId!)).toEqual(ourKeys.verifyKeys.get(ourKeyId!));
    const synapseKeys = parseServerKeys((await getTls(synapse.federationUrl, '/_matrix/key/v2/server')).body);
    const [keyId, publicKey] = [...synapseKeys.verifyKeys][0]!;
    expect(() => verifyJsonSignature(entry!, synapse.serverName, { keyId, publicKey })).not.toThrow();
  });

  it('our signed requests verify at Synapse (/version and /query/profile), and one signed for another server is refused', async () => {
    await registerUser(synapse.clientUrl, 'alice', 'Alice at Synapse');
    const version = await client.request<{ server: { name: string } }>({ destination: synapse.serverName, method: 'GET', path: '/_matrix/federation/v1/version' });
    expect(version.server.name).toBe('Synapse');
    const path = `/_matrix/federation/v1/query/profile?user_id=${encodeURIComponent(`@alice:${synapse.serverName}`)}`;
    expect(await client.request({ destination: synapse.serverName, method: 'GET', path })).toMatchObject({ displayname: 'Alice at Synapse' });
    const config = await loadConfig([ours.configPath]);
    const [key] = parseSigningKeyFile(await readFile(config.signingKeyPath, 'utf8'));
    const forged = signRequest({ method: 'GET', uri: path, origin: ours.serverName, destination: 'elsewhere.example' }, key!);
    const refused = await getTls(synapse.federationUrl, path, { authorization: forged });
    expect(refused.status).toBe(401);
  });

  it("Synapse's signed requests verify at ours: a Synapse user reads our user's profile through federation", async () => {
    await registerUser(ours.clientUrl, 'bob', 'Bob at ours');
    const carol = await registerUser(synapse.clientUrl, 'carol', 'Carol');
    const profile = await clientApi(synapse.clientUrl, 'GET', `/_matrix/client/v3/profile/${encodeURIComponent(`@bob:${ours.serverName}`)}`, undefined, carol.token);
    expect(profile).toMatchObject({ displayname: 'Bob at ours' });
  });

  it('refuses to send to Synapse when federation_domain_whitelist leaves it out', async () => {
    const fenced = new HttpFederationClient({
      serverName: ours.serverName,
      signingKey: parseSigningKeyFile(await readFile((await loadConfig([ours.configPath])).signingKeyPath, 'utf8'))[0]!,
      logger: pino({ level: 'silent' }),
      ipPolicy: new IpPolicy({ blacklist: [], whitelist: [] }),
      allows: () => false,
      ca,
    });
    const error = await fenced.request({ destination: synapse.serverName, method: 'GET', path: '/_matrix/federation/v1/version' }).catch((e: unknown) => e);
    fenced.close();
    expect(error).toBeInstanceOf(FederationRequestError);
    expect((error as FederationRequestError).status).toBe(0);
  });
});
