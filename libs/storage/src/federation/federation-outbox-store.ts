// The federation sender's per-destination queues (migration 1840_federation_sender.sql): PDUs
// and EDUs owed to each destination, the one transaction in flight per destination, and the
// destination's retry state.
import type { Database, Queryable } from '../database.ts';

export interface OutboxPdu {
  readonly destination: string;
  readonly eventId: string;
  readonly roomId: string;
  readonly streamOrdering: number;
}

export interface OutboxEdu {
  readonly destination: string;
  readonly eduType: string;
  readonly content: Record<string, unknown>;
  /** An unsent EDU with the same key for the destination is replaced (only the latest matters). */
  readonly coalesceKey?: string;
}

/** A transaction built for a destination: sent as is (same ID, same contents) until it is answered. */
export interface ClaimedTxn {
  readonly txnId: string;
  /** Oldest first, each the full PDU as stored. */
  readonly pdus: readonly { readonly eventId: string; readonly streamOrdering: number; readonly pdu: Record<string, unknown> }[];
  readonly edus: readonly { readonly edu_type: string; readonly content: Record<string, unknown> }[];
  /** True when the transaction was built earlier and is being resent. */
  readonly resent: boolean;
}

export interface ClaimTxnOptions {
  /** Required. */
  readonly now: number;
  /** Default: 50 (the spec's limit). */
  readonly maxPdus?: number;
  /** Default: 100 (the spec's limit). */
  readonly maxEdus?: number;
  /**
   * Catch-up after the destination was unreachable: keep only the newest queued PDU of each room
   * (the destination fetches the gap with /get_missing_events) and drop queued typing. Default: false.
   */
  readonly catchUp?: boolean;
}

export interface DestinationRetry {
  readonly retryLastTs: number;
  readonly retryInterval: number;
  readonly failureTs: number | undefined;
  readonly lastSuccessfulStreamOrdering: number | undefined;
}

/** Queues PDUs (a PDU already queued for a destination stays queued once). */
export async function enqueueFederationPdus(tx: Queryable, rows: readonly OutboxPdu[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO federation_outbox_pdus (destination, event_id, room_id, stream_ordering)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[])
     ON CONFLICT (destination, event_id) DO NOTHING`,
    [rows.map((r) => r.destination), rows.map((r) => r.eventId), rows.map((r) => r.roomId), rows.map((r) => r.streamOrdering)],
  );
}

/** Queues EDUs; one with a coalesce key replaces the unsent EDU of that key. */
export async function enqueueFederationEdus(tx: Queryable, rows: readonly OutboxEdu[]): Promise<void> {
  if (rows.length === 0) return;
  // One statement cannot update a row twice: among rows of one key, the last wins.
  const byKey = new Map<string, OutboxEdu>();
  const plain: OutboxEdu[] = [];
  for (const row of rows) {
    if (row.coalesceKey === undefined) plain.push(row);
    else byKey.set(`${row.destination}\u0000${row.coalesceKey}`, row);
  }
  const all = [...plain, ...byKey.values()];
  await tx.query(
    `INSERT INTO federation_outbox_edus (destination, edu_type, content, coalesce_key)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
     ON CONFLICT (destination, coalesce_key) WHERE coalesce_key IS NOT NULL AND txn_id IS NULL
     DO UPDATE SET edu_type = excluded.edu_type, content = excluded.content`,
    [all.map((r) => r.destination), all.map((r) => r.eduType), all.map((r) => JSON.stringify(r.content)), all.map((r) => r.coalesceKey ?? null)],
  );
}

/**
 * The destination's transaction in flight, or a new one built from the oldest queued PDUs and
 * EDUs (undefined when nothing is owed). Building it is one database transaction: rows are
 * tagged with the new ID and the pending row is written, so whoever sends next (this process
 * after a failure, or the shard's next holder after a crash) resends the same transaction.
 */
export async function claimFederationTxn(db: Database, destination: string, options: ClaimTxnOptions): Promise<ClaimedTxn | undefined> {
  return db.transaction(async (tx) => {
    const pending = await tx.query<{ txn_id: string }>('SELECT txn_id FROM federation_pending_txns WHERE destination = $1 FOR UPDATE', [destination]);
    let txnId = pending.rows[0]?.txn_id;
    const resent = txnId !== undefined;
    if (txnId === undefined) {
      if (options.catchUp) await collapseForCatchUp(tx, destination);
      const pdus = await tx.query<{ event_id: string }>(
        'SELECT event_id FROM federation_outbox_pdus WHERE destination = $1 AND txn_id IS NULL ORDER BY stream_ordering LIMIT $2',
        [destination, options.maxPdus ?? 50],
      );
      const edus = await tx.query<{ id: number }>('SELECT id FROM federation_outbox_edus WHERE destination = $1 AND txn_id IS NULL ORDER BY id LIMIT $2', [
        destination,
        options.maxEdus ?? 100,
      ]);
      if (pdus.rows.length === 0 && edus.rows.length === 0) return undefined;
      const counter = await tx.query<{ n: number }>(
        `INSERT INTO federation_destinations (destination, next_txn) VALUES ($1, 2)
         ON CONFLICT (destination) DO UPDATE SET next_txn = federation_destinations.next_txn + 1
         RETURNING next_txn - 1 AS n`,
        [destination],
      );
      // The time part keeps IDs unique even if the counter restarts (a rebuilt database).
      txnId = `${options.now}-${Number(counter.rows[0]!.n)}`;
      await tx.query('UPDATE federation_outbox_pdus SET txn_id = $3 WHERE destination = $1 AND event_id = ANY($2::text[])', [destination, pdus.rows.map((r) => r.event_id), txnId]);
      await tx.query('UPDATE federation_outbox_edus SET txn_id = $2 WHERE id = ANY($1::int8[])', [edus.rows.map((r) => r.id), txnId]);
      await tx.query('INSERT INTO federation_pending_txns (destination, txn_id, created_ts) VALUES ($1, $2, $3)', [destination, txnId, options.now]);
    }
    const pdus = await tx.query<{ event_id: string; stream_ordering: number; json: string | null }>(
      `SELECT o.event_id, o.stream_ordering, e.json FROM federation_outbox_pdus o LEFT JOIN events e ON e.event_id = o.event_id
        WHERE o.destination = $1 AND o.txn_id = $2 ORDER BY o.stream_ordering`,
      [destination, txnId],
    );
    const edus = await tx.query<{ edu_type: string; content: string }>('SELECT edu_type, content FROM federation_outbox_edus WHERE destination = $1 AND txn_id = $2 ORDER BY id', [
      destination,
      txnId,
    ]);
    return {
      txnId,
      resent,
      // An event purged since it was queued has nothing left to send.
      pdus: pdus.rows.flatMap((r) => (r.json === null ? [] : [{ eventId: r.event_id, streamOrdering: Number(r.stream_ordering), pdu: JSON.parse(r.json) as Record<string, unknown> }])),
      edus: edus.rows.map((r) => ({ edu_type: r.edu_type, content: JSON.parse(r.content) as Record<string, unknown> })),
    };
  });
}

// Synapse's catch-up: only the newest event of each room is sent; typing is stale by now.
async function collapseForCatchUp(tx: Queryable, destination: string): Promise<void> {
  await tx.query(
    `DELETE FROM federation_outbox_pdus o WHERE o.destination = $1 AND o.txn_id IS NULL
       AND EXISTS (SELECT 1 FROM federation_outbox_pdus n WHERE n.destination = o.destination AND n.room_id = o.room_id AND n.stream_ordering > o.stream_ordering)`,
    [destination],
  );
  await tx.query("DELETE FROM federation_outbox_edus WHERE destination = $1 AND txn_id IS NULL AND edu_type = 'm.typing'", [destination]);
}

/** The destination answered the transaction: forget it and what it carried, and mark the destination healthy. */
export async function completeFederationTxn(db: Database, destination: string, txnId: string, lastStreamOrdering: number | undefined): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM federation_outbox_pdus WHERE destination = $1 AND txn_id = $2', [destination, txnId]);
    await tx.query('DELETE FROM federation_outbox_edus WHERE destination = $1 AND txn_id = $2', [destination, txnId]);
    await tx.query('DELETE FROM federation_pending_txns WHERE destination = $1 AND txn_id = $2', [destination, txnId]);
    await tx.query(
      `INSERT INTO federation_destinations (destination, last_successful_stream_ordering) VALUES ($1, $2)
       ON CONFLICT (destination) DO UPDATE SET retry_last_ts = 0, retry_interval = 0, failure_ts = NULL,
         last_successful_stream_ordering = GREATEST(federation_destinations.last_successful_stream_ordering, excluded.last_successful_stream_ordering)`,
      [destination, lastStreamOrdering ?? null],
    );
  });
}

/** A failed attempt: the destination is retried no sooner than `retryInterval` after `now`. */
export async function recordFederationFailure(db: Queryable, destination: string, failure: { now: number; retryInterval: number }): Promise<void> {
  await db.query(
    `INSERT INTO federation_destinations (destination, retry_last_ts, retry_interval, failure_ts) VALUES ($1, $2, $3, $2)
     ON CONFLICT (destination) DO UPDATE SET retry_last_ts = $2, retry_interval = $3,
       failure_ts = COALESCE(federation_destinations.failure_ts, $2)`,
    [destination, failure.now, failure.retryInterval],
  );
}

/** The destination is reachable again (it answered us or sent us something): retry at once. */
export async function resetFederationRetry(db: Queryable, destination: string): Promise<void> {
  await db.query('UPDATE federation_destinations SET retry_last_ts = 0, retry_interval = 0, failure_ts = NULL WHERE destination = $1 AND retry_last_ts > 0', [destination]);
}

export async function getDestinationRetry(db: Queryable, destination: string): Promise<DestinationRetry | undefined> {
  const { rows } = await db.query<{ retry_last_ts: number; retry_interval: number; failure_ts: number | null; last_successful_stream_ordering: number | null }>(
    'SELECT retry_last_ts, retry_interval, failure_ts, last_successful_stream_ordering FROM federation_destinations WHERE destination = $1',
    [destination],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    retryLastTs: Number(row.retry_last_ts),
    retryInterval: Number(row.retry_interval),
    failureTs: row.failure_ts === null ? undefined : Number(row.failure_ts),
    lastSuccessfulStreamOrdering: row.last_successful_stream_ordering === null ? undefined : Number(row.last_successful_stream_ordering),
  };
}

/** Destinations that are owed something (queued PDUs or EDUs, or a transaction in flight). */
export async function destinationsWithQueuedWork(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ destination: string }>(
    `SELECT destination FROM federation_outbox_pdus UNION SELECT destination FROM federation_outbox_edus UNION SELECT destination FROM federation_pending_txns`,
  );
  return rows.map((r) => r.destination);
}

export interface DestinationSummary extends DestinationRetry {
  readonly destination: string;
}

/** Columns the admin API may order destinations by (Synapse's `order_by` values). */
export const DESTINATION_ORDERS = ['destination', 'retry_last_ts', 'retry_interval', 'failure_ts', 'last_successful_stream_ordering'] as const;
export type DestinationOrder = (typeof DESTINATION_ORDERS)[number];

export interface ListDestinationsOptions {
  readonly from: number;
  readonly limit: number;
  /** Default: destination. Ties are broken by destination, so pages never overlap. */
  readonly orderBy?: DestinationOrder;
  readonly reverse?: boolean;
  /** Only destinations whose name contains this (case-insensitive). */
  readonly search?: string;
}

/** Every destination the sender has talked to, for the admin API. */
export async function listDestinations(db: Queryable, options: ListDestinationsOptions): Promise<{ destinations: DestinationSummary[]; total: number }> {
  const orderBy = options.orderBy ?? 'destination';
  // orderBy is one of DESTINATION_ORDERS (checked by the caller's schema), never user text.
  if (!DESTINATION_ORDERS.includes(orderBy)) throw new Error(`cannot order destinations by ${orderBy}`);
  const dir = options.reverse ? 'DESC' : 'ASC';
  const { rows } = await db.query<{ destination: string; retry_last_ts: number; retry_interval: number; failure_ts: number | null; last_successful_stream_ordering: number | null; total: number }>(
    `SELECT destination, retry_last_ts, retry_interval, failure_ts, last_successful_stream_ordering, count(*) OVER () AS total
       FROM federation_destinations
      WHERE $3::text IS NULL OR strpos(lower(destination), lower($3)) > 0
      ORDER BY ${orderBy} ${dir} NULLS ${options.reverse ? 'LAST' : 'FIRST'}, destination ${dir}
     OFFSET $1 LIMIT $2`,
    [options.from, options.limit, options.search ?? null],
  );
  return {
    total: Number(rows[0]?.total ?? 0),
    destinations: rows.map((row) => ({
      destination: row.destination,
      retryLastTs: Number(row.retry_last_ts),
      retryInterval: Number(row.retry_interval),
      failureTs: row.failure_ts === null ? undefined : Number(row.failure_ts),
      lastSuccessfulStreamOrdering: row.last_successful_stream_ordering === null ? undefined : Number(row.last_successful_stream_ordering),
    })),
  };
}
