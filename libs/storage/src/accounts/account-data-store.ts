// Account data (CS-accounts): global (room_id '') and per-room JSON objects of a user, each
// write moved to a new position of the `account_data` stream so /sync can send changes.
import type { Queryable } from '../database.ts';
import { prepared } from '../prepared.ts';

/** A row of the account_data stream as readers receive it. */
export interface AccountDataRow {
  readonly userId: string;
  /** '' for global account data. */
  readonly roomId: string;
  readonly type: string;
}

export interface AccountDataRecord extends AccountDataRow {
  readonly content: Record<string, unknown>;
  readonly position: number;
  readonly instanceName: string;
}

export const ACCOUNT_DATA_STREAM = 'account_data';

export async function upsertAccountData(
  tx: Queryable,
  position: number,
  row: AccountDataRow & { content: Record<string, unknown>; instanceName: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO account_data (user_id, room_id, data_type, content, position, instance_name)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6)
     ON CONFLICT (user_id, room_id, data_type) DO UPDATE SET
       content = EXCLUDED.content, position = EXCLUDED.position, instance_name = EXCLUDED.instance_name`,
    [row.userId, row.roomId, row.type, JSON.stringify(row.content), position, row.instanceName],
  );
}

/** One account data object, or undefined. roomId '' for global data. */
export async function getAccountData(
  db: Queryable,
  userId: string,
  roomId: string,
  type: string,
): Promise<Record<string, unknown> | undefined> {
  const { rows } = await db.query<{ content: Record<string, unknown> }>(
    'SELECT content FROM account_data WHERE user_id = $1 AND room_id = $2 AND data_type = $3',
    [userId, roomId, type],
  );
  return rows[0]?.content;
}

/** Catch-up call of the account_data stream: rows of `writer` with from < position <= to. */
export async function fetchAccountDataSince(
  db: Queryable,
  range: { writer: string; from: number; to: number; limit: number },
): Promise<Array<{ position: number; data: AccountDataRow }>> {
  const { rows } = await db.query<{ position: number; user_id: string; room_id: string; data_type: string }>(
    `SELECT position, user_id, room_id, data_type FROM account_data
      WHERE instance_name = $1 AND position > $2 AND position <= $3 ORDER BY position LIMIT $4`,
    [range.writer, range.from, range.to, range.limit],
  );
  return rows.map((r) => ({ position: r.position, data: { userId: r.user_id, roomId: r.room_id, type: r.data_type } }));
}

/**
 * A user's account data changed within (floor, ceiling] (everything when floor is 0), for /sync.
 * Rows are the current content; a multi-writer caller filters per writer by `instanceName`.
 */
export async function accountDataForUser(
  db: Queryable,
  userId: string,
  window: { floor: number; ceiling: number },
): Promise<AccountDataRecord[]> {
  const { rows } = await db.query<{
    user_id: string;
    room_id: string;
    data_type: string;
    content: Record<string, unknown>;
    position: number;
    instance_name: string;
  }>(
    prepared(`SELECT user_id, room_id, data_type, content, position, instance_name FROM account_data
      WHERE user_id = $1 AND position > $2 AND position <= $3 ORDER BY position`),
    [userId, window.floor, window.ceiling],
  );
  return rows.map((r) => ({
    userId: r.user_id,
    roomId: r.room_id,
    type: r.data_type,
    content: r.content,
    position: r.position,
    instanceName: r.instance_name,
  }));
}

/** Deletes all account data of a user (deactivation). */
export async function deleteAccountDataOfUser(tx: Queryable, userId: string): Promise<void> {
  await tx.query('DELETE FROM account_data WHERE user_id = $1', [userId]);
}
