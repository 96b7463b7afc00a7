// Event IDs and v12 room IDs computed from events: v1–v2 take the server-assigned
// `event_id`; v3 uses `$` + standard unpadded base64 of the reference hash, v4+ URL-safe.
// In v12 the room ID is the create event's ID with `!` as sigil.
import { encodeUnpaddedBase64, encodeUrlSafeBase64 } from './base64.ts';
import { PduFormatError } from './errors.ts';
import { computeReferenceHash } from './hashes.ts';
import type { JsonObject } from './json.ts';
import type { RoomVersion } from './room-version.ts';

export function computeEventId(event: JsonObject, version: RoomVersion): string {
  switch (version.eventIdFormat) {
    case 'server-assigned': {
      const id = event['event_id'];
      if (typeof id !== 'string') throw new PduFormatError('event_id', `is required as a string in room version ${version.id}`);
      return id;
    }
    case 'base64':
      return `$${encodeUnpaddedBase64(computeReferenceHash(event, version))}`;
    case 'url-safe-base64':
      return `$${encodeUrlSafeBase64(computeReferenceHash(event, version))}`;
  }
}

/** The room ID a v12+ create event defines: `!` + URL-safe reference hash. */
export function computeRoomIdFromCreateEvent(createEvent: JsonObject, version: RoomVersion): string {
  if (!version.roomIdIsCreateEventHash) {
    throw new PduFormatError('room_id', `is not derived from the create event in room version ${version.id}`);
  }
  return `!${encodeUrlSafeBase64(computeReferenceHash(createEvent, version))}`;
}
