/* eslint-disable @typescript-eslint/no-explicit-any -- sync bodies are deep JSON checked field by field */
// device_lists.changed after cross-signing key uploads (Sytest "Changing user-signing key
// notifies local users"): a new user-signing key is told to its owner only, while master and
// self-signing keys reach everyone sharing a room. Keys are stored and announced as main's
// /keys/device_signing/upload does.
import { deviceListWrites, recordDeviceListChanges } from '@homeserver/services';
import { setCrossSigningKey, type CrossSigningKeyType } from '@homeserver/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSyncEnv, type SyncEnv } from '../testing/sync-env.ts';

let env: SyncEnv;
beforeAll(async () => {
  env = await openSyncEnv();
});
afterAll(async () => {
  expect(env.violations).toEqual([]);
  await env.close();
});

async function uploadKeys(userId: string, keys: ReadonlyArray<readonly [CrossSigningKeyType, string]>): Promise<void> {
  await deviceListWrites(env.db, env.actors).write(async (tx) => {
    for (const [type, keyId] of keys) await setCrossSigningKey(tx, { userId, type, keyId, json: { user_id: userId, usage: [type], keys: { [`ed25519:${keyId}`]: keyId } } });
    await recordDeviceListChanges(tx, { userId, deviceIds: keys.map(([, keyId]) => keyId) });
  });
}

/** Long-polls from `since` until `wanted` is in device_lists.changed; returns every user seen changed on the way. */
async function syncUntilChanged(userId: string, since: string, wanted: string): Promise<{ seen: Set<string>; next: string }> {
  const seen = new Set<string>();
  let from = since;
  for (let attempt = 0; attempt < 20 && !seen.has(wanted); attempt++) {
    const { status, body } = await env.sync(userId, { since: from, timeout: '5000' });
    expect(status).toBe(200);
    for (const user of (body.device_lists as any)?.changed ?? []) seen.add(user);
    from = body.next_batch;
  }
  expect(seen).toContain(wanted);
  return { seen, next: from };
}

describe('device_lists.changed for cross-signing keys', () => {
  it("tells the owner of a new user-signing key, not the users sharing a room with it", async () => {
    const [alice, bob] = ['@alice:test', '@bob:test'];
    await env.rooms.createRoom('!signing:test', alice);
    await env.rooms.join('!signing:test', bob);
    const aliceSince = (await env.sync(alice)).body.next_batch;
    const bobSince = (await env.sync(bob)).body.next_batch;

    // Master and self-signing keys: both see alice.
    await uploadKeys(alice, [['master', 'aliceMaster'], ['self_signing', 'aliceSelf']]);
    const aliceAfterMaster = await syncUntilChanged(alice, aliceSince, alice);
    const bobAfterMaster = await syncUntilChanged(bob, bobSince, alice);

    // A user-signing key: alice sees herself; bob, synced up to a later change of his own, does not see her.
    await uploadKeys(alice, [['user_signing', 'aliceUser']]);
    await uploadKeys(bob, [['master', 'bobMaster']]);
    await syncUntilChanged(alice, aliceAfterMaster.next, alice);
    const bobAfterUserSigning = await syncUntilChanged(bob, bobAfterMaster.next, bob);
    expect(bobAfterUserSigning.seen).not.toContain(alice);
  });
});
