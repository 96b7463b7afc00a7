// Hashing and signing outgoing events (server-server API, "Adding hashes and signatures to
// outgoing events"): content hash first, then a signature over the redacted event, copied
// back onto the full event; finalizeEvent also computes the event ID and validates the PDU.
import { PduFormatError } from './errors.ts';
import { addContentHash } from './hashes.ts';
import { isJsonObject, type JsonObject, type JsonValue } from './json.ts';
import type { SigningKey } from './keys.ts';
import { parsePdu } from './pdu.ts';
import { redactEvent } from './redaction.ts';
import type { RoomEvent } from './room-event.ts';
import type { RoomVersion } from './room-version.ts';
import { signJson } from './signing.ts';

export interface EventSigningOptions {
  roomVersion: RoomVersion;
  /** The signing entity: this server's name. */
  serverName: string;
  signingKey: SigningKey;
}

/** A copy of `event` with a signature (over its redacted form) added; hashes must already be set. */
export function signEvent(event: JsonObject, options: EventSigningOptions): JsonObject {
  const signed = signJson(redactEvent(event, options.roomVersion), options.serverName, options.signingKey);
  return { ...event, signatures: signed['signatures'] as JsonValue };
}

/** Content-hashes and signs a PDU (existing hashes are replaced, signatures kept). */
export function hashAndSignEvent(event: JsonObject, options: EventSigningOptions): JsonObject {
  const { hashes: _hashes, ...rest } = event;
  return signEvent(addContentHash(rest, { roomVersion: options.roomVersion }), options);
}

/**
 * Completes a partial PDU: fills `hashes`, signs, computes the event ID (and a v12 create
 * event's room ID) and validates the result against the room version's event format.
 * Room versions 1–2 need the caller to set `event_id` (the library chooses no random IDs).
 */
export function finalizeEvent(partial: JsonObject, options: EventSigningOptions): RoomEvent {
  const pdu = hashAndSignEvent({ signatures: {}, ...partial }, options);
  return parsePdu(pdu, options.roomVersion);
}

export interface EventFields {
  type: string;
  sender: string;
  content: JsonObject;
  /** Omitted for v12+ create events, required otherwise. */
  roomId?: string;
  /** undefined for non-state events. */
  stateKey?: string;
  prevEvents: readonly string[];
  authEvents: readonly string[];
  depth: number;
  /** Milliseconds since the epoch, from the caller's clock. */
  originServerTs: number;
  /** For m.room.redaction: placed top-level before v11 and in content from v11. */
  redacts?: string;
  /** Room versions 1–2 only: the server-assigned `$opaque:server` event ID. */
  eventId?: string;
  /** Optional `origin` key (kept by pre-v11 redaction); default: omitted. */
  origin?: string;
  unsigned?: JsonObject;
}

/** Builds the wire PDU for `fields` in the room version's format, then finalizes it. */
export function buildEvent(fields: EventFields, options: EventSigningOptions): RoomEvent {
  const version = options.roomVersion;
  const reference = (id: string): JsonValue => (version.eventIdFormat === 'server-assigned' ? [id, {}] : id);
  let content = fields.content;
  const pdu: JsonObject = {
    type: fields.type,
    sender: fields.sender,
    depth: fields.depth,
    origin_server_ts: fields.originServerTs,
    prev_events: fields.prevEvents.map(reference),
    auth_events: fields.authEvents.map(reference),
  };
  if (fields.roomId !== undefined) pdu['room_id'] = fields.roomId;
  if (fields.stateKey !== undefined) pdu['state_key'] = fields.stateKey;
  if (fields.origin !== undefined) pdu['origin'] = fields.origin;
  if (fields.unsigned !== undefined) pdu['unsigned'] = fields.unsigned;
  if (fields.redacts !== undefined) {
    if (version.updatedRedactionRules) content = { ...content, redacts: fields.redacts };
    else pdu['redacts'] = fields.redacts;
  }
  if (version.roomIdIsCreateEventHash && fields.roomId !== undefined && fields.authEvents.includes(`$${fields.roomId.slice(1)}`)) {
    // v12: the room ID already stands for the create event, which must not be cited again.
    throw new PduFormatError('auth_events', `must not list the create event in room version ${version.id}`);
  }
  if (version.eventIdFormat === 'server-assigned') {
    if (fields.eventId === undefined) throw new PduFormatError('event_id', `must be supplied by the caller in room version ${version.id}`);
    pdu['event_id'] = fields.eventId;
  }
  pdu['content'] = content;
  if (isJsonObject(pdu['unsigned']) && Object.keys(pdu['unsigned']).length === 0) delete pdu['unsigned'];
  return finalizeEvent(pdu, options);
}
