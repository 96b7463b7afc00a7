// Revoking guest access removes the guests already in the room (as Synapse's kick_guest_users):
// once m.room.guest_access stops being `can_join`, each local guest joined to the room (join
// event with `kind: guest`) leaves. The leaves are sent from the edge that made the change, after
// it committed, so the room's persister never has to call back into itself.
import type { EventTemplate } from '@homeserver/services';
import { getCurrentState } from '@homeserver/storage';
import type { RoomsDeps } from '../rooms/rooms-deps.ts';

/** After `template` was sent: if it revoked guest access, the room's local guests leave it. */
export async function removeGuestsIfRevoked(deps: RoomsDeps, roomId: string, template: EventTemplate): Promise<void> {
  if (template.type !== 'm.room.guest_access' || template.stateKey !== '' || template.content['guest_access'] === 'can_join') return;
  const members = await getCurrentState(deps.db, roomId, { types: ['m.room.member'] });
  const suffix = `:${deps.serverName}`;
  const guests = members.filter((event) => {
    const content = (event.pdu['content'] ?? {}) as Record<string, unknown>;
    return content['membership'] === 'join' && content['kind'] === 'guest' && event.stateKey?.endsWith(suffix) === true;
  });
  for (const guest of guests) {
    const userId = guest.stateKey!;
    const result = await deps.rooms.sendEvent(roomId, { type: 'm.room.member', stateKey: userId, sender: userId, content: { membership: 'leave' } });
    // A guest who left meanwhile (or a room that went away) needs nothing more; the rest of the
    // guests still leave.
    if (result.ok) await deps.waitForEvents?.(result);
  }
}
