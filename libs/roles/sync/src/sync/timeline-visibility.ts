// History visibility for /sync timelines (rooms.join and rooms.leave), using the one
// implementation in @homeserver/services.
//
// A timeline is the newest run of events the user may see: it stops below the newest hidden
// event, and the cut makes the timeline limited. So no hidden event ever sits inside a
// timeline, the state sent for the timeline's start is the state the client needs (a topic
// changed while the user was away is in it, not lost with its hidden event), and prev_batch
// leads /messages to the older visible events (own invite, an earlier stint), with the hidden
// ones filtered there too.
//
// Cheap on the common path: a user joined since before the window's first event sees all of
// it (membership at each event is join), so no query and no per-event work; only windows
// reaching back to or past the user's own join (newly joined rooms, initial syncs of recent
// joins) and left rooms pay one indexed query for the room's visibility changes and, when
// those can hide anything and the caller has not got it, one for the user's membership history;
// and one for erased senders when others' events from before the user's join are in the run.
import { getMembershipHistory, type Database, type StoredEvent } from '@homeserver/storage';
import { historyVisibilityChanges, isEventVisible, redactErasedFor, type MembershipPoint } from '@homeserver/services';

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

export interface VisibleRun {
  /** The newest events down to (not including) the newest hidden one, newest first. */
  readonly events: StoredEvent[];
  /** Whether a hidden event cut the run short. */
  readonly cut: boolean;
}

/** The newest run of visible events of a window given newest first. */
export async function visibleRun(db: Database, newestFirst: StoredEvent[], options: TimelineVisibilityOptions): Promise<VisibleRun> {
  const { joinedSince } = options;
  const all = { events: newestFirst, cut: false };
  if (newestFirst.length === 0) return all;
  // Joined at every event (the join itself is their own membership event): all visible.
  if (joinedSince !== undefined && newestFirst.every((e) => e.streamOrdering >= joinedSince)) return all;
  const changes = await historyVisibilityChanges(db, options.roomId);
  const loadHistory = async () => (options.history ?? (await getMembershipHistory(db, options.roomId, options.userId))).filter((row) => row.streamOrdering <= options.ceiling);
  // shared and world_readable hide nothing from someone joined at the window's end (but events
  // of erased users from before the join come redacted, as Synapse).
  if (joinedSince !== undefined && !changes.some((c) => c.value === 'invited' || c.value === 'joined')) {
    return { events: await redactErasedFor(db, newestFirst, { userId: options.userId, history: loadHistory, joinedSince }), cut: false };
  }
  const history = await loadHistory();
  const reader = { userId: options.userId, history };
  const context = { userId: options.userId, history, changes };
  const hidden = newestFirst.findIndex((e) => !isEventVisible(e, context));
  const run = hidden === -1 ? all : { events: newestFirst.slice(0, hidden), cut: true };
  // Events of erased users from before the reader joined come redacted (Synapse).
  return { events: await redactErasedFor(db, run.events, reader), cut: run.cut };
}
