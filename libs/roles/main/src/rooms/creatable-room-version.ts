// The room versions this server can create rooms in (createRoom, upgrade). Versions 1 and 2 use
// server-assigned event IDs, which the event builder and the room actor do not mint, so asking
// for them is refused as unsupported instead of failing half way through creation.
import { MatrixError } from '@homeserver/http';
import { findRoomVersion, type RoomVersion } from '@homeserver/matrix';

/** The version to create a room in, or M_UNSUPPORTED_ROOM_VERSION (400). */
export function creatableRoomVersion(id: string): RoomVersion {
  const version = findRoomVersion(id);
  if (version === undefined || version.eventIdFormat === 'server-assigned') {
    throw new MatrixError(400, 'M_UNSUPPORTED_ROOM_VERSION', `room version ${JSON.stringify(id)} is not supported for new rooms`);
  }
  return version;
}
