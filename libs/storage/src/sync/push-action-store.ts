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

/** Counts the user's notifying and highlighting events in the room after `after` (exclusive) up to `upTo`. */
export async function unreadCounts(db: Queryable, userId: string, roomId: string, options: { after: number; upTo: number }): Promise<UnreadCounts> {
  const { rows } = await db.query<{ notify: number; highlight: number }>(
    `SELECT count(*) FILTER (WHERE notify)::int AS notify, count(*) FILTER (WHERE highlight)::int AS highlight
       FROM event_push_actions WHERE user_id = $1 AND room_id = $2 AND stream_ordering > $3 AND stream_ordering <= $4`,
    [userId, roomId, options.after, options.upTo],
  );
  return { notificationCount: rows[0]?.notify ?? 0, highlightCount: rows[0]?.highlight ?? 0 };
}
