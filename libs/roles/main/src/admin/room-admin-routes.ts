// Synapse's room admin API, reads and joins: list (/v1/rooms), details, members, state and
// messages of any room whatever the admin's membership, joining a local user to a room
// (/v1/join) and making a user a room admin (/v1/rooms/{room}/make_room_admin). Every write
// goes through the room's persister actor.
import { MatrixError, invalidParam, notFound } from '@homeserver/http';
import type { JsonObject } from '@homeserver/matrix';
import {
  countDevicesOfUsers,
  getCurrentState,
  getCurrentStateEvent,
  getLatestEventStreamPosition,
  getMembership,
  getRoomEvents,
  getRoomForAdmin,
  getRoomMembers,
  getUser,
  isRoomForgottenByAll,
  listRoomsForAdmin,
  ROOM_ORDERS,
  type RoomOrder,
} from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import { join, resolveRoom } from '../rooms/membership-routes.ts';
import { parsePositionToken, positionToken, roomIdParam } from '../rooms/path-params.ts';
import { memberContent, sendOrThrow } from '../rooms/room-writes.ts';
import type { RoomsDeps } from '../rooms/rooms-deps.ts';
import type { AdminDeps } from './admin-deps.ts';
import { BOOL_QUERY, INT_QUERY, adminRoute, boolQuery, intQuery, localUserParam, logAdminAction, pagingQuery } from './admin-route.ts';
import { roomDetails, roomListItem } from './room-json.ts';

const roomParams = { type: 'object', required: ['roomId'], properties: { roomId: { type: 'string' } } } as const;

export function registerRoomAdminRoutes(app: FastifyInstance, deps: AdminDeps, roomsDeps: RoomsDeps): void {
  const { db, auth, serverName } = deps;
  const knownRoom = async (raw: string) => {
    const room = await getRoomForAdmin(db, serverName, roomIdParam(raw));
    if (room === undefined) throw notFound('Room not found');
    return room;
  };

  adminRoute<{ Querystring: { from?: string; limit?: string; order_by?: RoomOrder; dir?: 'f' | 'b'; search_term?: string; public_rooms?: string; empty_rooms?: string } }>(
    app,
    auth,
    'GET',
    '/_synapse/admin/v1/rooms',
    {
      querystring: {
        type: 'object',
        properties: {
          ...pagingQuery,
          order_by: { type: 'string', enum: Object.keys(ROOM_ORDERS) },
          dir: { type: 'string', enum: ['f', 'b'] },
          search_term: { type: 'string' },
          public_rooms: BOOL_QUERY,
          empty_rooms: BOOL_QUERY,
        },
      },
    },
    async (request) => {
      const q = request.query;
      if (q.search_term === '') throw invalidParam('search_term cannot be an empty string');
      const from = intQuery(q.from, 0);
      const limit = intQuery(q.limit, 100);
      const publicRooms = boolQuery(q.public_rooms);
      const emptyRooms = boolQuery(q.empty_rooms);
      const { rooms, total } = await listRoomsForAdmin(db, serverName, {
        from,
        limit,
        orderBy: q.order_by ?? 'name',
        reverse: q.dir === 'b',
        ...(q.search_term === undefined ? {} : { searchTerm: q.search_term }),
        ...(publicRooms === undefined ? {} : { publicRooms }),
        ...(emptyRooms === undefined ? {} : { emptyRooms }),
      });
      const body: Record<string, unknown> = { offset: from, rooms: rooms.map(roomListItem), total_rooms: total };
      if (from + limit < total) body['next_batch'] = from + limit;
      if (from > 0) body['prev_batch'] = from > limit ? from - limit : 0;
      return body;
    },
  );

  adminRoute<{ Params: { roomId: string } }>(app, auth, 'GET', '/_synapse/admin/v1/rooms/:roomId', { params: roomParams }, async (request) => {
    const room = await knownRoom(request.params.roomId);
    const joined = (await getRoomMembers(db, room.roomId, { memberships: ['join'] })).map((m) => m.userId).filter((u) => u.endsWith(`:${serverName}`));
    const tombstone = await getCurrentStateEvent(db, room.roomId, { type: 'm.room.tombstone', stateKey: '' });
    const replacement = (tombstone?.pdu['content'] as JsonObject | undefined)?.['replacement_room'];
    return roomDetails(room, {
      joinedLocalDevices: await countDevicesOfUsers(db, joined),
      forgotten: await isRoomForgottenByAll(db, room.roomId),
      replacementRoom: tombstone === undefined ? undefined : typeof replacement === 'string' ? replacement : null,
    });
  });

  adminRoute<{ Params: { roomId: string } }>(app, auth, 'GET', '/_synapse/admin/v1/rooms/:roomId/members', { params: roomParams }, async (request) => {
    const room = await knownRoom(request.params.roomId);
    const members = (await getRoomMembers(db, room.roomId, { memberships: ['join'] })).map((m) => m.userId).sort();
    return { members, total: members.length };
  });

  adminRoute<{ Params: { roomId: string } }>(app, auth, 'GET', '/_synapse/admin/v1/rooms/:roomId/state', { params: roomParams }, async (request) => {
    const room = await knownRoom(request.params.roomId);
    return { state: await deps.formatter.format(await getCurrentState(db, room.roomId), { aggregate: false }) };
  });

  adminRoute<{ Params: { roomId: string }; Querystring: { from?: string; to?: string; dir?: 'f' | 'b'; limit?: string } }>(
    app,
    auth,
    'GET',
    '/_synapse/admin/v1/rooms/:roomId/messages',
    { params: roomParams, querystring: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' }, dir: { type: 'string', enum: ['f', 'b'] }, limit: INT_QUERY } } },
    async (request) => {
      const room = await knownRoom(request.params.roomId);
      const q = request.query;
      const direction = q.dir ?? 'b';
      const from = q.from !== undefined ? parsePositionToken(q.from, 'from') : direction === 'b' ? await getLatestEventStreamPosition(db) : 0;
      const to = q.to === undefined ? undefined : parsePositionToken(q.to, 'to');
      const page = await getRoomEvents(db, room.roomId, { from, direction, limit: Math.min(intQuery(q.limit, 10), 1000), ...(to === undefined ? {} : { to }) });
      const body: Record<string, unknown> = { chunk: await deps.formatter.format(page.events), start: positionToken(from) };
      if (page.limited || (to !== undefined && page.next !== to)) body['end'] = positionToken(page.next);
      return body;
    },
  );

  adminRoute<{ Params: { roomIdOrAlias: string }; Body: { user_id: string } }>(
    app,
    auth,
    'POST',
    '/_synapse/admin/v1/join/:roomIdOrAlias',
    { params: { type: 'object', required: ['roomIdOrAlias'], properties: { roomIdOrAlias: { type: 'string' } } }, body: { type: 'object', required: ['user_id'], properties: { user_id: { type: 'string' } } } },
    async (request, admin) => {
      const userId = localUserParam(request.body.user_id, serverName);
      const user = await getUser(db, userId);
      if (user === undefined || user.deactivated) throw notFound(`user ${userId} is not known or deactivated`);
      const roomId = await resolveRoom(roomsDeps, request.params.roomIdOrAlias);
      logAdminAction(request, admin, 'join user to room', { user_id: userId, room_id: roomId });
      const joinRule = (await getCurrentStateEvent(db, roomId, { type: 'm.room.join_rules', stateKey: '' }))?.pdu['content'] as JsonObject | undefined;
      const adminMembership = await getMembership(db, roomId, admin.userId);
      // A non-public room needs an invite first: the admin sends it when they are in the room (as Synapse).
      if (joinRule?.['join_rule'] !== 'public' && (await getMembership(db, roomId, userId))?.membership !== 'invite') {
        if (adminMembership?.membership !== 'join') throw new MatrixError(403, 'M_FORBIDDEN', 'You are not in this room and it is not public: the user cannot be joined to it');
        await sendOrThrow(roomsDeps, roomId, { type: 'm.room.member', stateKey: userId, sender: admin.userId, content: await memberContent(roomsDeps, userId, 'invite') });
      }
      return join(roomsDeps, roomId, { userId, isGuest: false });
    },
  );

  adminRoute<{ Params: { roomIdOrAlias: string }; Body: { user_id?: string } }>(
    app,
    auth,
    'POST',
    '/_synapse/admin/v1/rooms/:roomIdOrAlias/make_room_admin',
    { params: { type: 'object', required: ['roomIdOrAlias'], properties: { roomIdOrAlias: { type: 'string' } } }, body: { type: ['object', 'null'], properties: { user_id: { type: 'string' } } } },
    async (request, admin) => {
      const target = localUserParam(request.body?.user_id ?? admin.userId, serverName);
      const roomId = await resolveRoom(roomsDeps, request.params.roomIdOrAlias);
      await knownRoom(roomId);
      logAdminAction(request, admin, 'make room admin', { user_id: target, room_id: roomId });
      await makeRoomAdmin(roomsDeps, roomId, target);
      return {};
    },
  );
}

/**
 * Gives `target` the highest power level of the room's local members, sent by the local member
 * who holds it (or a creator in rooms where creators outrank everyone); invites the target
 * first when they are not in a non-public room. Synapse's make_room_admin.
 */
async function makeRoomAdmin(deps: RoomsDeps, roomId: string, target: string): Promise<void> {
  const { db, serverName } = deps;
  const plEvent = await getCurrentStateEvent(db, roomId, { type: 'm.room.power_levels', stateKey: '' });
  const create = await getCurrentStateEvent(db, roomId, { type: 'm.room.create', stateKey: '' });
  const pl = (plEvent?.pdu['content'] as JsonObject | undefined) ?? {};
  const users = (pl['users'] as Record<string, number> | undefined) ?? {};
  const createContent = (create?.pdu['content'] as JsonObject | undefined) ?? {};
  // Room versions with privileged creators (v12+) list them in the create event, outside `users`.
  const creators = new Set<string>([create?.sender ?? '', ...(((createContent['additional_creators'] as string[] | undefined) ?? []))]);
  const joinedLocal = (await getRoomMembers(db, roomId, { memberships: ['join'] })).map((m) => m.userId).filter((u) => u.endsWith(`:${serverName}`));
  const privilegedCreators = plEvent !== undefined && !Object.keys(users).some((u) => creators.has(u));
  const creatorSender = privilegedCreators ? joinedLocal.find((u) => creators.has(u)) : undefined;
  const ranked = joinedLocal.map((u) => ({ user: u, level: users[u] ?? (pl['users_default'] as number | undefined) ?? 0 })).sort((a, b) => b.level - a.level);
  const sender = creatorSender ?? ranked[0]?.user;
  if (sender === undefined) throw new MatrixError(400, 'M_UNKNOWN', 'No local admin user in room');
  const needed = ((pl['events'] as Record<string, number> | undefined)?.['m.room.power_levels'] ?? (pl['state_default'] as number | undefined) ?? 50);
  const senderLevel = creatorSender !== undefined ? Infinity : (ranked[0]?.level ?? 0);
  if (senderLevel < needed) throw new MatrixError(400, 'M_UNKNOWN', 'No local admin user in room with power to update power levels.');
  const level = Number.isFinite(senderLevel) ? senderLevel : Math.max(100, ...Object.values(users));
  if (target !== sender) {
    const membership = (await getMembership(db, roomId, target))?.membership;
    const joinRule = ((await getCurrentStateEvent(db, roomId, { type: 'm.room.join_rules', stateKey: '' }))?.pdu['content'] as JsonObject | undefined)?.['join_rule'];
    if (membership !== 'join' && membership !== 'invite' && joinRule !== 'public') {
      await sendOrThrow(deps, roomId, { type: 'm.room.member', stateKey: target, sender, content: await memberContent(deps, target, 'invite') });
    }
    // A creator of a privileged-creator room already outranks any level.
    if (privilegedCreators && creators.has(target)) return;
    await sendOrThrow(deps, roomId, { type: 'm.room.power_levels', stateKey: '', sender, content: { ...pl, users: { ...users, [target]: level } } });
  }
}
