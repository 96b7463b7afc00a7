// End-to-end keys: /keys/upload (device, one-time and fallback keys). A change of a device's
// keys is a device-list change. (Serving local users' keys is libs/services' local-e2e-keys.ts.)
import { badJson, invalidParam } from '@homeserver/http';
import { recordDeviceListChanges, type DeviceListWrites } from '@homeserver/services';
import {
  addOneTimeKeys,
  countOneTimeKeys,
  setFallbackKeys,
  upsertDeviceKeys,
  type Database,
  type OneTimeKey,
} from '@homeserver/storage';

export interface UploadKeysBody {
  readonly device_keys?: Record<string, unknown>;
  readonly one_time_keys?: Record<string, unknown>;
  readonly fallback_keys?: Record<string, unknown>;
}

function parseKeyMap(map: Record<string, unknown> | undefined, field: string): OneTimeKey[] {
  return Object.entries(map ?? {}).map(([id, key]) => {
    const colon = id.indexOf(':');
    if (colon <= 0 || colon === id.length - 1) throw invalidParam(`cannot upload ${field} key ${JSON.stringify(id)}: expected <algorithm>:<key id>`);
    return { algorithm: id.slice(0, colon), keyId: id.slice(colon + 1), key };
  });
}

const isStringMap = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');

/** The spec's DeviceKeys: algorithms, keys and signatures are required (Synapse: 400 M_BAD_JSON). */
function checkDeviceKeysShape(keys: Record<string, unknown>): void {
  const algorithms = keys['algorithms'];
  const signatures = keys['signatures'];
  const problem = !Array.isArray(algorithms) || !algorithms.every((a) => typeof a === 'string')
    ? 'algorithms must be a list of strings'
    : !isStringMap(keys['keys'])
      ? 'keys must be an object of strings'
      : typeof signatures !== 'object' || signatures === null || Array.isArray(signatures) || !Object.values(signatures).every(isStringMap)
        ? 'signatures must map user IDs to objects of strings'
        : undefined;
  if (problem !== undefined) throw badJson(`device_keys: ${problem}`);
}

/** Stores the uploaded keys and returns the device's one-time key counts. */
export async function uploadKeys(
  db: Database,
  deviceLists: DeviceListWrites,
  who: { userId: string; deviceId: string },
  body: UploadKeysBody,
): Promise<{ counts: Record<string, number> }> {
  if (body.device_keys !== undefined) {
    if (body.device_keys['user_id'] !== who.userId || body.device_keys['device_id'] !== who.deviceId) {
      throw invalidParam(`cannot upload device keys for ${String(body.device_keys['user_id'])}/${String(body.device_keys['device_id'])}: they must be the requester's (${who.userId}/${who.deviceId})`);
    }
    checkDeviceKeysShape(body.device_keys);
  }
  const oneTime = parseKeyMap(body.one_time_keys, 'one-time');
  const fallback = parseKeyMap(body.fallback_keys, 'fallback');
  await deviceLists.write(async (tx) => {
    if (body.device_keys !== undefined && (await upsertDeviceKeys(tx, who.userId, who.deviceId, body.device_keys))) {
      await recordDeviceListChanges(tx, { userId: who.userId, deviceIds: [who.deviceId] });
    }
    await addOneTimeKeys(tx, who.userId, who.deviceId, oneTime);
    await setFallbackKeys(tx, who.userId, who.deviceId, fallback);
  });
  const counts = await countOneTimeKeys(db, who.userId, who.deviceId);
  // Clients expect signed_curve25519 to be reported even at zero.
  return { counts: { signed_curve25519: 0, ...counts } };
}
