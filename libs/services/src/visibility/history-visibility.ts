// History visibility (spec v1.19 §"History visibility"), the one implementation every read path
// uses: /messages, /context, /event, /relations, /threads, /timestamp_to_event, /members?at= in
// role-main and the /sync timelines in role-sync.
//
// Access (may the user read this room at all?) needs a membership now or in the past, or a
// world_readable room. Per-event visibility follows m.room.history_visibility as it was before
// each event and the user's membership then: world_readable → everyone; shared → joined at the
// event, or joined now, or joined at some point after it (a user who left keeps what they could
// see while joined); invited → invited or joined at the event; joined → joined at the event.
// An m.room.history_visibility event is visible when the value before or after it allows it
// (spec). A user always sees their own membership events (so a client sees its own join, leave
// or kick whatever the setting), and sees nothing after leaving unless the room was
// world_readable then; a former member who forgot the room may read none of it.
import { forbidden } from '@homeserver/http';
import { redactErasedFor } from './erased-senders.ts';
import { getCurrentStateEvent, getMembershipHistory, isRoomForgotten, type Queryable } from '@homeserver/storage';

/** One m.room.history_visibility value and the stream position of the event that set it. */
export interface VisibilityChange {
  readonly position: number;
  readonly value: string;
}

/** One of the user's membership events in the room (a storage MembershipRow fits). */
export interface MembershipPoint {
  readonly membership: string;
  readonly streamOrdering: number;
}

/** What visibility needs of an event (a StoredEvent fits). */
export interface VisibilityEvent {
  readonly type: string;
  readonly stateKey?: string | undefined;
  readonly streamOrdering: number;
}

export interface VisibilityContext {
  /** The reader. */
  readonly userId: string;
  /**
   * The reader's membership events in the room, oldest first, up to the reader's point in time
   * (now for the room API, the window's end for /sync). The last one is the current membership.
   */
  readonly history: readonly MembershipPoint[];
  /** The room's m.room.history_visibility changes, oldest first. */
  readonly changes: readonly VisibilityChange[];
}

export interface RoomAccess {
  readonly roomId: string;
  readonly userId: string;
  /** The user's current membership ('leave' when they never were a member). */
  readonly membership: string;
  readonly history: readonly MembershipPoint[];
  readonly worldReadable: boolean;
  /** For users no longer in the room: the stream position of their leaving (reads stop there). */
  readonly leftAt: number | undefined;
}

const KNOWN = new Set(['world_readable', 'shared', 'invited', 'joined']);

/** The value a history_visibility content stands for (unknown or missing values count as shared, as Synapse). */
export function historyVisibilityOf(content: unknown): string {
  const value = (content as { history_visibility?: unknown } | undefined)?.history_visibility;
  return typeof value === 'string' && KNOWN.has(value) ? value : 'shared';
}

/**
 * The room's m.room.history_visibility changes in stream order (one indexed query). A purge of
 * history turns old state events into outliers that keep their state group; those still count
 * (ingested outliers have none and never were the room's state).
 */
export async function historyVisibilityChanges(db: Queryable, roomId: string): Promise<VisibilityChange[]> {
  return (await historyVisibilityChangesOfRooms(db, [roomId])).get(roomId)!;
}

/** historyVisibilityChanges of several rooms in one statement (an initial /sync's rooms). */
export async function historyVisibilityChangesOfRooms(db: Queryable, roomIds: readonly string[]): Promise<Map<string, VisibilityChange[]>> {
  const out = new Map<string, VisibilityChange[]>(roomIds.map((roomId) => [roomId, []]));
  if (roomIds.length === 0) return out;
  const { rows } = await db.query<{ room_id: string; stream_ordering: number; json: string }>(
    `SELECT room_id, stream_ordering, json FROM events
      WHERE room_id = ANY($1::text[]) AND type = 'm.room.history_visibility' AND state_key = '' AND rejected IS NULL AND (NOT outlier OR state_group_after IS NOT NULL)
      ORDER BY room_id, stream_ordering`,
    [[...new Set(roomIds)]],
  );
  for (const row of rows) {
    out.get(row.room_id)?.push({ position: Number(row.stream_ordering), value: historyVisibilityOf((JSON.parse(row.json) as { content?: unknown }).content) });
  }
  return out;
}

function visibilityAt(changes: readonly VisibilityChange[], position: number, inclusive: boolean): string {
  let value = 'shared';
  for (const change of changes) {
    if (change.position < position || (inclusive && change.position === position)) value = change.value;
    else break;
  }
  return value;
}

function membershipBefore(history: readonly MembershipPoint[], position: number): string | undefined {
  let at: string | undefined;
  for (const row of history) {
    if (row.streamOrdering < position) at = row.membership;
    else break;
  }
  return at;
}

function allowedUnder(visibility: string, event: VisibilityEvent, context: VisibilityContext, at: string | undefined): boolean {
  if (visibility === 'world_readable') return true;
  if (at === 'join') return true;
  if (visibility === 'invited') return at === 'invite';
  if (visibility === 'shared') {
    // Members see history from before they joined; former members keep it up to their departure.
    return context.history.at(-1)?.membership === 'join' || context.history.some((row) => row.membership === 'join' && row.streamOrdering > event.streamOrdering);
  }
  return false;
}

/** Whether the user may see the event (pure: the context carries everything it needs). */
export function isEventVisible(event: VisibilityEvent, context: VisibilityContext): boolean {
  if (event.type === 'm.room.member' && event.stateKey === context.userId) return true;
  const at = membershipBefore(context.history, event.streamOrdering);
  if (allowedUnder(visibilityAt(context.changes, event.streamOrdering, false), event, context, at)) return true;
  // The visibility event itself: the more permissive of the values before and after it.
  if (event.type === 'm.room.history_visibility' && event.stateKey === '') {
    return allowedUnder(visibilityAt(context.changes, event.streamOrdering, true), event, context, at);
  }
  return false;
}

/** Keeps the events the user may see, in the given order. */
export function visibleEvents<T extends VisibilityEvent>(events: readonly T[], context: VisibilityContext): T[] {
  return events.filter((event) => isEventVisible(event, context));
}

export interface RoomAccessOptions {
  readonly roomId: string;
  readonly userId: string;
}

/** The user's access to a room; throws 403 M_FORBIDDEN when they may read nothing. */
export async function roomAccess(db: Queryable, options: RoomAccessOptions): Promise<RoomAccess> {
  const { roomId, userId } = options;
  const history = await getMembershipHistory(db, roomId, userId);
  const membership = history.at(-1)?.membership ?? 'leave';
  const hv = await getCurrentStateEvent(db, roomId, { type: 'm.room.history_visibility', stateKey: '' });
  const worldReadable = hv !== undefined && historyVisibilityOf(hv.pdu['content']) === 'world_readable';
  const wasMember = history.some((row) => row.membership === 'join' || row.membership === 'invite');
  if (membership !== 'join' && !wasMember && !worldReadable) {
    throw forbidden(`user ${userId} is not in room ${roomId}`);
  }
  // A former member who forgot the room reads nothing more of it (Synapse; sytest "Forgotten
  // room messages cannot be paginated").
  if (membership !== 'join' && membership !== 'invite' && !worldReadable && (await isRoomForgotten(db, roomId, userId))) {
    throw forbidden(`user ${userId} has forgotten room ${roomId}`);
  }
  const leftAt = membership === 'join' || membership === 'invite' ? undefined : history.at(-1)?.streamOrdering;
  return { roomId, userId, membership, history, worldReadable, leftAt };
}

/** Throws 403 unless the user is joined now. */
export async function requireJoined(db: Queryable, options: RoomAccessOptions): Promise<RoomAccess> {
  const access = await roomAccess(db, options);
  if (access.membership !== 'join') throw forbidden(`user ${options.userId} is not joined to room ${options.roomId}`);
  return access;
}

export interface FilterVisibleOptions {
  /** The reader's access, from roomAccess. */
  readonly access: RoomAccess;
  /** The room's visibility changes when the caller has them. Default: loaded (one query). */
  readonly changes?: readonly VisibilityChange[];
}

/**
 * Keeps the events of the access's room the user may see, in the given order; those of erased
 * senders the user was not joined at come redacted (erased-senders.ts).
 */
export async function filterVisible<T extends VisibilityEvent>(db: Queryable, events: readonly T[], options: FilterVisibleOptions): Promise<T[]> {
  if (events.length === 0) return [];
  const { access } = options;
  const changes = options.changes ?? (await historyVisibilityChanges(db, access.roomId));
  const visible = visibleEvents(events, { userId: access.userId, history: access.history, changes });
  return redactErasedFor(db, visible, access);
}
