// The room versions this server can create rooms in (createRoom, upgrade): every version it
// knows. Versions 1 and 2 take server-assigned event IDs (`$opaque:server`), which the room's
// persister mints for later events and createEventId mints for the create event.
import { MatrixError } from '@homeserver/http';
import { findRoomVersion, type RoomVersion } from '@homeserver/matrix';
import { randomBytes } from 'node:crypto';

/** The version to create a room in, or M_UNSUPPORTED_ROOM_VERSION (400). */
export function creatableRoomVersion(id: string): RoomVersion {
  const version = findRoomVersion(id);
  if (version === undefined) {
    throw new MatrixError(400, 'M_UNSUPPORTED_ROOM_VERSION', `room version ${JSON.stringify(id)} is not supported for new rooms`);
  }
  return version;
}

/** The create event's ID where the version wants one chosen by the server (v1–v2); else undefined (derived from its hash). */
export function createEventId(version: RoomVersion, serverName: string): string | undefined {
  return version.eventIdFormat === 'server-assigned' ? `$${randomBytes(12).toString('base64url')}:${serverName}` : undefined;
}
