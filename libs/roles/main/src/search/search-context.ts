// The `context` of a search result (event_context): the visible events just before and after
// it, their pagination tokens, and with include_profile the senders' display names and avatars
// as of the last event returned (historic profiles, as Synapse gives them).
import type { JsonObject } from '@homeserver/matrix';
import { filterVisible, type EventFormatter, type Requester, type RoomAccess, type VisibilityChange } from '@homeserver/services';
import { getRoomEvents, getStateIdsAtEvent, loadEvents, type Queryable, type StoredEvent } from '@homeserver/storage';
import { positionToken } from '../rooms/path-params.ts';

export interface SearchContextOptions {
  readonly before: number;
  readonly after: number;
  readonly includeProfile: boolean;
  readonly access: RoomAccess;
  readonly changes: readonly VisibilityChange[];
  readonly formatter: EventFormatter;
  readonly requester: Requester;
}

export async function searchResultContext(db: Queryable, event: StoredEvent, options: SearchContextOptions): Promise<JsonObject> {
  const { access, changes, formatter, requester } = options;
  const before = await getRoomEvents(db, event.roomId, { from: event.streamOrdering - 1, direction: 'b', limit: options.before });
  const after = await getRoomEvents(db, event.roomId, { from: event.streamOrdering, direction: 'f', limit: options.after });
  const visibleBefore = await filterVisible(db, before.events, { access, changes });
  const visibleAfter = await filterVisible(db, after.events, { access, changes });
  const context: JsonObject = {
    events_before: await formatter.format(visibleBefore, { requester }),
    events_after: await formatter.format(visibleAfter, { requester }),
    start: positionToken(before.events.length > 0 ? before.next : event.streamOrdering - 1),
    end: positionToken(after.events.at(-1)?.streamOrdering ?? event.streamOrdering),
  };
  if (options.includeProfile) {
    const senders = [...new Set([...visibleBefore, event, ...visibleAfter].map((e) => e.sender))];
    const last = visibleAfter.at(-1) ?? event;
    const ids = await getStateIdsAtEvent(db, last.eventId, { when: 'after', pairs: senders.map((s) => ['m.room.member', s] as const) });
    const profiles: JsonObject = {};
    for (const member of await loadEvents(db, ids ?? [])) {
      const content = (member.pdu['content'] ?? {}) as JsonObject;
      const profile: JsonObject = {};
      if (typeof content['displayname'] === 'string') profile['displayname'] = content['displayname'];
      if (typeof content['avatar_url'] === 'string') profile['avatar_url'] = content['avatar_url'];
      if (member.stateKey !== undefined) profiles[member.stateKey] = profile;
    }
    context['profile_info'] = profiles;
  }
  return context;
}
