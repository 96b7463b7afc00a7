// POST /keys/device_signing/upload: the user's master, self-signing and user-signing keys.
// Checked before anything is stored (shape, signatures by the master key, no clash with a device
// ID); storing them is a device-list change so that other users re-query the user's keys.
import { forbidden, missingParam } from '@homeserver/http';
import { recordDeviceListChanges, type DeviceListWrites } from '@homeserver/services';
import { getCrossSigningKeys, knownDeviceIds, setCrossSigningKey, type CrossSigningKeyType, type Database } from '@homeserver/storage';
import { isDeepStrictEqual } from 'node:util';
import { parseCrossSigningKey, requireSignature, type CrossSigningKey } from './cross-signing-key.ts';

export interface DeviceSigningUploadBody {
  readonly master_key?: unknown;
  readonly self_signing_key?: unknown;
  readonly user_signing_key?: unknown;
}

const FIELDS: ReadonlyArray<readonly [keyof DeviceSigningUploadBody, CrossSigningKeyType]> = [
  ['master_key', 'master'],
  ['self_signing_key', 'self_signing'],
  ['user_signing_key', 'user_signing'],
];

export interface PreparedSigningKeys {
  /** Nothing would change: every key sent equals the stored one (a retried upload). */
  readonly unchanged: boolean;
  /** The user already has a master key: replacing keys needs user-interactive auth. */
  readonly replacing: boolean;
  readonly keys: ReadonlyArray<{ readonly type: CrossSigningKeyType; readonly key: CrossSigningKey }>;
}

/**
 * Reads and checks an upload against what is stored; throws 400 (M_INVALID_PARAM,
 * M_INVALID_SIGNATURE, M_MISSING_PARAM) or 403 as the spec lists, before any auth prompt.
 */
export async function prepareSigningKeys(db: Database, userId: string, body: DeviceSigningUploadBody): Promise<PreparedSigningKeys> {
  const stored = (await getCrossSigningKeys(db, [userId])).get(userId) ?? {};
  const sent = FIELDS.filter(([field]) => body[field] !== undefined);
  // As Synapse: an upload is a change when a key sent differs from the stored one (or is new).
  const unchanged = sent.every(([field, type]) => stored[type] !== undefined && isDeepStrictEqual(stored[type].json, body[field]));
  const replacing = stored.master !== undefined;
  if (unchanged) return { unchanged, replacing, keys: [] };

  const keys: Array<{ type: CrossSigningKeyType; key: CrossSigningKey }> = [];
  const masterSent = body.master_key === undefined ? undefined : parseCrossSigningKey(body.master_key, userId, 'master');
  if (masterSent) keys.push({ type: 'master', key: masterSent });
  const master = masterSent ?? (stored.master ? parseCrossSigningKey(stored.master.json, userId, 'master') : undefined);
  if (!master) throw missingParam(`cannot upload cross-signing keys for ${userId}: no master key was sent and none is stored`);
  for (const [field, type] of FIELDS.slice(1)) {
    if (body[field] === undefined) continue;
    const key = parseCrossSigningKey(body[field], userId, type);
    requireSignature(key.json, userId, master, `${type} key`);
    keys.push({ type, key });
  }
  const devices = new Set(await knownDeviceIds(db, userId));
  for (const { type, key } of keys) {
    if (devices.has(key.publicKeyBase64)) throw forbidden(`cannot upload the ${type} key ${key.publicKeyBase64}: it is one of ${userId}'s device IDs (key ID in use)`);
  }
  return { unchanged, replacing, keys };
}

/** Stores prepared keys in one device_lists transaction, announcing them as device-list changes. */
export async function storeSigningKeys(writer: DeviceListWrites, userId: string, prepared: PreparedSigningKeys): Promise<void> {
  if (prepared.keys.length === 0) return;
  await writer.write(async (tx) => {
    for (const { type, key } of prepared.keys) await setCrossSigningKey(tx, { userId, type, keyId: key.publicKeyBase64, json: key.json });
    // A new user-signing key is told to its owner only: /sync's device_lists.changed leaves
    // the row out for everyone else (libs/storage usersWithDeviceChanges).
    await recordDeviceListChanges(tx, { userId, deviceIds: prepared.keys.map(({ key }) => key.publicKeyBase64) });
  });
}
