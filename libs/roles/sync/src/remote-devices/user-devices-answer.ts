// Reading what another server says about one of its users' devices and cross-signing keys
// (a /user/devices answer, an m.device_list_update or m.signing_key_update EDU). Keys that
// claim another user or device are dropped: a server speaks only for its own users.
import { isJsonObject, type JsonObject } from '@homeserver/matrix';
import type { RemoteDevice } from '@homeserver/storage';

export interface RemoteCrossSigningKey {
  readonly type: 'master' | 'self_signing';
  /** The unpadded base64 public key (names the key in device_list_changes, as for our users). */
  readonly keyId: string;
  readonly json: JsonObject;
}

export interface UserDevicesAnswer {
  readonly streamId: number;
  readonly devices: readonly RemoteDevice[];
  readonly crossSigningKeys: readonly RemoteCrossSigningKey[];
}

/**
 * The device's keys as its server sent them: any non-empty object that does not claim another
 * user or device (a `user_id` or `device_id` it names must be this one's). Their form and
 * signatures are the clients' to check, as Synapse leaves them; a server may still not speak
 * for another user's or device's keys.
 */
export function deviceKeysFor(userId: string, deviceId: string, keys: unknown): JsonObject | undefined {
  if (!isJsonObject(keys) || Object.keys(keys).length === 0) return undefined;
  if ('user_id' in keys && keys['user_id'] !== userId) return undefined;
  if ('device_id' in keys && keys['device_id'] !== deviceId) return undefined;
  return keys;
}

/** A master or self-signing key of `userId`, when well formed (one ed25519 public key, the right usage). */
export function crossSigningKeyFor(userId: string, type: RemoteCrossSigningKey['type'], key: unknown): RemoteCrossSigningKey | undefined {
  if (!isJsonObject(key) || key['user_id'] !== userId) return undefined;
  const usage = key['usage'];
  if (!Array.isArray(usage) || !usage.includes(type) || !isJsonObject(key['keys'])) return undefined;
  const ids = Object.keys(key['keys']);
  if (ids.length !== 1 || !ids[0]!.startsWith('ed25519:') || typeof key['keys'][ids[0]!] !== 'string') return undefined;
  return { type, keyId: ids[0]!.slice('ed25519:'.length), json: key };
}

/** The answer of GET /user/devices/{userId}, or undefined when it is not one. */
export function readUserDevices(userId: string, answer: unknown): UserDevicesAnswer | undefined {
  if (!isJsonObject(answer) || answer['user_id'] !== userId || !Array.isArray(answer['devices'])) return undefined;
  const streamId = answer['stream_id'];
  if (typeof streamId !== 'number' || !Number.isSafeInteger(streamId)) return undefined;
  const devices: RemoteDevice[] = [];
  for (const device of answer['devices']) {
    if (!isJsonObject(device) || typeof device['device_id'] !== 'string') continue;
    const deviceId = device['device_id'];
    const keys = deviceKeysFor(userId, deviceId, device['keys']);
    const name = device['device_display_name'];
    devices.push({ deviceId, ...(typeof name === 'string' ? { displayName: name } : {}), ...(keys ? { keys } : {}) });
  }
  const crossSigningKeys = [crossSigningKeyFor(userId, 'master', answer['master_key']), crossSigningKeyFor(userId, 'self_signing', answer['self_signing_key'])];
  return { streamId, devices, crossSigningKeys: crossSigningKeys.filter((k) => k !== undefined) };
}
