// Devices of users (CS-accounts). Deleting a device also deletes its tokens and end-to-end keys.
import type { Queryable } from '../database.ts';

export interface DeviceRow {
  readonly userId: string;
  readonly deviceId: string;
  readonly displayName: string | null;
  readonly lastSeenTs: number | null;
  readonly lastSeenIp: string | null;
  readonly createdTs: number;
}

interface DeviceDbRow {
  user_id: string;
  device_id: string;
  display_name: string | null;
  last_seen_ts: number | null;
  last_seen_ip: string | null;
  created_ts: number;
}

const toDevice = (r: DeviceDbRow): DeviceRow => ({
  userId: r.user_id,
  deviceId: r.device_id,
  displayName: r.display_name,
  lastSeenTs: r.last_seen_ts,
  lastSeenIp: r.last_seen_ip,
  createdTs: r.created_ts,
});

/**
 * Creates the device, or keeps an existing one (logging in again with the same device_id);
 * a given display name replaces the old one. Returns true when the device is new.
 */
export async function upsertDevice(
  tx: Queryable,
  device: { userId: string; deviceId: string; displayName?: string | undefined; createdTs: number; ip?: string | undefined },
): Promise<boolean> {
  const { rows } = await tx.query<{ inserted: boolean }>(
    `INSERT INTO devices (user_id, device_id, display_name, created_ts, last_seen_ts, last_seen_ip)
       VALUES ($1, $2, $3, $4, $4, $5)
     ON CONFLICT (user_id, device_id) DO UPDATE SET
       display_name = COALESCE(EXCLUDED.display_name, devices.display_name),
       last_seen_ts = EXCLUDED.last_seen_ts, last_seen_ip = COALESCE(EXCLUDED.last_seen_ip, devices.last_seen_ip)
     RETURNING (xmax = 0) AS inserted`,
    [device.userId, device.deviceId, device.displayName ?? null, device.createdTs, device.ip ?? null],
  );
  return rows[0]?.inserted === true;
}

export async function getDevice(db: Queryable, userId: string, deviceId: string): Promise<DeviceRow | undefined> {
  const { rows } = await db.query<DeviceDbRow>('SELECT * FROM devices WHERE user_id = $1 AND device_id = $2', [userId, deviceId]);
  return rows[0] === undefined ? undefined : toDevice(rows[0]);
}

export async function listDevices(db: Queryable, userId: string): Promise<DeviceRow[]> {
  const { rows } = await db.query<DeviceDbRow>('SELECT * FROM devices WHERE user_id = $1 ORDER BY device_id', [userId]);
  return rows.map(toDevice);
}

/** Renames a device; false when it does not exist. */
export async function renameDevice(db: Queryable, userId: string, deviceId: string, displayName: string | null): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE devices SET display_name = $3 WHERE user_id = $1 AND device_id = $2', [
    userId,
    deviceId,
    displayName,
  ]);
  return rowCount > 0;
}

/** Records activity seen with a device's token (cheap: only when the ts moved by a minute). */
export async function touchDevice(db: Queryable, userId: string, deviceId: string, ts: number, ip: string | undefined): Promise<void> {
  await db.query(
    `UPDATE devices SET last_seen_ts = $3, last_seen_ip = COALESCE($4, last_seen_ip)
      WHERE user_id = $1 AND device_id = $2 AND (last_seen_ts IS NULL OR last_seen_ts < $3 - 60000)`,
    [userId, deviceId, ts, ip ?? null],
  );
}

/**
 * Deletes devices with their tokens, keys and pushers; returns the device IDs that existed. A
 * pusher dies with the device whose token set it (Synapse removes pushers by access token on
 * logout), so a logged-out phone stops receiving notifications.
 */
export async function deleteDevices(tx: Queryable, userId: string, deviceIds: readonly string[]): Promise<string[]> {
  if (deviceIds.length === 0) return [];
  const ids = [...deviceIds];
  await tx.query('DELETE FROM access_tokens WHERE user_id = $1 AND device_id = ANY($2::text[])', [userId, ids]);
  await tx.query('DELETE FROM pushers WHERE user_id = $1 AND device_id = ANY($2::text[])', [userId, ids]);
  await tx.query('DELETE FROM refresh_tokens WHERE user_id = $1 AND device_id = ANY($2::text[])', [userId, ids]);
  // The e2e tables belong to CS-sync's migration; a device's keys die with the device.
  for (const table of ['e2e_device_keys', 'e2e_one_time_keys', 'e2e_fallback_keys']) {
    const { rows } = await tx.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [table]);
    if (rows[0]?.present === true) {
      await tx.query(`DELETE FROM ${table} WHERE user_id = $1 AND device_id = ANY($2::text[])`, [userId, ids]);
    }
  }
  const { rows } = await tx.query<{ device_id: string }>(
    'DELETE FROM devices WHERE user_id = $1 AND device_id = ANY($2::text[]) RETURNING device_id',
    [userId, ids],
  );
  return rows.map((r) => r.device_id);
}
