// Whether an accepted redaction from another server is applied to its target. Room versions 3+
// moved the check out of the auth rules (event IDs no longer name a server): the redaction
// applies when its sender has the room's redact level, or when the target was sent by a user of
// the redaction sender's own server (the spec's rule, and Synapse's check when it reads the
// target). A target not held here cannot be checked and is left alone.
import { namedPowerLevel, userPowerLevel, type AuthState, type RoomEvent } from '@homeserver/matrix';
import { getEvent, type Queryable } from '@homeserver/storage';

const serverOf = (userId: string): string => userId.slice(userId.indexOf(':') + 1);

export async function redactionApplies(db: Queryable, event: RoomEvent, state: AuthState): Promise<boolean> {
  if (event.type !== 'm.room.redaction' || event.redacts === undefined) return true;
  // Versions 1-2: the auth rules already required the sender's level or the target's server.
  if (event.roomVersion.eventIdFormat === 'server-assigned') return true;
  if (userPowerLevel(event.sender, state, event.roomVersion) >= namedPowerLevel('redact', state, event.roomVersion)) return true;
  const target = await getEvent(db, event.redacts);
  return target !== undefined && target.roomId === event.roomId && serverOf(target.sender) === serverOf(event.sender);
}
