// parsePdu: validates wire JSON against the event format of its room version and builds the
// RoomEvent that auth rules and state resolution consume, computing the event ID (and for
// v12 create events, the room ID) as the version demands.
import { CanonicalJsonError, InvalidIdentifierError, PduFormatError } from './errors.ts';
import { computeEventId } from './event-id.ts';
import { checkEventSize } from './event-size.ts';
import { parseEventId } from './ids/event-id.ts';
import { parseRoomId, roomIdFromCreateEventId } from './ids/room-id.ts';
import { parseUserId } from './ids/user-id.ts';
import { isJsonObject, type JsonObject, type JsonValue } from './json.ts';
import type { RoomEvent } from './room-event.ts';
import type { RoomVersion } from './room-version.ts';

/** The spec's caps on `auth_events` and `prev_events` lengths. */
export const MAX_AUTH_EVENTS = 10;
export const MAX_PREV_EVENTS = 20;

export function parsePdu(json: JsonValue, version: RoomVersion): RoomEvent {
  if (!isJsonObject(json)) throw new PduFormatError('', 'is not a JSON object');
  try {
    checkEventSize(json, { allowUnsafeNumbers: !version.strictCanonicalJson });
  } catch (error) {
    if (error instanceof CanonicalJsonError) {
      throw new PduFormatError(error.path, `is not canonical JSON as room version ${version.id} requires: ${error.reason}`);
    }
    throw error;
  }
  const type = requireString(json, 'type');
  const sender = requireString(json, 'sender');
  wrapId('sender', () => parseUserId(sender));
  const content = json['content'];
  if (!isJsonObject(content)) throw new PduFormatError('content', 'must be an object');
  const originServerTs = requireInteger(json, 'origin_server_ts');
  const depth = requireInteger(json, 'depth');
  if (depth < 0) throw new PduFormatError('depth', `must not be negative, got ${depth}`);
  const stateKeyValue = json['state_key'];
  if (stateKeyValue !== undefined && typeof stateKeyValue !== 'string') {
    throw new PduFormatError('state_key', 'must be a string when present');
  }
  const hashes = json['hashes'];
  if (!isJsonObject(hashes) || typeof hashes['sha256'] !== 'string') {
    throw new PduFormatError('hashes', 'must be an object with a string sha256');
  }
  checkSignatures(json['signatures']);

  const isV12Create = version.roomIdIsCreateEventHash && type === 'm.room.create' && stateKeyValue === '';
  const rawRoomId = json['room_id'];
  if (isV12Create) {
    if (rawRoomId !== undefined) throw new PduFormatError('room_id', `must be absent from create events in room version ${version.id}`);
  } else {
    if (typeof rawRoomId !== 'string') throw new PduFormatError('room_id', 'must be a string');
    const parsed = wrapId('room_id', () => parseRoomId(rawRoomId));
    if (version.roomIdIsCreateEventHash && parsed.serverName !== undefined) {
      throw new PduFormatError('room_id', `must be a create event hash without server name in room version ${version.id}`);
    }
  }

  const authEventIds = eventReferences(json, 'auth_events', version, MAX_AUTH_EVENTS);
  const prevEventIds = eventReferences(json, 'prev_events', version, MAX_PREV_EVENTS);

  let redacts: string | undefined;
  if (type === 'm.room.redaction') {
    const location = version.updatedRedactionRules ? content['redacts'] : json['redacts'];
    if (location !== undefined) {
      if (typeof location !== 'string') throw new PduFormatError(version.updatedRedactionRules ? 'content.redacts' : 'redacts', 'must be an event ID string');
      redacts = location;
    }
  }

  if (version.eventIdFormat === 'server-assigned') {
    const id = json['event_id'];
    if (typeof id !== 'string') throw new PduFormatError('event_id', `is required in room version ${version.id}`);
    wrapId('event_id', () => parseEventId(id, { format: 'server-assigned' }));
  }
  const eventId = computeEventId(json, version);
  const roomId = isV12Create ? roomIdFromCreateEventId(eventId) : (rawRoomId as string);

  return {
    eventId,
    roomId,
    type,
    stateKey: stateKeyValue,
    sender,
    content,
    originServerTs,
    depth,
    authEventIds,
    prevEventIds,
    redacts,
    roomVersion: version,
    pdu: json,
  };
}

function requireString(json: JsonObject, field: string): string {
  const value = json[field];
  if (typeof value !== 'string') throw new PduFormatError(field, 'must be a string');
  return value;
}

function requireInteger(json: JsonObject, field: string): number {
  const value = json[field];
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new PduFormatError(field, 'must be an integer');
  return value;
}

function wrapId<T>(field: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof InvalidIdentifierError) throw new PduFormatError(field, `is invalid: ${error.message}`);
    throw error;
  }
}

function checkSignatures(signatures: JsonValue | undefined): void {
  if (!isJsonObject(signatures)) throw new PduFormatError('signatures', 'must be an object');
  for (const [server, keys] of Object.entries(signatures)) {
    if (!isJsonObject(keys) || Object.values(keys).some((s) => typeof s !== 'string')) {
      throw new PduFormatError(`signatures.${server}`, 'must map key IDs to base64 strings');
    }
  }
}

/** auth_events/prev_events as plain IDs: [id, hashes] pairs in v1–v2, ID strings from v3. */
function eventReferences(json: JsonObject, field: string, version: RoomVersion, max: number): string[] {
  const value = json[field];
  if (!Array.isArray(value)) throw new PduFormatError(field, 'must be an array');
  if (value.length > max) throw new PduFormatError(field, `has ${value.length} entries, more than the limit of ${max}`);
  const ids: string[] = [];
  for (const [index, entry] of value.entries()) {
    let id: JsonValue | undefined = entry;
    if (version.eventIdFormat === 'server-assigned') {
      if (!Array.isArray(entry) || entry.length !== 2 || !isJsonObject(entry[1])) {
        throw new PduFormatError(`${field}[${index}]`, `must be an [event_id, hashes] pair in room version ${version.id}`);
      }
      id = entry[0];
    }
    if (typeof id !== 'string') throw new PduFormatError(`${field}[${index}]`, 'must be an event ID string');
    const eventId = id;
    wrapId(`${field}[${index}]`, () => parseEventId(eventId, { format: version.eventIdFormat }));
    ids.push(eventId);
  }
  return ids;
}
