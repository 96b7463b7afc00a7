// Device list changes: which users' devices changed at which position (for device_lists.changed), and
// who left the rooms a user shares (for device_lists.left).
import type { Queryable } from '../database.ts';
import type { PositionWindow, StreamRange, StreamRow } from './stream-range.ts';

export interface DeviceListRow {
  readonly userId: string;
  readonly deviceId: string;
}

export async function insertDeviceListChange(tx: Queryable, position: number, row: DeviceListRow & { instanceName: string }): Promise<void> {
  await tx.query('INSERT INTO device_list_changes (position, instance_name, user_id, device_id) VALUES ($1, $2, $3, $4)', [
    position,
    row.instanceName,
    row.userId,
    row.deviceId,
  ]);
}

/** Queues a change for the device_lists writer, inside the caller's transaction (see 1980_device_list_outbox.sql). */
export async function queueDeviceListChange(tx: Queryable, row: DeviceListRow): Promise<void> {
  await tx.query('INSERT INTO device_list_outbox (user_id, device_id) VALUES ($1, $2)', [row.userId, row.deviceId]);
}

/** Takes every queued change, oldest first, inside the writer's transaction (gone once it commits). */
export async function takeQueuedDeviceListChanges(tx: Queryable): Promise<DeviceListRow[]> {
  const { rows } = await tx.query<{ id: string; user_id: string; device_id: string }>('DELETE FROM device_list_outbox RETURNING id, user_id, device_id');
  return rows.sort((a, b) => Number(a.id) - Number(b.id)).map((r) => ({ userId: r.user_id, deviceId: r.device_id }));
}

export async function fetchDeviceListChangesSince(db: Queryable, range: StreamRange): Promise<Array<StreamRow<DeviceListRow>>> {
  const { rows } = await db.query<{ position: number; user_id: string; device_id: string }>(
    'SELECT position, user_id, device_id FROM device_list_changes WHERE instance_name = $1 AND position > $2 AND position <= $3 ORDER BY position LIMIT $4',
    [range.writer, range.from, range.to, range.limit],
  );
  return rows.map((r) => ({ position: r.position, data: { userId: r.user_id, deviceId: r.device_id } }));
}

/**
 * Which of `userIds` changed devices within the window (distinct), as `viewer` is told. A row
 * announcing someone's current user-signing key counts for its owner only: that key signs other
 * users, it is no part of how the owner's devices look to others (Synapse tells the owner alone).
 */
export async function usersWithDeviceChanges(db: Queryable, userIds: readonly string[], window: PositionWindow, viewer: string): Promise<string[]> {
  if (userIds.length === 0) return [];
  const { rows } = await db.query<{ user_id: string }>(
    `SELECT DISTINCT c.user_id FROM device_list_changes c
      WHERE c.user_id = ANY($1::text[]) AND c.position > $2 AND c.position <= $3
        AND (c.user_id = $4 OR NOT EXISTS (
          SELECT 1 FROM e2e_cross_signing_keys k WHERE k.user_id = c.user_id AND k.key_type = 'user_signing' AND k.key_id = c.device_id))`,
    [[...userIds], window.floor, window.ceiling, viewer],
  );
  return rows.map((r) => r.user_id);
}

/**
 * Users whose membership of one of `roomIds` became leave or ban within the window, with the
 * event's position and writer (callers apply per-writer windows): candidates for device_lists.left.
 */
export async function usersLeftBetween(
  db: Queryable,
  roomIds: readonly string[],
  window: PositionWindow,
): Promise<Array<{ userId: string; streamOrdering: number; instanceName: string }>> {
  if (roomIds.length === 0) return [];
  const { rows } = await db.query<{ user_id: string; stream_ordering: number; instance_name: string }>(
    `SELECT m.user_id, m.stream_ordering, e.instance_name FROM room_memberships m JOIN events e ON e.event_id = m.event_id
      WHERE m.room_id = ANY($1::text[]) AND m.membership IN ('leave', 'ban') AND m.stream_ordering > $2 AND m.stream_ordering <= $3`,
    [[...roomIds], window.floor, window.ceiling],
  );
  return rows.map((r) => ({ userId: r.user_id, streamOrdering: Number(r.stream_ordering), instanceName: r.instance_name }));
}

/**
 * The position of the user's latest device list change before `before` (default: the latest),
 * leaving out the rows that announced their current cross-signing keys: other servers get
 * those as m.signing_key_update, which has no stream_id, so the prev_id chain of the
 * m.device_list_update EDUs (and the /user/devices stream_id it continues) skips them.
 */
export async function deviceListChangeBefore(db: Queryable, userId: string, before = Number.MAX_SAFE_INTEGER): Promise<number | undefined> {
  const { rows } = await db.query<{ position: string | null }>(
    `SELECT max(position) AS position FROM device_list_changes
      WHERE user_id = $1 AND position < $2 AND device_id NOT IN (SELECT key_id FROM e2e_cross_signing_keys WHERE user_id = $1)`,
    [userId, before],
  );
  const found = rows[0]?.position;
  return found === null || found === undefined ? undefined : Number(found);
}
