// Synapse's room deletion (DELETE /_synapse/admin/v2/rooms/{roomId}) as a polled task: every
// local member leaves (through the room's persister actor, each leaving themselves as Synapse's
// shutdown does), local aliases and the directory entry go, the room is optionally blocked, then
// optionally purged from the database. The status is read by delete ID or by room.
import { randomBytes } from 'node:crypto';
import { MatrixError, notFound } from '@homeserver/http';
import type { Requester } from '@homeserver/services';
import {
  blockRoom,
  deleteAlias,
  getAdminTask,
  getAdminTasksFor,
  getAliasesForRoom,
  getRoom,
  getRoomMembers,
  insertAdminTask,
  purgeRoomData,
  setRoomPublic,
  updateAdminTask,
  type AdminTask,
} from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import { roomIdParam } from '../rooms/path-params.ts';
import type { AdminDeps } from './admin-deps.ts';
import { adminRoute, logAdminAction } from './admin-route.ts';
import type { BackgroundTasks } from './background-tasks.ts';

const SHUTDOWN_AND_PURGE = 'shutdown_and_purge_room';
const PURGE = 'purge_room';

interface DeleteBody {
  block?: boolean;
  purge?: boolean;
  force_purge?: boolean;
  message?: string;
  room_name?: string;
  new_room_user_id?: string;
}

const deleteBody = {
  type: ['object', 'null'],
  properties: {
    block: { type: 'boolean' },
    purge: { type: 'boolean' },
    force_purge: { type: 'boolean' },
    message: { type: 'string' },
    room_name: { type: 'string' },
    new_room_user_id: { type: 'string' },
  },
} as const;

function taskJson(task: AdminTask): Record<string, unknown> {
  const result = task.result ?? {};
  return {
    delete_id: task.id,
    room_id: task.resourceId,
    status: task.status,
    ...(task.error === null ? {} : { error: task.error }),
    shutdown_room: 'shutdown_room' in result ? result['shutdown_room'] : { kicked_users: [], failed_to_kick_users: [], local_aliases: [], new_room_id: null },
  };
}

export function registerRoomDeletionRoutes(app: FastifyInstance, deps: AdminDeps, tasks: BackgroundTasks): void {
  const { db, auth, serverName, clock } = deps;

  adminRoute<{ Params: { roomId: string }; Body: DeleteBody }>(
    app,
    auth,
    'DELETE',
    '/_synapse/admin/v2/rooms/:roomId',
    { params: { type: 'object', required: ['roomId'], properties: { roomId: { type: 'string' } } }, body: deleteBody },
    async (request, admin) => {
      const roomId = roomIdParam(request.params.roomId);
      const body = request.body ?? {};
      // Moving members and aliases to a replacement room is not implemented: refuse, never ignore.
      if (body.new_room_user_id !== undefined) throw new MatrixError(400, 'M_INVALID_PARAM', 'new_room_user_id is not supported by this server: members cannot be moved to a replacement room');
      if (body.message !== undefined || body.room_name !== undefined) throw new MatrixError(400, 'M_INVALID_PARAM', 'message and room_name only apply with new_room_user_id, which this server does not support');
      const purge = body.purge ?? true;
      const block = body.block ?? false;
      const running = (await getAdminTasksFor(db, roomId, [SHUTDOWN_AND_PURGE, PURGE])).some((t) => t.status === 'scheduled' || t.status === 'active');
      if (running) throw new MatrixError(400, 'M_UNKNOWN', `History purge already in progress for ${roomId}`);
      const id = randomBytes(12).toString('base64url');
      await insertAdminTask(db, { id, action: SHUTDOWN_AND_PURGE, resourceId: roomId, createdTs: clock.now() });
      logAdminAction(request, admin, 'delete room', { room_id: roomId, block, purge, delete_id: id });
      tasks.track(runDeletion(admin, { id, roomId, block, purge }));
      return { delete_id: id };
    },
  );

  adminRoute<{ Params: { roomId: string } }>(
    app,
    auth,
    'GET',
    '/_synapse/admin/v2/rooms/:roomId/delete_status',
    { params: { type: 'object', required: ['roomId'], properties: { roomId: { type: 'string' } } } },
    async (request) => {
      const roomId = roomIdParam(request.params.roomId);
      const tasks = await getAdminTasksFor(db, roomId, [SHUTDOWN_AND_PURGE, PURGE]);
      if (tasks.length === 0) throw notFound(`No delete task for room_id '${roomId}' found`);
      return { results: tasks.map(taskJson) };
    },
  );

  adminRoute<{ Params: { deleteId: string } }>(
    app,
    auth,
    'GET',
    '/_synapse/admin/v2/rooms/delete_status/:deleteId',
    { params: { type: 'object', required: ['deleteId'], properties: { deleteId: { type: 'string' } } } },
    async (request) => {
      const task = await getAdminTask(db, request.params.deleteId);
      if (task === undefined || (task.action !== SHUTDOWN_AND_PURGE && task.action !== PURGE)) throw notFound(`delete id '${request.params.deleteId}' not found`);
      return taskJson(task);
    },
  );

  async function runDeletion(admin: Requester, task: { id: string; roomId: string; block: boolean; purge: boolean }): Promise<void> {
    const { roomId } = task;
    const log = deps.logger.child({ admin: admin.userId, room_id: roomId, delete_id: task.id });
    try {
      await updateAdminTask(db, task.id, { status: 'active' });
      if (task.block) await blockRoom(db, roomId, admin.userId);
      const kicked: string[] = [];
      const failed: string[] = [];
      const aliases: string[] = [];
      if (await getRoom(db, roomId)) {
        const members = await getRoomMembers(db, roomId, { memberships: ['join', 'invite', 'knock'] });
        for (const { userId } of members.filter((m) => m.userId.endsWith(`:${serverName}`))) {
          const result = await deps.rooms.sendEvent(roomId, { type: 'm.room.member', stateKey: userId, sender: userId, content: { membership: 'leave' } });
          (result.ok ? kicked : failed).push(userId);
          if (!result.ok) log.warn({ user_id: userId, kind: result.kind, reason: result.reason }, 'a member could not be removed from the deleted room');
        }
        for (const alias of await getAliasesForRoom(db, roomId)) {
          if (alias.endsWith(`:${serverName}`) && (await deleteAlias(db, alias))) aliases.push(alias);
        }
        await setRoomPublic(db, roomId, false);
      }
      const shutdownRoom = { kicked_users: kicked, failed_to_kick_users: failed, local_aliases: aliases, new_room_id: null };
      if (task.purge) {
        await updateAdminTask(db, task.id, { status: 'active', result: { shutdown_room: shutdownRoom } });
        const tables = await db.transaction((tx) => purgeRoomData(tx, roomId));
        deps.rooms.forgetRoom(roomId);
        log.info({ tables }, 'room purged');
      }
      await updateAdminTask(db, task.id, { status: 'complete', result: { shutdown_room: shutdownRoom } });
      log.info({ kicked: kicked.length, failed: failed.length }, 'room deletion complete');
    } catch (error) {
      log.error({ err: error }, 'room deletion failed');
      await updateAdminTask(db, task.id, { status: 'failed', error: (error as Error).message }).catch(() => undefined);
    }
  }
}
