// Our leave of a room not held here (an invite rejected, a knock withdrawn), already accepted by
// a resident server through make_leave/send_leave: stored out of band like the invite it ends,
// an outlier with no state but with its membership row and an `events` stream position, so the
// user's /sync moves the room from invite to leave.
import { findRoomVersion, parsePdu, verifyEventSignatures, type RoomEvent, type VerifyKeyLookup } from '@homeserver/matrix';
import { roomFailure, type RemoteLeaveRequest, type RoomFailure } from '@homeserver/services';
import type { StagedItem } from './persist-batch.ts';

export interface OutOfBandLeaveDeps {
  readonly serverName: string;
  readonly lookupKey: VerifyKeyLookup;
}

/** The staged outlier for our leave of `roomId`, or why it is refused. */
export async function planOutOfBandLeave(roomId: string, request: RemoteLeaveRequest, deps: OutOfBandLeaveDeps): Promise<StagedItem | RoomFailure> {
  const version = findRoomVersion(request.roomVersion);
  if (!version) return roomFailure('UnsupportedRoomVersion', `room version ${request.roomVersion} is not supported`);
  let event: RoomEvent;
  try {
    event = parsePdu(request.pdu, version);
  } catch (error) {
    return roomFailure('BadEvent', `the leave of ${roomId} is malformed: ${(error as Error).message}`);
  }
  if (event.roomId !== roomId || event.type !== 'm.room.member' || event.content['membership'] !== 'leave' || event.stateKey !== event.sender) {
    return roomFailure('BadEvent', `event ${event.eventId} is not a leave of its sender from ${roomId}`);
  }
  if (!event.sender.endsWith(`:${deps.serverName}`)) return roomFailure('Forbidden', `${event.sender} is not a user of this server`);
  try {
    await verifyEventSignatures(request.pdu, version, { lookupKey: deps.lookupKey });
  } catch (error) {
    return roomFailure('BadEvent', `the leave ${event.eventId} has no valid signature: ${(error as Error).message}`);
  }
  return {
    event,
    groups: { kind: 'none' },
    behind: false,
    outlier: true,
    outOfBandMembership: true,
  };
}
