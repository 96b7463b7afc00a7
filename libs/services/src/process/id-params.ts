// Path and query values that are Matrix identifiers, checked with libs/matrix's parsers so a bad
// one is a 400 M_INVALID_PARAM naming the value rather than a lookup miss or a crash. Shared by
// every role's HTTP edge.
import { invalidParam } from '@homeserver/http';
import { isValidEventId, isValidRoomAlias, isValidRoomId, isValidUserId } from '@homeserver/matrix';

export function roomIdParam(value: string): string {
  if (!isValidRoomId(value)) throw invalidParam(`cannot use room ID ${JSON.stringify(value)}: it is not a valid room ID`);
  return value;
}

export function userIdParam(value: string): string {
  if (!isValidUserId(value)) throw invalidParam(`cannot use user ID ${JSON.stringify(value)}: it is not a valid user ID`);
  return value;
}

export function eventIdParam(value: string): string {
  if (!isValidEventId(value)) throw invalidParam(`cannot use event ID ${JSON.stringify(value)}: it is not a valid event ID`);
  return value;
}

export function roomAliasParam(value: string): string {
  if (!isValidRoomAlias(value)) throw invalidParam(`cannot use room alias ${JSON.stringify(value)}: it is not a valid room alias`);
  return value;
}
