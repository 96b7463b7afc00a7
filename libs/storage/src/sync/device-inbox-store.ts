// To-device messages: queued per target device, deleted once a later sync acknowledges them.
import type { Queryable } from '../database.ts';
import { prepared } from '../prepared.ts';
import type { StreamRange, StreamRow } from './stream-range.ts';

export interface ToDeviceRow {
  readonly userId: string;
  readonly deviceId: string;
  readonly sender: string;
  readonly type: string;
  readonly content: Record<string, unknown>;
}

export interface ToDeviceRecord extends ToDeviceRow {
  readonly position: number;
  readonly instanceName: string;
}

interface DbInbox {
  position: number;
  instance_name: string;
  user_id: string;
  device_id: string;
  sender: string;
  type: string;
  content: Record<string, unknown>;
}

function toRecord(r: DbInbox): ToDeviceRecord {
  return { position: r.position, instanceName: r.instance_name, userId: r.user_id, deviceId: r.device_id, sender: r.sender, type: r.type, content: r.content };
}

export async function insertToDevice(tx: Queryable, position: number, row: ToDeviceRow & { instanceName: string }): Promise<void> {
  await tx.query(
    'INSERT INTO device_inbox (position, instance_name, user_id, device_id, sender, type, content) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [position, row.instanceName, row.userId, row.deviceId, row.sender, row.type, JSON.stringify(row.content)],
  );
}

/** Claims a client transaction id; false when it was used before (the send is a repeat). */
export async function claimToDeviceTxn(tx: Queryable, userId: string, deviceId: string, txnId: string, now: number): Promise<boolean> {
  const { rowCount } = await tx.query(
    'INSERT INTO to_device_txns (user_id, device_id, txn_id, inserted_ts) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
    [userId, deviceId, txnId, now],
  );
  return rowCount > 0;
}

export async function fetchToDeviceSince(db: Queryable, range: StreamRange): Promise<Array<StreamRow<ToDeviceRow>>> {
  const { rows } = await db.query<DbInbox>(
    'SELECT * FROM device_inbox WHERE instance_name = $1 AND position > $2 AND position <= $3 ORDER BY position LIMIT $4',
    [range.writer, range.from, range.to, range.limit],
  );
  return rows.map((r) => {
    const { position, instanceName: _w, ...data } = toRecord(r);
    return { position, data };
  });
}

/** Messages for one device up to `ceiling`, oldest first, at most `limit`. */
export async function toDeviceForDevice(db: Queryable, userId: string, deviceId: string, options: { ceiling: number; limit: number }): Promise<ToDeviceRecord[]> {
  const { rows } = await db.query<DbInbox>(
    prepared('SELECT * FROM device_inbox WHERE user_id = $1 AND device_id = $2 AND position <= $3 ORDER BY position LIMIT $4'),
    [userId, deviceId, options.ceiling, options.limit],
  );
  return rows.map(toRecord);
}

/** Deletes the device's messages at or below `upTo` (the client acknowledged them). */
export async function deleteToDevice(db: Queryable, userId: string, deviceId: string, upTo: number): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM device_inbox WHERE user_id = $1 AND device_id = $2 AND position <= $3', [userId, deviceId, upTo]);
  return rowCount;
}
