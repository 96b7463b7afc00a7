// Path and query values that are Matrix identifiers (the shared checks), and the server part of an ID.
export { eventIdParam, roomAliasParam, roomIdParam, userIdParam } from '@homeserver/services';

/** The server part of a user, room or event ID (after the first colon). */
export function serverOf(id: string): string {
  return id.slice(id.indexOf(':') + 1);
}
