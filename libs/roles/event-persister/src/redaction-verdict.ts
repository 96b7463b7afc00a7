// What an accepted redaction from another server does to its target.
// - 'withheld': it names an event of another room, or the room's create event. No server may
//   redact across rooms and nobody serves a create event's redaction, so the redaction is kept in
//   the DAG but never served, like a soft-failed event (Synapse withholds such redactions from
//   clients too), and its target is left alone.
// - 'unapplied': room versions 3+ moved the sender check out of the auth rules (event IDs no
//   longer name a server): the redaction applies only when its sender has the room's redact level,
//   or when the target was sent by a user of the redaction sender's own server. Otherwise it is
//   stored and served, but its target stays as it is. A target not held here cannot be checked
//   and is left alone.
// - 'applies': stored, served and applied to its target.
import { namedPowerLevel, userPowerLevel, type AuthState, type RoomEvent } from '@homeserver/matrix';
import { getEvent, type Queryable } from '@homeserver/storage';

export type RedactionVerdict = 'applies' | 'unapplied' | 'withheld';

const serverOf = (userId: string): string => userId.slice(userId.indexOf(':') + 1);

export async function redactionVerdict(db: Queryable, event: RoomEvent, state: AuthState): Promise<RedactionVerdict> {
  if (event.type !== 'm.room.redaction' || event.redacts === undefined) return 'applies';
  const target = await getEvent(db, event.redacts);
  if (target !== undefined && (target.roomId !== event.roomId || target.type === 'm.room.create')) return 'withheld';
  // Versions 1-2: the auth rules already required the sender's level or the target's server.
  if (event.roomVersion.eventIdFormat === 'server-assigned') return 'applies';
  if (userPowerLevel(event.sender, state, event.roomVersion) >= namedPowerLevel('redact', state, event.roomVersion)) return 'applies';
  return target !== undefined && serverOf(target.sender) === serverOf(event.sender) ? 'applies' : 'unapplied';
}
