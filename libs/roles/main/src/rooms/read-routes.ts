// Reading a room: /messages (both directions, tokens, filter, lazy-loaded members), /context,
// /event, /members (with `at` and membership filters), /joined_members. Every read goes
// through roomAccess (may the user read this room?) and filterVisible (history visibility).
import { MatrixError, badJson, forbidden, invalidParam, notFound } from '@homeserver/http';
import type { JsonObject } from '@homeserver/matrix';
import {
  EventFormatter,
  InvalidFilterError,
  filterVisible,
  historyVisibilityChanges,
  parseFilter,
  requireJoined,
  roomAccess,
  type RoomEventFilter,
} from '@homeserver/services';
import {
  getEvent,
  getLastRoomEvent,
  getLatestEventStreamPosition,
  getRoomEvents,
  getRoomMembers,
  getStateIdsAtEvent,
  getStateIdsAtPosition,
  loadEvents,
  type RoomEventFilterSql,
  type StoredEvent,
} from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';

import { eventIdParam, parsePositionToken, positionToken, roomIdParam } from './path-params.ts';
import { clientRoute, params, query } from './route-helper.ts';
import type { RoomsDeps } from './rooms-deps.ts';
import { backfillRoom } from './remote/backfill.ts';

const MAX_LIMIT = 1000;
/** Fewest events asked of another server when /messages runs out of held history. */
const BACKFILL_MIN = 50;
/** Extra pages /messages reads past when a page holds no event the user may see. */
const HIDDEN_PAGES_SKIPPED = 4;

function parseLimit(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^[0-9]{1,9}$/.test(text)) throw invalidParam(`limit ${JSON.stringify(text)} is not a non-negative integer`);
  return Math.min(Number(text), MAX_LIMIT);
}

/** Parses the `filter` query parameter (a RoomEventFilter as JSON). */
export function parseRoomEventFilter(text: string | undefined): RoomEventFilter | undefined {
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badJson(`filter is not valid JSON: ${JSON.stringify(text.slice(0, 100))}`);
  }
  try {
    return parseFilter({ room: { timeline: json } }).room.timeline;
  } catch (error) {
    if (error instanceof InvalidFilterError) throw badJson(error.message);
    throw error;
  }
}

export function filterSql(filter: RoomEventFilter | undefined): RoomEventFilterSql | undefined {
  if (!filter) return undefined;
  return { types: filter.types, notTypes: filter.notTypes, senders: filter.senders, notSenders: filter.notSenders, containsUrl: filter.containsUrl };
}

/** Member events of the senders of `events`, as of the state before the first one (lazy loading). */
async function lazyMembers(deps: RoomsDeps, events: readonly StoredEvent[], atEvent: StoredEvent | undefined): Promise<StoredEvent[]> {
  if (!atEvent) return [];
  const senders = [...new Set(events.map((e) => e.sender))];
  const ids = await getStateIdsAtEvent(deps.db, atEvent.eventId, { pairs: senders.map((s) => ['m.room.member', s] as const) });
  return loadEvents(deps.db, ids ?? []);
}

export function registerReadRoutes(app: FastifyInstance, deps: RoomsDeps): void {
  const formatter = new EventFormatter(deps.db, deps.clock);

  /** The event as the user may see it (erasure applied), or undefined; a room they may not read hides it too (Synapse: 404, not 403). */
  const asSeenBy = async (userId: string, event: StoredEvent): Promise<StoredEvent | undefined> => {
    let access;
    try {
      access = await roomAccess(deps.db, { roomId: event.roomId, userId });
    } catch (error) {
      if (error instanceof MatrixError && error.status === 403) return undefined;
      throw error;
    }
    return (await filterVisible(deps.db, [event], { access }))[0];
  };

  clientRoute(app, 'GET', '/rooms/:roomId/messages', {}, async (request) => {
    const requester = await deps.authenticate(request);
    const roomId = roomIdParam(params(request)['roomId']!);
    const q = query(request);
    const dir = q['dir'] ?? 'b';
    if (dir !== 'b' && dir !== 'f') throw invalidParam(`dir must be "b" or "f", got ${JSON.stringify(dir)}`);
    const limit = parseLimit(q['limit'], 10);
    const filter = parseRoomEventFilter(q['filter']);
    const access = await roomAccess(deps.db, { roomId, userId: requester.userId });
    const latest = await getLatestEventStreamPosition(deps.db);
    let from = q['from'] !== undefined ? parsePositionToken(q['from'], 'from') : dir === 'b' ? latest : 0;
    // Nothing after a departure is visible; start there instead of filtering it all away.
    if (dir === 'b' && access.leftAt !== undefined && !access.worldReadable) from = Math.min(from, access.leftAt);
    const to = q['to'] !== undefined ? parsePositionToken(q['to'], 'to') : undefined;
    const changes = await historyVisibilityChanges(deps.db, roomId);
    let page = await getRoomEvents(deps.db, roomId, { from, to, direction: dir, limit, filter: filterSql(filter) });
    // Past the oldest events held here: ask the room's other servers for what came before.
    if (dir === 'b' && !page.limited && to === undefined && deps.federation && limit > 0 && (await backfillRoom({ ...deps, federation: deps.federation }, roomId, { limit: Math.max(limit, BACKFILL_MIN) })) > 0) {
      page = await getRoomEvents(deps.db, roomId, { from, to, direction: dir, limit, filter: filterSql(filter) });
    }
    let visible = await filterVisible(deps.db, page.events, { access, changes });
    // A page of hidden events only (history before a `joined` join) reads as the room's start
    // to clients that stop at an empty chunk (matrix-js-sdk does): read on, a few pages at most.
    for (let more = 0; more < HIDDEN_PAGES_SKIPPED && visible.length === 0 && page.limited && page.events.length > 0; more++) {
      page = await getRoomEvents(deps.db, roomId, { from: page.next, to, direction: dir, limit, filter: filterSql(filter) });
      visible = await filterVisible(deps.db, page.events, { access, changes });
    }
    const response: JsonObject = {
      start: positionToken(from),
      chunk: await formatter.format(visible, { requester }),
    };
    // As Synapse (1.163): `end` with every page that read events, short ones included (Sytest
    // reads it after them); a page past the last event has none (the spec's "no more").
    if (page.events.length > 0) response['end'] = positionToken(page.next);
    // Lazy loading always answers a `state` list (empty with no events), as Synapse does.
    if (filter?.lazyLoadMembers) {
      // As of the page's first event in its own order (Synapse's choice): paging back from the
      // room's creation still finds the senders' joins.
      const members = await lazyMembers(deps, visible, visible[0]);
      response['state'] = await formatter.format(members, { requester });
    }
    return response;
  });

  clientRoute(app, 'GET', '/rooms/:roomId/context/:eventId', {}, async (request) => {
    const requester = await deps.authenticate(request);
    const p = params(request);
    const roomId = roomIdParam(p['roomId']!);
    const eventId = eventIdParam(p['eventId']!);
    const q = query(request);
    const limit = parseLimit(q['limit'], 10);
    const filter = parseRoomEventFilter(q['filter']);
    const access = await roomAccess(deps.db, { roomId, userId: requester.userId });
    const event = await getEvent(deps.db, eventId);
    const changes = await historyVisibilityChanges(deps.db, roomId);
    const [seen] = event && event.roomId === roomId && event.rejected === undefined ? await filterVisible(deps.db, [event], { access, changes }) : [];
    if (!event || !seen) throw notFound(`event ${eventId} not found in room ${roomId}`);
    const half = Math.floor(limit / 2);
    const before = await getRoomEvents(deps.db, roomId, { from: event.streamOrdering - 1, direction: 'b', limit: half, filter: filterSql(filter) });
    const after = await getRoomEvents(deps.db, roomId, { from: event.streamOrdering, direction: 'f', limit: limit - half, filter: filterSql(filter) });
    const visibleBefore = await filterVisible(deps.db, before.events, { access, changes });
    const visibleAfter = await filterVisible(deps.db, after.events, { access, changes });
    const senders = new Set([event, ...visibleBefore, ...visibleAfter].map((e) => e.sender));
    // The spec's state "at the last event returned": a visible one, so a former member never
    // learns the state after their departure from it.
    const last = visibleAfter.at(-1) ?? event;
    const stateIds = (await getStateIdsAtEvent(deps.db, last.eventId, { when: 'after' })) ?? [];
    const state = await loadEvents(deps.db, stateIds.filter((e) => !filter?.lazyLoadMembers || e.type !== 'm.room.member' || senders.has(e.stateKey)));
    return {
      event: await formatter.formatOne(seen, { requester }),
      events_before: await formatter.format(visibleBefore, { requester }),
      events_after: await formatter.format(visibleAfter, { requester }),
      start: positionToken(before.events.length > 0 ? before.next : event.streamOrdering - 1),
      end: positionToken(after.events.at(-1)?.streamOrdering ?? event.streamOrdering),
      state: await formatter.format(state, { requester }),
    };
  });

  clientRoute(app, 'GET', '/rooms/:roomId/event/:eventId', {}, async (request) => {
    const requester = await deps.authenticate(request);
    const p = params(request);
    const roomId = roomIdParam(p['roomId']!);
    const eventId = eventIdParam(p['eventId']!);
    const event = await getEvent(deps.db, eventId);
    const seen = event && event.roomId === roomId && event.rejected === undefined ? await asSeenBy(requester.userId, event) : undefined;
    if (!seen) throw notFound(`event ${eventId} not found in room ${roomId}`);
    return formatter.formatOne(seen, { requester });
  });

  // The legacy lookup by event ID alone (Synapse still serves it): the same checks as above,
  // in the room the event belongs to.
  clientRoute(app, 'GET', '/events/:eventId', {}, async (request) => {
    const requester = await deps.authenticate(request);
    const eventId = eventIdParam(params(request)['eventId']!);
    const event = await getEvent(deps.db, eventId);
    const seen = event && event.rejected === undefined ? await asSeenBy(requester.userId, event) : undefined;
    if (!seen) throw notFound(`event ${eventId} not found`);
    return formatter.formatOne(seen, { requester });
  });

  clientRoute(app, 'GET', '/rooms/:roomId/members', {}, async (request) => {
    const requester = await deps.authenticate(request);
    const roomId = roomIdParam(params(request)['roomId']!);
    const q = query(request);
    const access = await roomAccess(deps.db, { roomId, userId: requester.userId });
    // Invited and knocking users get stripped state through /sync, not the member list (as Synapse).
    if ((access.membership === 'invite' || access.membership === 'knock') && !access.worldReadable) {
      throw forbidden(`user ${requester.userId} is not in room ${roomId}`);
    }
    const memberships = q['membership'] !== undefined ? [q['membership']] : undefined;
    const notMemberships = q['not_membership'] !== undefined ? [q['not_membership']] : [];
    for (const m of [...(memberships ?? []), ...notMemberships]) {
      if (!['join', 'invite', 'knock', 'leave', 'ban'].includes(m)) throw invalidParam(`membership ${JSON.stringify(m)} is not a membership`);
    }
    let at = q['at'] !== undefined ? parsePositionToken(q['at'], 'at') : undefined;
    if (access.leftAt !== undefined && !access.worldReadable) at = Math.min(at ?? access.leftAt, access.leftAt);
    let events: StoredEvent[];
    if (at === undefined) {
      const rows = await getRoomMembers(deps.db, roomId, { memberships, notMemberships });
      events = await loadEvents(deps.db, rows.map((r) => ({ type: 'm.room.member', stateKey: r.userId, eventId: r.eventId })));
    } else {
      // Members as of `at` only when the user may see the room's last event then (as Synapse):
      // a joiner of a `joined` room cannot list who was there before them.
      const lastEvent = await getLastRoomEvent(deps.db, roomId, { atPosition: at });
      if (lastEvent && (await filterVisible(deps.db, [lastEvent], { access })).length === 0) {
        throw forbidden(`user ${requester.userId} may not see room ${roomId} at ${q['at'] ?? positionToken(at)}`);
      }
      events = await loadEvents(deps.db, await getStateIdsAtPosition(deps.db, roomId, at, { types: ['m.room.member'] }));
      events = events.filter((e) => {
        const membership = String((e.pdu['content'] as JsonObject | undefined)?.['membership']);
        return (!memberships || memberships.includes(membership)) && !notMemberships.includes(membership);
      });
    }
    return { chunk: await formatter.format(events, { requester }) };
  });

  clientRoute(app, 'GET', '/rooms/:roomId/joined_members', {}, async (request) => {
    const requester = await deps.authenticate(request);
    const roomId = roomIdParam(params(request)['roomId']!);
    await requireJoined(deps.db, { roomId, userId: requester.userId });
    const rows = await getRoomMembers(deps.db, roomId, { memberships: ['join'] });
    const joined: Record<string, JsonObject> = {};
    for (const row of rows) {
      // Both keys always, null when unset, as Synapse answers (clients and Sytest read them so;
      // the spec's schema lists them as strings).
      joined[row.userId] = { display_name: row.displayName ?? null, avatar_url: row.avatarUrl ?? null };
    }
    return { joined };
  });
}
