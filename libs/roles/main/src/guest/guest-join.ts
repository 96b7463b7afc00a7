// Guests may join only rooms that let them (m.room.guest_access `can_join`), as Synapse checks
// when a guest joins; their join events carry `kind: guest` as Synapse's do. Guest access is a
// local concept, so this is a check of the joining server, not an auth rule.
import { forbidden } from '@homeserver/http';
import type { JsonObject } from '@homeserver/matrix';
import { getCurrentStateEvent, type Queryable } from '@homeserver/storage';

/** The member content a guest joins with; throws 403 M_FORBIDDEN when the room refuses guests. */
export async function guestJoinContent(db: Queryable, roomId: string, content: JsonObject): Promise<JsonObject> {
  const guestAccess = await getCurrentStateEvent(db, roomId, { type: 'm.room.guest_access', stateKey: '' });
  if ((guestAccess?.pdu['content'] as { guest_access?: unknown } | undefined)?.guest_access !== 'can_join') {
    throw forbidden(`guests may not join room ${roomId}: its m.room.guest_access is not can_join`);
  }
  return { ...content, kind: 'guest' };
}
