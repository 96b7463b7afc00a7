// Iterative auth checks: apply events in order to a state, keeping each one the auth rules
// allow against that state (falling back to the event's own auth events for missing keys).
import type { AuthState } from '../auth/auth-state.ts';
import { authTypesForEvent } from '../auth/auth-types.ts';
import type { CheckAuthOptions } from '../auth/check-auth.ts';
import { checkAuth } from '../auth/check-auth.ts';
import type { RoomEvent, StateKey } from '../room-event.ts';
import { stateKeyOf } from '../room-event.ts';
import type { EventFetcher } from './event-source.ts';
import { effectiveAuthEventIds, requireEvent } from './event-source.ts';

export interface IterativeAuthOptions {
  readonly fetchEvent: EventFetcher;
  /** Whether an event was rejected; rejected events never enter the state. Default: none are. */
  readonly isRejected?: (eventId: string) => boolean;
  readonly authOptions?: CheckAuthOptions;
}

/** Applies `eventIds` in order to `state` (mutated and returned). */
export function iterativeAuthChecks(
  eventIds: readonly string[],
  state: Map<StateKey, string>,
  options: IterativeAuthOptions,
): Map<StateKey, string> {
  const { fetchEvent } = options;
  const isRejected = options.isRejected ?? (() => false);
  for (const id of eventIds) {
    const event = requireEvent(fetchEvent, id, 'iterative auth checks');
    if (event.stateKey === undefined || isRejected(id)) continue;
    const authEvents = new Map<StateKey, RoomEvent>();
    for (const authId of effectiveAuthEventIds(event)) {
      const authEvent = fetchEvent(authId);
      if (authEvent?.stateKey !== undefined && !isRejected(authId)) {
        authEvents.set(stateKeyOf(authEvent.type, authEvent.stateKey), authEvent);
      }
    }
    for (const { type, stateKey } of authTypesForEvent(event)) {
      const key = stateKeyOf(type, stateKey);
      const currentId = state.get(key);
      if (currentId === undefined || isRejected(currentId)) continue;
      authEvents.set(key, requireEvent(fetchEvent, currentId, 'auth state'));
    }
    const authState: AuthState = { get: (type, stateKey) => authEvents.get(stateKeyOf(type, stateKey)) };
    if (checkAuth(event, authState, options.authOptions).allowed) state.set(stateKeyOf(event.type, event.stateKey), id);
  }
  return state;
}
