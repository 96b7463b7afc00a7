// The shape of a stored event as readers see it, and the row mapping shared by every query of
// libs/storage/src/rooms. `pdu` is the full PDU as persisted (hashed, signed); callers turn it
// into client format with libs/matrix.

export interface StoredEvent {
  readonly eventId: string;
  readonly roomId: string;
  readonly type: string;
  /** undefined for message events; '' is a valid state key. */
  readonly stateKey: string | undefined;
  readonly sender: string;
  readonly depth: number;
  readonly originServerTs: number;
  /** Position in the `events` stream (and the tie-breaker of topological order). */
  readonly streamOrdering: number;
  /** The `events` stream writer that allocated `streamOrdering`. */
  readonly instanceName: string;
  readonly pdu: Record<string, unknown>;
  /** For m.room.redaction: the event it redacts. */
  readonly redacts: string | undefined;
  /** Event ID of the redaction that applies to this event, if any. */
  readonly redactedBy: string | undefined;
  /** Why the event was rejected; undefined for accepted events. */
  readonly rejected: string | undefined;
  readonly stateGroupBefore: number | undefined;
  readonly stateGroupAfter: number | undefined;
}

export interface EventRow {
  event_id: string;
  room_id: string;
  type: string;
  state_key: string | null;
  sender: string;
  depth: number;
  origin_server_ts: number;
  stream_ordering: number;
  instance_name: string;
  json: string;
  redacts: string | null;
  redacted_by: string | null;
  rejected: string | null;
  state_group_before: number | null;
  state_group_after: number | null;
}

export const EVENT_COLUMNS =
  'e.event_id, e.room_id, e.type, e.state_key, e.sender, e.depth, e.origin_server_ts, e.stream_ordering, e.instance_name, e.json, e.redacts, e.redacted_by, e.rejected, e.state_group_before, e.state_group_after';

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    eventId: row.event_id,
    roomId: row.room_id,
    type: row.type,
    stateKey: row.state_key ?? undefined,
    sender: row.sender,
    depth: Number(row.depth),
    originServerTs: Number(row.origin_server_ts),
    streamOrdering: Number(row.stream_ordering),
    instanceName: row.instance_name,
    pdu: JSON.parse(row.json) as Record<string, unknown>,
    redacts: row.redacts ?? undefined,
    redactedBy: row.redacted_by ?? undefined,
    rejected: row.rejected ?? undefined,
    stateGroupBefore: row.state_group_before ?? undefined,
    stateGroupAfter: row.state_group_after ?? undefined,
  };
}
