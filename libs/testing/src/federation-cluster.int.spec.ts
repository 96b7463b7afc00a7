// The federation harness: two real homeserver processes, each with its own name, PostgreSQL
// database and TLS federation listener, fetch each other's keys (through each one's notary
// endpoint, which makes it fetch the other's keys over TLS) and verify each other's signed
// requests; a stopped member starts again under the same name.
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { loadConfig } from '@homeserver/config';
import { parseServerKeys, parseSigningKeyFile, signRequest, verifyJsonSignature, type JsonObject } from '@homeserver/matrix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederationCluster, type FederationCluster, type FederationMember } from './federation-cluster.ts';

let cluster: FederationCluster;
let a: FederationMember;
let b: FederationMember;

/** GET over TLS trusting the cluster's certificates only. */
async function getJson(member: FederationMember, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: JsonObject }> {
  const ca = await Promise.all(cluster.caPaths.map((p) => readFile(p, 'utf8')));
  return new Promise((resolve, reject) => {
    const req = request(`${member.federationUrl}${path}`, { agent: new Agent({ ca }), headers }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as JsonObject }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function identityOf(member: FederationMember) {
  const config = await loadConfig([member.configPath]);
  const [signingKey] = parseSigningKeyFile(await readFile(config.signingKeyPath, 'utf8'));
  return signingKey!;
}

beforeAll(async () => {
  cluster = await startFederationCluster({ count: 2 });
  [a, b] = cluster.members as [FederationMember, FederationMember];
}, 240_000);

afterAll(async () => {
  await cluster?.close();
});

describe('federation cluster harness', () => {
  it('gives each member its own server name, database and TLS federation listener serving its keys', async () => {
    expect(a.serverName).not.toBe(b.serverName);
    expect(a.database.options.database).not.toBe(b.database.options.database);
    for (const member of [a, b]) {
      const { status, body } = await getJson(member, '/_matrix/key/v2/server');
      expect(status).toBe(200);
      expect(parseServerKeys(body, { expectedServerName: member.serverName }).verifyKeys.size).toBe(1);
    }
  });

  it("each process fetches the other's keys over TLS (asked through its notary endpoint) and countersigns them", async () => {
    for (const [notary, subject] of [[a, b], [b, a]] as const) {
      const { status, body } = await getJson(notary, `/_matrix/key/v2/query/${encodeURIComponent(subject.serverName)}`);
      expect(status).toBe(200);
      const [entry] = body['server_keys'] as JsonObject[];
      expect(entry?.['server_name']).toBe(subject.serverName);
      parseServerKeys(entry!, { expectedServerName: subject.serverName });
      const notaryKeys = parseServerKeys((await getJson(notary, '/_matrix/key/v2/server')).body);
      const [keyId, publicKey] = [...notaryKeys.verifyKeys][0]!;
      expect(() => verifyJsonSignature(entry!, notary.serverName, { keyId, publicKey })).not.toThrow();
    }
  });

  it("verifies signed requests both ways (fetching the signer's key from its process), and refuses one signed for another server", async () => {
    for (const [from, to] of [[a, b], [b, a]] as const) {
      const key = await identityOf(from);
      const path = `/_matrix/federation/v1/query/profile?user_id=${encodeURIComponent(`@nobody:${to.serverName}`)}`;
      const sign = (destination: string) => ({ authorization: signRequest({ method: 'GET', uri: path, origin: from.serverName, destination }, key) });
      // Past authentication the user is unknown (404), which only a verified request learns.
      const verified = await getJson(to, path, sign(to.serverName));
      expect([verified.status, verified.body['errcode']]).toEqual([404, 'M_NOT_FOUND']);
      const refused = await getJson(to, path, sign('elsewhere.example'));
      expect([refused.status, refused.body['errcode']]).toEqual([401, 'M_UNAUTHORIZED']);
      const unsigned = await getJson(to, path);
      expect(unsigned.status).toBe(401);
    }
  });

  it('one process makes a signed request of the other for its client: a user of A reads the profile of a user of B', async () => {
    const register = async (member: FederationMember, username: string, displayname?: string): Promise<string> => {
      const response = await fetch(`${member.clientUrl}/_matrix/client/v3/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: 'harness-password-1', auth: { type: 'm.login.dummy' } }),
      });
      const { access_token: token, user_id: userId } = (await response.json()) as { access_token: string; user_id: string };
      if (displayname !== undefined) {
        await fetch(`${member.clientUrl}/_matrix/client/v3/profile/${encodeURIComponent(userId)}/displayname`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ displayname }),
        });
      }
      return token;
    };
    await register(b, 'bob', 'Bob of B');
    const token = await register(a, 'alice');
    const response = await fetch(`${a.clientUrl}/_matrix/client/v3/profile/${encodeURIComponent(`@bob:${b.serverName}`)}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ displayname: 'Bob of B' });
  });

  it('starts a stopped member again under the same name and keys', async () => {
    const before = (await getJson(b, '/_matrix/key/v2/server')).body['verify_keys'];
    await b.stop();
    expect(b.running).toBe(false);
    await b.start();
    expect((await getJson(b, '/_matrix/key/v2/server')).body['verify_keys']).toEqual(before);
  });
});
