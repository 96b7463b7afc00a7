// An invite from another server to a room this server does not hold: checked as far as it can
// be without the room (well-formed in the named version, an invite of a user of this server
// sent by a user of the inviting server, within the size limit, signed by the inviting server
// and by us), then stored out of band: an outlier with no state, but with its membership and an
// `events` stream position, so the invitee's /sync lists it (with the stripped state carried in
// `unsigned.invite_room_state`) until a join or a rejection through the inviting server.
import { eventSize, findRoomVersion, MAX_EVENT_BYTES, parsePdu, verifyEventSignatures, type JsonObject, type RoomEvent, type VerifyKeyLookup } from '@homeserver/matrix';
import { roomFailure, type ReceiveInviteRequest, type RoomFailure } from '@homeserver/services';
import type { StagedItem } from './persist-batch.ts';

export interface OutOfBandInviteDeps {
  readonly serverName: string;
  readonly lookupKey: VerifyKeyLookup;
}

function serverOf(id: string): string {
  return id.slice(id.indexOf(':') + 1);
}

/** The staged outlier for an invite to `roomId`, or why it is refused. */
export async function planOutOfBandInvite(roomId: string, request: ReceiveInviteRequest, deps: OutOfBandInviteDeps): Promise<StagedItem | RoomFailure> {
  const version = findRoomVersion(request.roomVersion);
  if (!version) return roomFailure('UnsupportedRoomVersion', `room version ${request.roomVersion} is not supported`);
  const unsigned = request.inviteRoomState ? { ...((request.pdu['unsigned'] as JsonObject | undefined) ?? {}), invite_room_state: [...request.inviteRoomState] } : undefined;
  const pdu: JsonObject = unsigned ? { ...request.pdu, unsigned } : request.pdu;
  let event: RoomEvent;
  try {
    event = parsePdu(pdu, version);
  } catch (error) {
    return roomFailure('BadEvent', `invite from ${request.origin} is malformed: ${(error as Error).message}`);
  }
  if (event.roomId !== roomId) return roomFailure('BadEvent', `invite ${event.eventId} is for room ${event.roomId}, not ${roomId}`);
  if (event.type !== 'm.room.member' || event.content['membership'] !== 'invite' || event.stateKey === undefined) {
    return roomFailure('BadEvent', `event ${event.eventId} from ${request.origin} is not an invite`);
  }
  if (serverOf(event.stateKey) !== deps.serverName) return roomFailure('Forbidden', `invite ${event.eventId} is for ${event.stateKey}, not a user of this server`);
  if (serverOf(event.sender) !== request.origin) return roomFailure('Forbidden', `invite ${event.eventId} is sent by ${event.sender}, not a user of ${request.origin}`);
  if (eventSize(request.pdu) > MAX_EVENT_BYTES) return roomFailure('TooLarge', `invite ${event.eventId} is larger than ${MAX_EVENT_BYTES} bytes`);
  try {
    await verifyEventSignatures(request.pdu, version, { lookupKey: deps.lookupKey });
  } catch (error) {
    return roomFailure('Forbidden', `invite ${event.eventId} from ${request.origin} has no valid signature: ${(error as Error).message}`);
  }
  return { event, groups: { kind: 'none' }, behind: false, outlier: true, outOfBandMembership: true };
}
