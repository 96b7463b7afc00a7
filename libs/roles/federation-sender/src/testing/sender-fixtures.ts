// Test support for the federation sender's unit tests: events and memberships planted in
// PGlite as the room persister would have stored them, a recording federation client, and a
// delivery of stream records through a consumer's handler, shard by shard.
import { FederationRequestError, type FederationClient, type FederationRequest } from '@homeserver/federation';
import type { JsonObject } from '@homeserver/matrix';
import type { Database, EventStreamRow } from '@homeserver/storage';
import type { ShardBatchContext, ShardItem, StreamRecord } from '@homeserver/streams';

let ordering = 0;

/** Stores an event (and its membership row) at the next stream ordering; returns its record. */
export async function plantEvent(
  db: Database,
  event: { roomId: string; sender: string; type?: string; stateKey?: string; membership?: string; eventId?: string },
): Promise<StreamRecord<EventStreamRow>> {
  const position = ++ordering;
  const eventId = event.eventId ?? `$e${position}`;
  const type = event.type ?? (event.membership ? 'm.room.member' : 'm.room.message');
  const stateKey = event.stateKey ?? (event.membership ? event.sender : undefined);
  const pdu = { event_id: eventId, room_id: event.roomId, sender: event.sender, type, ...(stateKey === undefined ? {} : { state_key: stateKey }), content: { n: position } };
  await db.query(
    `INSERT INTO events (event_id, room_id, type, state_key, sender, depth, origin_server_ts, stream_ordering, instance_name, json)
     VALUES ($1, $2, $3, $4, $5, $6, $6, $6, 'main', $7)`,
    [eventId, event.roomId, type, stateKey ?? null, event.sender, position, JSON.stringify(pdu)],
  );
  if (event.membership) {
    await db.query('INSERT INTO room_memberships (event_id, room_id, user_id, sender, membership, stream_ordering) VALUES ($1, $2, $3, $4, $5, $6)', [
      eventId,
      event.roomId,
      stateKey,
      event.sender,
      event.membership,
      position,
    ]);
    await db.query(
      `INSERT INTO current_state_events (room_id, type, state_key, event_id, membership, stream_ordering) VALUES ($1, 'm.room.member', $2, $3, $4, $5)
       ON CONFLICT (room_id, type, state_key) DO UPDATE SET event_id = excluded.event_id, membership = excluded.membership, stream_ordering = excluded.stream_ordering`,
      [event.roomId, stateKey, eventId, event.membership, position],
    );
  }
  return {
    writer: 'main',
    position,
    data: { eventId, roomId: event.roomId, type, stateKey, sender: event.sender, membership: event.membership },
  };
}

/** Delivers records to a consumer's handler as the sharded consumer would: each shard its items, in its own transaction. */
export async function deliver<Row>(
  db: Database,
  consumer: { keysOf: (row: Row, record: StreamRecord<Row>) => readonly string[]; handle: (items: readonly ShardItem<Row>[], context: ShardBatchContext) => Promise<void> },
  records: readonly StreamRecord<Row>[],
  options: { shards: number; shardOf: (key: string, shards: number) => number },
): Promise<void> {
  for (let shard = 0; shard < options.shards; shard++) {
    const items = records.flatMap((record) => consumer.keysOf(record.data, record).filter((key) => options.shardOf(key, options.shards) === shard).map((key) => ({ key, record })));
    if (items.length === 0) continue;
    const callbacks: Array<() => void> = [];
    await db.transaction((tx) => consumer.handle(items, { shard, tx, source: 'bus', onCommit: (callback) => callbacks.push(callback) }));
    for (const callback of callbacks) callback();
  }
}

export interface RecordedTxn {
  readonly destination: string;
  readonly txnId: string;
  readonly body: { origin: string; pdus: Array<{ event_id: string; room_id: string }>; edus: Array<{ edu_type: string; content: Record<string, unknown> }> };
}

/** A federation client that records every /send it is asked for and answers as `answer` says (default 200; a throw fails it). */
export class RecordingClient implements FederationClient {
  /** Every attempt, answered or not. */
  readonly attempts: RecordedTxn[] = [];
  /** The transactions answered 200: what the destinations received. */
  readonly sent: RecordedTxn[] = [];
  /** Most transactions in flight to one destination at once. */
  maxInFlightPerDestination = 0;
  answer: (txn: RecordedTxn) => Promise<void> | void = () => {};
  readonly #inFlight = new Map<string, number>();

  async request<T = JsonObject>(request: FederationRequest): Promise<T> {
    const match = /^\/_matrix\/federation\/v1\/send\/([^/]+)$/.exec(request.path);
    if (request.method !== 'PUT' || !match) throw new FederationRequestError(request.destination, 404, `unexpected ${request.method} ${request.path}`);
    const txn = { destination: request.destination, txnId: decodeURIComponent(match[1]!), body: request.body as unknown as RecordedTxn['body'] };
    this.attempts.push(txn);
    const now = (this.#inFlight.get(request.destination) ?? 0) + 1;
    this.#inFlight.set(request.destination, now);
    this.maxInFlightPerDestination = Math.max(this.maxInFlightPerDestination, now);
    try {
      await this.answer(txn);
      this.sent.push(txn);
    } finally {
      this.#inFlight.set(request.destination, now - 1);
    }
    return { pdus: Object.fromEntries(txn.body.pdus.map((p) => [p.event_id, {}])) } as T;
  }

  /** The event IDs `destination` received, in order, one entry per (txn ID, event) the receiver would apply once. */
  received(destination: string): string[] {
    const seen = new Set<string>();
    const events: string[] = [];
    for (const txn of this.sent.filter((t) => t.destination === destination)) {
      if (seen.has(txn.txnId)) continue;
      seen.add(txn.txnId);
      events.push(...txn.body.pdus.map((p) => p.event_id));
    }
    return events;
  }
}

/** The error the federation client throws for a server it could not reach. */
export function unreachable(destination: string): FederationRequestError {
  return new FederationRequestError(destination, 0, 'connection refused');
}
