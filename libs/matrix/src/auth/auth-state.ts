// The slice of room state the authorization rules read: the create, power-levels and
// join-rules events, memberships and third-party invites, looked up by (type, state_key).
import type { RoomEvent } from '../room-event.ts';
import { stateKeyOf, type StateKey } from '../room-event.ts';

export interface AuthState {
  /** The current state event for (type, stateKey), if any. */
  get(type: string, stateKey: string): RoomEvent | undefined;
}

/** An AuthState over a set of events; a later event for the same key replaces an earlier one. */
export function authStateFromEvents(events: Iterable<RoomEvent>): AuthState & { readonly size: number } {
  const byKey = new Map<StateKey, RoomEvent>();
  for (const event of events) {
    if (event.stateKey !== undefined) byKey.set(stateKeyOf(event.type, event.stateKey), event);
  }
  return {
    get: (type, stateKey) => byKey.get(stateKeyOf(type, stateKey)),
    get size() {
      return byKey.size;
    },
  };
}

/** An AuthState over a state map whose events are fetched on demand (undefined when unknown). */
export function authStateFromMap(
  state: ReadonlyMap<StateKey, string>,
  fetchEvent: (eventId: string) => RoomEvent | undefined,
): AuthState {
  return {
    get(type, stateKey) {
      const id = state.get(stateKeyOf(type, stateKey));
      return id === undefined ? undefined : fetchEvent(id);
    },
  };
}
