// History visibility for /sync timelines (rooms.join and rooms.leave), using the one
// implementation in @homeserver/services. Cheap on the common path: a user joined since before
// the window's first event sees all of it (membership at each event is join), so no query and
// no per-event work; only windows reaching back to or past the user's own join (newly joined
// rooms, initial syncs of recent joins) and left rooms pay one indexed query for the room's
// visibility changes and, when those can hide anything and the caller has not got it, one for
// the user's membership history.
import { getMembershipHistory, type Database, type StoredEvent } from '@homeserver/storage';
import { historyVisibilityChanges, visibleEvents, type MembershipPoint } from '@homeserver/services';

export interface TimelineVisibilityOptions {
  readonly roomId: string;
  readonly userId: string;
  /** The window's end (the leave for left rooms): later memberships do not count. */
  readonly ceiling: number;
  /**
   * The position of the user's join when they are joined from it through the window's end
   * (rooms.join: their membership at the end). Default: not joined at the end.
   */
  readonly joinedSince?: number;
  /** The user's membership events in the room, oldest first, when already loaded. Default: loaded. */
  readonly history?: readonly MembershipPoint[];
}

/** The events (any order) of the window the user may see. */
export async function visibleTimeline(db: Database, events: StoredEvent[], options: TimelineVisibilityOptions): Promise<StoredEvent[]> {
  const { joinedSince } = options;
  if (events.length === 0) return events;
  // Joined at every event (the join itself is their own membership event): all visible.
  if (joinedSince !== undefined && events.every((e) => e.streamOrdering >= joinedSince)) return events;
  const changes = await historyVisibilityChanges(db, options.roomId);
  // shared and world_readable hide nothing from someone joined at the window's end.
  if (joinedSince !== undefined && !changes.some((c) => c.value === 'invited' || c.value === 'joined')) return events;
  const history = (options.history ?? (await getMembershipHistory(db, options.roomId, options.userId))).filter((row) => row.streamOrdering <= options.ceiling);
  return visibleEvents(events, { userId: options.userId, history, changes });
}
