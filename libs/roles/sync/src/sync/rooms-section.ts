// The `rooms` part of a sync response: which rooms go to join / invite / leave / knock for
// this window (membership at the window's end, changes within it), and each room's section.
import {
  getEvent,
  getMembershipHistory,
  getStateIdsAtEvent,
  loadEvents,
  receiptsForRooms,
  membershipsAt,
  syncWindow,
  unreadCountsForRooms,
  type Database,
  type SyncWindow,
  type StoredEvent,
} from '@homeserver/storage';
import { VectorPosition } from '@homeserver/streams';
import type { AccountDataChanges } from './account-data-source.ts';
import { strippedState } from './stripped-state.ts';
import { joinedRoomSection, roomSummaries, type RoomContext } from './joined-room.ts';
import { hasEphemeral, readRoomEphemeral } from './room-ephemeral.ts';
import type { SyncCaches } from './sync-caches.ts';
import type { SyncFormatter } from './batched-formatter.ts';
import { eventMatches, roomMatches } from '@homeserver/services';
import type { SyncFilter } from './sync-filter.ts';
import { inWindow, sqlWindow, type SyncToken } from './sync-token.ts';

export interface BuildRoomsOptions {
  readonly db: Database;
  readonly userId: string;
  readonly deviceId: string;
  readonly filter: SyncFilter;
  readonly now: number;
  readonly since: SyncToken | undefined;
  readonly upTo: SyncToken;
  readonly fullState: boolean;
  readonly accountData: AccountDataChanges;
  readonly sentMembers: Set<string>;
  readonly encodePrevBatch: (eventsPosition: number) => string;
  /** Room versions and state groups. */
  readonly caches: SyncCaches;
  /** syncWindow of this user, device and window when the caller read it. Default: read here when `since` is set. */
  readonly overview?: SyncWindow;
  /** The one client-event formatter (libs/services). */
  readonly formatter: SyncFormatter;
  /** The reader's ignored users (m.ignored_user_list): out of timelines and invites. Default: none. */
  readonly ignored?: ReadonlySet<string>;
}

export interface RoomsResult {
  readonly body: Record<string, Record<string, unknown>>;
  /** Something for the client in any section. */
  readonly changed: boolean;
  /**
   * Known: no m.room.member event in the window in a room the user is joined to at its end, and
   * no membership change of the user's own (so membership moved nobody's device list in or out).
   */
  readonly membershipQuiet: boolean;
}

/** State types a stripped invite/knock state carries (as Synapse's room_prejoin_state). */
const PREJOIN_TYPES = new Set(['m.room.create', 'm.room.join_rules', 'm.room.name', 'm.room.avatar', 'm.room.canonical_alias', 'm.room.encryption', 'm.room.topic']);

async function prejoinState(db: Database, event: StoredEvent): Promise<Record<string, unknown>[]> {
  const carried = (event.pdu['unsigned'] as Record<string, unknown> | undefined)?.['invite_room_state'];
  const state = Array.isArray(carried)
    ? (carried as Record<string, unknown>[])
    : (await loadEvents(db, ((await getStateIdsAtEvent(db, event.eventId, { when: 'before' })) ?? []).filter((e) => PREJOIN_TYPES.has(e.type)))).map(strippedState);
  return [...state, strippedState(event)];
}

/**
 * Rooms of one answer built at a time. Their reads of one kind made in the same turn go out as
 * one statement (sync-caches.ts), so building all of an initial sync's rooms together costs a
 * few statements per kind, not one per room; the bound keeps a huge answer's memory in check.
 */
const ROOMS_IN_PARALLEL = 500;

/** Runs `task` over `items` with at most `limit` in flight; the results in input order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export async function buildRooms(options: BuildRoomsOptions): Promise<RoomsResult> {
  const { db, userId, filter, since, upTo } = options;
  const join: Record<string, unknown> = {};
  const invite: Record<string, unknown> = {};
  const leave: Record<string, unknown> = {};
  const knock: Record<string, unknown> = {};
  const events = upTo.events;
  // An incremental sync learns memberships, their changes and the rooms with new events in one statement.
  const overview = since ? (options.overview ?? (await syncWindow(db, { userId, deviceId: options.deviceId, upTo: events.max, window: sqlWindow(since.events, events) }))) : undefined;
  const memberships = overview?.atEnd ?? (await membershipsAt(db, userId, events.max));
  const atEnd = memberships.filter((m) => !m.forgotten && roomMatches(filter.room, m.roomId));
  const ownChanges = overview?.changes ?? [];
  const changes = since
    ? new Map(ownChanges.filter((c) => inWindow(c.streamOrdering, c.instanceName, since.events, events)).map((c) => [c.roomId, c]))
    : undefined;
  // With no membership row of the user's between the two positions, their memberships at
  // `since` are those at the end: one query less on every incremental sync.
  const atSince = !since
    ? undefined
    : ownChanges.length === 0 && since.events.max <= events.max
      ? new Map(memberships.map((m) => [m.roomId, m.membership]))
      : new Map((await membershipsAt(db, userId, since.events.max)).map((m) => [m.roomId, m.membership]));

  const joined = atEnd.filter((m) => m.membership === 'join').map((m) => m.roomId);
  const isFresh = (roomId: string) => !since || (changes?.get(roomId) !== undefined && atSince?.get(roomId) !== 'join');
  // Typing and receipts for every joined room at once: in the client's window, and from the
  // start for rooms new to it (see room-ephemeral.ts).
  const freshJoined = joined.filter(isFresh);
  const zero = { typing: VectorPosition.ZERO, receipts: VectorPosition.ZERO };
  const [sinceEphemeral, freshEphemeral] = await Promise.all([
    since ? readRoomEphemeral(db, joined, { from: since, upTo }) : undefined,
    freshJoined.length > 0 ? readRoomEphemeral(db, freshJoined, { from: zero, upTo }) : undefined,
  ]);

  // Incremental: only rooms where something happened in the window need a section.
  let active: Set<string> | undefined;
  let memberEvents = false;
  if (since && !options.fullState) {
    const activity = overview?.activity ?? new Map<string, { memberEvents: boolean }>();
    active = new Set(joined.filter((roomId) => activity.has(roomId)));
    // Over every joined room, filtered or not: device lists follow all of them.
    memberEvents = [...activity.values()].some((room) => room.memberEvents);
    for (const roomId of joined) if (hasEphemeral(sinceEphemeral?.get(roomId))) active.add(roomId);
    for (const roomId of options.accountData.rooms.keys()) active.add(roomId);
    for (const roomId of changes?.keys() ?? []) active.add(roomId);
  }

  const ignored = options.ignored ?? new Set<string>();
  const context = async (roomId: string): Promise<RoomContext> => ({
    ignored,
    db,
    userId,
    deviceId: options.deviceId,
    filter,
    now: options.now,
    roomVersion: await options.caches.roomVersion(roomId),
    stateGroup: (group) => options.caches.stateGroup(group),
    timelinePage: (window) => options.caches.timelinePage(window),
    stateEvents: (entries) => options.caches.stateEvents(entries),
    visibilityChanges: (roomId) => options.caches.visibilityChanges(roomId),
    sentMembers: options.sentMembers,
    encodePrevBatch: options.encodePrevBatch,
    formatter: options.formatter,
  });
  const roomAccountData = async (roomId: string) => {
    const items = (options.accountData.rooms.get(roomId) ?? []).map((item) => ({ type: item.type, content: item.content }));
    // m.fully_read kept as a receipt when no account data writer is wired (see fully-read-receipts.ts).
    if (!items.some((item) => item.type === 'm.fully_read')) {
      const fromSince = since !== undefined && atSince?.get(roomId) === 'join';
      const from = fromSince ? since.receipts : VectorPosition.ZERO;
      const read = (fromSince ? sinceEphemeral : freshEphemeral)?.get(roomId)?.receipts;
      const marker = (read ?? (await receiptsForRooms(db, [roomId], sqlWindow(from, upTo.receipts)))).filter(
        (r) => r.receiptType === 'm.fully_read' && r.userId === userId && inWindow(r.position, r.instanceName, from, upTo.receipts),
      );
      if (marker[0]) items.push({ type: 'm.fully_read', content: { event_id: marker[0].eventId } });
    }
    return items.filter((item) => eventMatches(filter.room.accountData, { type: item.type }));
  };
  const ephemeralSince = (fresh: boolean) => (fresh || !since ? { typing: VectorPosition.ZERO, receipts: VectorPosition.ZERO, events: VectorPosition.ZERO } : since);
  const unread: Array<[string, { notification_count: number; highlight_count: number }]> = [];
  const summaries: Array<[string, Record<string, unknown>]> = [];

  // Rooms are built several at a time (a pool serves them in parallel; PGlite queues them)
  // and entered into the answer in membership order once all are done.
  const built = await mapLimited(atEnd, ROOMS_IN_PARALLEL, async (membership): Promise<(() => void) | undefined> => {
    const { roomId } = membership;
    const changed = changes?.get(roomId);
    if (changes && !changed && membership.membership !== 'join') return undefined;
    if (active && !active.has(roomId)) return undefined;
    if (membership.membership === 'join') {
      const fresh = isFresh(roomId);
      const section = await joinedRoomSection(await context(roomId), {
        roomId,
        since: fresh ? undefined : since!.events,
        sinceToken: ephemeralSince(fresh),
        ephemeral: (fresh ? freshEphemeral : sinceEphemeral)?.get(roomId),
        upTo,
        fullState: options.fullState,
        joinedSince: membership.streamOrdering,
        newlyJoined: fresh && since !== undefined,
      });
      const accountData = await roomAccountData(roomId);
      if (since && !fresh && !options.fullState && !section.changed && accountData.length === 0) return undefined;
      const hasMembers = section.timeline.events.some((e) => e['type'] === 'm.room.member') || section.state.events.some((e) => e['type'] === 'm.room.member');
      return () => {
        // Unread counts and summaries are filled in below, for all rooms with one query each.
        const counts = { notification_count: 0, highlight_count: 0 };
        const summary: Record<string, unknown> = {};
        unread.push([roomId, counts]);
        if (fresh || hasMembers) summaries.push([roomId, summary]);
        join[roomId] = {
          timeline: section.timeline,
          state: section.state,
          ephemeral: section.ephemeral,
          account_data: { events: accountData },
          unread_notifications: counts,
          summary,
        };
      };
    } else if (membership.membership === 'invite' || membership.membership === 'knock') {
      const event = await getEvent(db, membership.eventId);
      // Invites from ignored users are not shown (Synapse); knocks are the user's own.
      if (!event || (membership.membership === 'invite' && ignored.has(event.sender))) return undefined;
      const state = await prejoinState(db, event);
      return () => {
        if (membership.membership === 'invite') invite[roomId] = { invite_state: { events: state } };
        else knock[roomId] = { knock_state: { events: state } };
      };
    } else if (membership.membership === 'leave' || membership.membership === 'ban') {
      // Old leaves only with include_leave; a leave within the window always shows.
      if (!changed && !filter.room.includeLeave) return undefined;
      const wasIn = since !== undefined && atSince?.get(roomId) === 'join';
      if (since && !wasIn && atSince?.get(roomId) === undefined && !filter.room.includeLeave) return undefined;
      // Someone who was never joined (a rejected or withdrawn invite, a knock) sees only the leave.
      // One query answers this and the timeline's history visibility.
      const history = await getMembershipHistory(db, roomId, userId);
      const beforeLeave = history.filter((row) => row.streamOrdering < membership.streamOrdering).at(-1);
      const everJoined = wasIn || beforeLeave?.membership === 'join';
      if (!everJoined) {
        const event = await getEvent(db, membership.eventId);
        if (!event) return undefined;
        const only = {
          timeline: {
            events: await options.formatter.format([event], { requester: { userId, deviceId: options.deviceId }, omitRoomId: true, aggregate: false }),
            limited: false,
            prev_batch: options.encodePrevBatch(membership.streamOrdering - 1),
          },
          state: { events: [] },
          account_data: { events: [] },
        };
        return () => void (leave[roomId] = only);
      }
      const section = await joinedRoomSection(await context(roomId), {
        roomId,
        since: wasIn ? since!.events : undefined,
        sinceToken: ephemeralSince(!wasIn),
        upTo,
        capAt: membership.streamOrdering,
        fullState: options.fullState,
        joinedSince: beforeLeave?.membership === 'join' ? beforeLeave.streamOrdering : undefined,
        membershipHistory: history,
      });
      const accountData = await roomAccountData(roomId);
      return () => void (leave[roomId] = { timeline: section.timeline, state: section.state, account_data: { events: accountData } });
    }
    return undefined;
  });
  for (const enter of built) enter?.();
  // The rooms with new events came with their counts; the others (initial sync, ephemeral or
  // account data only) are read here.
  const counted = overview?.activity ?? new Map<string, { unread: { notificationCount: number; highlightCount: number } }>();
  // Both at once: neither needs the other (one round trip less on an initial sync's path).
  const [counts, summaryOf] = await Promise.all([
    unreadCountsForRooms(db, userId, unread.map(([roomId]) => roomId).filter((roomId) => !counted.has(roomId)), events.max),
    roomSummaries(db, userId, summaries.map(([roomId]) => roomId)),
  ]);
  for (const [roomId, out] of unread) {
    const room = counted.get(roomId)?.unread ?? counts.get(roomId);
    out.notification_count = room?.notificationCount ?? 0;
    out.highlight_count = room?.highlightCount ?? 0;
  }
  for (const [roomId, out] of summaries) Object.assign(out, summaryOf.get(roomId));
  const body = { join, invite, leave, knock };
  const changed = [join, invite, leave, knock].some((section) => Object.keys(section).length > 0);
  return { body, changed, membershipQuiet: since !== undefined && !options.fullState && ownChanges.length === 0 && !memberEvents };
}
