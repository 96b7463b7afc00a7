// Room aliases (appendices: "Room Aliases"): `#localpart:server_name`, at most 255 bytes; the
// localpart is any non-surrogate code point except ':' and NUL.
import { InvalidIdentifierError } from '../errors.ts';
import { MAX_ID_BYTES, utf8ByteLength } from './byte-length.ts';
import type { ServerName } from './server-name.ts';
import { parseServerNameOf } from './user-id.ts';

export interface RoomAlias {
  readonly value: string;
  readonly localpart: string;
  readonly serverName: ServerName;
}

const KIND = 'room alias';

export function parseRoomAlias(value: string): RoomAlias {
  if (!value.startsWith('#')) throw new InvalidIdentifierError(KIND, value, 'it does not start with "#"');
  const colon = value.indexOf(':');
  if (colon < 0) throw new InvalidIdentifierError(KIND, value, 'it has no ":server_name" part');
  if (utf8ByteLength(value) > MAX_ID_BYTES) {
    throw new InvalidIdentifierError(KIND, value, `it is longer than ${MAX_ID_BYTES} bytes`);
  }
  const localpart = value.slice(1, colon);
  if (localpart.includes('\u0000') || !localpart.isWellFormed()) {
    throw new InvalidIdentifierError(KIND, value, 'the localpart contains NUL or an unpaired surrogate');
  }
  return { value, localpart, serverName: parseServerNameOf(KIND, value, value.slice(colon + 1)) };
}

export function isValidRoomAlias(value: string): boolean {
  try {
    parseRoomAlias(value);
    return true;
  } catch {
    return false;
  }
}

export function formatRoomAlias(localpart: string, serverName: string): string {
  return `#${localpart}:${serverName}`;
}
