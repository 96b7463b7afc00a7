// How state resolution reaches events: a synchronous fetcher (typically over a Map the caller
// preloaded) and each event's effective auth events.
import type { RoomEvent } from '../room-event.ts';
import { MissingEventError } from './errors.ts';

export type EventFetcher = (eventId: string) => RoomEvent | undefined;

/**
 * The event's auth events as the algorithms walk them. From v12 the create event is not listed
 * in auth_events (the room ID names it), but it still authorises the event, so it is added.
 */
export function effectiveAuthEventIds(event: RoomEvent): readonly string[] {
  if (!event.roomVersion.roomIdIsCreateEventHash || event.type === 'm.room.create') return event.authEventIds;
  const createId = `$${event.roomId.slice(1)}`;
  return event.authEventIds.includes(createId) ? event.authEventIds : [...event.authEventIds, createId];
}

export function requireEvent(fetchEvent: EventFetcher, eventId: string, purpose: string): RoomEvent {
  const event = fetchEvent(eventId);
  if (event === undefined) throw new MissingEventError(eventId, purpose);
  return event;
}
