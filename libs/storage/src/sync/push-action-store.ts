// Per-user push actions of events (what the user's push rules said), for unread counts.
import type { Queryable } from '../database.ts';

export interface PushActionRow {
  readonly userId: string;
  readonly eventId: string;
  readonly roomId: string;
  readonly streamOrdering: number;
  /** 'main' for events outside threads. */
  readonly threadId: string;
  readonly notify: boolean;
  readonly highlight: boolean;
  readonly actions: readonly unknown[];
}

/**
 * Idempotent: a row already stored for (user, event) is kept. One statement for all rows
 * (unnest of column arrays): the sync role's events reader stores a whole batch before it
 * wakes long-polls, so a round trip per row delayed /sync under load.
 */
export async function insertPushActions(db: Queryable, rows: readonly PushActionRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO event_push_actions (user_id, event_id, room_id, stream_ordering, thread_id, notify, highlight, actions)
     SELECT u, e, r, s, t, n, h, a::jsonb
       FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::text[], $6::boolean[], $7::boolean[], $8::text[]) AS x(u, e, r, s, t, n, h, a)
     ON CONFLICT DO NOTHING`,
    [
      rows.map((row) => row.userId),
      rows.map((row) => row.eventId),
      rows.map((row) => row.roomId),
      rows.map((row) => row.streamOrdering),
      rows.map((row) => row.threadId),
      rows.map((row) => row.notify),
      rows.map((row) => row.highlight),
      rows.map((row) => JSON.stringify(row.actions)),
    ],
  );
}

export interface UnreadCounts {
  readonly notificationCount: number;
  readonly highlightCount: number;
}

/**
 * SQL: per room of `rooms` (a relation with a room_id column), the counts of the user's
 * (parameter `user`) notifying and highlighting events after their latest read receipt (public
 * or private, unthreaded or main thread; none: from the room's start) up to `upTo`. Shared by
 * unreadCountsForRooms and sync-window.ts.
 */
export function unreadCountsSql(user: string, rooms: string, upTo: string): string {
  return `SELECT r.room_id, count(*) FILTER (WHERE p.notify)::int AS notify, count(*) FILTER (WHERE p.highlight)::int AS highlight
       FROM ${rooms} r
       LEFT JOIN LATERAL (
         SELECT max(COALESCE(rc.event_stream_ordering, e.stream_ordering)) AS ordering
           FROM receipts rc LEFT JOIN events e ON e.event_id = rc.event_id
          WHERE rc.user_id = ${user} AND rc.room_id = r.room_id AND rc.receipt_type IN ('m.read', 'm.read.private')
            AND rc.thread_id IN ('', 'main')
       ) receipt ON true
       LEFT JOIN event_push_actions p ON p.user_id = ${user} AND p.room_id = r.room_id
            AND p.stream_ordering > COALESCE(receipt.ordering, 0) AND p.stream_ordering <= ${upTo}
      GROUP BY r.room_id`;
}

/** Per room, unreadCountsSql's counts. One statement for all rooms: /sync asks for every room of its answer. */
export async function unreadCountsForRooms(db: Queryable, userId: string, roomIds: readonly string[], upTo: number): Promise<Map<string, UnreadCounts>> {
  if (roomIds.length === 0) return new Map();
  const { rows } = await db.query<{ room_id: string; notify: number; highlight: number }>(
    unreadCountsSql('$1', '(SELECT unnest($2::text[]) AS room_id)', '$3'),
    [userId, [...new Set(roomIds)], upTo],
  );
  return new Map(rows.map((row) => [row.room_id, { notificationCount: row.notify, highlightCount: row.highlight }]));
}
