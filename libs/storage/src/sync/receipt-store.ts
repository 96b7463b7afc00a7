// Receipts (m.read, m.read.private, threaded): the latest per (room, type, user, thread).
import type { Queryable } from '../database.ts';
import { movesUnreadCounts, refreshPushSummaries } from './push-summary-store.ts';
import type { PositionWindow, StreamRange, StreamRow } from './stream-range.ts';

export interface ReceiptRow {
  readonly roomId: string;
  readonly receiptType: string;
  readonly userId: string;
  /** undefined = unthreaded. */
  readonly threadId: string | undefined;
  readonly eventId: string;
  readonly ts: number;
}

export interface ReceiptRecord extends ReceiptRow {
  readonly position: number;
  readonly instanceName: string;
}

interface DbReceipt {
  room_id: string;
  receipt_type: string;
  user_id: string;
  thread_id: string;
  event_id: string;
  ts: number;
  position: number;
  instance_name: string;
}

function toRecord(r: DbReceipt): ReceiptRecord {
  return {
    roomId: r.room_id,
    receiptType: r.receipt_type,
    userId: r.user_id,
    threadId: r.thread_id === '' ? undefined : r.thread_id,
    eventId: r.event_id,
    ts: r.ts,
    position: r.position,
    instanceName: r.instance_name,
  };
}

/**
 * Stores the receipt unless the user already has one of this kind on a later event (receipts
 * never move backwards, as in Synapse). Returns false when it was ignored. A read receipt that
 * moved recounts the user's unread summary of the room: run it inside a transaction.
 */
export async function upsertReceipt(tx: Queryable, position: number, row: ReceiptRow & { instanceName: string }): Promise<boolean> {
  const { rows: ordering } = await tx.query<{ stream_ordering: number }>('SELECT stream_ordering FROM events WHERE event_id = $1', [row.eventId]);
  const eventOrdering = ordering[0]?.stream_ordering ?? null;
  const { rowCount } = await tx.query(
    `INSERT INTO receipts (room_id, receipt_type, user_id, thread_id, event_id, ts, event_stream_ordering, position, instance_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (room_id, receipt_type, user_id, thread_id) DO UPDATE
       SET event_id = EXCLUDED.event_id, ts = EXCLUDED.ts, event_stream_ordering = EXCLUDED.event_stream_ordering,
           position = EXCLUDED.position, instance_name = EXCLUDED.instance_name
       WHERE receipts.event_stream_ordering IS NULL OR EXCLUDED.event_stream_ordering IS NULL
          OR EXCLUDED.event_stream_ordering > receipts.event_stream_ordering`,
    [row.roomId, row.receiptType, row.userId, row.threadId ?? '', row.eventId, row.ts, eventOrdering, position, row.instanceName],
  );
  if (rowCount > 0 && movesUnreadCounts(row.receiptType, row.threadId)) await refreshPushSummaries(tx, [{ userId: row.userId, roomId: row.roomId }]);
  return rowCount > 0;
}

export async function fetchReceiptsSince(db: Queryable, range: StreamRange): Promise<Array<StreamRow<ReceiptRow>>> {
  const { rows } = await db.query<DbReceipt>(
    `SELECT * FROM receipts WHERE instance_name = $1 AND position > $2 AND position <= $3 ORDER BY position LIMIT $4`,
    [range.writer, range.from, range.to, range.limit],
  );
  return rows.map((r) => {
    const { position, instanceName: _w, ...data } = toRecord(r);
    return { position, data };
  });
}

/** Receipts of these rooms whose latest change lies in the window. */
export async function receiptsForRooms(db: Queryable, roomIds: readonly string[], window: PositionWindow): Promise<ReceiptRecord[]> {
  if (roomIds.length === 0) return [];
  const { rows } = await db.query<DbReceipt>(
    `SELECT * FROM receipts WHERE room_id = ANY($1::text[]) AND position > $2 AND position <= $3 ORDER BY position`,
    [[...roomIds], window.floor, window.ceiling],
  );
  return rows.map(toRecord);
}
