// One room of `rooms.join` (or `rooms.leave`, which has the same timeline/state shape): the
// timeline window, the state at its start, ephemeral events and the summary (heroes and member
// counts). Account data and unread counts are read for all rooms at once by rooms-section.ts.
import {
  getRoomEvents,
  getStateGroupAtPosition,
  latestTypingForRooms,
  receiptsForRooms,
  roomMemberSummaries,
  type Database,
  type ReceiptRecord,
  type StateEntry,
  type StoredEvent,
  type TypingRecord,
} from '@homeserver/storage';
import type { VectorPosition } from '@homeserver/streams';
import { findRoomVersion } from '@homeserver/matrix';
import { eventMatches, roomMatches, type MembershipPoint, type VisibilityChange } from '@homeserver/services';
import { timelineLimit, type SyncFilter } from './sync-filter.ts';
import type { SharedPage, TimelineWindow } from './sync-caches.ts';
import type { SyncFormatter } from './batched-formatter.ts';
import { started } from './started.ts';
import { visibleRun } from './timeline-visibility.ts';
import { inWindow, sqlWindow } from './sync-token.ts';

export interface RoomWindow {
  readonly roomId: string;
  /** undefined: the room is new to the client (initial sync, newly joined, full_state). */
  readonly since: VectorPosition | undefined;
  /** The client's events position (for ephemeral windows of rooms new to it: zero). */
  readonly sinceToken: { typing: VectorPosition; receipts: VectorPosition; events: VectorPosition };
  readonly upTo: { events: VectorPosition; typing: VectorPosition; receipts: VectorPosition };
  /** For left rooms: the leave event's position caps the timeline. */
  readonly capAt?: number;
  /** Joined within an incremental sync's window: the timeline is marked limited (Synapse), whatever it holds. */
  readonly newlyJoined?: boolean;
  /** Send full state even with a since (full_state=true). */
  readonly fullState: boolean;
  /** History visibility: the user's join when joined from it through the window (see timeline-visibility.ts). */
  readonly joinedSince?: number;
  /** History visibility: the user's membership events in the room when the caller has them. */
  readonly membershipHistory?: readonly MembershipPoint[];
  /** Typing and receipts of the room in the sinceToken window, when the caller read them for all rooms at once. Default: read here. */
  readonly ephemeral?: RoomEphemeral;
}

/** What latestTypingForRooms and receiptsForRooms return for one room and window. */
export interface RoomEphemeral {
  readonly typing: TypingRecord | undefined;
  readonly receipts: readonly ReceiptRecord[];
}

export interface RoomContext {
  readonly db: Database;
  readonly userId: string;
  readonly deviceId: string;
  readonly filter: SyncFilter;
  readonly now: number;
  readonly roomVersion: string;
  /** The full state of a state group (immutable, so the caller may cache it). */
  readonly stateGroup: (group: number) => Promise<readonly StateEntry[]>;
  /** A page of the room's timeline up to the view's position, newest first (read-only: shared by the requests asking for it). */
  readonly timelinePage: (window: TimelineWindow) => Promise<SharedPage>;
  /** The room's history visibility changes (batched across the rooms of the answer). */
  readonly visibilityChanges: (roomId: string) => Promise<readonly VisibilityChange[]>;
  /** The stored events of state entries (batched across the rooms of the answer). */
  readonly stateEvents: (entries: readonly StateEntry[]) => Promise<StoredEvent[]>;
  /** Member event IDs already sent to this device per room (lazy-loading dedupe). */
  readonly sentMembers: Set<string>;
  readonly encodePrevBatch: (eventsPosition: number) => string;
  /** The one client-event formatter (libs/services), shared with /messages and /context. */
  readonly formatter: SyncFormatter;
  /** Users in the reader's m.ignored_user_list: their non-state events stay out of timelines. Default: none. */
  readonly ignored?: ReadonlySet<string>;
}

export interface RoomSection {
  readonly timeline: { events: Record<string, unknown>[]; limited: boolean; prev_batch: string };
  readonly state: { events: Record<string, unknown>[] };
  readonly ephemeral: { events: Record<string, unknown>[] };
  /** True when something in the section is new (timeline, state, ephemeral). */
  readonly changed: boolean;
}

/**
 * The shared page a joined room's timeline reads (the page cache's key): the newest events up to
 * the view's position, above the client's window start when it has one.
 */
export function sharedTimelineWindow(roomId: string, filter: SyncFilter, since: VectorPosition | undefined, upTo: VectorPosition): TimelineWindow {
  const floor = since ? sqlWindow(since, upTo).floor : 0;
  // The filter's types and senders apply in SQL, so the limit counts matching events (Synapse
  // loads more until the limit is met): 12 other events after the one wanted still leave it in.
  const { types, notTypes, senders, notSenders, containsUrl } = filter.room.timeline;
  return { roomId, at: JSON.stringify(upTo), from: upTo.max, to: floor > 0 ? floor : undefined, limit: timelineLimit(filter), filter: { types, notTypes, senders, notSenders, containsUrl } };
}

async function timelineOf(ctx: RoomContext, window: RoomWindow): Promise<{ events: StoredEvent[]; limited: boolean; txns: SharedPage['txns'] | undefined }> {
  const limit = timelineLimit(ctx.filter);
  const since = window.since;
  const ceiling = window.capAt ?? window.upTo.events.max;
  const sql = since ? sqlWindow(since, window.upTo.events) : { floor: 0 };
  // The filter's types and senders apply in SQL (see sharedTimelineWindow).
  const { types, notTypes, senders, notSenders, containsUrl } = ctx.filter.room.timeline;
  const filter = { types, notTypes, senders, notSenders, containsUrl };
  const to = sql.floor > 0 ? sql.floor : undefined;
  // A left room's window ends at the leave, not at the view's position: read, not shared.
  const page =
    window.capAt === undefined
      ? await ctx.timelinePage(sharedTimelineWindow(window.roomId, ctx.filter, since, window.upTo.events))
      : await getRoomEvents(ctx.db, window.roomId, { from: ceiling, to, direction: 'b', limit, filter });
  const visible = page.events.filter((e) => (window.capAt !== undefined && e.streamOrdering <= window.capAt) || e.streamOrdering <= window.upTo.events.get(e.instanceName));
  const fresh = since ? visible.filter((e) => inWindow(e.streamOrdering, e.instanceName, since, window.upTo.events)) : visible;
  const ignored = ctx.ignored;
  const passing = fresh.filter(
    (e) => roomMatches(ctx.filter.room.timeline, e.roomId) && eventMatches(ctx.filter.room.timeline, e) && !(e.stateKey === undefined && ignored?.has(e.sender) === true),
  );
  // History visibility: the newest run of visible events; a cut makes the timeline limited.
  const run = await visibleRun(ctx.db, passing, {
    roomId: window.roomId,
    userId: ctx.userId,
    ceiling,
    joinedSince: window.joinedSince,
    history: window.membershipHistory,
    visibilityChanges: ctx.visibilityChanges,
  });
  return { events: run.events.reverse(), limited: page.limited || run.cut, txns: 'txns' in page ? page.txns : undefined };
}

function stateDelta(start: readonly StateEntry[], before: readonly StateEntry[]): StateEntry[] {
  const known = new Set(before.map((e) => e.eventId));
  return start.filter((e) => !known.has(e.eventId));
}

/** The room state after the last event at or before `position` (empty if the room had none). */
async function stateAtPosition(ctx: RoomContext, roomId: string, position: number): Promise<readonly StateEntry[]> {
  const group = await getStateGroupAtPosition(ctx.db, roomId, position);
  return group === undefined ? [] : ctx.stateGroup(group);
}

export async function joinedRoomSection(ctx: RoomContext, window: RoomWindow): Promise<RoomSection> {
  const { filter } = ctx;
  const { events: timeline, limited, txns } = await timelineOf(ctx, window);
  const first = timeline[0];
  const full = window.since === undefined || window.fullState;
  const lazyMembers = filter.room.state.lazyLoadMembers;
  // The state at the timeline's start serves full state, a gappy window's delta and the members
  // lazy-loading adds; an incremental window without gap or lazy-loading needs none of it.
  const startState = (): Promise<readonly StateEntry[]> => {
    if (!first) return stateAtPosition(ctx, window.roomId, window.capAt ?? window.upTo.events.max);
    // The stored event carries its state group; no group (an outlier) means no state before it.
    return first.stateGroupBefore === undefined ? Promise.resolve([]) : ctx.stateGroup(first.stateGroupBefore);
  };
  let entries: readonly StateEntry[];
  if (full) entries = await startState();
  else if (limited) entries = stateDelta(await startState(), await stateAtPosition(ctx, window.roomId, window.since!.max));
  else entries = [];
  const inTimeline = new Set(timeline.map((e) => e.eventId));
  entries = entries.filter((e) => !inTimeline.has(e.eventId) && eventMatches(filter.room.state, { type: e.type }));
  if (lazyMembers) {
    const senders = new Set(timeline.map((e) => e.sender));
    if (full) senders.add(ctx.userId);
    // A gappy incremental window keeps every membership change of its gap (Synapse turns
    // lazy-loading off there: the client could not learn of them otherwise); the members the
    // timeline's senders need are added below.
    const gappy = !full && limited;
    const kept = entries.filter((e) => e.type !== 'm.room.member' || gappy || senders.has(e.stateKey));
    // Members the timeline's senders need but that the delta did not carry.
    if (!full && first) {
      const carried = new Set(kept.map((e) => e.eventId));
      for (const entry of await startState()) {
        if (entry.type === 'm.room.member' && senders.has(entry.stateKey) && !carried.has(entry.eventId) && !inTimeline.has(entry.eventId)) kept.push(entry);
      }
    }
    entries = kept;
    if (!filter.room.state.includeRedundantMembers) {
      entries = entries.filter((e) => e.type !== 'm.room.member' || full || !ctx.sentMembers.has(e.eventId));
    }
    for (const e of entries) if (e.type === 'm.room.member') ctx.sentMembers.add(e.eventId);
  }
  // Read while the timeline is formatted (their statements go out in the same turn).
  const stateRead = started(ctx.stateEvents(entries));
  const requester = { userId: ctx.userId, deviceId: ctx.deviceId };
  const roomVersion = findRoomVersion(ctx.roomVersion);

  // What each timeline state event replaced, from the (cached) state group before it.
  const replaced = new Map<string, string>();
  for (const event of timeline) {
    if (event.stateKey === undefined || event.stateGroupBefore === undefined) continue;
    const previous = (await ctx.stateGroup(event.stateGroupBefore)).find((e) => e.type === event.type && e.stateKey === event.stateKey);
    if (previous) replaced.set(event.eventId, previous.eventId);
  }
  // An incremental window that is whole (not limited, no timeline filter) holds every event that
  // can relate to its events: aggregations come from it, with no database read.
  const timelineFilter = filter.room.timeline;
  const whole = !full && !limited && timelineFilter.types === undefined && timelineFilter.notTypes.length === 0 && timelineFilter.senders === undefined && timelineFilter.notSenders.length === 0;
  const format = { requester, omitRoomId: true, roomVersion, replaced, relationsFrom: whole ? timeline : undefined, txns };
  // event_format "federation": the events as PDUs (with their IDs), as Synapse's raw format.
  const federation = filter.eventFormat === 'federation';
  const timelineEvents = started(federation ? Promise.resolve(timeline.map(asPdu)) : ctx.formatter.format(timeline, format));
  const ephemeral = window.capAt === undefined ? await ephemeralOf(ctx, window) : [];
  const stateEvents = await stateRead;
  // A room new to the client whose whole history fits the timeline pages back from the sync's
  // own position, as Synapse answers (the client may page its timeline again; Sytest does).
  const allOfIt = window.since === undefined && !limited;
  const prevPosition = first && !allOfIt ? first.streamOrdering - 1 : (window.capAt ?? window.upTo.events.max);
  const sortedState = stateEvents.sort((a, b) => a.streamOrdering - b.streamOrdering);
  return {
    timeline: { events: await timelineEvents, limited: limited || window.newlyJoined === true, prev_batch: ctx.encodePrevBatch(prevPosition) },
    // State events are the room's state, not news: no replaced-state or aggregation reads for them.
    state: { events: federation ? sortedState.map(asPdu) : await ctx.formatter.format(sortedState, { omitRoomId: true, roomVersion, replaced: new Map(), aggregate: false }) },
    ephemeral: { events: ephemeral },
    changed: timeline.length > 0 || stateEvents.length > 0 || ephemeral.length > 0,
  };
}

function asPdu(event: StoredEvent): Record<string, unknown> {
  return { ...event.pdu, event_id: event.eventId };
}

async function ephemeralOf(ctx: RoomContext, window: RoomWindow): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const { sinceToken, upTo, roomId } = window;
  if (eventMatches(ctx.filter.room.ephemeral, { type: 'm.typing' })) {
    const typing = window.ephemeral ? window.ephemeral.typing : (await latestTypingForRooms(ctx.db, [roomId], sqlWindow(sinceToken.typing, upTo.typing)))[0];
    // A room new to the client only hears of typing that is going on.
    if (typing && (window.since !== undefined || typing.userIds.length > 0)) {
      out.push({ type: 'm.typing', content: { user_ids: [...typing.userIds] } });
    }
  }
  if (eventMatches(ctx.filter.room.ephemeral, { type: 'm.receipt' })) {
    const stored = window.ephemeral ? window.ephemeral.receipts : await receiptsForRooms(ctx.db, [roomId], sqlWindow(sinceToken.receipts, upTo.receipts));
    const receipts = stored.filter(
      (r) =>
        inWindow(r.position, r.instanceName, sinceToken.receipts, upTo.receipts) &&
        r.receiptType !== 'm.fully_read' &&
        (r.receiptType !== 'm.read.private' || r.userId === ctx.userId),
    );
    if (receipts.length > 0) {
      const content: Record<string, Record<string, Record<string, Record<string, unknown>>>> = {};
      for (const r of receipts) {
        const byType = (content[r.eventId] ??= {});
        const byUser = (byType[r.receiptType] ??= {});
        byUser[r.userId] = r.threadId === undefined ? { ts: r.ts } : { ts: r.ts, thread_id: r.threadId };
      }
      out.push({ type: 'm.receipt', content });
    }
  }
  return out;
}

/** m.heroes and member counts (room summary) of each room, in one query. */
export async function roomSummaries(db: Database, userId: string, roomIds: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
  const summaries = await roomMemberSummaries(db, userId, roomIds);
  return new Map(
    roomIds.map((roomId) => {
      const summary = summaries.get(roomId);
      const counts = { 'm.joined_member_count': summary?.joined ?? 0, 'm.invited_member_count': summary?.invited ?? 0 };
      // A room with a name or canonical alias gets no heroes: clients name it from those (Synapse).
      return [roomId, summary?.named ? counts : { 'm.heroes': summary?.heroes ?? [], ...counts }];
    }),
  );
}
