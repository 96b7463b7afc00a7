// End-to-end keys: /keys/upload (device, one-time and fallback keys), /keys/query and
// /keys/claim for local users. A change of a device's keys is a device-list change. Device keys
// are returned with the signatures their owner uploaded later (self-signing signatures).
import { badJson, invalidParam } from '@homeserver/http';
import { recordDeviceListChanges } from '@homeserver/services';
import {
  addOneTimeKeys,
  claimKey,
  countOneTimeKeys,
  deviceDisplayNames,
  ownerSignatures,
  queryDeviceKeys,
  setFallbackKeys,
  upsertDeviceKeys,
  withSignatures,
  type Database,
  type DeviceListRow,
  type OneTimeKey,
} from '@homeserver/storage';
import type { StreamWriter } from '@homeserver/streams';

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
  writer: StreamWriter<DeviceListRow>,
  who: { userId: string; deviceId: string },
  body: UploadKeysBody,
): Promise<{ counts: Record<string, number>; position: number }> {
  if (body.device_keys !== undefined) {
    if (body.device_keys['user_id'] !== who.userId || body.device_keys['device_id'] !== who.deviceId) {
      throw invalidParam(`cannot upload device keys for ${String(body.device_keys['user_id'])}/${String(body.device_keys['device_id'])}: they must be the requester's (${who.userId}/${who.deviceId})`);
    }
    checkDeviceKeysShape(body.device_keys);
  }
  const oneTime = parseKeyMap(body.one_time_keys, 'one-time');
  const fallback = parseKeyMap(body.fallback_keys, 'fallback');
  const { position } = await writer.write(async (tx) => {
    if (body.device_keys !== undefined && (await upsertDeviceKeys(tx, who.userId, who.deviceId, body.device_keys))) {
      await recordDeviceListChanges(tx, { instanceName: writer.instanceName, userId: who.userId, deviceIds: [who.deviceId] });
    }
    await addOneTimeKeys(tx, who.userId, who.deviceId, oneTime);
    await setFallbackKeys(tx, who.userId, who.deviceId, fallback);
  });
  const counts = await countOneTimeKeys(db, who.userId, who.deviceId);
  // Clients expect signed_curve25519 to be reported even at zero.
  return { counts: { signed_curve25519: 0, ...counts }, position };
}

/** device_keys of /keys/query for local users; unknown users map to {}. */
export async function queryKeys(db: Database, request: Record<string, readonly string[]>): Promise<Record<string, Record<string, unknown>>> {
  const found = await queryDeviceKeys(db, new Map(Object.entries(request)));
  const names = await deviceDisplayNames(db, Object.keys(request));
  const signatures = await ownerSignatures(db, [...found.keys()]);
  const out: Record<string, Record<string, unknown>> = {};
  for (const userId of Object.keys(request)) {
    const devices: Record<string, unknown> = {};
    for (const [deviceId, stored] of found.get(userId) ?? new Map()) {
      const keys = withSignatures(stored, signatures.filter((s) => s.targetUserId === userId && s.targetDeviceId === deviceId));
      const name = names.get(`${userId} ${deviceId}`);
      // unsigned is always there (Synapse), with the display name when the device has one.
      devices[deviceId] = { ...keys, unsigned: { ...((keys['unsigned'] as object | undefined) ?? {}), ...(name === undefined ? {} : { device_display_name: name }) } };
    }
    out[userId] = devices;
  }
  return out;
}

/** one_time_keys of /keys/claim: user -> device -> {algorithm:key_id: key}. */
export async function claimKeys(db: Database, request: Record<string, Record<string, string>>): Promise<Record<string, Record<string, Record<string, unknown>>>> {
  return db.transaction(async (tx) => {
    const out: Record<string, Record<string, Record<string, unknown>>> = {};
    for (const [userId, devices] of Object.entries(request)) {
      for (const [deviceId, algorithm] of Object.entries(devices)) {
        const claimed = await claimKey(tx, userId, deviceId, algorithm);
        if (!claimed) continue;
        out[userId] ??= {};
        out[userId][deviceId] = { [claimed.keyId]: claimed.key };
      }
    }
    return out;
  });
}
