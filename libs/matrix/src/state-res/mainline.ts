// Mainline ordering: events sorted by where their chain of power-levels auth events meets the
// mainline of the resolved power levels event, then by origin_server_ts and event ID.
import type { RoomEvent } from '../room-event.ts';
import type { EventFetcher } from './event-source.ts';
import { effectiveAuthEventIds, requireEvent } from './event-source.ts';

function powerLevelsAuthEvent(event: RoomEvent, fetchEvent: EventFetcher): RoomEvent | undefined {
  for (const id of effectiveAuthEventIds(event)) {
    const authEvent = fetchEvent(id);
    if (authEvent?.type === 'm.room.power_levels' && authEvent.stateKey === '') return authEvent;
  }
  return undefined;
}

export function mainlineSort(eventIds: readonly string[], powerLevelsId: string | undefined, fetchEvent: EventFetcher): string[] {
  if (eventIds.length === 0) return [];
  // Depth along the mainline counted from its oldest end (1) so that a larger mainline
  // position in the spec's terms is a smaller depth here; 0 means "never meets the mainline".
  const mainline: string[] = [];
  let current = powerLevelsId === undefined ? undefined : requireEvent(fetchEvent, powerLevelsId, 'mainline');
  const onMainline = new Set<string>();
  while (current !== undefined && !onMainline.has(current.eventId)) {
    mainline.push(current.eventId);
    onMainline.add(current.eventId);
    current = powerLevelsAuthEvent(current, fetchEvent);
  }
  const depthOf = new Map<string, number>();
  mainline.forEach((id, i) => depthOf.set(id, mainline.length - i));

  // Walks up power-levels auth events until the mainline; memoises every PL event passed.
  const mainlineDepth = (event: RoomEvent): number => {
    const path: string[] = [];
    let cursor: RoomEvent | undefined = event;
    let depth = 0;
    while (cursor !== undefined) {
      const known = depthOf.get(cursor.eventId);
      if (known !== undefined) {
        depth = known;
        break;
      }
      path.push(cursor.eventId);
      cursor = powerLevelsAuthEvent(cursor, fetchEvent);
    }
    for (const id of path) depthOf.set(id, depth);
    return depth;
  };

  const keyed = eventIds.map((id) => {
    const event = requireEvent(fetchEvent, id, 'mainline ordering');
    return { id, depth: mainlineDepth(event), ts: event.originServerTs };
  });
  keyed.sort((a, b) => a.depth - b.depth || a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return keyed.map((k) => k.id);
}
