// The auth rules about an event's auth_events list itself (rule 2 in v1–v11, rule 3 in v12):
// no duplicates, only the selected types, none rejected, the create event present (before
// v12), and all from the same room.
import type { RoomEvent } from '../room-event.ts';
import { stateKeyOf, type StateKey } from '../room-event.ts';
import type { AuthResult } from './auth-result.ts';
import { allow, deny } from './auth-result.ts';
import { authTypesForEvent } from './auth-types.ts';

export interface CheckAuthEventsOptions {
  /** Whether an auth event was itself rejected. Default: no event is rejected. */
  readonly isRejected?: (eventId: string) => boolean;
}

/**
 * Checks the event's auth_events, given as the fetched events in any order. Fails on an ID
 * that is missing from `authEvents`, since the rules cannot be evaluated without it.
 */
export function checkAuthEvents(
  event: RoomEvent,
  authEvents: readonly RoomEvent[],
  options: CheckAuthEventsOptions = {},
): AuthResult {
  if (event.type === 'm.room.create') {
    return event.authEventIds.length === 0
      ? allow()
      : deny('auth_events.create_has_auth_events', `create event ${event.eventId} lists auth events`);
  }
  const byId = new Map(authEvents.map((e) => [e.eventId, e]));
  const expected = new Set<StateKey>(authTypesForEvent(event).map((t) => stateKeyOf(t.type, t.stateKey)));
  const seen = new Set<StateKey>();
  let hasCreate = false;
  for (const id of event.authEventIds) {
    const authEvent = byId.get(id);
    if (authEvent === undefined) return deny('auth_events.missing', `auth event ${id} of ${event.eventId} was not provided`);
    if (authEvent.roomId !== event.roomId) {
      return deny('auth_events.wrong_room', `auth event ${id} is in room ${authEvent.roomId}, not ${event.roomId}`);
    }
    if (authEvent.stateKey === undefined) return deny('auth_events.not_state', `auth event ${id} is not a state event`);
    const key = stateKeyOf(authEvent.type, authEvent.stateKey);
    if (seen.has(key)) {
      return deny('auth_events.duplicate', `auth events list (${authEvent.type}, ${authEvent.stateKey}) twice`);
    }
    seen.add(key);
    if (!expected.has(key)) {
      return deny('auth_events.unexpected', `auth event ${id} (${authEvent.type}, ${authEvent.stateKey}) is not selected for this event`);
    }
    if (options.isRejected?.(id) === true) return deny('auth_events.rejected', `auth event ${id} was rejected`);
    if (authEvent.type === 'm.room.create') hasCreate = true;
  }
  if (!event.roomVersion.roomIdIsCreateEventHash && !hasCreate) {
    return deny('auth_events.no_create', `event ${event.eventId} has no m.room.create among its auth events`);
  }
  return allow();
}
