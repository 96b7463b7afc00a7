// Our own users' end-to-end keys as every edge serves them: device keys (with the signatures
// their owner uploaded later and the device's display name), cross-signing keys (also those
// cached for remote users, which share their table), and one-time key claims. Used by the client /keys/query and /keys/claim (role sync) and by the
// federation /user/devices, /user/keys/query and /user/keys/claim (role federation-reader).
import {
  claimKey,
  deviceDisplayNames,
  getCrossSigningKeys,
  ownerSignatures,
  queryDeviceKeys,
  signaturesBy,
  withSignatures,
  type Database,
  type KeyJson,
} from '@homeserver/storage';

export interface CrossSigningQueryResult {
  readonly master_keys: Record<string, KeyJson>;
  readonly self_signing_keys: Record<string, KeyJson>;
  readonly user_signing_keys: Record<string, KeyJson>;
}

/**
 * The cross-signing part of /keys/query: master and self-signing keys of the queried users (with
 * the signatures `requester` made on them, as Synapse shows no one else's), and the requester's
 * own user-signing key when it queried itself. Another server (no requester) gets the keys as
 * their owners uploaded them.
 */
export async function storedCrossSigningKeys(db: Database, requester: string | undefined, userIds: readonly string[]): Promise<CrossSigningQueryResult> {
  const result: CrossSigningQueryResult = { master_keys: {}, self_signing_keys: {}, user_signing_keys: {} };
  const keys = await getCrossSigningKeys(db, userIds);
  if (keys.size === 0) return result;
  const mine = requester === undefined ? [] : await signaturesBy(db, requester, [...keys.keys()]);
  const signed = (userId: string, key: { keyId: string; json: KeyJson }) =>
    withSignatures(key.json, mine.filter((s) => s.targetUserId === userId && s.targetDeviceId === key.keyId));
  for (const [userId, user] of keys) {
    if (user.master) result.master_keys[userId] = signed(userId, user.master);
    if (user.self_signing) result.self_signing_keys[userId] = signed(userId, user.self_signing);
    if (user.user_signing && userId === requester) result.user_signing_keys[userId] = user.user_signing.json;
  }
  return result;
}

export interface LocalDeviceKeysOptions {
  /** Show devices' display names (unsigned.device_display_name). Default: true. */
  readonly displayNames?: boolean;
}

/** device_keys of /keys/query for local users (all devices when a list is empty); unknown users map to {}. */
export async function localDeviceKeys(db: Database, request: Record<string, readonly string[]>, options: LocalDeviceKeysOptions = {}): Promise<Record<string, Record<string, unknown>>> {
  const found = await queryDeviceKeys(db, new Map(Object.entries(request)));
  const names = options.displayNames === false ? new Map<string, string>() : await deviceDisplayNames(db, Object.keys(request));
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
export async function claimLocalKeys(db: Database, request: Record<string, Record<string, string>>): Promise<Record<string, Record<string, Record<string, unknown>>>> {
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
