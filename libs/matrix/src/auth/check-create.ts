// Auth rule 1: the m.room.create event, which is checked against nothing but itself.
import type { RoomEvent } from '../room-event.ts';
import type { AuthResult } from './auth-result.ts';
import { allow, deny } from './auth-result.ts';
import { domainOf, isValidUserId } from './ids.ts';

export function checkCreate(event: RoomEvent, isKnownRoomVersion: (id: string) => boolean): AuthResult {
  const version = event.roomVersion;
  if (event.prevEventIds.length > 0) return deny('create.prev_events', `create event ${event.eventId} has prev_events`);
  if (version.roomIdIsCreateEventHash) {
    // v12: the room ID is derived from this event, so the PDU must not name one.
    if (Object.hasOwn(event.pdu, 'room_id')) return deny('create.has_room_id', `create event ${event.eventId} carries a room_id`);
  } else if (domainOf(event.roomId) !== domainOf(event.sender)) {
    return deny('create.room_id_domain', `room ${event.roomId} is not on the sender's server ${domainOf(event.sender)}`);
  }
  const roomVersionProp = event.content['room_version'];
  if (roomVersionProp !== undefined && (typeof roomVersionProp !== 'string' || !isKnownRoomVersion(roomVersionProp))) {
    return deny('create.unknown_room_version', `content.room_version ${JSON.stringify(roomVersionProp)} is not a known room version`);
  }
  if (!version.implicitRoomCreator && !Object.hasOwn(event.content, 'creator')) {
    return deny('create.no_creator', `create event ${event.eventId} has no content.creator`);
  }
  if (version.privilegedCreators && Object.hasOwn(event.content, 'additional_creators')) {
    const additional = event.content['additional_creators'];
    if (!Array.isArray(additional) || !additional.every((id) => isValidUserId(id))) {
      return deny('create.additional_creators', `content.additional_creators ${JSON.stringify(additional)} is not a list of user IDs`);
    }
  }
  return allow();
}
