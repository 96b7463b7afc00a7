// Synapse's purge_history: POST /_synapse/admin/v1/purge_history/{roomId}[/{eventId}] removes
// the room's timeline before a point (an event, or the last event at or before a timestamp) and
// answers a purge ID at once; GET /v1/purge_history_status/{purgeId} polls it. The purge itself
// is run by the room's owner (RoomClient.purgeHistory), so it never races a send; what it keeps
// and what it removes is described in libs/storage purge-history.ts.
import { randomBytes } from 'node:crypto';
import { MatrixError, notFound } from '@homeserver/http';
import type { Requester } from '@homeserver/services';
import { getAdminTask, getAdminTasksFor, getEvent, getEventNearTimestamp, getRoom, insertAdminTask, updateAdminTask } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import { eventIdParam, roomIdParam } from '../rooms/path-params.ts';
import type { AdminDeps } from './admin-deps.ts';
import { adminRoute, logAdminAction } from './admin-route.ts';
import type { BackgroundTasks } from './background-tasks.ts';

const PURGE_HISTORY = 'purge_history';

interface PurgeBody {
  delete_local_events?: boolean;
  purge_up_to_event_id?: string;
  purge_up_to_ts?: unknown;
}

const purgeParams = { type: 'object', required: ['roomId'], properties: { roomId: { type: 'string' }, eventId: { type: 'string' } } } as const;
const purgeBody = {
  type: ['object', 'null'],
  properties: { delete_local_events: { type: 'boolean' }, purge_up_to_event_id: { type: 'string' }, purge_up_to_ts: {} },
} as const;

export function registerPurgeHistoryRoutes(app: FastifyInstance, deps: AdminDeps, tasks: BackgroundTasks): void {
  const { db, auth, clock } = deps;

  const start = async (request: { params: { roomId: string; eventId?: string }; body: PurgeBody | null }, admin: Requester, log: (target: Record<string, unknown>) => void) => {
    const roomId = roomIdParam(request.params.roomId);
    const body = request.body ?? {};
    const pointId = request.params.eventId ?? body.purge_up_to_event_id;
    let depth: number;
    if (pointId !== undefined) {
      const event = await getEvent(db, eventIdParam(pointId));
      if (!event) throw notFound(`event ${pointId} not found`);
      if (event.roomId !== roomId) throw new MatrixError(400, 'M_UNKNOWN', `Event ${pointId} is for wrong room: it belongs to ${event.roomId}, not ${roomId}`);
      depth = event.depth;
    } else if (body.purge_up_to_ts !== undefined) {
      const ts = body.purge_up_to_ts;
      if (typeof ts !== 'number' || !Number.isSafeInteger(ts)) throw new MatrixError(400, 'M_INVALID_PARAM', `purge_up_to_ts must be an int, not ${JSON.stringify(ts)}`);
      if (!(await getRoom(db, roomId))) throw notFound(`room ${roomId} is not known to this server`);
      const event = await getEventNearTimestamp(db, roomId, { ts, direction: 'b' });
      if (!event) throw notFound(`there is no event to be purged in ${roomId} at or before ${ts}`);
      depth = event.depth;
    } else {
      throw new MatrixError(400, 'M_MISSING_PARAM', 'must specify purge_up_to_event_id or purge_up_to_ts');
    }
    const running = (await getAdminTasksFor(db, roomId, [PURGE_HISTORY])).some((t) => t.status === 'scheduled' || t.status === 'active');
    if (running) throw new MatrixError(400, 'M_UNKNOWN', `History purge already in progress for ${roomId}`);
    const deleteLocalEvents = body.delete_local_events === true;
    const id = randomBytes(12).toString('base64url');
    await insertAdminTask(db, { id, action: PURGE_HISTORY, resourceId: roomId, createdTs: clock.now() });
    log({ room_id: roomId, before_depth: depth, delete_local_events: deleteLocalEvents, purge_id: id });
    tasks.track(run(admin, { id, roomId, beforeDepth: depth, deleteLocalEvents }));
    return { purge_id: id };
  };

  for (const url of ['/_synapse/admin/v1/purge_history/:roomId', '/_synapse/admin/v1/purge_history/:roomId/:eventId']) {
    adminRoute<{ Params: { roomId: string; eventId?: string }; Body: PurgeBody | null }>(app, auth, 'POST', url, { params: purgeParams, body: purgeBody }, (request, admin) =>
      start(request, admin, (target) => logAdminAction(request, admin, 'purge history', target)),
    );
  }

  adminRoute<{ Params: { purgeId: string } }>(
    app,
    auth,
    'GET',
    '/_synapse/admin/v1/purge_history_status/:purgeId',
    { params: { type: 'object', required: ['purgeId'], properties: { purgeId: { type: 'string' } } } },
    async (request) => {
      const task = await getAdminTask(db, request.params.purgeId);
      if (task === undefined || task.action !== PURGE_HISTORY) throw notFound(`purge id '${request.params.purgeId}' not found`);
      // Synapse reports a scheduled purge as active.
      const status = task.status === 'scheduled' ? 'active' : task.status;
      return { status, ...(task.error === null ? {} : { error: task.error }) };
    },
  );

  async function run(admin: Requester, task: { id: string; roomId: string; beforeDepth: number; deleteLocalEvents: boolean }): Promise<void> {
    const log = deps.logger.child({ admin: admin.userId, room_id: task.roomId, purge_id: task.id });
    try {
      await updateAdminTask(db, task.id, { status: 'active' });
      const result = await deps.rooms.purgeHistory(task.roomId, { beforeDepth: task.beforeDepth, deleteLocalEvents: task.deleteLocalEvents });
      if (!result.ok) {
        log.warn({ kind: result.kind, reason: result.reason }, 'history purge refused by the room input');
        await updateAdminTask(db, task.id, { status: 'failed', error: result.reason });
        return;
      }
      await updateAdminTask(db, task.id, { status: 'complete', result: { deleted: result.deleted, kept_as_outliers: result.keptAsOutliers } });
      log.info({ deleted: result.deleted, kept_as_outliers: result.keptAsOutliers }, 'history purge complete');
    } catch (error) {
      log.error({ err: error }, 'history purge failed');
      await updateAdminTask(db, task.id, { status: 'failed', error: (error as Error).message }).catch(() => undefined);
    }
  }
}
