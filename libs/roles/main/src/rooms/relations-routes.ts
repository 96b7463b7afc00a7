// Relations and threads (client v1): /rooms/{roomId}/relations/{eventId}[/{relType}[/{eventType}]],
// /rooms/{roomId}/threads, and /rooms/{roomId}/timestamp_to_event.
import { invalidParam, notFound } from '@homeserver/http';
import type { JsonObject } from '@homeserver/matrix';
import { getEvent, getEventNearTimestamp, getRelatedEvents, getRoomEvents, getThreadRoots, type StoredEvent } from '@homeserver/storage';
import { EventFormatter, filterVisible, historyVisibilityChanges, roomAccess, type RoomAccess } from '@homeserver/services';
import type { FastifyInstance, FastifyRequest } from 'fastify';

import { eventIdParam, parsePositionToken, positionToken, roomIdParam } from './path-params.ts';
import { clientRoute, params, query } from './route-helper.ts';
import type { RoomsDeps } from './rooms-deps.ts';

function limitOf(text: string | undefined): number {
  if (text === undefined) return 10;
  if (!/^[0-9]{1,9}$/.test(text)) throw invalidParam(`limit ${JSON.stringify(text)} is not a non-negative integer`);
  return Math.min(Number(text), 1000);
}

/** Pages /timestamp_to_event walks past events the user may not see (bounded: a 404 beyond). */
const TIMESTAMP_WALK_PAGES = 5;
const TIMESTAMP_WALK_PAGE = 100;

/**
 * The first event from `start` on (in `direction`, stream order) the user may see: the event
 * nearest a timestamp may predate a `joined` user's join, and the answer is then their join.
 */
async function nearestVisible(deps: RoomsDeps, start: StoredEvent, options: { access: RoomAccess; direction: 'f' | 'b' }): Promise<StoredEvent | undefined> {
  const changes = await historyVisibilityChanges(deps.db, start.roomId);
  if ((await filterVisible(deps.db, [start], { ...options, changes })).length > 0) return start;
  let from = options.direction === 'f' ? start.streamOrdering : start.streamOrdering - 1;
  for (let i = 0; i < TIMESTAMP_WALK_PAGES; i++) {
    const page = await getRoomEvents(deps.db, start.roomId, { from, direction: options.direction, limit: TIMESTAMP_WALK_PAGE });
    const [visible] = await filterVisible(deps.db, page.events, { ...options, changes });
    if (visible) return visible;
    if (!page.limited) return undefined;
    from = page.next;
  }
  return undefined;
}

export function registerRelationsRoutes(app: FastifyInstance, deps: RoomsDeps): void {
  const formatter = new EventFormatter(deps.db, deps.clock);
  const v1 = { paths: { version: 'v1' as const, r0: false } };

  const relations = async (request: FastifyRequest) => {
    const requester = await deps.authenticate(request);
    const p = params(request);
    const roomId = roomIdParam(p['roomId']!);
    const eventId = eventIdParam(p['eventId']!);
    const q = query(request);
    const dir = q['dir'] ?? 'b';
    if (dir !== 'b' && dir !== 'f') throw invalidParam(`dir must be "b" or "f", got ${JSON.stringify(dir)}`);
    // Recursion is not implemented (the spec lets servers ignore it), but a non-boolean is still a bad request.
    const recurse = q['recurse'];
    if (recurse !== undefined && recurse !== 'true' && recurse !== 'false') throw invalidParam(`recurse must be "true" or "false", got ${JSON.stringify(recurse)}`);
    const access = await roomAccess(deps.db, { roomId, userId: requester.userId });
    const parent = await getEvent(deps.db, eventId);
    if (!parent || parent.roomId !== roomId || (await filterVisible(deps.db, [parent], { access })).length === 0) {
      throw notFound(`event ${eventId} not found in room ${roomId}`);
    }
    const page = await getRelatedEvents(deps.db, eventId, {
      relType: p['relType'],
      eventType: p['eventType'],
      from: q['from'] !== undefined ? parsePositionToken(q['from'], 'from') : undefined,
      to: q['to'] !== undefined ? parsePositionToken(q['to'], 'to') : undefined,
      direction: dir,
      limit: limitOf(q['limit']),
    });
    const visible = await filterVisible(deps.db, page.events, { access });
    const response: JsonObject = { chunk: await formatter.format(visible, { requester }) };
    if (page.limited) response['next_batch'] = positionToken(page.next);
    return response;
  };
  clientRoute(app, 'GET', '/rooms/:roomId/relations/:eventId', v1, relations);
  clientRoute(app, 'GET', '/rooms/:roomId/relations/:eventId/:relType', v1, relations);
  clientRoute(app, 'GET', '/rooms/:roomId/relations/:eventId/:relType/:eventType', v1, relations);

  clientRoute(app, 'GET', '/rooms/:roomId/threads', v1, async (request) => {
    const requester = await deps.authenticate(request);
    const roomId = roomIdParam(params(request)['roomId']!);
    const q = query(request);
    const include = q['include'] ?? 'all';
    if (include !== 'all' && include !== 'participated') throw invalidParam(`include must be "all" or "participated", got ${JSON.stringify(include)}`);
    const access = await roomAccess(deps.db, { roomId, userId: requester.userId });
    const { roots, next } = await getThreadRoots(deps.db, roomId, {
      limit: limitOf(q['limit']),
      before: q['from'] !== undefined ? parsePositionToken(q['from'], 'from') : undefined,
      participant: include === 'participated' ? requester.userId : undefined,
    });
    const visible = await filterVisible(deps.db, roots.map((r) => r.event), { access });
    const response: JsonObject = { chunk: await formatter.format(visible, { requester }) };
    if (next !== undefined) response['next_batch'] = positionToken(next);
    return response;
  });

  clientRoute(app, 'GET', '/rooms/:roomId/timestamp_to_event', v1, async (request) => {
    const requester = await deps.authenticate(request);
    const roomId = roomIdParam(params(request)['roomId']!);
    const q = query(request);
    if (q['ts'] === undefined || !/^[0-9]{1,16}$/.test(q['ts'])) throw invalidParam(`ts ${JSON.stringify(q['ts'])} is not a timestamp in milliseconds`);
    const dir = q['dir'];
    if (dir !== 'b' && dir !== 'f') throw invalidParam(`dir must be "b" or "f", got ${JSON.stringify(dir)}`);
    const access = await roomAccess(deps.db, { roomId, userId: requester.userId });
    const nearest = await getEventNearTimestamp(deps.db, roomId, { ts: Number(q['ts']), direction: dir });
    const event = nearest && (await nearestVisible(deps, nearest, { access, direction: dir }));
    if (!event) throw notFound(`no visible event ${dir === 'f' ? 'at or after' : 'at or before'} ${q['ts']} in room ${roomId}`);
    return { event_id: event.eventId, origin_server_ts: event.originServerTs };
  });
}
