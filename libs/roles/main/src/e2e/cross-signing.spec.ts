// POST /keys/device_signing/upload and /keys/signatures/upload through app.inject, with real
// accounts and tokens; env.call validates every response against the v1.19 spec.
import { fetchDeviceListChangesSince, getCrossSigningKey, ownerSignatures, signaturesBy, upsertDeviceKeys } from '@homeserver/storage';
import { validateResponse } from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccountsTestEnv, type AccountsTestEnv } from '../testing/accounts-test-env.ts';
import { TestKey, crossSigningKey, crossSigningSet, deviceKeys } from '../testing/cross-signing-keys.ts';

const V3 = '/_matrix/client/v3';
let env: AccountsTestEnv;
let seen = 0;

beforeAll(async () => {
  env = await openAccountsTestEnv();
}, 120_000);
afterAll(async () => env.close());

async function newChanges(): Promise<Array<{ userId: string; deviceId: string }>> {
  const rows = await fetchDeviceListChangesSince(env.db, { writer: 'main', from: seen, to: Number.MAX_SAFE_INTEGER, limit: 1000 });
  if (rows.length > 0) seen = rows.at(-1)!.position;
  return rows.map((r) => r.data);
}

interface User {
  userId: string;
  token: string;
  deviceId: string;
  deviceKey: TestKey;
}

async function user(name: string): Promise<User> {
  const reg = await env.register(name, `pw-${name}`);
  const deviceKey = new TestKey(`ed25519:${reg.device_id}`);
  await upsertDeviceKeys(env.db, reg.user_id, reg.device_id, deviceKeys(reg.user_id, reg.device_id, deviceKey));
  return { userId: reg.user_id, token: reg.access_token, deviceId: reg.device_id, deviceKey };
}

const upload = (u: User, body: unknown) => env.call('POST', `${V3}/keys/device_signing/upload`, { token: u.token, body });
/**
 * An upload answered with the UIA challenge. cross_signing.yaml lists no 401 although the
 * endpoint uses user-interactive auth, so the body is checked against the UIA response schema
 * as /account/password documents it (the validator would want a plain error for an unlisted 401).
 */
async function uiaChallenge(u: User, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await env.app.inject({ method: 'POST', url: `${V3}/keys/device_signing/upload`, headers: { authorization: `Bearer ${u.token}` }, payload: body });
  const json = response.json() as Record<string, unknown>;
  expect(response.statusCode).toBe(401);
  validateResponse('POST', `${V3}/account/password`, 401, json);
  return { status: response.statusCode, body: json };
}

const signatures = (u: User, body: unknown) => env.call('POST', `${V3}/keys/signatures/upload`, { token: u.token, body });

describe('POST /keys/device_signing/upload', () => {
  it('takes the first upload without user-interactive auth and announces the keys as device-list changes', async () => {
    const alice = await user('alice');
    await newChanges();
    const keys = crossSigningSet(alice.userId);
    const res = await upload(alice, keys.body);
    expect([res.status, res.body]).toEqual([200, {}]);
    expect((await getCrossSigningKey(env.db, alice.userId, 'master'))?.json).toEqual(keys.body['master_key']);
    expect((await getCrossSigningKey(env.db, alice.userId, 'user_signing'))?.keyId).toBe(keys.userSigning.publicKeyBase64);
    expect(await newChanges()).toEqual(
      [keys.master, keys.selfSigning, keys.userSigning].map((k) => ({ userId: alice.userId, deviceId: k.publicKeyBase64 })),
    );
    // A retry of the same upload (a lost response) needs no auth and changes nothing.
    expect([(await upload(alice, keys.body)).status, await newChanges()]).toEqual([200, []]);
    expect((await upload(alice, {})).status).toBe(200);
    // The pre-v1.1 unstable path is the same endpoint.
    const unstable = await env.call('POST', '/_matrix/client/unstable/keys/device_signing/upload', { token: alice.token, body: keys.body });
    expect([unstable.status, await newChanges()]).toEqual([200, []]);
  });

  it('asks for the password before replacing keys, and replaces them once it is given', async () => {
    const bob = await user('bob');
    await upload(bob, crossSigningSet(bob.userId).body);
    await newChanges();
    const next = crossSigningSet(bob.userId);
    const challenge = await uiaChallenge(bob, next.body);
    expect(challenge.body['flows']).toEqual([{ stages: ['m.login.password'] }]);
    const session = challenge.body['session'];
    const identifier = { type: 'm.id.user', user: bob.userId };
    const wrong = await upload(bob, { ...next.body, auth: { type: 'm.login.password', identifier, password: 'nope', session } });
    expect([wrong.status, wrong.body['errcode']]).toEqual([401, 'M_FORBIDDEN']);
    expect(await newChanges()).toEqual([]);
    const done = await upload(bob, { ...next.body, auth: { type: 'm.login.password', identifier, password: 'pw-bob', session } });
    expect([done.status, done.body]).toEqual([200, {}]);
    expect((await getCrossSigningKey(env.db, bob.userId, 'master'))?.keyId).toBe(next.master.publicKeyBase64);
    expect((await newChanges()).map((c) => c.deviceId)).toContain(next.master.publicKeyBase64);

    // A self-signing key alone is checked against the stored master key.
    const selfSigning = new TestKey();
    const unsigned = await upload(bob, { self_signing_key: crossSigningKey(bob.userId, 'self_signing', selfSigning, new TestKey()) });
    expect([unsigned.status, unsigned.body['errcode']]).toEqual([400, 'M_INVALID_SIGNATURE']);
    const again = await uiaChallenge(bob, { self_signing_key: crossSigningKey(bob.userId, 'self_signing', selfSigning, next.master) });
    const replaced = await upload(bob, {
      self_signing_key: crossSigningKey(bob.userId, 'self_signing', selfSigning, next.master),
      auth: { type: 'm.login.password', identifier, password: 'pw-bob', session: again.body['session'] },
    });
    expect(replaced.status).toBe(200);
    expect((await getCrossSigningKey(env.db, bob.userId, 'self_signing'))?.keyId).toBe(selfSigning.publicKeyBase64);
    expect((await getCrossSigningKey(env.db, bob.userId, 'master'))?.keyId).toBe(next.master.publicKeyBase64);
  });

  it('refuses malformed keys, bad signatures, a missing master key and a key named like a device', async () => {
    const carol = await user('carol');
    const master = new TestKey();
    const good = crossSigningKey(carol.userId, 'master', master);
    const cases: Array<[unknown, number, string]> = [
      [{ master_key: { ...good, user_id: '@someone:test' } }, 400, 'M_INVALID_PARAM'],
      [{ master_key: { ...good, usage: ['self_signing'] } }, 400, 'M_INVALID_PARAM'],
      [{ master_key: { ...good, keys: { ...(good['keys'] as object), 'ed25519:other': 'other' } } }, 400, 'M_INVALID_PARAM'],
      [{ master_key: { ...good, keys: { 'ed25519:abc': 'abc' } } }, 400, 'M_INVALID_PARAM'],
      [{ master_key: { ...good, keys: { [`curve25519:${master.publicKeyBase64}`]: master.publicKeyBase64 } } }, 400, 'M_INVALID_PARAM'],
      [{ master_key: good, self_signing_key: crossSigningKey(carol.userId, 'self_signing', new TestKey()) }, 400, 'M_INVALID_SIGNATURE'],
      [{ master_key: good, user_signing_key: crossSigningKey(carol.userId, 'user_signing', new TestKey(), new TestKey()) }, 400, 'M_INVALID_SIGNATURE'],
      [{ self_signing_key: crossSigningKey(carol.userId, 'self_signing', new TestKey(), master) }, 400, 'M_MISSING_PARAM'],
      [{ master_key: ['not', 'an', 'object'] }, 400, 'M_BAD_JSON'],
    ];
    for (const [body, status, errcode] of cases) {
      const res = await upload(carol, body);
      expect([res.status, res.body['errcode']], JSON.stringify(body)).toEqual([status, errcode]);
    }
    // The spec's 403: a public key that is one of the user's device IDs.
    const clash = new TestKey();
    await upsertDeviceKeys(env.db, carol.userId, clash.publicKeyBase64, deviceKeys(carol.userId, clash.publicKeyBase64, clash));
    const forbidden = await upload(carol, { master_key: crossSigningKey(carol.userId, 'master', clash) });
    expect([forbidden.status, forbidden.body['errcode']]).toEqual([403, 'M_FORBIDDEN']);
    expect(await getCrossSigningKey(env.db, carol.userId, 'master')).toBeUndefined();
  });
});

describe('POST /keys/signatures/upload', () => {
  it('stores self-signing signatures of own devices and device signatures of the master key', async () => {
    const dave = await user('dave');
    const keys = crossSigningSet(dave.userId);
    await upload(dave, keys.body);
    await newChanges();
    const device = deviceKeys(dave.userId, dave.deviceId, dave.deviceKey);
    // Stored device keys as uploaded earlier, re-signed by the self-signing key.
    await upsertDeviceKeys(env.db, dave.userId, dave.deviceId, device);
    const signedDevice = keys.selfSigning.sign(device, dave.userId);
    const signedMaster = dave.deviceKey.sign(keys.body['master_key'] as Record<string, unknown>, dave.userId);
    const res = await signatures(dave, { [dave.userId]: { [dave.deviceId]: signedDevice, [keys.master.publicKeyBase64]: signedMaster } });
    expect([res.status, res.body]).toEqual([200, { failures: {} }]);
    const stored = await ownerSignatures(env.db, [dave.userId]);
    expect(stored.map((s) => [s.keyId, s.targetDeviceId]).sort()).toEqual(
      [
        [keys.selfSigning.keyId, dave.deviceId],
        [`ed25519:${dave.deviceId}`, keys.master.publicKeyBase64],
      ].sort(),
    );
    expect((await newChanges()).map((c) => c.deviceId).sort()).toEqual([dave.deviceId, keys.master.publicKeyBase64].sort());
    // Uploading the same signatures again stores and announces nothing new.
    expect((await signatures(dave, { [dave.userId]: { [dave.deviceId]: signedDevice } })).body).toEqual({ failures: {} });
    expect(await newChanges()).toEqual([]);
  });

  it('reports each bad signature in failures and stores the good ones', async () => {
    const erin = await user('erin');
    const keys = crossSigningSet(erin.userId);
    await upload(erin, keys.body);
    const second = new TestKey('ed25519:SECOND');
    const secondKeys = deviceKeys(erin.userId, 'SECOND', second);
    await upsertDeviceKeys(env.db, erin.userId, 'SECOND', secondKeys);
    const own = erin.deviceKey;
    const res = await signatures(erin, {
      [erin.userId]: {
        [erin.deviceId]: new TestKey(keys.selfSigning.keyId).sign(deviceKeys(erin.userId, erin.deviceId, own), erin.userId),
        SECOND: keys.selfSigning.sign({ ...secondKeys, algorithms: ['changed'] }, erin.userId),
        MISSING: keys.selfSigning.sign(deviceKeys(erin.userId, 'MISSING', new TestKey('ed25519:MISSING')), erin.userId),
        UNSIGNED: { user_id: erin.userId, device_id: 'UNSIGNED' },
      },
    });
    expect(res.status).toBe(200);
    const failures = res.body['failures'] as Record<string, Record<string, { errcode: string; status: number }>>;
    // The first device's stored keys differ (a new curve25519 key) and the signature is by a stranger.
    expect(Object.keys(failures[erin.userId]!).sort()).toEqual([erin.deviceId, 'MISSING', 'SECOND', 'UNSIGNED'].sort());
    expect(failures[erin.userId]!['SECOND']).toMatchObject({ status: 400, errcode: 'M_INVALID_PARAM' });
    expect(failures[erin.userId]!['MISSING']).toMatchObject({ status: 404, errcode: 'M_NOT_FOUND' });
    expect(failures[erin.userId]!['UNSIGNED']).toMatchObject({ status: 400, errcode: 'M_INVALID_SIGNATURE' });

    const good = keys.selfSigning.sign(secondKeys, erin.userId);
    const forged = { ...keys.selfSigning.sign(secondKeys, erin.userId) };
    (forged['signatures'] as Record<string, Record<string, string>>)[erin.userId]![keys.selfSigning.keyId] = 'A'.repeat(86);
    const mixed = await signatures(erin, { [erin.userId]: { SECOND: forged } });
    expect((mixed.body['failures'] as Record<string, Record<string, unknown>>)[erin.userId]!['SECOND']).toMatchObject({ errcode: 'M_INVALID_SIGNATURE' });
    expect((await signatures(erin, { [erin.userId]: { SECOND: good } })).body).toEqual({ failures: {} });
    expect((await ownerSignatures(env.db, [erin.userId])).map((s) => s.targetDeviceId)).toEqual(['SECOND']);
  });

  it('fails every own signature of a user without cross-signing keys', async () => {
    const fay = await user('fay');
    const res = await signatures(fay, { [fay.userId]: { [fay.deviceId]: deviceKeys(fay.userId, fay.deviceId, fay.deviceKey) } });
    expect((res.body['failures'] as Record<string, Record<string, unknown>>)[fay.userId]![fay.deviceId]).toMatchObject({ status: 404, errcode: 'M_NOT_FOUND' });
  });

  it("stores signatures of other users' master keys by the user-signing key, visible to the signer only", async () => {
    const gus = await user('gus');
    const hal = await user('hal');
    const ian = await user('ian');
    const gusKeys = crossSigningSet(gus.userId);
    const halKeys = crossSigningSet(hal.userId);
    await upload(gus, gusKeys.body);
    await upload(hal, halKeys.body);
    await newChanges();
    const halMaster = halKeys.body['master_key'] as Record<string, unknown>;
    const res = await signatures(gus, {
      [hal.userId]: { [halKeys.master.publicKeyBase64]: gusKeys.userSigning.sign(halMaster, gus.userId), OTHER: { user_id: hal.userId } },
      [ian.userId]: { SOMETHING: gusKeys.userSigning.sign({ user_id: ian.userId }, gus.userId) },
    });
    expect(res.status).toBe(200);
    const failures = res.body['failures'] as Record<string, Record<string, { errcode: string }>>;
    expect(Object.keys(failures[hal.userId]!)).toEqual(['OTHER']);
    expect(failures[ian.userId]!['SOMETHING']).toMatchObject({ errcode: 'M_NOT_FOUND' });
    const stored = await signaturesBy(env.db, gus.userId, [hal.userId]);
    expect(stored).toEqual([{ userId: gus.userId, keyId: gusKeys.userSigning.keyId, targetUserId: hal.userId, targetDeviceId: halKeys.master.publicKeyBase64, signature: expect.any(String) }]);
    expect(await newChanges()).toEqual([{ userId: hal.userId, deviceId: halKeys.master.publicKeyBase64 }]);

    // A signature by any other key, or of a changed master key, is refused.
    const bad = await signatures(gus, { [hal.userId]: { [halKeys.master.publicKeyBase64]: new TestKey(gusKeys.userSigning.keyId).sign(halMaster, gus.userId) } });
    expect(bad.body).toEqual({ failures: {} }); // already signed by that key: skipped, as Synapse
    const ianKeys = crossSigningSet(ian.userId);
    await upload(ian, ianKeys.body);
    const ianMaster = ianKeys.body['master_key'] as Record<string, unknown>;
    const forged = await signatures(gus, { [ian.userId]: { [ianKeys.master.publicKeyBase64]: new TestKey(gusKeys.userSigning.keyId).sign(ianMaster, gus.userId) } });
    expect((forged.body['failures'] as Record<string, Record<string, unknown>>)[ian.userId]![ianKeys.master.publicKeyBase64]).toMatchObject({ errcode: 'M_INVALID_SIGNATURE' });
    const changed = await signatures(gus, { [ian.userId]: { [ianKeys.master.publicKeyBase64]: gusKeys.userSigning.sign({ ...ianMaster, usage: ['master', 'extra'] }, gus.userId) } });
    expect((changed.body['failures'] as Record<string, Record<string, unknown>>)[ian.userId]![ianKeys.master.publicKeyBase64]).toMatchObject({ errcode: 'M_INVALID_PARAM' });

    // Without a user-signing key, every signature of others fails.
    const kim = await user('kim');
    const noKeys = await signatures(kim, { [hal.userId]: { [halKeys.master.publicKeyBase64]: halMaster } });
    expect((noKeys.body['failures'] as Record<string, Record<string, unknown>>)[hal.userId]![halKeys.master.publicKeyBase64]).toMatchObject({ status: 404 });
  });

  it('refuses bodies that are not maps of objects', async () => {
    const jo = await user('jo');
    for (const body of [{ [jo.userId]: 'x' }, { [jo.userId]: { DEV: 'x' } }, ['x']]) {
      const res = await signatures(jo, body);
      expect([res.status, res.body['errcode']]).toEqual([400, 'M_BAD_JSON']);
    }
  });
});
