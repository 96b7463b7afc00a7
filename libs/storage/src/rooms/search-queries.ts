// Full-text search over room events (POST /search) with PostgreSQL's text search, which PGlite
// has too: one `event_search` row per searchable string (Synapse's keys: content.body of
// m.room.message, content.name of m.room.name, content.topic of m.room.topic) with its English
// tsvector, written in the persister's group commit. Queries use websearch_to_tsquery (quoted
// phrases, `or`, `-word`), as Synapse does on PostgreSQL, and join `events` so that rejected and
// redacted events never match.
import { runCombinedWrites, type WritePart } from '../combined-writes.ts';
import type { Queryable } from '../database.ts';
import { prepared } from '../prepared.ts';
import { appendFilterSql, type RoomEventFilterSql } from './event-filter-sql.ts';

/** The searchable keys, and which event type carries each. */
export const SEARCH_KEYS: Readonly<Record<string, { readonly type: string; readonly field: string }>> = {
  'content.body': { type: 'm.room.message', field: 'body' },
  'content.name': { type: 'm.room.name', field: 'name' },
  'content.topic': { type: 'm.room.topic', field: 'topic' },
};

/** An event as the persister has it, enough to index it. */
export interface SearchableEvent {
  readonly eventId: string;
  readonly roomId: string;
  readonly type: string;
  readonly content: Readonly<Record<string, unknown>>;
  readonly streamOrdering: number;
  readonly originServerTs: number;
}

/** PostgreSQL text cannot hold NUL; Synapse replaces it with a space too. */
function clean(value: string): string {
  return value.replaceAll('\u0000', ' ');
}

/** Indexes the searchable strings of `events` (others are skipped). Run inside the commit that stores them. */
export async function insertSearchEntries(tx: Queryable, events: readonly SearchableEvent[]): Promise<void> {
  await runCombinedWrites(tx, searchEntryWrites(events));
}

/** insertSearchEntries as parts of a combined statement (none when nothing is searchable). */
export function searchEntryWrites(events: readonly SearchableEvent[]): WritePart[] {
  const rows: Array<[string, string, string, string, number, number]> = [];
  for (const event of events) {
    for (const [key, { type, field }] of Object.entries(SEARCH_KEYS)) {
      const value = event.content[field];
      if (event.type === type && typeof value === 'string' && value !== '') {
        rows.push([event.eventId, event.roomId, key, clean(value), event.streamOrdering, event.originServerTs]);
      }
    }
  }
  if (rows.length === 0) return [];
  return [{
    sql: prepared(`INSERT INTO event_search (event_id, room_id, key, vector, stream_ordering, origin_server_ts)
     SELECT i, r, k, to_tsvector('english', v), s, t FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int8[], $6::int8[]) AS x(i, r, k, v, s, t)
     ON CONFLICT DO NOTHING`),
    params: [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3]), rows.map((r) => r[4]), rows.map((r) => r[5])],
  }];
}

/** A room to search in; events after `maxPosition` (e.g. after the user left) are left out. */
export interface SearchRoom {
  readonly roomId: string;
  /** Default: no bound. */
  readonly maxPosition?: number;
}

export interface SearchEventsOptions {
  /** The user's query, in websearch_to_tsquery syntax. */
  readonly term: string;
  /** Keys of SEARCH_KEYS to match. Default: all. */
  readonly keys?: readonly string[];
  readonly rooms: readonly SearchRoom[];
  /** SQL-answerable part of the request's RoomEventFilter. Default: none. */
  readonly filter?: RoomEventFilterSql;
  /** 'rank' (best match first) or 'recent' (newest first). Default: 'rank'. */
  readonly orderBy?: 'rank' | 'recent';
  /** Resume after this hit (the last one of the previous page). Default: from the start. */
  readonly after?: SearchCursor;
  /** At most this many hits. Default: 10. */
  readonly limit?: number;
}

/** Where a page of hits stopped: `recent` pages by (origin_server_ts, stream_ordering), `rank` by offset. */
export type SearchCursor = { readonly kind: 'recent'; readonly ts: number; readonly stream: number } | { readonly kind: 'rank'; readonly offset: number };

export interface SearchHit {
  readonly eventId: string;
  readonly roomId: string;
  readonly rank: number;
  readonly originServerTs: number;
  readonly streamOrdering: number;
  /** Resume token for the hits after this one. */
  readonly cursor: SearchCursor;
}

/** The FROM/WHERE shared by the hits query and the count. */
function matchSql(options: SearchEventsOptions, params: unknown[]): string {
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const query = `websearch_to_tsquery('english', ${param(options.term)})`;
  const clauses = [
    `s.vector @@ ${query}`,
    `s.key = ANY(${param([...(options.keys ?? Object.keys(SEARCH_KEYS))])}::text[])`,
    'e.rejected IS NULL',
    'e.redacted_by IS NULL',
  ];
  appendFilterSql(options.filter, clauses, params);
  const roomIds = param(options.rooms.map((r) => r.roomId));
  const bounds = param(options.rooms.map((r) => r.maxPosition ?? null));
  return `FROM event_search s
          JOIN unnest(${roomIds}::text[], ${bounds}::int8[]) AS b(room_id, max_position) ON b.room_id = s.room_id
          JOIN events e ON e.event_id = s.event_id
         WHERE (b.max_position IS NULL OR s.stream_ordering <= b.max_position) AND ${clauses.join(' AND ')}`;
}

/** Matching events in the given rooms, in the requested order. */
export async function searchEvents(db: Queryable, options: SearchEventsOptions): Promise<SearchHit[]> {
  if (options.rooms.length === 0) return [];
  const params: unknown[] = [];
  const from = matchSql(options, params);
  const limit = Math.max(0, options.limit ?? 10);
  const orderBy = options.orderBy ?? 'rank';
  let sql: string;
  if (orderBy === 'recent') {
    let page = '';
    if (options.after?.kind === 'recent') {
      params.push(options.after.ts, options.after.stream);
      const [ts, stream] = [`$${params.length - 1}`, `$${params.length}`];
      page = ` AND (s.origin_server_ts < ${ts} OR (s.origin_server_ts = ${ts} AND s.stream_ordering < ${stream}))`;
    }
    params.push(limit);
    sql = `SELECT s.event_id, s.room_id, ts_rank_cd(s.vector, websearch_to_tsquery('english', $1)) AS rank, s.origin_server_ts, s.stream_ordering
             ${from}${page}
            ORDER BY s.origin_server_ts DESC, s.stream_ordering DESC LIMIT $${params.length}`;
  } else {
    const offset = options.after?.kind === 'rank' ? options.after.offset : 0;
    params.push(limit, offset);
    sql = `SELECT s.event_id, s.room_id, ts_rank_cd(s.vector, websearch_to_tsquery('english', $1)) AS rank, s.origin_server_ts, s.stream_ordering
             ${from}
            ORDER BY rank DESC, s.stream_ordering DESC LIMIT $${params.length - 1} OFFSET $${params.length}`;
  }
  const { rows } = await db.query<{ event_id: string; room_id: string; rank: number; origin_server_ts: number; stream_ordering: number }>(sql, params);
  const offset = options.after?.kind === 'rank' ? options.after.offset : 0;
  return rows.map((row, index) => {
    const ts = Number(row.origin_server_ts);
    const stream = Number(row.stream_ordering);
    const cursor: SearchCursor = orderBy === 'recent' ? { kind: 'recent', ts, stream } : { kind: 'rank', offset: offset + index + 1 };
    return { eventId: row.event_id, roomId: row.room_id, rank: Number(row.rank), originServerTs: ts, streamOrdering: stream, cursor };
  });
}

/** How many events match (before per-event visibility checks: the spec's approximate `count`). */
export async function countSearchMatches(db: Queryable, options: Omit<SearchEventsOptions, 'orderBy' | 'after' | 'limit'>): Promise<number> {
  if (options.rooms.length === 0) return 0;
  const params: unknown[] = [];
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int8 AS n ${matchSql(options, params)}`, params);
  return Number(rows[0]?.n ?? 0);
}

/**
 * The words of `values` that match `term` (lower-cased), for clients to highlight: stemming
 * means "running" can match "runs". ts_headline marks them; the markers are chosen per value
 * so they never occur in the text itself.
 */
export async function searchHighlights(db: Queryable, term: string, values: readonly string[]): Promise<string[]> {
  const texts = values.map(clean).filter((v) => v !== '');
  if (texts.length === 0) return [];
  const marks = texts.map((text) => {
    let start = '<';
    let stop = '>';
    while (text.includes(start)) start += '<';
    while (text.includes(stop)) stop += '>';
    return [start, stop] as const;
  });
  const { rows } = await db.query<{ h: string; a: string; z: string }>(
    `SELECT ts_headline('english', v, websearch_to_tsquery('english', $1), 'StartSel=' || a || ', StopSel=' || z || ', MaxFragments=50') AS h, a, z
       FROM unnest($2::text[], $3::text[], $4::text[]) AS x(v, a, z)`,
    [term, texts, marks.map((m) => m[0]), marks.map((m) => m[1])],
  );
  const words = new Set<string>();
  for (const row of rows) {
    let at = row.h.indexOf(row.a);
    while (at !== -1) {
      const end = row.h.indexOf(row.z, at + row.a.length);
      if (end === -1) break;
      words.add(row.h.slice(at + row.a.length, end).toLowerCase());
      at = row.h.indexOf(row.a, end + row.z.length);
    }
  }
  return [...words];
}
