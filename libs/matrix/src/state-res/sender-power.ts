// The power level of an event's sender "when looking at its auth events", as the reverse
// topological power ordering needs it.
import { authStateFromEvents } from '../auth/auth-state.ts';
import { userPowerLevel } from '../auth/power-levels.ts';
import type { RoomEvent } from '../room-event.ts';
import type { EventFetcher } from './event-source.ts';
import { effectiveAuthEventIds } from './event-source.ts';

export function senderPowerFromAuthEvents(event: RoomEvent, fetchEvent: EventFetcher): number {
  const relevant: RoomEvent[] = [];
  for (const id of effectiveAuthEventIds(event)) {
    const authEvent = fetchEvent(id);
    if (authEvent === undefined || authEvent.stateKey !== '') continue;
    if (authEvent.type === 'm.room.create' || authEvent.type === 'm.room.power_levels') relevant.push(authEvent);
  }
  return userPowerLevel(event.sender, authStateFromEvents(relevant), event.roomVersion);
}
