// GET /notifications: a user's notifying push actions (event_push_actions, written by the sync
// role as events arrive) newest first, each with whether the user's read receipt in that room
// (public or private; unthreaded, or of the event's own thread) is at or after the event.
import type { Queryable } from '../database.ts';

export interface NotificationRow {
  readonly eventId: string;
  readonly roomId: string;
  readonly streamOrdering: number;
  readonly actions: readonly unknown[];
  readonly highlight: boolean;
  readonly read: boolean;
}

export interface NotificationsOptions {
  /** Only rows strictly below this stream position (the previous page's last). Default: from the newest. */
  readonly before?: number;
  /** Rows wanted. */
  readonly limit: number;
  /** Only rows whose actions set the highlight tweak. Default: false. */
  readonly onlyHighlight?: boolean;
}

export async function getNotifications(db: Queryable, userId: string, options: NotificationsOptions): Promise<NotificationRow[]> {
  const { rows } = await db.query<{ event_id: string; room_id: string; stream_ordering: number; actions: unknown[]; highlight: boolean; read: boolean }>(
    `SELECT p.event_id, p.room_id, p.stream_ordering, p.actions, p.highlight,
            COALESCE(receipt.ordering >= p.stream_ordering, false) AS read
       FROM event_push_actions p
       LEFT JOIN LATERAL (
         SELECT max(COALESCE(rc.event_stream_ordering, e.stream_ordering)) AS ordering
           FROM receipts rc LEFT JOIN events e ON e.event_id = rc.event_id
          WHERE rc.user_id = $1 AND rc.room_id = p.room_id AND rc.receipt_type IN ('m.read', 'm.read.private')
            AND (rc.thread_id = '' OR rc.thread_id = p.thread_id)
       ) receipt ON true
      WHERE p.user_id = $1 AND p.notify AND ($2::int8 IS NULL OR p.stream_ordering < $2) AND (NOT $3::boolean OR p.highlight)
      ORDER BY p.stream_ordering DESC
      LIMIT $4`,
    [userId, options.before ?? null, options.onlyHighlight === true, options.limit],
  );
  return rows.map((row) => ({
    eventId: row.event_id,
    roomId: row.room_id,
    streamOrdering: Number(row.stream_ordering),
    actions: row.actions,
    highlight: row.highlight,
    read: row.read,
  }));
}
