// Per-user push actions of events (what the user's push rules said), for unread counts.
import type { Queryable } from '../database.ts';
import { prepared } from '../prepared.ts';
import { runCombinedWrites, type WritePart } from '../combined-writes.ts';
import { ADD_TO_SUMMARIES_PARTS, membershipOrderingSql, RACED_SUMMARIES_SQL, refreshPushSummaries } from './push-summary-store.ts';

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

/** Prepared: every send runs it, in its group commit's last statement. */
const INSERT_PUSH_ACTIONS_SQL = prepared(
  `INSERT INTO event_push_actions (user_id, event_id, room_id, stream_ordering, thread_id, notify, highlight, actions)
   SELECT u, e, r, s, t, n, h, a::jsonb
     FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::text[], $6::boolean[], $7::boolean[], $8::text[]) AS x(u, e, r, s, t, n, h, a)
   ON CONFLICT DO NOTHING
   RETURNING user_id, room_id, stream_ordering, notify, highlight`,
);

/**
 * The push actions' writes as parts of one combined statement (combined-writes.ts): the rows
 * (a row already stored for (user, event) is kept) and their addition to their users' unread
 * summaries (push-summary-store.ts). The statement's returning part must select
 * RACED_SUMMARIES_SQL's pairs, and the caller recount them (refreshPushSummaries). None without rows.
 */
export function pushActionWrites(rows: readonly PushActionRow[]): WritePart[] {
  if (rows.length === 0) return [];
  const params = [
    rows.map((row) => row.userId),
    rows.map((row) => row.eventId),
    rows.map((row) => row.roomId),
    rows.map((row) => row.streamOrdering),
    rows.map((row) => row.threadId),
    rows.map((row) => row.notify),
    rows.map((row) => row.highlight),
    rows.map((row) => JSON.stringify(row.actions)),
  ];
  return [{ name: 'inserted', sql: INSERT_PUSH_ACTIONS_SQL, params }, ...ADD_TO_SUMMARIES_PARTS];
}

/**
 * Idempotent: a row already stored for (user, event) is kept. One statement for all rows,
 * which also adds the rows stored to their users' unread summaries; run it inside the
 * transaction that stores the events. (The room persisters' group commit writes them with
 * its fences instead: fenceRoomCommits.)
 */
export async function insertPushActions(db: Queryable, rows: readonly PushActionRow[]): Promise<void> {
  if (rows.length === 0) return;
  const raced = await runCombinedWrites<{ user_id: string; room_id: string }>(db, pushActionWrites(rows), { sql: RACED_SUMMARIES_SQL, params: [] });
  await refreshPushSummaries(
    db,
    raced.map((row) => ({ userId: row.user_id, roomId: row.room_id })),
  );
}

export interface UnreadCounts {
  readonly notificationCount: number;
  readonly highlightCount: number;
}

/**
 * SQL: per room of `rooms` (a relation with a room_id column), the counts of the user's
 * (parameter `user`) notifying and highlighting events after their latest read receipt (public
 * or private, unthreaded or main thread; none: after their latest membership event) up to `upTo`. Read from
 * the user's summary of the room (push-summary-store.ts); counted from the actions only where
 * the summary holds actions past `upTo` (a sync whose view lags the writer) or its receipt's
 * ordering is unknown. Shared by unreadCountsForRooms and sync-window.ts.
 */
export function unreadCountsSql(user: string, rooms: string, upTo: string): string {
  const summarised = `(s.receipt_ordering IS NOT NULL AND s.last_ordering <= ${upTo})`;
  return `SELECT r.room_id, COALESCE(CASE WHEN ${summarised} THEN s.notify_count ELSE scan.notify END, 0)::int AS notify,
            COALESCE(CASE WHEN ${summarised} THEN s.highlight_count ELSE scan.highlight END, 0)::int AS highlight
       FROM ${rooms} r
       LEFT JOIN event_push_summary s ON s.user_id = ${user} AND s.room_id = r.room_id
       LEFT JOIN LATERAL (
         SELECT count(*) FILTER (WHERE p.notify) AS notify, count(*) FILTER (WHERE p.highlight) AS highlight
           FROM event_push_actions p
          WHERE s.user_id IS NOT NULL AND NOT ${summarised}
            AND p.user_id = ${user} AND p.room_id = r.room_id AND p.stream_ordering <= ${upTo}
            AND p.stream_ordering > COALESCE((SELECT max(COALESCE(rc.event_stream_ordering, e.stream_ordering))
                                                 FROM receipts rc LEFT JOIN events e ON e.event_id = rc.event_id
                                                WHERE rc.user_id = ${user} AND rc.room_id = r.room_id
                                                  AND rc.receipt_type IN ('m.read', 'm.read.private') AND rc.thread_id IN ('', 'main')),
                                              ${membershipOrderingSql(user, 'r.room_id')}, 0)
       ) scan ON true`;
}

const UNREAD_COUNTS_FOR_ROOMS_SQL = prepared(unreadCountsSql('$1', '(SELECT unnest($2::text[]) AS room_id)', '$3'));

/** Per room, unreadCountsSql's counts. One statement for all rooms: /sync asks for every room of its answer. */
export async function unreadCountsForRooms(db: Queryable, userId: string, roomIds: readonly string[], upTo: number): Promise<Map<string, UnreadCounts>> {
  if (roomIds.length === 0) return new Map();
  const { rows } = await db.query<{ room_id: string; notify: number; highlight: number }>(
    UNREAD_COUNTS_FOR_ROOMS_SQL,
    [userId, [...new Set(roomIds)], upTo],
  );
  return new Map(rows.map((row) => [row.room_id, { notificationCount: row.notify, highlightCount: row.highlight }]));
}
