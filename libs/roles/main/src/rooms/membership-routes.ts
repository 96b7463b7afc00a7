// Room creation and membership endpoints: createRoom, join (by ID or alias), invite, leave,
// forget, kick, ban, unban, knock, joined_rooms.
import { MatrixError, notFound } from '@homeserver/http';
import { isValidRoomAlias, isValidRoomId, type JsonObject } from '@homeserver/matrix';
import type { Requester } from '@homeserver/services';
import { forgetRoom, getAlias, getMembership, getRoom, getRoomMembers, getRoomsForUser, roomBlockedBy } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import { guestJoinContent } from '../guest/guest-join.ts';
import { createRoom, createRoomBodySchema, type CreateRoomBody } from './create-room.ts';
import { invalidParam } from '@homeserver/http';
import { roomIdParam, userIdParam } from './path-params.ts';
import { body, clientRoute, params, reasonBody } from './route-helper.ts';
import { memberContent, sendOrThrow } from './room-writes.ts';
import type { RoomsDeps } from './rooms-deps.ts';
import { inviteThroughFederation } from './remote/remote-invite.ts';
import { joinThroughFederation } from './remote/remote-join.ts';
import { leaveThroughFederation, rejectInviteLocally } from './remote/remote-leave.ts';
import { copyUserStateOnUpgrade, predecessorOf } from './upgrade-user-state.ts';
import { queryRemoteAlias } from './remote/remote-queries.ts';
import { serverOf } from './remote/remote-servers.ts';

const targetBody = { type: 'object', required: ['user_id'], properties: { user_id: { type: 'string' }, reason: { type: 'string' } } } as const;

function withReason(content: JsonObject, reason: unknown): JsonObject {
  return typeof reason === 'string' ? { ...content, reason } : content;
}

/** Resolves `!room:server` or `#alias:server` to a room ID known here. */
export async function resolveRoom(deps: RoomsDeps, idOrAlias: string): Promise<string> {
  return (await resolveRoomAndServers(deps, idOrAlias)).roomId;
}

/**
 * Resolves a room ID or alias, with the servers an alias's directory entry names (an alias of
 * another server is asked of that server).
 */
export async function resolveRoomAndServers(deps: RoomsDeps, idOrAlias: string): Promise<{ roomId: string; servers: string[] }> {
  if (idOrAlias.startsWith('#')) {
    if (!isValidRoomAlias(idOrAlias)) throw invalidParam(`room alias ${JSON.stringify(idOrAlias)} is not valid`);
    if (deps.federation && serverOf(idOrAlias) !== deps.serverName) return queryRemoteAlias(deps.federation, idOrAlias);
    const alias = await getAlias(deps.db, idOrAlias);
    if (!alias) throw notFound(`room alias ${idOrAlias} is not known`);
    return { roomId: alias.roomId, servers: alias.servers };
  }
  if (!isValidRoomId(idOrAlias)) throw invalidParam(`${JSON.stringify(idOrAlias)} is neither a room ID nor a room alias`);
  return { roomId: idOrAlias, servers: [] };
}

/** The `server_name` and `via` query parameters of /join and /knock (repeatable). */
function viaServers(request: { query: unknown }): string[] {
  const q = (request.query ?? {}) as Record<string, string | string[] | undefined>;
  return [q['via'], q['server_name']].flatMap((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
}

/**
 * Whether a user of this server is joined to the room (then it is joined locally), and else the
 * servers of its members joined as of the state held here (a room left earlier: ask them).
 */
async function joinedHere(deps: RoomsDeps, roomId: string): Promise<{ joined: boolean; servers: string[] }> {
  const room = await getRoom(deps.db, roomId);
  if (!room) return { joined: false, servers: [] };
  const members = await getRoomMembers(deps.db, roomId, { memberships: ['join'] });
  const servers = [...new Set(members.map((m) => serverOf(m.userId)).filter((s): s is string => s !== undefined))];
  // A room created here that every member left has no other server to ask: it stays ours to
  // write to (an invite to it is rejected with an ordinary leave in the room).
  const abandonedHere = servers.length === 0 && room.creator !== undefined && serverOf(room.creator) === deps.serverName;
  return { joined: abandonedHere || servers.includes(deps.serverName), servers };
}

/**
 * A /join body's own keys go into the member event (Synapse keeps them: clients and bridges set
 * custom fields there); `third_party_signed` is an instruction, not content.
 */
function joinExtras(requestBody: JsonObject): JsonObject {
  const { third_party_signed: _signed, ...extra } = requestBody;
  return extra;
}

export async function join(
  deps: RoomsDeps,
  roomId: string,
  requester: Pick<Requester, 'userId' | 'isGuest'>,
  requestBody: JsonObject = {},
  servers: readonly string[] = [],
): Promise<{ room_id: string }> {
  const { userId } = requester;
  // Synapse's room blocking (admin room deletion with block: true): nobody joins again, even once purged.
  if ((await roomBlockedBy(deps.db, roomId)) !== undefined) throw new MatrixError(403, 'M_FORBIDDEN', `room ${roomId} has been blocked on this server`);
  // A room no user of ours is in is joined through a server that is in it: the given ones, the
  // inviter's, the room ID's own, those of its members as this server last knew them.
  const here = deps.federation && !requester.isGuest ? await joinedHere(deps, roomId) : undefined;
  if (deps.federation && here && !here.joined) {
    const invite = await getMembership(deps.db, roomId, userId);
    const candidates = [...servers, invite?.membership === 'invite' ? serverOf(invite.sender) : undefined, serverOf(roomId), ...here.servers];
    if (candidates.some((server) => server !== undefined && server !== deps.serverName)) {
      const content = await memberContent(deps, userId, 'join', joinExtras(requestBody));
      const { membership: _membership, ...rest } = content;
      await joinThroughFederation({ ...deps, federation: deps.federation }, { roomId, userId, servers: candidates, content: rest });
      return { room_id: roomId };
    }
  }
  if (!(await getRoom(deps.db, roomId))) throw notFound(`room ${roomId} is not known to this server`);
  let content = await memberContent(deps, userId, 'join', joinExtras(requestBody));
  if (requester.isGuest) content = await guestJoinContent(deps.db, roomId, content);
  const before = await getMembership(deps.db, roomId, userId);
  await sendOrThrow(deps, roomId, { type: 'm.room.member', stateKey: userId, sender: userId, content });
  // Joining an upgraded room brings the user's tags and m.direct entry of the old one (Synapse).
  const predecessor = before?.membership === 'join' || !deps.accountData ? undefined : await predecessorOf(deps, roomId);
  if (predecessor !== undefined) await copyUserStateOnUpgrade(deps, userId, { oldRoomId: predecessor, newRoomId: roomId });
  return { room_id: roomId };
}

export function registerMembershipRoutes(app: FastifyInstance, deps: RoomsDeps): void {
  clientRoute(app, 'POST', '/createRoom', { schema: { body: createRoomBodySchema } }, async (request) => {
    const requester = await deps.authenticate(request);
    return { room_id: await createRoom(deps, requester, body<CreateRoomBody>(request)) };
  });

  clientRoute(app, 'POST', '/rooms/:roomId/join', { schema: { body: reasonBody } }, async (request) => {
    const requester = await deps.authenticate(request);
    return join(deps, roomIdParam(params(request)['roomId']!), requester, body<JsonObject>(request));
  });

  clientRoute(app, 'POST', '/join/:roomIdOrAlias', { schema: { body: reasonBody } }, async (request) => {
    const requester = await deps.authenticate(request);
    const { roomId, servers } = await resolveRoomAndServers(deps, params(request)['roomIdOrAlias']!);
    return join(deps, roomId, requester, body<JsonObject>(request), [...viaServers(request), ...servers]);
  });

  clientRoute(app, 'POST', '/knock/:roomIdOrAlias', { schema: { body: reasonBody }, paths: { r0: false } }, async (request) => {
    const requester = await deps.authenticate(request);
    const roomId = await resolveRoom(deps, params(request)['roomIdOrAlias']!);
    // Synapse's room blocking (admin room deletion with block: true): nobody joins again, even once purged.
  if ((await roomBlockedBy(deps.db, roomId)) !== undefined) throw new MatrixError(403, 'M_FORBIDDEN', `room ${roomId} has been blocked on this server`);
  if (!(await getRoom(deps.db, roomId))) throw notFound(`room ${roomId} is not known to this server`);
    const content = withReason(await memberContent(deps, requester.userId, 'knock'), body(request)['reason']);
    await sendOrThrow(deps, roomId, { type: 'm.room.member', stateKey: requester.userId, sender: requester.userId, content });
    return { room_id: roomId };
  });

  clientRoute(app, 'POST', '/rooms/:roomId/invite', { schema: { body: targetBody } }, async (request) => {
    const requester = await deps.authenticate(request);
    const roomId = roomIdParam(params(request)['roomId']!);
    const target = userIdParam(body(request)['user_id']);
    const current = await getMembership(deps.db, roomId, target);
    if (current?.membership === 'ban') throw new MatrixError(403, 'M_FORBIDDEN', `${target} is banned from the room`);
    if (current?.membership === 'join') throw new MatrixError(403, 'M_FORBIDDEN', `${target} is already in the room`);
    // A shadow-banned user's invites seem to work and reach nobody (Synapse's shadow ban).
    if (requester.shadowBanned === true) return {};
    const content = withReason(await memberContent(deps, target, 'invite'), body(request)['reason']);
    if (deps.federation && serverOf(target) !== deps.serverName) {
      await inviteThroughFederation({ ...deps, federation: deps.federation }, { roomId, sender: requester.userId, target, content });
      return {};
    }
    await sendOrThrow(deps, roomId, { type: 'm.room.member', stateKey: target, sender: requester.userId, content });
    return {};
  });

  clientRoute(app, 'POST', '/rooms/:roomId/leave', { schema: { body: reasonBody } }, async (request) => {
    const requester = await deps.authenticate(request);
    const roomId = roomIdParam(params(request)['roomId']!);
    const current = await getMembership(deps.db, roomId, requester.userId);
    if (!current) throw new MatrixError(403, 'M_FORBIDDEN', `user ${requester.userId} is not in room ${roomId}`);
    // Leaving twice is a no-op, as in Synapse.
    if (current.membership === 'leave' || current.membership === 'ban') return {};
    // An invite or knock of a room no user of ours is in: the leave goes through a server in it.
    if (deps.federation && (current.membership === 'invite' || current.membership === 'knock')) {
      const here = await joinedHere(deps, roomId);
      if (!here.joined) {
        const content = withReason({}, body(request)['reason']);
        const servers = [serverOf(current.sender), serverOf(roomId), ...here.servers];
        try {
          await leaveThroughFederation({ ...deps, federation: deps.federation }, { roomId, userId: requester.userId, servers, content });
        } catch (error) {
          // Nobody in the room can be reached or will let us leave (any failure, a refusal
          // too): reject here alone, as Synapse does.
          if (current.membership !== 'invite') throw error;
          await rejectInviteLocally(deps, { roomId, userId: requester.userId, inviteEventId: current.eventId, content });
        }
        return {};
      }
    }
    await sendOrThrow(deps, roomId, { type: 'm.room.member', stateKey: requester.userId, sender: requester.userId, content: withReason({ membership: 'leave' }, body(request)['reason']) });
    return {};
  });

  clientRoute(app, 'POST', '/rooms/:roomId/forget', { schema: { body: { type: 'object' } } }, async (request) => {
    const requester = await deps.authenticate(request);
    const roomId = roomIdParam(params(request)['roomId']!);
    const current = await getMembership(deps.db, roomId, requester.userId);
    if (!current) throw notFound(`user ${requester.userId} has no membership in room ${roomId}`);
    if (current.membership === 'join' || current.membership === 'invite' || current.membership === 'knock') {
      throw new MatrixError(400, 'M_UNKNOWN', `user ${requester.userId} must leave room ${roomId} before forgetting it`);
    }
    await forgetRoom(deps.db, roomId, requester.userId);
    return {};
  });

  const moderation = (path: string, membership: 'leave' | 'ban', allowed: (current: string | undefined) => boolean, what: string) =>
    clientRoute(app, 'POST', path, { schema: { body: targetBody } }, async (request) => {
      const requester = await deps.authenticate(request);
      const roomId = roomIdParam(params(request)['roomId']!);
      const target = userIdParam(body(request)['user_id']);
      const current = (await getMembership(deps.db, roomId, target))?.membership;
      if (!allowed(current)) throw new MatrixError(403, 'M_FORBIDDEN', `cannot ${what} ${target}: their membership is ${current ?? 'none'}`);
      await sendOrThrow(deps, roomId, { type: 'm.room.member', stateKey: target, sender: requester.userId, content: withReason({ membership }, body(request)['reason']) });
      return {};
    });
  moderation('/rooms/:roomId/kick', 'leave', (m) => m === 'join' || m === 'invite' || m === 'knock', 'kick');
  moderation('/rooms/:roomId/ban', 'ban', () => true, 'ban');
  moderation('/rooms/:roomId/unban', 'leave', (m) => m === 'ban', 'unban');

  clientRoute(app, 'GET', '/joined_rooms', {}, async (request) => {
    const requester = await deps.authenticate(request);
    const rooms = await getRoomsForUser(deps.db, requester.userId, { memberships: ['join'], includeForgotten: true });
    return { joined_rooms: rooms.map((r) => r.roomId) };
  });
}
