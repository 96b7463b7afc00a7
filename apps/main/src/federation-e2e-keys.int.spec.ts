// End-to-end encryption keys across two instances of this server (separate processes and
// databases, federating over TLS on loopback): a user on A queries the device keys of a user
// on B, sees a new device of B's user in /sync's device_lists.changed (B's m.device_list_update
// reaching A's cache), claims B's one-time keys, an unreachable server is a failure, not an
// error, and B's user leaving the shared room ends her tracking of him (device_lists.left).
import { ClusterClient, startFederationCluster, type FederationCluster } from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './testing/federation-watcher.ts';

let cluster: FederationCluster;
let alice: ClusterClient;
let bob: ClusterClient;
let roomId = '';
const enc = encodeURIComponent;

/** Device keys of the shape the spec requires (this server does not check the key material). */
function deviceKeys(client: ClusterClient) {
  return {
    user_id: client.userId,
    device_id: client.deviceId,
    algorithms: ['m.olm.v1.curve25519-aes-sha2', 'm.megolm.v1.aes-sha2'],
    keys: { [`curve25519:${client.deviceId}`]: `curve-${client.deviceId}`, [`ed25519:${client.deviceId}`]: `ed-${client.deviceId}` },
    signatures: { [client.userId]: { [`ed25519:${client.deviceId}`]: `sig-${client.deviceId}` } },
  };
}

async function uploadKeys(client: ClusterClient, oneTimeKeys = 0): Promise<void> {
  const oneTime = Object.fromEntries(Array.from({ length: oneTimeKeys }, (_, i) => [`signed_curve25519:${client.deviceId}${i}`, { key: `otk-${client.deviceId}-${i}`, signatures: {} }]));
  const answer = await client.call('POST', '/keys/upload', { device_keys: deviceKeys(client), one_time_keys: oneTime });
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
}

async function queryKeys(client: ClusterClient, userId: string) {
  const answer = await client.call('POST', '/keys/query', { device_keys: { [userId]: [] }, timeout: 10_000 });
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  return answer.json as { device_keys: Record<string, Record<string, Record<string, unknown>>>; failures: Record<string, unknown> };
}

beforeAll(async () => {
  cluster = await startFederationCluster({ count: 2 });
  const [a, b] = cluster.members;
  alice = new ClusterClient(a!.clientUrl);
  bob = new ClusterClient(b!.clientUrl);
  await alice.register('alice');
  await bob.register('bob');
  await uploadKeys(alice);
  await uploadKeys(bob, 3);
  const created = await alice.call('POST', '/createRoom', { preset: 'public_chat' });
  expect(created.status).toBe(200);
  roomId = String(created.json['room_id']);
  const joined = await bob.call('POST', `/join/${enc(roomId)}?server_name=${enc(a!.serverName)}`, {});
  expect(joined.status, JSON.stringify(joined.json)).toBe(200);
}, 300_000);

afterAll(async () => {
  await cluster?.close();
});

describe('end-to-end encryption keys across two servers', () => {
  it("a user on A gets the device keys of a user on B, and B's user gets A's", async () => {
    const seen = await queryKeys(alice, bob.userId);
    expect(seen.failures).toEqual({});
    expect(seen.device_keys[bob.userId]?.[bob.deviceId]).toMatchObject(deviceKeys(bob));
    const back = await queryKeys(bob, alice.userId);
    expect(back.device_keys[alice.userId]?.[alice.deviceId]).toMatchObject(deviceKeys(alice));
  });

  it("a new device of B's user reaches /sync device_lists.changed of A's user, and then her key query", async () => {
    const first = await alice.sync({ timeout: '0' });
    let since = String(first.json['next_batch']);
    const phone = new ClusterClient(cluster.members[1]!.clientUrl);
    const login = await phone.call('POST', '/login', { type: 'm.login.password', identifier: { type: 'm.id.user', user: 'bob' }, password: 'correct horse battery' });
    expect(login.status, JSON.stringify(login.json)).toBe(200);
    Object.assign(phone, { token: String(login.json['access_token']), userId: bob.userId, deviceId: String(login.json['device_id']) });
    await uploadKeys(phone, 1);

    let changed: string[] = [];
    await eventually("Bob's new device in Alice's device_lists.changed", async () => {
      const answer = await alice.sync({ since, timeout: '5000' });
      if (answer.status !== 200) return false;
      since = String(answer.json['next_batch']);
      changed = [...changed, ...((answer.json['device_lists']?.['changed'] as string[] | undefined) ?? [])];
      return changed.includes(bob.userId);
    });
    // The change may have come before the keys: it is announced again once they are uploaded.
    await eventually("Bob's new device's keys in Alice's key query", async () => (await queryKeys(alice, bob.userId)).device_keys[bob.userId]?.[phone.deviceId] !== undefined);
    expect((await queryKeys(alice, bob.userId)).device_keys[bob.userId]?.[phone.deviceId]).toMatchObject(deviceKeys(phone));
  });

  it("a user on A claims one-time keys of B's user's device, each once", async () => {
    const claim = { one_time_keys: { [bob.userId]: { [bob.deviceId]: 'signed_curve25519' } }, timeout: 10_000 };
    const claimed = new Set<string>();
    for (let i = 0; i < 3; i += 1) {
      const answer = await alice.call('POST', '/keys/claim', claim);
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
      expect(answer.json['failures']).toEqual({});
      const keys = answer.json['one_time_keys']?.[bob.userId]?.[bob.deviceId] as Record<string, { key: string }>;
      expect(Object.keys(keys)).toHaveLength(1);
      claimed.add(Object.values(keys)[0]!.key);
    }
    expect([...claimed].sort()).toEqual([0, 1, 2].map((i) => `otk-${bob.deviceId}-${i}`));
    // Bob's server counts what is left.
    expect((await bob.call('POST', '/keys/upload', {})).json['one_time_key_counts']).toEqual({ signed_curve25519: 0 });
  });

  it('a server that cannot be reached is named in failures; the rest of the answer stands', async () => {
    const answer = await alice.call('POST', '/keys/query', { device_keys: { [bob.userId]: [], '@nobody:localhost:1': [] }, timeout: 5_000 });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.json['failures'])).toEqual(['localhost:1']);
    expect(answer.json['device_keys'][bob.userId]?.[bob.deviceId]).toBeDefined();
    const claimed = await alice.call('POST', '/keys/claim', { one_time_keys: { '@nobody:localhost:1': { D: 'signed_curve25519' } }, timeout: 5_000 });
    expect(claimed.status).toBe(200);
    expect(Object.keys(claimed.json['failures'])).toEqual(['localhost:1']);
  });

  it("B's user leaving the last room he shares with A's user puts him in her /sync device_lists.left", async () => {
    let since = String((await alice.sync({ timeout: '0' })).json['next_batch']);
    expect((await bob.call('POST', `/rooms/${enc(roomId)}/leave`, {})).status).toBe(200);
    const left: string[] = [];
    await eventually("Bob in Alice's device_lists.left", async () => {
      const answer = await alice.sync({ since, timeout: '5000' });
      if (answer.status !== 200) return false;
      since = String(answer.json['next_batch']);
      left.push(...((answer.json['device_lists']?.['left'] as string[] | undefined) ?? []));
      return left.includes(bob.userId);
    });
  });
});
