// Stored events in the client format /sync serves: federation keys dropped, room_id omitted,
// redacted content stripped, and unsigned data (age, the sender device's transaction_id).
import { findRoomVersion, redactContent, type JsonObject } from '@homeserver/matrix';
import type { StoredEvent } from '@homeserver/storage';

export interface FormatOptions {
  readonly now: number;
  /** event ID -> txn id, for events the syncing device sent. Default: none. */
  readonly txnIds?: ReadonlyMap<string, string>;
  /** The room's version (for redaction rules). Default: '10'. */
  readonly roomVersion?: string;
  /** Keep room_id (for sections outside rooms). Default: false. */
  readonly withRoomId?: boolean;
}

export function formatEvent(event: StoredEvent, options: FormatOptions): Record<string, unknown> {
  const pdu = event.pdu;
  let content = (pdu['content'] ?? {}) as JsonObject;
  const unsigned: Record<string, unknown> = { ...((pdu['unsigned'] as Record<string, unknown> | undefined) ?? {}) };
  if (event.redactedBy !== undefined) {
    const version = findRoomVersion(options.roomVersion ?? '10') ?? findRoomVersion('10')!;
    content = redactContent(event.type, content, version);
    unsigned['redacted_because'] = { event_id: event.redactedBy, type: 'm.room.redaction' };
  }
  const out: Record<string, unknown> = {
    event_id: event.eventId,
    type: event.type,
    sender: event.sender,
    origin_server_ts: event.originServerTs,
    content,
  };
  if (options.withRoomId) out['room_id'] = event.roomId;
  if (event.stateKey !== undefined) out['state_key'] = event.stateKey;
  if (event.type === 'm.room.redaction' && event.redacts !== undefined) out['redacts'] = event.redacts;
  unsigned['age'] = Math.max(0, options.now - event.originServerTs);
  const txn = options.txnIds?.get(event.eventId);
  if (txn !== undefined) unsigned['transaction_id'] = txn;
  out['unsigned'] = unsigned;
  return out;
}

/** The stripped form of a state event (invite_state, knock_state). */
export function strippedState(event: StoredEvent): Record<string, unknown> {
  return { type: event.type, state_key: event.stateKey ?? '', sender: event.sender, content: event.pdu['content'] ?? {} };
}
