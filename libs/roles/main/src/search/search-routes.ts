// POST /search (v3, r0 and Synapse's api/v1): the room_events category over PostgreSQL full-text
// search, in the rooms the user is or was in, keeping only events history visibility lets them
// see. Candidates come from storage page by page in the requested order (best rank or newest
// first); each page is checked for visibility until the filter's limit is reached, and
// `next_batch` resumes after the last hit examined.
import { MatrixError } from '@homeserver/http';
import type { JsonObject } from '@homeserver/matrix';
import { EventFormatter, historyVisibilityChanges, isEventVisible, roomAccess, type Requester, type RoomAccess, type VisibilityChange } from '@homeserver/services';
import {
  countSearchMatches,
  getCurrentStateEvent,
  getEvents,
  getRoomsForUser,
  getStateIdsAtPosition,
  getCurrentState,
  loadEvents,
  searchEvents,
  searchHighlights,
  type SearchCursor,
  type SearchHit,
  type SearchRoom,
  type StoredEvent,
} from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import { filterSql } from '../rooms/read-routes.ts';
import { body, clientRoute, query } from '../rooms/route-helper.ts';
import type { RoomsDeps } from '../rooms/rooms-deps.ts';
import { searchResultContext } from './search-context.ts';
import { decodeBatch, encodeBatch, parseRoomEventsCriteria, searchBodySchema, type RoomEventsCriteria, type SearchBatch, type SearchBody } from './search-request.ts';

/** Pages of candidates examined per request before answering with what was found (as Synapse's five rounds). */
const MAX_ROUNDS = 5;

interface SearchableRoom {
  readonly access: RoomAccess;
  readonly changes: readonly VisibilityChange[];
}

/** Rooms that a room upgrade replaced, following m.room.create `predecessor` links (Synapse searches them too). */
async function predecessors(deps: RoomsDeps, roomId: string): Promise<string[]> {
  const found: string[] = [];
  let current = roomId;
  while (found.length < 100) {
    const create = await getCurrentStateEvent(deps.db, current, { type: 'm.room.create', stateKey: '' });
    const predecessor = (create?.pdu['content'] as { predecessor?: { room_id?: unknown } } | undefined)?.predecessor?.room_id;
    if (typeof predecessor !== 'string' || found.includes(predecessor) || predecessor === roomId) break;
    found.push(predecessor);
    current = predecessor;
  }
  return found;
}

/** The rooms to search and the user's access to each: rooms they are or were in, narrowed by the filter and the batch's group. */
async function searchableRooms(deps: RoomsDeps, userId: string, criteria: RoomEventsCriteria, batch: SearchBatch | undefined): Promise<Map<string, SearchableRoom>> {
  const memberships = await getRoomsForUser(deps.db, userId, { memberships: ['join', 'leave', 'ban'] });
  let roomIds = memberships.map((m) => m.roomId);
  const { rooms, notRooms } = criteria.filter;
  if (rooms !== undefined) {
    const wanted = new Set(rooms);
    for (const room of rooms) for (const old of await predecessors(deps, room)) wanted.add(old);
    roomIds = roomIds.filter((id) => wanted.has(id));
  }
  roomIds = roomIds.filter((id) => !notRooms.includes(id));
  if (batch?.group === 'room_id') roomIds = roomIds.filter((id) => id === batch.groupKey);
  const out = new Map<string, SearchableRoom>();
  for (const roomId of roomIds) {
    try {
      const access = await roomAccess(deps.db, { roomId, userId });
      out.set(roomId, { access, changes: await historyVisibilityChanges(deps.db, roomId) });
    } catch (error) {
      // A room the user may read nothing of (e.g. left before it had any shared history) is skipped.
      if (!(error instanceof MatrixError) || error.status !== 403) throw error;
    }
  }
  return out;
}

/** Nothing after a departure is visible unless the room is world-readable: bound the SQL there. */
function roomBounds(rooms: Map<string, SearchableRoom>): SearchRoom[] {
  return [...rooms].map(([roomId, { access }]) => ({ roomId, maxPosition: access.worldReadable ? undefined : access.leftAt }));
}

interface Page {
  readonly hits: Array<{ hit: SearchHit; event: StoredEvent }>;
  /** Where the next page starts; undefined when every candidate was examined. */
  readonly next: SearchCursor | undefined;
}

async function visibleHits(deps: RoomsDeps, criteria: RoomEventsCriteria, rooms: Map<string, SearchableRoom>, after: SearchCursor | undefined): Promise<Page> {
  const accepted: Page['hits'] = [];
  const bounds = roomBounds(rooms);
  const pageSize = criteria.limit * 2;
  let cursor = after;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const hits = await searchEvents(deps.db, {
      term: criteria.term,
      keys: criteria.keys,
      rooms: bounds,
      filter: filterSql(criteria.filter),
      orderBy: criteria.orderBy,
      after: cursor,
      limit: pageSize,
    });
    const events = await getEvents(deps.db, hits.map((h) => h.eventId));
    for (const [index, hit] of hits.entries()) {
      cursor = hit.cursor;
      const event = events.get(hit.eventId);
      const room = rooms.get(hit.roomId);
      if (event && room && isEventVisible(event, { userId: room.access.userId, history: room.access.history, changes: room.changes })) {
        accepted.push({ hit, event });
      }
      if (accepted.length === criteria.limit) {
        const more = index < hits.length - 1 || hits.length === pageSize;
        return { hits: accepted, next: more ? cursor : undefined };
      }
    }
    if (hits.length < pageSize) return { hits: accepted, next: undefined };
  }
  return { hits: accepted, next: cursor };
}

function searchValues(event: StoredEvent): string[] {
  const content = (event.pdu['content'] ?? {}) as JsonObject;
  return ['body', 'name', 'topic'].map((key) => content[key]).filter((v): v is string => typeof v === 'string');
}

async function roomEventsResults(deps: RoomsDeps, formatter: EventFormatter, requester: Requester, criteria: RoomEventsCriteria, batch: SearchBatch | undefined): Promise<JsonObject> {
  const rooms = await searchableRooms(deps, requester.userId, criteria, batch);
  if (rooms.size === 0) return { results: [], count: 0, highlights: [] };
  const page = await visibleHits(deps, criteria, rooms, batch?.cursor);
  const events = page.hits.map((h) => h.event);
  const formatted = await formatter.format(events, { requester });
  const results: JsonObject[] = [];
  for (const [index, { hit, event }] of page.hits.entries()) {
    const result: JsonObject = { rank: hit.rank, result: formatted[index]!, context: {} };
    if (criteria.context) {
      const room = rooms.get(event.roomId)!;
      result['context'] = await searchResultContext(deps.db, event, { ...criteria.context, access: room.access, changes: room.changes, formatter, requester });
    }
    results.push(result);
  }
  const response: JsonObject = {
    results,
    count: await countSearchMatches(deps.db, { term: criteria.term, keys: criteria.keys, rooms: roomBounds(rooms), filter: filterSql(criteria.filter) }),
    highlights: await searchHighlights(deps.db, criteria.term, events.flatMap(searchValues)),
  };
  if (page.next) {
    // Paging on from a room group's token stays in that room.
    response['next_batch'] = encodeBatch({ group: batch?.group ?? 'all', groupKey: batch?.groupKey ?? '', cursor: page.next });
  }
  const groups: JsonObject = {};
  for (const key of criteria.groupBy) {
    const grouped: Record<string, { results: string[]; order: number; next_batch?: string }> = {};
    for (const { event } of page.hits) {
      const value = key === 'room_id' ? event.roomId : event.sender;
      grouped[value] ??= { results: [], order: Object.keys(grouped).length + 1 };
      grouped[value].results.push(event.eventId);
    }
    if (key === 'room_id' && page.next) {
      for (const [roomId, group] of Object.entries(grouped)) group.next_batch = encodeBatch({ group: 'room_id', groupKey: roomId, cursor: page.next });
    }
    groups[key] = grouped;
  }
  if (Object.keys(groups).length > 0) response['groups'] = groups;
  if (criteria.includeState) {
    const state: JsonObject = {};
    for (const roomId of new Set(events.map((e) => e.roomId))) {
      const { access } = rooms.get(roomId)!;
      // A former member gets the state as it was when they left, not what happened since.
      const current = access.leftAt === undefined || access.worldReadable
        ? await getCurrentState(deps.db, roomId)
        : await loadEvents(deps.db, await getStateIdsAtPosition(deps.db, roomId, access.leftAt));
      state[roomId] = await formatter.format(current, { requester, aggregate: false });
    }
    response['state'] = state;
  }
  return response;
}

export function registerSearchRoutes(app: FastifyInstance, deps: RoomsDeps): void {
  const formatter = new EventFormatter(deps.db, deps.clock);
  clientRoute(app, 'POST', '/search', { schema: { body: searchBodySchema, querystring: { type: 'object', properties: { next_batch: { type: 'string' } } } } }, async (request) => {
    const requester = await deps.authenticate(request);
    const criteria = parseRoomEventsCriteria(body<SearchBody>(request));
    if (criteria === undefined) return { search_categories: {} };
    const token = query(request)['next_batch'];
    const batch = token === undefined ? undefined : decodeBatch(token, criteria.orderBy);
    return { search_categories: { room_events: await roomEventsResults(deps, formatter, requester, criteria, batch) } };
  });
}
