// Reads and writes of the inbound federation role (libs/roles/federation-reader): received
// transactions (migration 1820), and the walks of a room's DAG that /backfill,
// /get_missing_events and make_join need. Events stored behind the timeline as rejected are
// never handed to other servers; outliers and soft-failed events are part of the DAG and are.
import type { Queryable } from '../database.ts';
import { EVENT_COLUMNS, toStoredEvent, type EventRow, type StoredEvent } from '../rooms/event-row.ts';

/** The answer first given to (origin, txnId), or undefined when it was not received before. */
export async function getInboundTxnResponse(db: Queryable, origin: string, txnId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ response_json: string }>('SELECT response_json FROM federation_inbound_txns WHERE origin = $1 AND txn_id = $2', [origin, txnId]);
  return rows[0]?.response_json;
}

/** Records the answer to (origin, txnId); a concurrent duplicate keeps the first. */
export async function recordInboundTxn(db: Queryable, txn: { origin: string; txnId: string; responseJson: string; receivedTs: number }): Promise<void> {
  await db.query('INSERT INTO federation_inbound_txns (origin, txn_id, response_json, received_ts) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [
    txn.origin,
    txn.txnId,
    txn.responseJson,
    txn.receivedTs,
  ]);
}

/** Forgets transactions received before `beforeTs` (Synapse keeps them a day). */
export async function pruneInboundTxns(db: Queryable, beforeTs: number): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM federation_inbound_txns WHERE received_ts < $1', [beforeTs]);
  return rowCount ?? 0;
}

/** The room's forward extremities with their depths, deepest first. */
export async function getForwardExtremities(db: Queryable, roomId: string): Promise<Array<{ eventId: string; depth: number }>> {
  const { rows } = await db.query<{ event_id: string; depth: number }>(
    `SELECT x.event_id, e.depth FROM event_forward_extremities x JOIN events e ON e.event_id = x.event_id
      WHERE x.room_id = $1 ORDER BY e.depth DESC, x.event_id`,
    [roomId],
  );
  return rows.map((row) => ({ eventId: row.event_id, depth: Number(row.depth) }));
}

/** Events of `roomId` by ID, rejected ones left out (they are never served to other servers). */
export async function getServableEvents(db: Queryable, roomId: string, eventIds: readonly string[]): Promise<StoredEvent[]> {
  if (eventIds.length === 0) return [];
  const { rows } = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.event_id = ANY($1::text[]) AND e.room_id = $2 AND e.rejected IS NULL`, [
    [...eventIds],
    roomId,
  ]);
  return rows.map(toStoredEvent);
}

/**
 * Up to `limit` events walking prev_events backwards from `fromIds` (included), breadth first,
 * deepest first at each step: what /backfill serves (Synapse's order).
 */
export async function getBackfillEvents(db: Queryable, roomId: string, fromIds: readonly string[], limit: number): Promise<StoredEvent[]> {
  if (fromIds.length === 0 || limit <= 0) return [];
  const { rows } = await db.query<EventRow>(
    `WITH RECURSIVE walk(event_id, n) AS (
       SELECT event_id, 0 FROM events WHERE event_id = ANY($1::text[]) AND room_id = $2
       UNION
       SELECT g.prev_event_id, w.n + 1 FROM walk w JOIN event_edges g ON g.event_id = w.event_id WHERE w.n < $3
     ), nearest AS (SELECT event_id, min(n) AS n FROM walk GROUP BY event_id)
     SELECT ${EVENT_COLUMNS} FROM nearest w JOIN events e ON e.event_id = w.event_id
      WHERE e.room_id = $2 AND e.rejected IS NULL
      ORDER BY w.n ASC, e.depth DESC, e.stream_ordering DESC LIMIT $3`,
    [[...fromIds], roomId, limit],
  );
  return rows.map(toStoredEvent);
}

export interface MissingEventsQuery {
  /** Events the requester has: the walk stops there. */
  readonly earliest: readonly string[];
  /** Events the requester is missing the ancestors of (not included). */
  readonly latest: readonly string[];
  readonly limit: number;
  /** Events shallower than this are not walked. */
  readonly minDepth: number;
}

/**
 * The ancestors of `latest` down to `earliest` (both excluded), breadth first, at most `limit`,
 * returned oldest first: what /get_missing_events serves (Synapse's walk).
 */
export async function getMissingEvents(db: Queryable, roomId: string, query: MissingEventsQuery): Promise<StoredEvent[]> {
  if (query.latest.length === 0 || query.limit <= 0) return [];
  const { rows } = await db.query<EventRow>(
    `WITH RECURSIVE walk(event_id, n) AS (
       SELECT g.prev_event_id, 1 FROM event_edges g WHERE g.event_id = ANY($1::text[]) AND NOT (g.prev_event_id = ANY($2::text[]))
       UNION
       SELECT g.prev_event_id, w.n + 1 FROM walk w
         JOIN events e ON e.event_id = w.event_id AND e.depth >= $4
         JOIN event_edges g ON g.event_id = w.event_id
        WHERE NOT (g.prev_event_id = ANY($2::text[])) AND w.n < $3
     ), nearest AS (SELECT event_id, min(n) AS n FROM walk GROUP BY event_id)
     SELECT ${EVENT_COLUMNS} FROM nearest w JOIN events e ON e.event_id = w.event_id
      WHERE e.room_id = $5 AND e.rejected IS NULL AND e.depth >= $4 AND NOT (e.event_id = ANY($1::text[]))
      ORDER BY w.n ASC, e.depth DESC LIMIT $3`,
    [[...query.latest], [...query.earliest], query.limit, query.minDepth, roomId],
  );
  return rows.map(toStoredEvent).reverse();
}

/** Servers with at least one joined member in the room's current state. */
export async function getJoinedServers(db: Queryable, roomId: string): Promise<string[]> {
  const { rows } = await db.query<{ server: string }>(
    `SELECT DISTINCT substring(state_key from position(':' in state_key) + 1) AS server FROM current_state_events
      WHERE room_id = $1 AND type = 'm.room.member' AND membership = 'join' ORDER BY server`,
    [roomId],
  );
  return rows.map((row) => row.server);
}
