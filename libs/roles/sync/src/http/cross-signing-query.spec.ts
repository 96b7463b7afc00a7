// The cross-signing part of POST /keys/query: master and self-signing keys of every queried
// user, the user-signing key only of the requester querying itself, signatures merged into
// device keys (the owner's) and into cross-signing keys (the requester's only). Responses are
// validated against the v1.19 spec.
import { insertCrossSigningSignatures, setCrossSigningKey, upsertDeviceKeys } from '@homeserver/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, openTestEnv, type TestEnv } from '../testing/test-app.ts';

const ALICE = '@alice:test';
const BOB = '@bob:test';
let env: TestEnv;

const crossKey = (userId: string, usage: string, id: string, signatures: Record<string, Record<string, string>> = {}) => ({
  user_id: userId,
  usage: [usage],
  keys: { [`ed25519:${id}`]: id },
  ...(Object.keys(signatures).length > 0 ? { signatures } : {}),
});
const device = (userId: string, deviceId: string) => ({
  user_id: userId,
  device_id: deviceId,
  algorithms: ['m.megolm.v1.aes-sha2'],
  keys: { [`ed25519:${deviceId}`]: `${deviceId}-ed` },
  signatures: { [userId]: { [`ed25519:${deviceId}`]: 'self' } },
});

beforeAll(async () => {
  env = await openTestEnv();
  await upsertDeviceKeys(env.db, ALICE, 'ADEV', device(ALICE, 'ADEV'));
  await upsertDeviceKeys(env.db, BOB, 'BDEV', device(BOB, 'BDEV'));
  for (const [userId, prefix] of [[ALICE, 'a'], [BOB, 'b']] as const) {
    const master = crossKey(userId, 'master', `${prefix}master`, { [userId]: { [`ed25519:${prefix.toUpperCase()}DEV`]: 'devsig' } });
    await setCrossSigningKey(env.db, { userId, type: 'master', keyId: `${prefix}master`, json: master });
    await setCrossSigningKey(env.db, { userId, type: 'self_signing', keyId: `${prefix}ssk`, json: crossKey(userId, 'self_signing', `${prefix}ssk`) });
    await setCrossSigningKey(env.db, { userId, type: 'user_signing', keyId: `${prefix}usk`, json: crossKey(userId, 'user_signing', `${prefix}usk`) });
  }
  await insertCrossSigningSignatures(env.db, [
    // Alice's self-signing key signed her device; Bob signed Alice's master key.
    { userId: ALICE, keyId: 'ed25519:assk', targetUserId: ALICE, targetDeviceId: 'ADEV', signature: 'ssk-sig' },
    { userId: BOB, keyId: 'ed25519:busk', targetUserId: ALICE, targetDeviceId: 'amaster', signature: 'usk-sig' },
  ]);
});
afterAll(async () => {
  expect(env.violations).toEqual([]);
  await env.close();
});

type Keys = Record<string, Record<string, unknown>>;
interface QueryBody {
  device_keys: Record<string, Keys>;
  master_keys: Keys;
  self_signing_keys: Keys;
  user_signing_keys: Keys;
}

async function query(requester: string, users: string[]): Promise<QueryBody> {
  const res = await env.app.inject({ method: 'POST', url: '/_matrix/client/v3/keys/query', headers: bearer(requester), payload: { device_keys: Object.fromEntries(users.map((u) => [u, []])) } });
  expect(res.statusCode).toBe(200);
  return res.json();
}

describe('POST /keys/query with cross-signing keys', () => {
  it("returns master and self-signing keys of everyone queried, and the requester's own user-signing key", async () => {
    const body = await query(ALICE, [ALICE, BOB]);
    expect(Object.keys(body.master_keys).sort()).toEqual([ALICE, BOB]);
    expect(body.self_signing_keys[BOB]).toEqual(crossKey(BOB, 'self_signing', 'bssk'));
    expect(body.user_signing_keys).toEqual({ [ALICE]: crossKey(ALICE, 'user_signing', 'ausk') });
    expect((await query(ALICE, [BOB])).user_signing_keys).toEqual({});
    expect(await query(ALICE, ['@nobody:test'])).toMatchObject({ master_keys: {}, self_signing_keys: {}, user_signing_keys: {} });
  });

  it('merges self-signing signatures into device keys for every requester', async () => {
    for (const requester of [ALICE, BOB]) {
      const signatures = (await query(requester, [ALICE])).device_keys[ALICE]!['ADEV']!['signatures'];
      expect(signatures).toEqual({ [ALICE]: { 'ed25519:ADEV': 'self', 'ed25519:assk': 'ssk-sig' } });
    }
  });

  it("shows a signature of another user's master key only to its signer", async () => {
    expect((await query(BOB, [ALICE])).master_keys[ALICE]!['signatures']).toEqual({ [ALICE]: { 'ed25519:ADEV': 'devsig' }, [BOB]: { 'ed25519:busk': 'usk-sig' } });
    expect((await query(ALICE, [ALICE])).master_keys[ALICE]!['signatures']).toEqual({ [ALICE]: { 'ed25519:ADEV': 'devsig' } });
  });
});
