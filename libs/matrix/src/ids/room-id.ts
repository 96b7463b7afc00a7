// Room IDs (appendices: "Room IDs"): `!opaque:server_name` before room v12, and from v12 the
// create event's ID with `!` as sigil: 43 characters of URL-safe unpadded base64, no server.
import { InvalidIdentifierError } from '../errors.ts';
import { MAX_ID_BYTES, utf8ByteLength } from './byte-length.ts';
import type { ServerName } from './server-name.ts';
import { parseServerNameOf } from './user-id.ts';

export interface RoomId {
  readonly value: string;
  /** The part after `!` (and before `:server` when present). */
  readonly opaqueId: string;
  /** undefined for v12-style (domainless) room IDs. */
  readonly serverName: ServerName | undefined;
}

const KIND = 'room ID';
const HASH_43_URL_SAFE = /^[A-Za-z0-9_-]{43}$/;

export function parseRoomId(value: string): RoomId {
  if (!value.startsWith('!')) throw new InvalidIdentifierError(KIND, value, 'it does not start with "!"');
  if (utf8ByteLength(value) > MAX_ID_BYTES) {
    throw new InvalidIdentifierError(KIND, value, `it is longer than ${MAX_ID_BYTES} bytes`);
  }
  const colon = value.indexOf(':');
  if (colon < 0) {
    const opaqueId = value.slice(1);
    if (!HASH_43_URL_SAFE.test(opaqueId)) {
      throw new InvalidIdentifierError(
        KIND,
        value,
        'without a ":server_name" part it must be 43 characters of URL-safe unpadded base64 (room v12+)',
      );
    }
    return { value, opaqueId, serverName: undefined };
  }
  const opaqueId = value.slice(1, colon);
  if (opaqueId.includes('\u0000') || !opaqueId.isWellFormed()) {
    throw new InvalidIdentifierError(KIND, value, 'the localpart contains NUL or an unpaired surrogate');
  }
  return { value, opaqueId, serverName: parseServerNameOf(KIND, value, value.slice(colon + 1)) };
}

export function isValidRoomId(value: string): boolean {
  try {
    parseRoomId(value);
    return true;
  } catch {
    return false;
  }
}

/** A pre-v12 room ID; the localpart should be random alphanumerics chosen by the caller. */
export function formatRoomId(localpart: string, serverName: string): string {
  return `!${localpart}:${serverName}`;
}

/** The v12 room ID for a create event ID: same hash, `!` instead of `$`. */
export function roomIdFromCreateEventId(eventId: string): string {
  if (!eventId.startsWith('$')) throw new InvalidIdentifierError('event ID', eventId, 'it does not start with "$"');
  return `!${eventId.slice(1)}`;
}

/** The create event ID a v12 room ID stands for. */
export function createEventIdFromRoomId(roomId: string): string {
  if (!roomId.startsWith('!')) throw new InvalidIdentifierError(KIND, roomId, 'it does not start with "!"');
  return `$${roomId.slice(1)}`;
}
