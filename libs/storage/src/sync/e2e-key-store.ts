// End-to-end keys of devices: device keys, one-time keys and fallback keys (keys.yaml).
import type { Queryable } from '../database.ts';
import { prepared } from '../prepared.ts';

export type KeyJson = Record<string, unknown>;

/** Stores the device's keys; returns true when they differ from what was stored (a device-list change). */
export async function upsertDeviceKeys(tx: Queryable, userId: string, deviceId: string, keys: KeyJson): Promise<boolean> {
  const { rows } = await tx.query<{ key_json: KeyJson }>('SELECT key_json FROM e2e_device_keys WHERE user_id = $1 AND device_id = $2', [userId, deviceId]);
  const text = JSON.stringify(keys);
  if (rows[0] && JSON.stringify(rows[0].key_json) === JSON.stringify(JSON.parse(text))) return false;
  await tx.query(
    `INSERT INTO e2e_device_keys (user_id, device_id, key_json) VALUES ($1, $2, $3)
     ON CONFLICT (user_id, device_id) DO UPDATE SET key_json = EXCLUDED.key_json`,
    [userId, deviceId, text],
  );
  return true;
}

export interface OneTimeKey {
  readonly algorithm: string;
  readonly keyId: string;
  /** A string (unsigned curve25519) or a signed key object. */
  readonly key: unknown;
}

/** Adds one-time keys; a key id already stored keeps its first value (as Synapse, uploads are retried). */
export async function addOneTimeKeys(tx: Queryable, userId: string, deviceId: string, keys: readonly OneTimeKey[]): Promise<void> {
  for (const key of keys) {
    await tx.query(
      `INSERT INTO e2e_one_time_keys (user_id, device_id, algorithm, key_id, key_json) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [userId, deviceId, key.algorithm, key.keyId, JSON.stringify(key.key)],
    );
  }
}

/** Replaces the fallback key of each algorithm given (a new key is unused). */
export async function setFallbackKeys(tx: Queryable, userId: string, deviceId: string, keys: readonly OneTimeKey[]): Promise<void> {
  for (const key of keys) {
    await tx.query(
      `INSERT INTO e2e_fallback_keys (user_id, device_id, algorithm, key_id, key_json, used) VALUES ($1, $2, $3, $4, $5, false)
       ON CONFLICT (user_id, device_id, algorithm) DO UPDATE SET key_id = EXCLUDED.key_id, key_json = EXCLUDED.key_json,
         used = CASE WHEN e2e_fallback_keys.key_id = EXCLUDED.key_id THEN e2e_fallback_keys.used ELSE false END`,
      [userId, deviceId, key.algorithm, key.keyId, JSON.stringify(key.key)],
    );
  }
}

/** Unclaimed one-time keys per algorithm. */
export async function countOneTimeKeys(db: Queryable, userId: string, deviceId: string): Promise<Record<string, number>> {
  const { rows } = await db.query<{ algorithm: string; n: number }>(
    'SELECT algorithm, count(*)::int AS n FROM e2e_one_time_keys WHERE user_id = $1 AND device_id = $2 GROUP BY algorithm',
    [userId, deviceId],
  );
  return Object.fromEntries(rows.map((r) => [r.algorithm, r.n]));
}

export interface DeviceKeyStatus {
  readonly oneTimeKeyCounts: Record<string, number>;
  readonly unusedFallbackKeyTypes: string[];
}

/**
 * SQL: the device's (parameters `user`, `device`) unclaimed one-time keys per algorithm
 * (fallback false, n) and unused fallback key algorithms (fallback true). Shared by
 * deviceKeyStatus and sync-window.ts.
 */
export function deviceKeyStatusSql(user: string, device: string): string {
  return `SELECT false AS fallback, algorithm, count(*)::int AS n FROM e2e_one_time_keys WHERE user_id = ${user} AND device_id = ${device} GROUP BY algorithm
     UNION ALL
     SELECT true, algorithm, 0 FROM e2e_fallback_keys WHERE user_id = ${user} AND device_id = ${device} AND NOT used`;
}

/** The rows of deviceKeyStatusSql as /sync reports them. */
export function toDeviceKeyStatus(rows: ReadonlyArray<{ fallback: boolean; algorithm: string; n: number }>): DeviceKeyStatus {
  return {
    oneTimeKeyCounts: Object.fromEntries(rows.filter((r) => !r.fallback).map((r) => [r.algorithm, r.n])),
    unusedFallbackKeyTypes: rows.filter((r) => r.fallback).map((r) => r.algorithm).sort(),
  };
}

const DEVICE_KEY_STATUS_SQL = prepared(deviceKeyStatusSql('$1', '$2'));

/** What every /sync answer reports of the device's keys, in one statement. */
export async function deviceKeyStatus(db: Queryable, userId: string, deviceId: string): Promise<DeviceKeyStatus> {
  const { rows } = await db.query<{ fallback: boolean; algorithm: string; n: number }>(DEVICE_KEY_STATUS_SQL, [userId, deviceId]);
  return toDeviceKeyStatus(rows);
}

/** Device keys of each user (all devices when the list is empty). */
export async function queryDeviceKeys(db: Queryable, request: ReadonlyMap<string, readonly string[]>): Promise<Map<string, Map<string, KeyJson>>> {
  const result = new Map<string, Map<string, KeyJson>>();
  if (request.size === 0) return result;
  const { rows } = await db.query<{ user_id: string; device_id: string; key_json: KeyJson }>(
    'SELECT user_id, device_id, key_json FROM e2e_device_keys WHERE user_id = ANY($1::text[])',
    [[...request.keys()]],
  );
  for (const row of rows) {
    const wanted = request.get(row.user_id) ?? [];
    if (wanted.length > 0 && !wanted.includes(row.device_id)) continue;
    const devices = result.get(row.user_id) ?? new Map<string, KeyJson>();
    devices.set(row.device_id, row.key_json);
    result.set(row.user_id, devices);
  }
  return result;
}

/**
 * Takes one one-time key of `algorithm` from the device (deleting it), or else its fallback key
 * (marking it used). Returns `{keyId: key}` or undefined when the device has neither.
 */
export async function claimKey(tx: Queryable, userId: string, deviceId: string, algorithm: string): Promise<{ keyId: string; key: unknown } | undefined> {
  const { rows } = await tx.query<{ key_id: string; key_json: unknown }>(
    `DELETE FROM e2e_one_time_keys WHERE ctid = (
       SELECT ctid FROM e2e_one_time_keys WHERE user_id = $1 AND device_id = $2 AND algorithm = $3 ORDER BY key_id LIMIT 1 FOR UPDATE)
     RETURNING key_id, key_json`,
    [userId, deviceId, algorithm],
  );
  if (rows[0]) return { keyId: `${algorithm}:${rows[0].key_id}`, key: rows[0].key_json };
  const { rows: fallback } = await tx.query<{ key_id: string; key_json: unknown }>(
    `UPDATE e2e_fallback_keys SET used = true WHERE user_id = $1 AND device_id = $2 AND algorithm = $3 RETURNING key_id, key_json`,
    [userId, deviceId, algorithm],
  );
  return fallback[0] ? { keyId: `${algorithm}:${fallback[0].key_id}`, key: fallback[0].key_json } : undefined;
}

/** Device ids of a user: CS-accounts' devices plus any device with uploaded keys. */
export async function knownDeviceIds(db: Queryable, userId: string): Promise<string[]> {
  const { rows } = await db.query<{ device_id: string }>(
    `SELECT device_id FROM devices WHERE user_id = $1 UNION SELECT device_id FROM e2e_device_keys WHERE user_id = $1 ORDER BY 1`,
    [userId],
  );
  return rows.map((r) => r.device_id);
}

/** Display names of devices (CS-accounts' devices table), for unsigned.device_display_name. */
export async function deviceDisplayNames(db: Queryable, userIds: readonly string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const { rows } = await db.query<{ user_id: string; device_id: string; display_name: string }>(
    'SELECT user_id, device_id, display_name FROM devices WHERE user_id = ANY($1::text[]) AND display_name IS NOT NULL',
    [[...userIds]],
  );
  return new Map(rows.map((r) => [`${r.user_id} ${r.device_id}`, r.display_name]));
}
