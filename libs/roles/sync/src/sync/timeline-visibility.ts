// History visibility for /sync timelines (rooms.join and rooms.leave), using the one
// implementation in @homeserver/services.
//
// As Synapse's sync: the window's events the user may see, in order, plus those hidden that are
// still the room's current state (a member who joined while the user was away appears in the
// timeline, not only in the state). A hidden event marks the timeline limited, so an incremental
// sync also sends the state delta over the window (what changed while away, not lost with its
// hidden event), and prev_batch leads /messages to the older visible events, with the hidden
// ones filtered there too.
//
// Cheap on the common path: a user joined since before the window's first event sees all of
// it (membership at each event is join), so no query and no per-event work; only windows
// reaching back to or past the user's own join (newly joined rooms, initial syncs of recent
// joins) and left rooms pay one indexed query for the room's visibility changes and, when
// those can hide anything and the caller has not got it, one for the user's membership history;
// one for the current state when something is hidden; and one for erased senders when others'
// events from before the user's join are in the run.
import { getCurrentStateIds, getMembershipHistory, type Database, type StoredEvent } from '@homeserver/storage';
import { historyVisibilityChanges, isEventVisible, redactErasedFor, type MembershipPoint, type VisibilityChange } from '@homeserver/services';

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
  /** Reads the room's history visibility changes (batched across rooms by /sync). Default: historyVisibilityChanges. */
  readonly visibilityChanges?: (roomId: string) => Promise<readonly VisibilityChange[]>;
}

export interface VisibleRun {
  /** The events the user may see (and hidden ones that are current state), newest first. */
  readonly events: StoredEvent[];
  /** Whether a hidden event was left out. */
  readonly cut: boolean;
}

/** The visible events of a window given newest first. */
export async function visibleRun(db: Database, newestFirst: StoredEvent[], options: TimelineVisibilityOptions): Promise<VisibleRun> {
  const { joinedSince } = options;
  const all = { events: newestFirst, cut: false };
  if (newestFirst.length === 0) return all;
  // Joined at every event (the join itself is their own membership event): all visible.
  if (joinedSince !== undefined && newestFirst.every((e) => e.streamOrdering >= joinedSince)) return all;
  const changes = await (options.visibilityChanges ?? ((roomId: string) => historyVisibilityChanges(db, roomId)))(options.roomId);
  const loadHistory = async () => (options.history ?? (await getMembershipHistory(db, options.roomId, options.userId))).filter((row) => row.streamOrdering <= options.ceiling);
  // shared and world_readable hide nothing from someone joined at the window's end (but events
  // of erased users from before the join come redacted, as Synapse).
  if (joinedSince !== undefined && !changes.some((c) => c.value === 'invited' || c.value === 'joined')) {
    return { events: await redactErasedFor(db, newestFirst, { userId: options.userId, history: loadHistory, joinedSince }), cut: false };
  }
  const history = await loadHistory();
  const reader = { userId: options.userId, history };
  const context = { userId: options.userId, history, changes };
  const hidden = newestFirst.filter((e) => !isEventVisible(e, context));
  let run = all;
  if (hidden.length > 0) {
    const current = new Set((await getCurrentStateIds(db, options.roomId)).map((e) => e.eventId));
    const left = new Set(hidden.filter((e) => !current.has(e.eventId)));
    run = { events: newestFirst.filter((e) => !left.has(e)), cut: left.size > 0 };
  }
  // Events of erased users from before the reader joined come redacted (Synapse).
  return { events: await redactErasedFor(db, run.events, reader), cut: run.cut };
}
