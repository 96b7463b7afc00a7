// Reporting content to the server's admins: POST /rooms/{roomId}/report/{eventId} (r0, v3),
// /rooms/{roomId}/report (v3, v1.13) and /users/{userId}/report (v3, v1.14). Reports are
// stored for admins (libs/storage report-store). As Synapse: an event must exist in the room
// and be visible to a reporter who is joined (or reading a world-readable room), else 404; a
// room must exist, else 404; a user report about an unknown or remote user is accepted and
// dropped, so that reports do not reveal which users exist.
import { badJson, MatrixError, notFound } from '@homeserver/http';
import { filterVisible, roomAccess } from '@homeserver/services';
import { getEvent, getRoom, getUser, insertEventReport, insertRoomReport, insertUserReport } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import { eventIdParam, roomIdParam, userIdParam } from '../rooms/path-params.ts';
import { body, clientRoute, params } from '../rooms/route-helper.ts';
import type { RoomsDeps } from '../rooms/rooms-deps.ts';

/** Synapse refuses longer user-report reasons. */
const MAX_USER_REPORT_REASON = 1000;

// `score` was removed in v1.18; Synapse still refuses a non-integer one, and so do we.
const eventReportSchema = { type: 'object', properties: { reason: { type: 'string' }, score: { type: 'integer' } } } as const;
const reasonRequiredSchema = { type: 'object', required: ['reason'], properties: { reason: { type: 'string' } } } as const;

/** Whether the reporter may see the event; any lack of access reads as "not found". */
async function visibleTo(deps: RoomsDeps, options: { userId: string; roomId: string; eventId: string }): Promise<boolean> {
  const event = await getEvent(deps.db, options.eventId);
  if (!event || event.roomId !== options.roomId || event.rejected !== undefined) return false;
  try {
    const access = await roomAccess(deps.db, { roomId: options.roomId, userId: options.userId });
    if (access.membership !== 'join' && !access.worldReadable) return false;
    return (await filterVisible(deps.db, [event], { access })).length === 1;
  } catch (error) {
    if (error instanceof MatrixError && error.status === 403) return false;
    throw error;
  }
}

export function registerReportRoutes(app: FastifyInstance, deps: RoomsDeps): void {
  clientRoute(app, 'POST', '/rooms/:roomId/report/:eventId', { schema: { body: eventReportSchema }, paths: {} }, async (request) => {
    const requester = await deps.authenticate(request);
    const p = params(request);
    const roomId = roomIdParam(p['roomId']!);
    const eventId = eventIdParam(p['eventId']!);
    const content = body(request);
    if (!(await visibleTo(deps, { userId: requester.userId, roomId, eventId }))) {
      throw notFound(`cannot report event ${eventId}: it does not exist in room ${roomId} or you cannot see it`);
    }
    await insertEventReport(deps.db, { roomId, eventId, userId: requester.userId, reason: content['reason'] as string | undefined, content, receivedTs: deps.clock.now() });
    return {};
  });

  clientRoute(app, 'POST', '/rooms/:roomId/report', { schema: { body: reasonRequiredSchema }, paths: { r0: false } }, async (request) => {
    const requester = await deps.authenticate(request);
    const roomId = roomIdParam(params(request)['roomId']!);
    const { reason } = body<{ reason: string }>(request);
    if ((await getRoom(deps.db, roomId)) === undefined) throw notFound(`cannot report room ${roomId}: it does not exist`);
    await insertRoomReport(deps.db, { roomId, userId: requester.userId, reason, receivedTs: deps.clock.now() });
    return {};
  });

  clientRoute(app, 'POST', '/users/:userId/report', { schema: { body: reasonRequiredSchema }, paths: { r0: false } }, async (request) => {
    const requester = await deps.authenticate(request);
    const targetUserId = userIdParam(params(request)['userId'], 'user ID');
    const { reason } = body<{ reason: string }>(request);
    if (reason.length > MAX_USER_REPORT_REASON) throw badJson(`reason is ${reason.length} characters long; at most ${MAX_USER_REPORT_REASON} are accepted`);
    const local = targetUserId.slice(targetUserId.indexOf(':') + 1) === deps.serverName;
    if (!local || (await getUser(deps.db, targetUserId)) === undefined) return {};
    await insertUserReport(deps.db, { targetUserId, userId: requester.userId, reason, receivedTs: deps.clock.now() });
    return {};
  });
}
