// send_join / send_leave / send_knock: a membership event the remote server signed on a
// template of ours. It must be the membership named, of a user of the sending server, with the
// event ID of the path; then it goes through the room input like any PDU at the tip (signatures,
// hashes, auth; refusal is a 403 and nothing is accepted). A restricted join authorised by one
// of our users is signed by us first, as the auth rules require.
import { badJson, forbidden } from '@homeserver/http';
import { findRoomVersion, parsePdu, SignatureError, signEvent, verifyEventSignatures, type JsonObject, type RoomEvent, type SigningKey, type VerifyKeyLookup } from '@homeserver/matrix';
import type { RoomClient } from '@homeserver/services';
import type { Queryable, RoomRow } from '@homeserver/storage';
import { serverOf } from '../http/id-params.ts';
import { requireAccepted } from './room-failures.ts';
import { requireAclAllows, requireRoom } from './room-access.ts';

export interface SendMembershipRequest {
  readonly roomId: string;
  readonly eventId: string;
  readonly membership: 'join' | 'leave' | 'knock';
  readonly pdu: JsonObject;
  readonly origin: string;
}

export interface SendMembershipDeps {
  readonly db: Queryable;
  readonly rooms: RoomClient;
  readonly serverName: string;
  readonly signingKey: SigningKey;
  readonly lookupKey: VerifyKeyLookup;
}

/** Checks and persists the event; resolves to the event as stored (with our signature when we added one). */
export async function sendMembership(request: SendMembershipRequest, deps: SendMembershipDeps): Promise<{ event: RoomEvent; room: RoomRow; signedByUs: boolean }> {
  const room = await requireRoom(deps.db, request.roomId);
  await requireAclAllows(deps.db, request.roomId, request.origin);
  const version = findRoomVersion(room.roomVersion);
  if (!version) throw badJson(`room ${request.roomId} has room version ${room.roomVersion}, which this server does not support`);
  // The signatures first, as Synapse checks them: an event the sending server did not sign is
  // 403 M_FORBIDDEN whatever else is wrong with it (an unsigned template has no hashes either).
  try {
    await verifyEventSignatures(request.pdu, version, { lookupKey: deps.lookupKey });
  } catch (error) {
    if (error instanceof SignatureError) throw forbidden(`the ${request.membership} event is not signed by its server: ${error.message}`);
    throw badJson(`the ${request.membership} event is malformed: ${(error as Error).message}`);
  }
  let event: RoomEvent;
  try {
    event = parsePdu(request.pdu, version);
  } catch (error) {
    throw badJson(`the ${request.membership} event is malformed: ${(error as Error).message}`);
  }
  if (event.eventId !== request.eventId) throw badJson(`the event's ID is ${event.eventId}, not ${request.eventId} as in the path`);
  if (event.roomId !== request.roomId) throw badJson(`the event is for room ${event.roomId}, not ${request.roomId}`);
  if (event.type !== 'm.room.member' || event.stateKey !== event.sender) throw badJson(`event ${event.eventId} is not a membership event of its sender`);
  if (event.content['membership'] !== request.membership) throw badJson(`event ${event.eventId} has membership ${JSON.stringify(event.content['membership'])}, not ${request.membership}`);
  if (serverOf(event.sender) !== request.origin) throw forbidden(`server ${request.origin} may not send a ${request.membership} event of ${event.sender}`);
  let pdu = request.pdu;
  const authoriser = event.content['join_authorised_via_users_server'];
  const signedByUs = request.membership === 'join' && typeof authoriser === 'string' && serverOf(authoriser) === deps.serverName;
  if (signedByUs) {
    pdu = signEvent(pdu, { roomVersion: version, serverName: deps.serverName, signingKey: deps.signingKey });
    event = parsePdu(pdu, version);
  }
  requireAccepted(await deps.rooms.ingest(request.roomId, { pdu, origin: request.origin, kind: 'new' }));
  return { event, room, signedByUs };
}
