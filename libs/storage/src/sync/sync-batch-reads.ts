// Reads an initial /sync makes for every room of its answer, one statement per kind for all the
// rooms (issue 14): the newest page of each room's timeline, the entries of state groups, the
// rooms' versions. The single-room reads (getRoomEvents, getStateGroupIds, getRoom) answer the
// same for one room; the sync role batches the rooms asking within one turn of the event loop.
import type { Queryable } from '../database.ts';
import { prepared, preparedGeneric } from '../prepared.ts';
import { appendFilterSql, type RoomEventFilterSql } from '../rooms/event-filter-sql.ts';
import { EVENT_COLUMNS, toStoredEvent, type EventRow, type StoredEvent } from '../rooms/event-row.ts';
import type { StateEntry } from '../rooms/state-queries.ts';

export interface LatestPagesOptions {
  /** Newest position included. Required. */
  readonly from: number;
  /** Position excluded below. Default: unbounded. */
  readonly to?: number;
  /** Events per room. Required. */
  readonly limit: number;
  /** SQL-answerable part of a RoomEventFilter. Default: none. */
  readonly filter?: RoomEventFilterSql;
}

/** A client transaction ID an event was sent with (getTxnForEvents' values). */
export interface EventTxn {
  readonly userId: string;
  readonly deviceId: string;
  readonly txnId: string;
}

export interface LatestPage {
  readonly events: StoredEvent[];
  readonly limited: boolean;
  /**
   * The transaction IDs of the page's events sent with one (getTxnForEvents of its events):
   * read with the page, so the formatter's `transaction_id` for the reader's own events costs
   * no statement of its own.
   */
  readonly txns: Map<string, EventTxn>;
}

/**
 * Per room, what getRoomEvents(db, room, { ...options, direction: 'b' }) answers: the newest
 * `limit` timeline events at or below `from` (newest first) and whether more precede them.
 */
export async function latestRoomPages(db: Queryable, roomIds: readonly string[], options: LatestPagesOptions): Promise<Map<string, LatestPage>> {
  const pages = new Map<string, LatestPage>();
  if (roomIds.length === 0) return pages;
  const params: unknown[] = [[...new Set(roomIds)], options.from];
  const clauses = ['e.room_id = r.room_id', 'NOT e.outlier', 'NOT e.soft_failed', 'e.rejected IS NULL', 'e.stream_ordering <= $2'];
  if (options.to !== undefined) {
    params.push(options.to);
    clauses.push(`e.stream_ordering > $${params.length}`);
  }
  const fixed = clauses.length;
  appendFilterSql(options.filter, clauses, params);
  params.push(Math.max(0, options.limit) + 1);
  const sql = `SELECT r.room_id AS page_room, page.*, t.user_id AS txn_user, t.device_id AS txn_device, t.txn_id FROM unnest($1::text[]) AS r(room_id)
       CROSS JOIN LATERAL (SELECT ${EVENT_COLUMNS} FROM events e WHERE ${clauses.join(' AND ')} ORDER BY e.stream_ordering DESC LIMIT $${params.length}) page
       LEFT JOIN LATERAL (SELECT user_id, device_id, txn_id FROM event_txn_ids WHERE event_id = page.event_id LIMIT 1) t ON true`;
  // Every woken long-poll's room reads one: prepared, unless a filter made the text its own.
  // With `to` (an incremental sync, as every woken long-poll's), planned generically: a window
  // between two parameters is guessed narrow, so the generic plan is the backward scan of the
  // room's (room, stream) index a custom one picks (checked with EXPLAIN: rooms of 400,000 events
  // among 50,000 small ones). Without it (an initial sync), one bound alone is guessed to keep a
  // third of the room, and the generic plan read and sorted all of that.
  type Row = EventRow & { page_room: string; txn_user: string | null; txn_device: string | null; txn_id: string | null };
  const text = clauses.length !== fixed ? sql : options.to !== undefined ? preparedGeneric(sql) : prepared(sql);
  const { rows } = await db.query<Row>(text, params);
  const byRoom = new Map<string, StoredEvent[]>();
  const txns = new Map<string, EventTxn>();
  for (const row of rows) {
    const list = byRoom.get(row.page_room) ?? [];
    list.push(toStoredEvent(row));
    byRoom.set(row.page_room, list);
    if (row.txn_id !== null) txns.set(row.event_id, { userId: row.txn_user!, deviceId: row.txn_device!, txnId: row.txn_id });
  }
  for (const roomId of roomIds) {
    const events = (byRoom.get(roomId) ?? []).sort((a, b) => b.streamOrdering - a.streamOrdering);
    const kept = events.slice(0, options.limit);
    const pageTxns = new Map(kept.flatMap((e) => (txns.has(e.eventId) ? [[e.eventId, txns.get(e.eventId)!] as const] : [])));
    pages.set(roomId, { events: kept, limited: events.length > options.limit, txns: pageTxns });
  }
  return pages;
}

/** Per state group, getStateGroupIds' entries (the whole state, deltas resolved). */
export async function stateGroupsEntries(db: Queryable, groups: readonly number[]): Promise<Map<number, StateEntry[]>> {
  const out = new Map<number, StateEntry[]>();
  if (groups.length === 0) return out;
  const { rows } = await db.query<{ root: number; type: string; state_key: string; event_id: string }>(
    `WITH RECURSIVE chain(root, id, prev_group, n) AS (
       SELECT id, id, prev_group, 0 FROM state_groups WHERE id = ANY($1::int8[])
       UNION ALL
       SELECT c.root, g.id, g.prev_group, c.n + 1 FROM state_groups g JOIN chain c ON g.id = c.prev_group
     )
     SELECT DISTINCT ON (c.root, s.type, s.state_key) c.root, s.type, s.state_key, s.event_id
       FROM chain c JOIN state_group_entries s ON s.state_group = c.id
      ORDER BY c.root, s.type, s.state_key, c.n ASC`,
    [[...new Set(groups)]],
  );
  for (const group of groups) out.set(group, []);
  for (const row of rows) out.get(Number(row.root))?.push({ type: row.type, stateKey: row.state_key, eventId: row.event_id });
  return out;
}

/** The version of each known room among `roomIds`. */
export async function roomVersionsOf(db: Queryable, roomIds: readonly string[]): Promise<Map<string, string>> {
  if (roomIds.length === 0) return new Map();
  const { rows } = await db.query<{ room_id: string; room_version: string }>('SELECT room_id, room_version FROM rooms WHERE room_id = ANY($1::text[])', [[...new Set(roomIds)]]);
  return new Map(rows.map((row) => [row.room_id, row.room_version]));
}
