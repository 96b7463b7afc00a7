// Reading events: by ID, a room's timeline between two `events` stream positions, rooms with
// new events, the latest position, and relations.
//
// Position semantics (used by sync and /messages): a position p sits between the event at p
// and the next one. Forwards from p returns events with p < stream_ordering <= to, oldest
// first; backwards from p returns events with to < stream_ordering <= p, newest first. The
// token after a forward page is the last event's position; after a backward page it is the
// last event's position minus one.
import type { Database, Listening, Queryable } from '../database.ts';
import { appendFilterSql, type RoomEventFilterSql } from './event-filter-sql.ts';
import { EVENT_COLUMNS, toStoredEvent, type EventRow, type StoredEvent } from './event-row.ts';

/**
 * Calls `onRoom` with the room of every committed statement that deleted events of it (migration
 * 2002's trigger: history and room purges, replaced outliers) or redacted one (2165's: whether
 * the redaction entered the timeline or was backfilled), so caches of its events forget them.
 */
export function listenToRemovedEvents(db: Database, onRoom: (roomId: string) => void): Promise<Listening> {
  return db.listen('hs_events_removed', onRoom);
}

export async function getEvent(db: Queryable, eventId: string): Promise<StoredEvent | undefined> {
  const { rows } = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.event_id = $1`, [eventId]);
  return rows[0] ? toStoredEvent(rows[0]) : undefined;
}

/** Events by ID (missing ones are absent from the map). */
export async function getEvents(db: Queryable, eventIds: readonly string[]): Promise<Map<string, StoredEvent>> {
  if (eventIds.length === 0) return new Map();
  const { rows } = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.event_id = ANY($1::text[])`, [[...eventIds]]);
  return new Map(rows.map((row) => [row.event_id, toStoredEvent(row)]));
}

export interface RoomEventsOptions {
  /** Start position (exclusive forwards, inclusive backwards). Required. */
  readonly from: number;
  /** End position (inclusive forwards, exclusive backwards). Default: unbounded. */
  readonly to?: number;
  /** 'f' oldest first, 'b' newest first. Default: 'b'. */
  readonly direction?: 'f' | 'b';
  /** At most this many events. Default: 10. */
  readonly limit?: number;
  /** SQL-answerable part of a RoomEventFilter. Default: none. */
  readonly filter?: RoomEventFilterSql;
  /** Include rejected events. Default: false. */
  readonly includeRejected?: boolean;
}

export interface RoomEventsPage {
  readonly events: StoredEvent[];
  /** Where the next page in the same direction starts. */
  readonly next: number;
  /** true when the page stopped at `limit` (more may follow). */
  readonly limited: boolean;
}

/** A room's events between two stream positions, with a filter hook. */
export async function getRoomEvents(db: Queryable, roomId: string, options: RoomEventsOptions): Promise<RoomEventsPage> {
  const direction = options.direction ?? 'b';
  const limit = Math.max(0, options.limit ?? 10);
  const params: unknown[] = [roomId, options.from];
  const clauses = ['e.room_id = $1', 'NOT e.outlier', 'NOT e.soft_failed'];
  if (!options.includeRejected) clauses.push('e.rejected IS NULL');
  if (direction === 'f') {
    clauses.push('e.stream_ordering > $2');
    if (options.to !== undefined) {
      params.push(options.to);
      clauses.push(`e.stream_ordering <= $${params.length}`);
    }
  } else {
    clauses.push('e.stream_ordering <= $2');
    if (options.to !== undefined) {
      params.push(options.to);
      clauses.push(`e.stream_ordering > $${params.length}`);
    }
  }
  appendFilterSql(options.filter, clauses, params);
  params.push(limit + 1);
  const order = direction === 'f' ? 'ASC' : 'DESC';
  const { rows } = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events e WHERE ${clauses.join(' AND ')} ORDER BY e.stream_ordering ${order} LIMIT $${params.length}`,
    params,
  );
  const limited = rows.length > limit;
  const events = rows.slice(0, limit).map(toStoredEvent);
  const last = events.at(-1);
  let next: number;
  if (!last) next = direction === 'f' ? (options.to ?? options.from) : (options.to ?? 0);
  else next = direction === 'f' ? last.streamOrdering : last.streamOrdering - 1;
  if (!limited && options.to !== undefined) next = options.to;
  return { events, next, limited };
}

/** Rooms among `roomIds` with at least one event in (from, to]. */
export async function getRoomsWithEventsBetween(db: Queryable, roomIds: readonly string[], range: { from: number; to: number }): Promise<Set<string>> {
  return new Set((await getRoomActivityBetween(db, roomIds, range)).keys());
}

/**
 * The rooms among `roomIds` with events in (from, to], each saying whether one of those is an
 * m.room.member event (sync uses that to know device lists cannot have changed by membership).
 */
export async function getRoomActivityBetween(db: Queryable, roomIds: readonly string[], range: { from: number; to: number }): Promise<Map<string, { memberEvents: boolean }>> {
  if (roomIds.length === 0) return new Map();
  const { rows } = await db.query<{ room_id: string; member_events: boolean }>(
    `SELECT room_id, bool_or(type = 'm.room.member') AS member_events FROM events
      WHERE room_id = ANY($1::text[]) AND stream_ordering > $2 AND stream_ordering <= $3 GROUP BY room_id`,
    [[...roomIds], range.from, range.to],
  );
  return new Map(rows.map((row) => [row.room_id, { memberEvents: row.member_events }]));
}

/** The highest `events` stream position persisted (0 when there are no events). */
export async function getLatestEventStreamPosition(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ max: number | null }>('SELECT max(stream_ordering) AS max FROM events');
  return Number(rows[0]?.max ?? 0);
}

/** The latest event of a room at or before `position` (default: now). */
export async function getLastRoomEvent(db: Queryable, roomId: string, options: { atPosition?: number } = {}): Promise<StoredEvent | undefined> {
  const params: unknown[] = [roomId];
  let bound = '';
  if (options.atPosition !== undefined) {
    params.push(options.atPosition);
    bound = 'AND e.stream_ordering <= $2';
  }
  const { rows } = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.room_id = $1 AND NOT e.outlier AND NOT e.soft_failed AND e.rejected IS NULL ${bound} ORDER BY e.stream_ordering DESC LIMIT 1`,
    params,
  );
  return rows[0] ? toStoredEvent(rows[0]) : undefined;
}

/** The event of a room closest to `ts`: first at/after it ('f') or last at/before it ('b'). */
export async function getEventNearTimestamp(db: Queryable, roomId: string, options: { ts: number; direction: 'f' | 'b' }): Promise<StoredEvent | undefined> {
  const forward = options.direction === 'f';
  const { rows } = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.room_id = $1 AND NOT e.outlier AND NOT e.soft_failed AND e.rejected IS NULL
       AND e.origin_server_ts ${forward ? '>=' : '<='} $2
     ORDER BY e.origin_server_ts ${forward ? 'ASC' : 'DESC'}, e.stream_ordering ${forward ? 'ASC' : 'DESC'} LIMIT 1`,
    [roomId, options.ts],
  );
  return rows[0] ? toStoredEvent(rows[0]) : undefined;
}

export interface RelationsOptions {
  readonly relType?: string;
  readonly eventType?: string;
  /** Stream position bound (see file header); default: from the newest. */
  readonly from?: number;
  readonly to?: number;
  /** Default: 'b'. */
  readonly direction?: 'f' | 'b';
  /** Default: 10. */
  readonly limit?: number;
}

/** Events relating to `eventId` (via event_relations), paginated by stream position. */
export async function getRelatedEvents(db: Queryable, eventId: string, options: RelationsOptions = {}): Promise<RoomEventsPage> {
  const direction = options.direction ?? 'b';
  const limit = Math.max(0, options.limit ?? 10);
  const params: unknown[] = [eventId];
  const clauses = ['r.relates_to_id = $1', 'e.rejected IS NULL'];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    clauses.push(sql.replace('?', `$${params.length}`));
  };
  if (options.relType !== undefined) add('r.rel_type = ?', options.relType);
  if (options.eventType !== undefined) add('e.type = ?', options.eventType);
  if (direction === 'f') {
    if (options.from !== undefined) add('e.stream_ordering > ?', options.from);
    if (options.to !== undefined) add('e.stream_ordering <= ?', options.to);
  } else {
    if (options.from !== undefined) add('e.stream_ordering <= ?', options.from);
    if (options.to !== undefined) add('e.stream_ordering > ?', options.to);
  }
  params.push(limit + 1);
  const { rows } = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM event_relations r JOIN events e ON e.event_id = r.event_id
     WHERE ${clauses.join(' AND ')} ORDER BY e.stream_ordering ${direction === 'f' ? 'ASC' : 'DESC'} LIMIT $${params.length}`,
    params,
  );
  const limited = rows.length > limit;
  const events = rows.slice(0, limit).map(toStoredEvent);
  const last = events.at(-1);
  const next = last ? (direction === 'f' ? last.streamOrdering : last.streamOrdering - 1) : 0;
  return { events, next, limited };
}

/** Thread roots of a room (events with at least one m.thread relation), newest activity first. */
export async function getThreadRoots(
  db: Queryable,
  roomId: string,
  options: { limit?: number; before?: number; participant?: string } = {},
): Promise<{ roots: Array<{ event: StoredEvent; latest: number; count: number }>; next: number | undefined }> {
  const limit = options.limit ?? 10;
  const params: unknown[] = [roomId, options.before ?? Number.MAX_SAFE_INTEGER, limit + 1];
  let having = 'max(t.stream_ordering) <= $2';
  if (options.participant !== undefined) {
    params.push(options.participant);
    having += ' AND (bool_or(t.sender = $4) OR (SELECT sender FROM events WHERE event_id = r.relates_to_id) = $4)';
  }
  const { rows } = await db.query<{ root: string; latest: number; count: number }>(
    `SELECT r.relates_to_id AS root, max(t.stream_ordering) AS latest, count(*)::int8 AS count
       FROM event_relations r JOIN events t ON t.event_id = r.event_id
      WHERE r.room_id = $1 AND r.rel_type = 'm.thread' AND t.rejected IS NULL
      GROUP BY r.relates_to_id HAVING ${having}
      ORDER BY latest DESC LIMIT $3`,
    params,
  );
  const page = rows.slice(0, limit);
  const events = await getEvents(db, page.map((row) => row.root));
  const roots = page.flatMap((row) => {
    const event = events.get(row.root);
    return event ? [{ event, latest: Number(row.latest), count: Number(row.count) }] : [];
  });
  const last = page.at(-1);
  return { roots, next: rows.length > limit && last ? Number(last.latest) - 1 : undefined };
}

/** A row of the `events` replication stream: enough for readers to decide whom to wake. */
export interface EventStreamRow {
  readonly eventId: string;
  readonly roomId: string;
  readonly type: string;
  readonly stateKey: string | undefined;
  readonly sender: string;
  /** For m.room.member events: the new membership. */
  readonly membership: string | undefined;
}

/**
 * The views of the `events` stream: `federation` and `push` are the persister's decisions (the
 * events table's stream_views bits, migration 2140); `leaves` follows from the row itself (member
 * events whose membership is leave or ban).
 */
export type EventStreamView = 'federation' | 'push' | 'leaves';

const EVENT_VIEW_BITS: Readonly<Record<Exclude<EventStreamView, 'leaves'>, number>> = { federation: 1, push: 2 };

/** The SQL condition (on events e LEFT JOIN room_memberships m) of each view; a literal bit matches its partial index. */
const VIEW_CONDITIONS: Readonly<Record<EventStreamView, string>> = {
  federation: `(e.stream_views & ${EVENT_VIEW_BITS.federation}) <> 0`,
  push: `(e.stream_views & ${EVENT_VIEW_BITS.push}) <> 0`,
  leaves: `e.type = 'm.room.member' AND m.membership IN ('leave', 'ban')`,
};

/** The bits of an event in every view (the column's default: consumers decide as without views). */
export const EVERY_EVENT_STREAM_VIEW = 3;

/** The stream_views bits of these views. */
export function eventStreamViewBits(views: readonly EventStreamView[]): number {
  return views.reduce((bits, view) => (view === 'leaves' ? bits : bits | EVENT_VIEW_BITS[view]), 0);
}

/** The `events` stream catch-up call: rows of `writer` with from < position <= to (of `view` only, when given). */
export async function fetchEventStreamRows(
  db: Queryable,
  range: { writer: string; from: number; to: number; limit: number },
  view?: EventStreamView,
): Promise<Array<{ position: number; data: EventStreamRow }>> {
  const inView = view === undefined ? '' : ` AND ${VIEW_CONDITIONS[view]}`;
  const { rows } = await db.query<{ event_id: string; room_id: string; type: string; state_key: string | null; sender: string; stream_ordering: number; membership: string | null }>(
    `SELECT e.event_id, e.room_id, e.type, e.state_key, e.sender, e.stream_ordering, m.membership
       FROM events e LEFT JOIN room_memberships m ON m.event_id = e.event_id
      WHERE e.instance_name = $1 AND e.stream_ordering > $2 AND e.stream_ordering <= $3${inView}
      ORDER BY e.stream_ordering ASC LIMIT $4`,
    [range.writer, range.from, range.to, range.limit],
  );
  return rows.map((row) => ({
    position: Number(row.stream_ordering),
    data: { eventId: row.event_id, roomId: row.room_id, type: row.type, stateKey: row.state_key ?? undefined, sender: row.sender, membership: row.membership ?? undefined },
  }));
}
