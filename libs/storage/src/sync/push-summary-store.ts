// event_push_summary (migration 2000): each user's unread counts per room, kept where push
// actions are stored and where a read receipt moves, so /sync reads them by key instead of
// counting the actions since the receipt on every answer.
//
// Concurrency: both writers lock the summary row before they count against it. Storing actions
// adds them under the row's lock to the counts above the receipt the row holds then (PostgreSQL
// re-reads a row another transaction changed before updating it); moving a receipt locks the
// row first and counts in a later statement, which sees every action committed before it.
import type { WritePart } from '../combined-writes.ts';
import type { Queryable } from '../database.ts';
import { prepared } from '../prepared.ts';

/**
 * SQL scalar: the ordering of the user's latest membership event in the room (NULL without one).
 * Where the user has no read receipt, their counts start there, as Synapse's do: an invite's own
 * push (or anything before a join) is not unread once they joined.
 */
export function membershipOrderingSql(user: string, room: string): string {
  return `(SELECT max(m.stream_ordering) FROM room_memberships m WHERE m.room_id = ${room} AND m.user_id = ${user})`;
}

/**
 * SQL: the ordering a user's counts in a room start after — the newest of their read receipts
 * (public or private, unthreaded or main thread); without one, their latest membership event's
 * (membershipOrderingSql); 0 without either; NULL when a receipt names an event whose ordering
 * is not known (then the counts are scanned by the reader). The summary keeps it as
 * receipt_ordering.
 */
export function countsStartSql(user: string, room: string): string {
  return `SELECT CASE WHEN bool_or(COALESCE(rc.event_stream_ordering, e.stream_ordering) IS NULL) THEN NULL
                      ELSE COALESCE(max(COALESCE(rc.event_stream_ordering, e.stream_ordering)), ${membershipOrderingSql(user, room)}, 0) END AS ordering
            FROM receipts rc LEFT JOIN events e ON e.event_id = rc.event_id
           WHERE rc.user_id = ${user} AND rc.room_id = ${room} AND rc.receipt_type IN ('m.read', 'm.read.private')
             AND rc.thread_id IN ('', 'main')`;
}

/** The receipt types and threads whose move changes the counts (countsStartSql's). */
export function movesUnreadCounts(receiptType: string, threadId: string | undefined): boolean {
  return (receiptType === 'm.read' || receiptType === 'm.read.private') && (threadId === undefined || threadId === '' || threadId === 'main');
}

export interface UserRoom {
  readonly userId: string;
  readonly roomId: string;
}

/**
 * Recounts the summaries of these (user, room) pairs from the actions after each one's start
 * (countsStartSql), creating the rows that are missing unless `createMissing` is false (a pair
 * without a row has no actions stored: it counts 0 until its first action creates the row).
 * Run inside the transaction that moved the receipt (or removed actions, or stored a membership
 * event): the row is locked first, so actions stored concurrently are either seen by the count
 * or added by their own transaction against the new start.
 */
export async function refreshPushSummaries(tx: Queryable, pairs: readonly UserRoom[], options: { createMissing?: boolean } = {}): Promise<void> {
  if (pairs.length === 0) return;
  const users = pairs.map((p) => p.userId);
  const rooms = pairs.map((p) => p.roomId);
  if (options.createMissing !== false)
    await tx.query(
    `INSERT INTO event_push_summary (user_id, room_id, receipt_ordering, notify_count, highlight_count, last_ordering)
     SELECT DISTINCT u, r, NULL::int8, 0, 0, 0 FROM unnest($1::text[], $2::text[]) AS x(u, r)
     ON CONFLICT (user_id, room_id) DO UPDATE SET receipt_ordering = event_push_summary.receipt_ordering`,
    [users, rooms],
  );
  await tx.query(
    `UPDATE event_push_summary s
        SET receipt_ordering = counted.ordering, notify_count = counted.notify, highlight_count = counted.highlight, last_ordering = counted.last
       FROM (
         SELECT x.u, x.r, receipt.ordering, c.notify, c.highlight, c.last
           FROM (SELECT DISTINCT u, r FROM unnest($1::text[], $2::text[]) AS x(u, r)) x
           CROSS JOIN LATERAL (${countsStartSql('x.u', 'x.r')}) receipt
           CROSS JOIN LATERAL (
             SELECT count(*) FILTER (WHERE p.notify)::int AS notify, count(*) FILTER (WHERE p.highlight)::int AS highlight,
                    COALESCE(max(p.stream_ordering), 0) AS last
               FROM event_push_actions p
              WHERE p.user_id = x.u AND p.room_id = x.r AND p.stream_ordering > COALESCE(receipt.ordering, 0)
           ) c
       ) counted
      WHERE s.user_id = counted.u AND s.room_id = counted.r`,
    [users, rooms],
  );
}

/** Recounts every summary of a room (its history was purged: actions went with the events). */
export async function refreshRoomPushSummaries(tx: Queryable, roomId: string): Promise<void> {
  const { rows } = await tx.query<{ user_id: string }>('SELECT user_id FROM event_push_summary WHERE room_id = $1', [roomId]);
  await refreshPushSummaries(
    tx,
    rows.map((row) => ({ userId: row.user_id, roomId })),
  );
}

/**
 * Parts of one combined statement (combined-writes.ts): add the actions a part named `inserted`
 * returned (user_id, room_id, stream_ordering, notify, highlight) to their summaries, above each
 * summary's receipt; create the summaries missing (counting above the receipt read now).
 * RACED_SUMMARIES_SQL then selects the pairs they could do neither for.
 */
export const ADD_TO_SUMMARIES_PARTS: readonly WritePart[] = [
  {
    name: 'added',
    sql: prepared(`SELECT user_id, room_id, array_agg(stream_ordering) FILTER (WHERE notify) AS notifying,
              array_agg(stream_ordering) FILTER (WHERE highlight) AS highlighting, max(stream_ordering) AS last
         FROM inserted GROUP BY user_id, room_id`),
    params: [],
  },
  {
    name: 'updated',
    sql: prepared(`UPDATE event_push_summary s
          SET notify_count = s.notify_count + (SELECT count(*) FROM unnest(a.notifying) o WHERE o > s.receipt_ordering),
              highlight_count = s.highlight_count + (SELECT count(*) FROM unnest(a.highlighting) o WHERE o > s.receipt_ordering),
              last_ordering = greatest(s.last_ordering, a.last)
         FROM added a
        WHERE s.user_id = a.user_id AND s.room_id = a.room_id
       RETURNING s.user_id, s.room_id`),
    params: [],
  },
  {
    name: 'created',
    sql: prepared(`INSERT INTO event_push_summary (user_id, room_id, receipt_ordering, notify_count, highlight_count, last_ordering)
       SELECT a.user_id, a.room_id, receipt.ordering,
              (SELECT count(*) FROM unnest(a.notifying) o WHERE o > COALESCE(receipt.ordering, 0)),
              (SELECT count(*) FROM unnest(a.highlighting) o WHERE o > COALESCE(receipt.ordering, 0)), a.last
         FROM added a CROSS JOIN LATERAL (${countsStartSql('a.user_id', 'a.room_id')}) receipt
        WHERE NOT EXISTS (SELECT 1 FROM event_push_summary s WHERE s.user_id = a.user_id AND s.room_id = a.room_id)
       ON CONFLICT (user_id, room_id) DO NOTHING
       RETURNING user_id, room_id`),
    params: [],
  },
];

/**
 * SQL over ADD_TO_SUMMARIES_PARTS: the pairs (user_id, room_id) they could neither add to nor
 * create (another transaction created the row meanwhile): recount those with refreshPushSummaries.
 */
export const RACED_SUMMARIES_SQL = prepared(`SELECT a.user_id, a.room_id FROM added a
      WHERE NOT EXISTS (SELECT 1 FROM updated u WHERE u.user_id = a.user_id AND u.room_id = a.room_id)
        AND NOT EXISTS (SELECT 1 FROM created c WHERE c.user_id = a.user_id AND c.room_id = a.room_id)`);
