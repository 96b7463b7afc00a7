// The `rooms` part of a sync response: which rooms go to join / invite / leave / knock for
// this window (membership at the window's end, changes within it), and each room's section.
import {
  getEvent,
  getMembershipHistory,
  getRoomsWithEventsBetween,
  getStateIdsAtEvent,
  latestTypingForRooms,
  loadEvents,
  receiptsForRooms,
  membershipChanges,
  membershipsAt,
  type Database,
  type StoredEvent,
} from '@homeserver/storage';
import { VectorPosition } from '@homeserver/streams';
import type { AccountDataChanges } from './account-data-source.ts';
import { formatEvent, strippedState } from './format-event.ts';
import { joinedRoomSection, roomSummary, unreadNotifications, type RoomContext } from './joined-room.ts';
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
  readonly roomVersionOf: (roomId: string) => Promise<string>;
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

export async function buildRooms(options: BuildRoomsOptions): Promise<{ body: Record<string, Record<string, unknown>>; changed: boolean }> {
  const { db, userId, filter, since, upTo } = options;
  const join: Record<string, unknown> = {};
  const invite: Record<string, unknown> = {};
  const leave: Record<string, unknown> = {};
  const knock: Record<string, unknown> = {};
  const events = upTo.events;
  const atEnd = (await membershipsAt(db, userId, events.max)).filter((m) => !m.forgotten && roomMatches(filter.room, m.roomId));
  const changes = since
    ? new Map(
        (await membershipChanges(db, userId, sqlWindow(since.events, events)))
          .filter((c) => inWindow(c.streamOrdering, c.instanceName, since.events, events))
          .map((c) => [c.roomId, c]),
      )
    : undefined;
  const atSince = since ? new Map((await membershipsAt(db, userId, since.events.max)).map((m) => [m.roomId, m.membership])) : undefined;

  // Incremental: only rooms where something happened in the window need a section.
  let active: Set<string> | undefined;
  if (since && !options.fullState) {
    const joined = atEnd.filter((m) => m.membership === 'join').map((m) => m.roomId);
    active = await getRoomsWithEventsBetween(db, joined, { from: since.events.min, to: events.max });
    for (const t of await latestTypingForRooms(db, joined, sqlWindow(since.typing, upTo.typing))) active.add(t.roomId);
    for (const r of await receiptsForRooms(db, joined, sqlWindow(since.receipts, upTo.receipts))) active.add(r.roomId);
    for (const roomId of options.accountData.rooms.keys()) active.add(roomId);
    for (const roomId of changes?.keys() ?? []) active.add(roomId);
  }

  const context = async (roomId: string): Promise<RoomContext> => ({
    db,
    userId,
    deviceId: options.deviceId,
    filter,
    now: options.now,
    roomVersion: await options.roomVersionOf(roomId),
    sentMembers: options.sentMembers,
    encodePrevBatch: options.encodePrevBatch,
  });
  const roomAccountData = async (roomId: string) => {
    const items = (options.accountData.rooms.get(roomId) ?? []).map((item) => ({ type: item.type, content: item.content }));
    // m.fully_read kept as a receipt when no account data writer is wired (see fully-read-receipts.ts).
    if (!items.some((item) => item.type === 'm.fully_read')) {
      const from = since && atSince?.get(roomId) === 'join' ? since.receipts : VectorPosition.ZERO;
      const marker = (await receiptsForRooms(db, [roomId], sqlWindow(from, upTo.receipts))).filter(
        (r) => r.receiptType === 'm.fully_read' && r.userId === userId && inWindow(r.position, r.instanceName, from, upTo.receipts),
      );
      if (marker[0]) items.push({ type: 'm.fully_read', content: { event_id: marker[0].eventId } });
    }
    return items.filter((item) => eventMatches(filter.room.accountData, { type: item.type }));
  };
  const ephemeralSince = (fresh: boolean) => (fresh || !since ? { typing: VectorPosition.ZERO, receipts: VectorPosition.ZERO, events: VectorPosition.ZERO } : since);

  for (const membership of atEnd) {
    const { roomId } = membership;
    const changed = changes?.get(roomId);
    if (changes && !changed && membership.membership !== 'join') continue;
    if (active && !active.has(roomId)) continue;
    if (membership.membership === 'join') {
      const fresh = !since || (changed !== undefined && atSince?.get(roomId) !== 'join');
      const section = await joinedRoomSection(await context(roomId), {
        roomId,
        since: fresh ? undefined : since!.events,
        sinceToken: ephemeralSince(fresh),
        upTo,
        fullState: options.fullState,
        joinedSince: membership.streamOrdering,
      });
      const accountData = await roomAccountData(roomId);
      if (since && !fresh && !options.fullState && !section.changed && accountData.length === 0) continue;
      const hasMembers = section.timeline.events.some((e) => e['type'] === 'm.room.member') || section.state.events.some((e) => e['type'] === 'm.room.member');
      join[roomId] = {
        timeline: section.timeline,
        state: section.state,
        ephemeral: section.ephemeral,
        account_data: { events: accountData },
        unread_notifications: await unreadNotifications(db, userId, roomId, events.max),
        summary: fresh || hasMembers ? await roomSummary(db, userId, roomId) : {},
      };
    } else if (membership.membership === 'invite' || membership.membership === 'knock') {
      const event = await getEvent(db, membership.eventId);
      if (!event) continue;
      const state = await prejoinState(db, event);
      if (membership.membership === 'invite') invite[roomId] = { invite_state: { events: state } };
      else knock[roomId] = { knock_state: { events: state } };
    } else if (membership.membership === 'leave' || membership.membership === 'ban') {
      // Old leaves only with include_leave; a leave within the window always shows.
      if (!changed && !filter.room.includeLeave) continue;
      const wasIn = since !== undefined && atSince?.get(roomId) === 'join';
      if (since && !wasIn && atSince?.get(roomId) === undefined && !filter.room.includeLeave) continue;
      // Someone who was never joined (a rejected or withdrawn invite, a knock) sees only the leave.
      // One query answers this and the timeline's history visibility.
      const history = await getMembershipHistory(db, roomId, userId);
      const beforeLeave = history.filter((row) => row.streamOrdering < membership.streamOrdering).at(-1);
      const everJoined = wasIn || beforeLeave?.membership === 'join';
      if (!everJoined) {
        const event = await getEvent(db, membership.eventId);
        if (!event) continue;
        leave[roomId] = {
          timeline: { events: [formatEvent(event, { now: options.now })], limited: false, prev_batch: options.encodePrevBatch(membership.streamOrdering - 1) },
          state: { events: [] },
          account_data: { events: [] },
        };
        continue;
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
      leave[roomId] = { timeline: section.timeline, state: section.state, account_data: { events: await roomAccountData(roomId) } };
    }
  }
  const body = { join, invite, leave, knock };
  const changed = [join, invite, leave, knock].some((section) => Object.keys(section).length > 0);
  return { body, changed };
}
