// Checks Matrix identifiers taken from paths and query strings with the libs/matrix parsers,
// so malformed IDs are a 400 M_INVALID_PARAM before any lookup.
import { invalidParam } from '@homeserver/http';
import { isValidEventId, isValidRoomAlias, isValidRoomId, isValidUserId } from '@homeserver/matrix';

export function roomIdParam(value: string): string {
  if (!isValidRoomId(value)) throw invalidParam(`room ID ${JSON.stringify(value)} is not a valid room ID`);
  return value;
}

export function eventIdParam(value: string): string {
  if (!isValidEventId(value)) throw invalidParam(`event ID ${JSON.stringify(value)} is not a valid event ID`);
  return value;
}

export function userIdParam(value: unknown, what = 'user_id'): string {
  if (typeof value !== 'string' || !isValidUserId(value)) throw invalidParam(`${what} ${JSON.stringify(value)} is not a valid user ID`);
  return value;
}

export function aliasParam(value: string): string {
  if (!isValidRoomAlias(value)) throw invalidParam(`room alias ${JSON.stringify(value)} is not a valid room alias`);
  return value;
}

/**
 * A /messages, /relations or /threads pagination token: `s<position>`, a sync token, or
 * `n<position>` for a position behind the timeline (history backfilled from other servers).
 */
export function parsePositionToken(token: string, what: string): number {
  const behind = /^n([0-9]{1,15})$/.exec(token);
  if (behind) return -Number(behind[1]);
  // Sync tokens start with the events stream's vector position: `s<min>(~<id>.<pos>)*_...`.
  const match = /^s([0-9]{1,15})((?:~[0-9]{1,10}\.[0-9]{1,15})*)(?:_[0-9~._]*)?$/.exec(token);
  if (!match) throw invalidParam(`${what} ${JSON.stringify(token)} is not a valid pagination token`);
  let position = Number(match[1]);
  for (const entry of match[2]!.split('~').slice(1)) position = Math.max(position, Number(entry.split('.')[1]));
  return position;
}

export function positionToken(position: number): string {
  return position < 0 ? `n${-position}` : `s${position}`;
}
