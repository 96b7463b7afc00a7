// Reads an initial /sync makes for every room of its answer, one statement per kind for all the
// rooms (issue 14): the newest page of each room's timeline, the entries of state groups, the
// rooms' versions. The single-room reads (getRoomEvents, getStateGroupIds, getRoom) answer the
// same for one room; the sync role batches the rooms asking within one turn of the event loop.
import type { Queryable } from '../database.ts';
import { prepared } from '../prepared.ts';
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

/**
 * Per room, what getRoomEvents(db, room, { ...options, direction: 'b' }) answers: the newest
 * `limit` timeline events at or below `from` (newest first) and whether more precede them.
 */
export async function latestRoomPages(db: Queryable, roomIds: readonly string[], options: LatestPagesOptions): Promise<Map<string, { events: StoredEvent[]; limited: boolean }>> {
  const pages = new Map<string, { events: StoredEvent[]; limited: boolean }>();
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
  const sql = `SELECT r.room_id AS page_room, page.* FROM unnest($1::text[]) AS r(room_id)
       CROSS JOIN LATERAL (SELECT ${EVENT_COLUMNS} FROM events e WHERE ${clauses.join(' AND ')} ORDER BY e.stream_ordering DESC LIMIT $${params.length}) page`;
  // Every woken long-poll's room reads one: prepared, unless a filter made the text its own.
  const { rows } = await db.query<EventRow & { page_room: string }>(clauses.length === fixed ? prepared(sql) : sql, params);
  const byRoom = new Map<string, StoredEvent[]>();
  for (const row of rows) {
    const list = byRoom.get(row.page_room) ?? [];
    list.push(toStoredEvent(row));
    byRoom.set(row.page_room, list);
  }
  for (const roomId of roomIds) {
    const events = (byRoom.get(roomId) ?? []).sort((a, b) => b.streamOrdering - a.streamOrdering);
    pages.set(roomId, { events: events.slice(0, options.limit), limited: events.length > options.limit });
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
