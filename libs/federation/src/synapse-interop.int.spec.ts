// Interop with a real Synapse (matrix-synapse from PyPI, venv cached between runs) on loopback
// over TLS: our process and Synapse fetch each other's keys (each through its own notary
// endpoint), and signed requests verify both ways: ours at Synapse's /query/profile, Synapse's
// at ours when a Synapse user looks up one of our users' profiles.
import { readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request as httpsRequest } from 'node:https';
import { loadConfig } from '@homeserver/config';
import { parseServerKeys, parseSigningKeyFile, signRequest, verifyJsonSignature, type JsonObject } from '@homeserver/matrix';
import { createTestCertificate, startFederationCluster, startSynapse, type FederationCluster, type FederationMember, type SynapseServer } from '@homeserver/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpFederationClient } from './federation-client.ts';
import { FederationRequestError } from './federation.ts';
import { IpPolicy } from './ip-policy.ts';

let cluster: FederationCluster;
let ours: FederationMember;
let synapse: SynapseServer;
let client: HttpFederationClient;
let ca: string[];
/** Set by the rooms test: a Synapse room our user joined, and our room a Synapse user joined. */
const shared: { synapseToken?: string; ourToken?: string; synapseRoomId?: string; ourRoomId?: string } = {};

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

async function clientApi(base: string, method: string, path: string, body?: unknown, token?: string): Promise<JsonObject> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await response.json()) as JsonObject;
  if (!response.ok) throw new Error(`${method} ${base}${path} answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

/** Registers `name` with a display name; resolves to its access token. */
async function registerUser(base: string, name: string, displayname: string): Promise<string> {
  const registered = await clientApi(base, 'POST', '/_matrix/client/v3/register', { username: name, password: 'interop-password-1', auth: { type: 'm.login.dummy' } });
  const token = registered['access_token'] as string;
  await clientApi(base, 'PUT', `/_matrix/client/v3/profile/${encodeURIComponent(registered['user_id'] as string)}/displayname`, { displayname }, token);
  return token;
}

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hs-interop-'));
  const synapseCertificate = await createTestCertificate(dir, { name: 'synapse' });
  cluster = await startFederationCluster({ count: 1, extraCaPaths: [synapseCertificate.certificatePath] });
  ours = cluster.members[0]!;
  synapse = await startSynapse({ caPaths: cluster.caPaths, certificate: synapseCertificate });
  ca = await Promise.all(cluster.caPaths.map((p) => readFile(p, 'utf8')));
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
  await synapse?.stop();
  await cluster?.close();
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
    const token = await registerUser(synapse.clientUrl, 'carol', 'Carol');
    const profile = await clientApi(synapse.clientUrl, 'GET', `/_matrix/client/v3/profile/${encodeURIComponent(`@bob:${ours.serverName}`)}`, undefined, token);
    expect(profile).toMatchObject({ displayname: 'Bob at ours' });
  });

  it('rooms cross over: our user joins a Synapse room by alias, a Synapse user joins ours, and messages arrive both ways', async () => {
    const synapseToken = await registerUser(synapse.clientUrl, 'dave', 'Dave');
    const ourToken = await registerUser(ours.clientUrl, 'erin', 'Erin');
    const synapseRoom = await clientApi(synapse.clientUrl, 'POST', '/_matrix/client/v3/createRoom', { preset: 'public_chat', room_alias_name: 'interop' }, synapseToken);
    const alias = `#interop:${synapse.serverName}`;
    const joined = await clientApi(ours.clientUrl, 'POST', `/_matrix/client/v3/join/${encodeURIComponent(alias)}`, {}, ourToken);
    expect(joined['room_id']).toBe(synapseRoom['room_id']);
    const ourRoom = await clientApi(ours.clientUrl, 'POST', '/_matrix/client/v3/createRoom', { preset: 'public_chat' }, ourToken);
    const roomId = ourRoom['room_id'] as string;
    await clientApi(synapse.clientUrl, 'POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}?server_name=${encodeURIComponent(ours.serverName)}`, {}, synapseToken);
    await clientApi(ours.clientUrl, 'PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/t1`, { msgtype: 'm.text', body: 'hello Synapse' }, ourToken);
    const seen = async (base: string, token: string, room: string, body: string) => {
      // Delivery between servers is asynchronous: poll (bounded, generous for a loaded machine) rather than assume a delay.
      for (let attempt = 0; attempt < 240; attempt += 1) {
        const page = await clientApi(base, 'GET', `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/messages?dir=b&limit=50`, undefined, token);
        if ((page['chunk'] as JsonObject[]).some((e) => (e['content'] as JsonObject)?.['body'] === body)) return true;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      return false;
    };
    expect(await seen(synapse.clientUrl, synapseToken, roomId, 'hello Synapse')).toBe(true);
    await clientApi(synapse.clientUrl, 'PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(synapseRoom['room_id'] as string)}/send/m.room.message/t2`, { msgtype: 'm.text', body: 'hello ours' }, synapseToken);
    expect(await seen(ours.clientUrl, ourToken, synapseRoom['room_id'] as string, 'hello ours')).toBe(true);
    Object.assign(shared, { synapseToken, ourToken, synapseRoomId: synapseRoom['room_id'], ourRoomId: roomId });
  });

  it('twenty messages each way arrive in order, and a topic change crosses over', async () => {
    const { synapseToken, ourToken, synapseRoomId, ourRoomId } = shared;
    expect(ourRoomId).toBeDefined();
    const bodies = (prefix: string) => Array.from({ length: 20 }, (_, i) => `${prefix} ${i}`);
    const send = async (base: string, token: string, room: string, texts: string[]) => {
      for (const [i, body] of texts.entries()) {
        await clientApi(base, 'PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/send/m.room.message/${encodeURIComponent(body)}-${i}`, { msgtype: 'm.text', body }, token);
      }
    };
    const texts = async (base: string, token: string, room: string, prefix: string): Promise<string[]> => {
      const page = await clientApi(base, 'GET', `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/messages?dir=b&limit=100`, undefined, token);
      return (page['chunk'] as JsonObject[]).map((e) => (e['content'] as JsonObject)?.['body']).filter((b): b is string => typeof b === 'string' && b.startsWith(prefix)).reverse();
    };
    const arrive = async (base: string, token: string, room: string, expected: string[]) => {
      const prefix = expected[0]!.split(' ')[0]!;
      let got: string[] = [];
      // Delivery between servers is asynchronous: poll (bounded) until every message is there.
      for (let attempt = 0; attempt < 240 && got.length < expected.length; attempt += 1) {
        got = await texts(base, token, room, prefix);
        if (got.length < expected.length) await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(got).toEqual(expected);
    };
    await send(ours.clientUrl, ourToken!, ourRoomId!, bodies('ours'));
    await send(synapse.clientUrl, synapseToken!, synapseRoomId!, bodies('synapse'));
    await arrive(synapse.clientUrl, synapseToken!, ourRoomId!, bodies('ours'));
    await arrive(ours.clientUrl, ourToken!, synapseRoomId!, bodies('synapse'));
    await clientApi(synapse.clientUrl, 'PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(synapseRoomId!)}/state/m.room.topic/`, { topic: 'set at Synapse' }, synapseToken);
    let topic: unknown;
    for (let attempt = 0; attempt < 240 && topic !== 'set at Synapse'; attempt += 1) {
      topic = await clientApi(ours.clientUrl, 'GET', `/_matrix/client/v3/rooms/${encodeURIComponent(synapseRoomId!)}/state/m.room.topic/`, undefined, ourToken).then((t) => t['topic'], () => undefined);
      if (topic !== 'set at Synapse') await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(topic).toBe('set at Synapse');
  });

  it('a ban at Synapse reaches us: our user is banned in our copy of the room and can no longer send there', async () => {
    const { synapseToken, ourToken, synapseRoomId } = shared;
    expect(synapseRoomId).toBeDefined();
    const erin = `@erin:${ours.serverName}`;
    await clientApi(synapse.clientUrl, 'POST', `/_matrix/client/v3/rooms/${encodeURIComponent(synapseRoomId!)}/ban`, { user_id: erin, reason: 'interop' }, synapseToken);
    let membership: unknown;
    // Delivery between servers is asynchronous: poll (bounded) until our copy shows the ban.
    for (let attempt = 0; attempt < 240 && membership !== 'ban'; attempt += 1) {
      const members = await clientApi(ours.clientUrl, 'GET', `/_matrix/client/v3/rooms/${encodeURIComponent(synapseRoomId!)}/members`, undefined, ourToken).catch(() => undefined);
      membership = ((members?.['chunk'] as JsonObject[] | undefined) ?? []).find((e) => e['state_key'] === erin)?.['content'] as JsonObject | undefined;
      membership = (membership as JsonObject | undefined)?.['membership'];
      if (membership !== 'ban') await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(membership).toBe('ban');
    const refused = await fetch(`${ours.clientUrl}/_matrix/client/v3/rooms/${encodeURIComponent(synapseRoomId!)}/send/m.room.message/after-ban`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ourToken}` },
      body: JSON.stringify({ msgtype: 'm.text', body: 'after the ban' }),
    });
    expect(refused.status).toBe(403);
  });

  it('an invite from Synapse reaches our user, who accepts it: Synapse holds the join', async () => {
    const synapseToken = await registerUser(synapse.clientUrl, 'frank', 'Frank');
    const ourToken = await registerUser(ours.clientUrl, 'gina', 'Gina');
    const room = await clientApi(synapse.clientUrl, 'POST', '/_matrix/client/v3/createRoom', { preset: 'private_chat', initial_state: [{ type: 'm.room.history_visibility', state_key: '', content: { history_visibility: 'shared' } }] }, synapseToken);
    const roomId = room['room_id'] as string;
    await clientApi(synapse.clientUrl, 'POST', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/invite`, { user_id: `@gina:${ours.serverName}` }, synapseToken);
    let invited = false;
    // Delivery between servers is asynchronous: poll (bounded) until our sync shows the invite.
    for (let attempt = 0; attempt < 240 && !invited; attempt += 1) {
      const sync = await clientApi(ours.clientUrl, 'GET', '/_matrix/client/v3/sync?timeout=0', undefined, ourToken);
      invited = roomId in (((sync['rooms'] as JsonObject | undefined)?.['invite'] as JsonObject | undefined) ?? {});
      if (!invited) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(invited).toBe(true);
    await clientApi(ours.clientUrl, 'POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, {}, ourToken);
    const state = await clientApi(synapse.clientUrl, 'GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/m.room.member/${encodeURIComponent(`@gina:${ours.serverName}`)}`, undefined, synapseToken);
    expect(state['membership']).toBe('join');
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
