// Writing to a room: send (idempotent per device and txnId), state PUT (with and without a
// trailing state key), redact; and reading state (all, or one (type, state_key)).
import { MatrixError, invalidParam, limitExceeded, notFound } from '@homeserver/http';
import { isValidRoomAlias, type JsonObject } from '@homeserver/matrix';
import { getAlias, getCurrentState, getCurrentStateEvent, getStateIdsAtPosition, loadEvents } from '@homeserver/storage';
import { EventFormatter, roomAccess, type Requester } from '@homeserver/services';
import type { FastifyInstance } from 'fastify';

import { eventIdParam, roomIdParam } from './path-params.ts';
import { body, clientRoute, params, query } from './route-helper.ts';
import { sendOrThrow, shadowEventId } from './room-writes.ts';
import type { RoomsDeps } from './rooms-deps.ts';

const anyObject = { type: 'object' } as const;

/** Who may read a room's state: members, former members (as of leaving), anyone if world_readable. */
async function stateAccess(deps: RoomsDeps, roomId: string, userId: string) {
  const access = await roomAccess(deps.db, { roomId, userId });
  // Invited and knocking users get stripped state through /sync, not the full state (as Synapse).
  if ((access.membership === 'invite' || access.membership === 'knock') && !access.worldReadable) {
    throw new MatrixError(403, 'M_FORBIDDEN', `user ${userId} is not in room ${roomId}`);
  }
  return access;
}

async function checkCanonicalAlias(deps: RoomsDeps, roomId: string, content: JsonObject): Promise<void> {
  const aliases = [content['alias'], ...(Array.isArray(content['alt_aliases']) ? content['alt_aliases'] : [])].filter((a) => a !== undefined && a !== null);
  for (const alias of aliases) {
    // A malformed alias is a bad parameter; a well-formed one that points elsewhere a bad alias (Synapse).
    if (typeof alias !== 'string' || !isValidRoomAlias(alias)) throw invalidParam(`alias ${JSON.stringify(alias)} is not a valid room alias`);
    const row = await getAlias(deps.db, alias);
    if (!row || row.roomId !== roomId) throw new MatrixError(400, 'M_BAD_ALIAS', `alias ${JSON.stringify(alias)} does not point to room ${roomId}`);
  }
}

/**
 * Synapse's rc_message: every event a user sends through the API counts against their bucket,
 * unless an appservice registered with rate_limited: false sends it.
 */
function checkMessageRate(deps: RoomsDeps, requester: Requester): void {
  if (requester.appserviceId !== undefined && deps.appservices?.byId(requester.appserviceId)?.rateLimited === false) return;
  const retryAfterMs = deps.messageLimiter?.check(requester.userId) ?? 0;
  if (retryAfterMs > 0) throw limitExceeded(retryAfterMs);
}

export function registerSendRoutes(app: FastifyInstance, deps: RoomsDeps): void {
  const formatter = new EventFormatter(deps.db, deps.clock);

  const sendEvent = async (request: Parameters<Parameters<typeof clientRoute>[4]>[0]) => {
    const requester = await deps.authenticate(request);
    checkMessageRate(deps, requester);
    const p = params(request);
    const roomId = roomIdParam(p['roomId']!);
    if (requester.shadowBanned === true) return { event_id: shadowEventId() };
    const eventId = await sendOrThrow(deps, roomId, {
      type: p['eventType']!,
      content: body<JsonObject>(request),
      sender: requester.userId,
      txnId: p['txnId'],
      deviceId: requester.deviceId,
    });
    return { event_id: eventId };
  };
  clientRoute(app, 'PUT', '/rooms/:roomId/send/:eventType/:txnId', { schema: { body: anyObject } }, sendEvent);
  // The legacy form without a transaction ID (Synapse still serves it): each call sends anew.
  clientRoute(app, 'POST', '/rooms/:roomId/send/:eventType', { schema: { body: anyObject } }, sendEvent);

  const putState = async (request: Parameters<Parameters<typeof clientRoute>[4]>[0]) => {
    const requester = await deps.authenticate(request);
    checkMessageRate(deps, requester);
    const p = params(request);
    const roomId = roomIdParam(p['roomId']!);
    const content = body<JsonObject>(request);
    if (requester.shadowBanned === true) return { event_id: shadowEventId() };
    if (p['eventType'] === 'm.room.canonical_alias') await checkCanonicalAlias(deps, roomId, content);
    const eventId = await sendOrThrow(deps, roomId, { type: p['eventType']!, stateKey: p['stateKey'] ?? '', content, sender: requester.userId });
    return { event_id: eventId };
  };
  clientRoute(app, 'PUT', '/rooms/:roomId/state/:eventType/:stateKey', { schema: { body: anyObject } }, putState);
  clientRoute(app, 'PUT', '/rooms/:roomId/state/:eventType', { schema: { body: anyObject } }, putState);

  clientRoute(app, 'PUT', '/rooms/:roomId/redact/:eventId/:txnId', { schema: { body: { type: 'object', properties: { reason: { type: 'string' } } } } }, async (request) => {
    const requester = await deps.authenticate(request);
    checkMessageRate(deps, requester);
    const p = params(request);
    const roomId = roomIdParam(p['roomId']!);
    const target = eventIdParam(p['eventId']!);
    const reason = body(request)['reason'];
    const content: JsonObject = typeof reason === 'string' ? { reason } : {};
    const eventId = await sendOrThrow(deps, roomId, { type: 'm.room.redaction', content, redacts: target, sender: requester.userId, txnId: p['txnId'], deviceId: requester.deviceId });
    return { event_id: eventId };
  });

  clientRoute(app, 'GET', '/rooms/:roomId/state', {}, async (request) => {
    const requester = await deps.authenticate(request);
    const roomId = roomIdParam(params(request)['roomId']!);
    const access = await stateAccess(deps, roomId, requester.userId);
    // A user who left sees the state as it was when they left.
    const events = access.leftAt !== undefined && !access.worldReadable
      ? await loadEvents(deps.db, await getStateIdsAtPosition(deps.db, roomId, access.leftAt))
      : await getCurrentState(deps.db, roomId);
    return formatter.format(events.sort((a, b) => a.streamOrdering - b.streamOrdering));
  });

  const getState = async (request: Parameters<Parameters<typeof clientRoute>[4]>[0]) => {
    const requester = await deps.authenticate(request);
    const p = params(request);
    const roomId = roomIdParam(p['roomId']!);
    const access = await stateAccess(deps, roomId, requester.userId);
    const key = { type: p['eventType']!, stateKey: p['stateKey'] ?? '' };
    let event;
    if (access.leftAt !== undefined && !access.worldReadable) {
      const ids = await getStateIdsAtPosition(deps.db, roomId, access.leftAt, { pairs: [[key.type, key.stateKey]] });
      event = (await loadEvents(deps.db, ids))[0];
    } else {
      event = await getCurrentStateEvent(deps.db, roomId, key);
    }
    if (!event) throw notFound(`room ${roomId} has no state event (${key.type}, ${JSON.stringify(key.stateKey)})`);
    const formatted = await formatter.formatOne(event);
    return query(request)['format'] === 'event' ? formatted : formatted['content'];
  };
  clientRoute(app, 'GET', '/rooms/:roomId/state/:eventType/:stateKey', {}, getState);
  clientRoute(app, 'GET', '/rooms/:roomId/state/:eventType', {}, getState);
}
