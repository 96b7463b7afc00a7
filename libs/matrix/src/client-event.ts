// The client-server event format served by /sync, /messages and friends: the PDU's
// federation-only keys (hashes, signatures, depth, auth/prev events) are dropped.
import type { JsonObject } from './json.ts';
import type { RoomEvent } from './room-event.ts';

export interface ClientEventOptions {
  /** Omit room_id, as /sync does inside its per-room sections. Default: false. */
  omitRoomId?: boolean;
  /** Server-computed unsigned data (age, transaction_id, redacted_because...). Default: none. */
  unsigned?: JsonObject;
}

export function toClientEvent(event: RoomEvent, options: ClientEventOptions = {}): JsonObject {
  let content = event.content;
  const out: JsonObject = {
    event_id: event.eventId,
    type: event.type,
    sender: event.sender,
    origin_server_ts: event.originServerTs,
  };
  if (options.omitRoomId !== true) out['room_id'] = event.roomId;
  if (event.stateKey !== undefined) out['state_key'] = event.stateKey;
  if (event.type === 'm.room.redaction' && event.redacts !== undefined) {
    // The spec asks servers to expose `redacts` in both places whatever the room version,
    // for old and new clients alike.
    out['redacts'] = event.redacts;
    if (content['redacts'] === undefined) content = { ...content, redacts: event.redacts };
  }
  out['content'] = content;
  if (options.unsigned !== undefined && Object.keys(options.unsigned).length > 0) out['unsigned'] = options.unsigned;
  return out;
}
