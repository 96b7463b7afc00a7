// The cache of remote users' device lists (1960_remote_device_lists.sql): which users are
// cached at which stream_id of their server, their devices, and whether a gap was seen.
// Deciding when to apply, resync or forget is the caller's job.
import type { Queryable } from '../database.ts';
import type { KeyJson } from './e2e-key-store.ts';

export interface RemoteDeviceListState {
  /** The stream_id of the last update applied: the prev_id the next update must name. */
  readonly streamId: number;
  /** A gap was seen (or a resync failed): the list may be out of date. */
  readonly resyncNeeded: boolean;
}

export interface RemoteDevice {
  readonly deviceId: string;
  readonly displayName?: string;
  /** The device's signed keys, as its server sent them; absent when it has none. */
  readonly keys?: KeyJson;
}

export async function remoteDeviceListState(db: Queryable, userId: string): Promise<RemoteDeviceListState | undefined> {
  const { rows } = await db.query<{ stream_id: string; resync_needed: boolean }>('SELECT stream_id, resync_needed FROM remote_device_lists WHERE user_id = $1', [userId]);
  return rows[0] === undefined ? undefined : { streamId: Number(rows[0].stream_id), resyncNeeded: rows[0].resync_needed };
}

/** The cached devices of each user that is cached and not waiting for a resync. */
export async function cachedRemoteDevices(db: Queryable, userIds: readonly string[]): Promise<Map<string, RemoteDevice[]>> {
  const out = new Map<string, RemoteDevice[]>();
  if (userIds.length === 0) return out;
  const { rows: lists } = await db.query<{ user_id: string }>('SELECT user_id FROM remote_device_lists WHERE user_id = ANY($1::text[]) AND NOT resync_needed', [[...userIds]]);
  for (const row of lists) out.set(row.user_id, []);
  const { rows } = await db.query<{ user_id: string; device_id: string; display_name: string | null; key_json: KeyJson | null }>(
    'SELECT user_id, device_id, display_name, key_json FROM remote_devices WHERE user_id = ANY($1::text[]) ORDER BY device_id',
    [lists.map((r) => r.user_id)],
  );
  for (const row of rows) out.get(row.user_id)?.push(toRemoteDevice(row));
  return out;
}

/** Applies one device's update and moves the list to `streamId`. The list must be cached. */
export async function applyRemoteDeviceUpdate(tx: Queryable, userId: string, streamId: number, update: RemoteDevice & { deleted: boolean }): Promise<void> {
  if (update.deleted) {
    await tx.query('DELETE FROM remote_devices WHERE user_id = $1 AND device_id = $2', [userId, update.deviceId]);
  } else {
    await tx.query(
      `INSERT INTO remote_devices (user_id, device_id, display_name, key_json) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, device_id) DO UPDATE SET display_name = EXCLUDED.display_name, key_json = COALESCE(EXCLUDED.key_json, remote_devices.key_json)`,
      [userId, update.deviceId, update.displayName ?? null, update.keys === undefined ? null : JSON.stringify(update.keys)],
    );
  }
  await tx.query('UPDATE remote_device_lists SET stream_id = $2 WHERE user_id = $1', [userId, streamId]);
}

/**
 * Replaces the user's cached list with a full one from its server (a resync), clearing any
 * gap; returns the devices cached before (none when the user was not cached).
 */
export async function replaceRemoteDeviceList(tx: Queryable, userId: string, streamId: number, devices: readonly RemoteDevice[]): Promise<RemoteDevice[]> {
  const { rows } = await tx.query<{ device_id: string; display_name: string | null; key_json: KeyJson | null }>(
    'DELETE FROM remote_devices WHERE user_id = $1 RETURNING device_id, display_name, key_json',
    [userId],
  );
  await tx.query(
    `INSERT INTO remote_device_lists (user_id, stream_id, resync_needed) VALUES ($1, $2, false)
     ON CONFLICT (user_id) DO UPDATE SET stream_id = EXCLUDED.stream_id, resync_needed = false`,
    [userId, streamId],
  );
  for (const device of devices) {
    await tx.query('INSERT INTO remote_devices (user_id, device_id, display_name, key_json) VALUES ($1, $2, $3, $4)', [
      userId,
      device.deviceId,
      device.displayName ?? null,
      device.keys === undefined ? null : JSON.stringify(device.keys),
    ]);
  }
  return rows.map(toRemoteDevice);
}

function toRemoteDevice(row: { device_id: string; display_name: string | null; key_json: KeyJson | null }): RemoteDevice {
  return {
    deviceId: row.device_id,
    ...(row.display_name === null ? {} : { displayName: row.display_name }),
    ...(row.key_json === null ? {} : { keys: row.key_json }),
  };
}

/** Marks the user's cached list as possibly out of date (kept until the resync replaces it). */
export async function markRemoteDeviceListStale(tx: Queryable, userId: string): Promise<void> {
  await tx.query('UPDATE remote_device_lists SET resync_needed = true WHERE user_id = $1', [userId]);
}

/** Users whose cached list waits for a resync, in user ID order after `after`, at most `limit`. */
export async function staleRemoteDeviceListUsers(db: Queryable, after: string, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ user_id: string }>('SELECT user_id FROM remote_device_lists WHERE resync_needed AND user_id > $1 ORDER BY user_id LIMIT $2', [after, limit]);
  return rows.map((row) => row.user_id);
}

/** Drops the user's cached list and cross-signing keys: no local user shares a room with them any more. */
export async function forgetRemoteDeviceList(tx: Queryable, userId: string): Promise<void> {
  await tx.query('DELETE FROM remote_device_lists WHERE user_id = $1', [userId]);
  await tx.query("DELETE FROM e2e_cross_signing_keys WHERE user_id = $1 AND key_type IN ('master', 'self_signing')", [userId]);
}

/** Whether `userId` is joined to a room one of `serverName`'s users is joined to (its device list is tracked). */
export async function sharesRoomWithServer(db: Queryable, userId: string, serverName: string): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM current_state_events m
       JOIN current_state_events o ON o.room_id = m.room_id AND o.type = 'm.room.member' AND o.membership = 'join'
      WHERE m.type = 'm.room.member' AND m.state_key = $1 AND m.membership = 'join' AND o.state_key LIKE $2
      LIMIT 1`,
    [userId, `%:${serverName.replace(/[\\%_]/g, (c) => `\\${c}`)}`],
  );
  return rows.length > 0;
}

/** Remote users with a cached device list who are (or were) members of the room. */
export async function cachedRemoteUsersInRoom(db: Queryable, roomId: string): Promise<string[]> {
  const { rows } = await db.query<{ user_id: string }>(
    `SELECT r.user_id FROM remote_device_lists r
       JOIN current_state_events m ON m.room_id = $1 AND m.type = 'm.room.member' AND m.state_key = r.user_id`,
    [roomId],
  );
  return rows.map((r) => r.user_id);
}
