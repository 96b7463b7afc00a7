// Typing stream rows: each change of a room's typing set, recorded as the whole set after it.
import type { Queryable } from '../database.ts';
import type { PositionWindow, StreamRange, StreamRow } from './stream-range.ts';

export interface TypingRow {
  readonly roomId: string;
  readonly userIds: readonly string[];
}

export interface TypingRecord extends TypingRow {
  readonly position: number;
  readonly instanceName: string;
}

export async function insertTypingRow(tx: Queryable, position: number, row: TypingRow & { instanceName: string }): Promise<void> {
  await tx.query('INSERT INTO typing_stream (position, instance_name, room_id, user_ids) VALUES ($1, $2, $3, $4)', [
    position,
    row.instanceName,
    row.roomId,
    JSON.stringify(row.userIds),
  ]);
}

export async function fetchTypingSince(db: Queryable, range: StreamRange): Promise<Array<StreamRow<TypingRow>>> {
  const { rows } = await db.query<{ position: number; room_id: string; user_ids: string[] }>(
    `SELECT position, room_id, user_ids FROM typing_stream
      WHERE instance_name = $1 AND position > $2 AND position <= $3 ORDER BY position LIMIT $4`,
    [range.writer, range.from, range.to, range.limit],
  );
  return rows.map((r) => ({ position: r.position, data: { roomId: r.room_id, userIds: r.user_ids } }));
}

/** The latest typing row per room within the window (one per room). */
export async function latestTypingForRooms(db: Queryable, roomIds: readonly string[], window: PositionWindow): Promise<TypingRecord[]> {
  if (roomIds.length === 0) return [];
  const { rows } = await db.query<{ position: number; instance_name: string; room_id: string; user_ids: string[] }>(
    `SELECT DISTINCT ON (room_id) position, instance_name, room_id, user_ids FROM typing_stream
      WHERE room_id = ANY($1::text[]) AND position > $2 AND position <= $3
      ORDER BY room_id, position DESC`,
    [[...roomIds], window.floor, window.ceiling],
  );
  return rows.map((r) => ({ position: r.position, instanceName: r.instance_name, roomId: r.room_id, userIds: r.user_ids }));
}

/** Drops rows superseded by a later row of the same room at or below `below`. */
export async function pruneTyping(db: Queryable, below: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM typing_stream t WHERE t.position < $1
       AND EXISTS (SELECT 1 FROM typing_stream n WHERE n.room_id = t.room_id AND n.position > t.position AND n.position <= $1)`,
    [below],
  );
  return rowCount;
}
