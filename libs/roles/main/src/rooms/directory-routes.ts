// Room aliases (/directory/room/{alias}, /rooms/{roomId}/aliases) and the public room
// directory (/directory/list/room/{roomId}, /publicRooms GET and POST).
import { forbidden, invalidParam, MatrixError, notFound } from '@homeserver/http';
import { authStateFromEvents, isValidServerName, parsePdu, requiredPowerLevel, roomVersion, userPowerLevel, type JsonObject, type RoomEvent } from '@homeserver/matrix';
import {
  appserviceRoomListing,
  createAlias,
  deleteAlias,
  getAlias,
  getAliasesForRoom,
  getCurrentState,
  getCurrentStateEvent,
  getPublicRooms,
  getRoom,
  setRoomPublic,
} from '@homeserver/storage';
import { Appservices, callAppservice, roomAccess, type Requester } from '@homeserver/services';
import { queryRemoteAlias, queryRemotePublicRooms } from './remote/remote-queries.ts';
import { serverOf } from './remote/remote-servers.ts';
import type { FastifyInstance } from 'fastify';
import { aliasParam, roomIdParam } from './path-params.ts';
import { publicRoomFields } from '@homeserver/services';
import { body, clientRoute, params, query } from './route-helper.ts';
import type { RoomsDeps } from './rooms-deps.ts';

/** Whether `userId` could send the state event `type` in the room (room moderators and up). */
async function canSendState(deps: RoomsDeps, roomId: string, userId: string, type: string): Promise<boolean> {
  const room = await getRoom(deps.db, roomId);
  if (!room) return false;
  const version = roomVersion(room.roomVersion);
  const events: RoomEvent[] = (await getCurrentState(deps.db, roomId, { types: ['m.room.create', 'm.room.power_levels'], pairs: [['m.room.member', userId]] }))
    .map((e) => parsePdu(e.pdu as JsonObject, version));
  const state = authStateFromEvents(events);
  return userPowerLevel(userId, state, version) >= Math.max(requiredPowerLevel(type, true, state, version), 0);
}

/**
 * The server a /publicRooms `server` parameter names when it is another one. Without federation
 * another server's directory cannot be read: 404 as Synapse does for an unreachable server.
 */
function remoteDirectoryServer(deps: RoomsDeps, server: string | undefined): string | undefined {
  if (server === undefined || server === '' || server === deps.serverName) return undefined;
  if (!isValidServerName(server)) throw invalidParam(`server ${JSON.stringify(server)} is not a valid server name`);
  if (!deps.federation) throw notFound(`the public rooms of ${server} cannot be read: this server does not federate`);
  return server;
}

function publicRoomsChunk(rooms: Awaited<ReturnType<typeof getPublicRooms>>['rooms']): JsonObject[] {
  return rooms.map((room) => ({ room_id: room.roomId, num_joined_members: room.members, ...publicRoomFields((type) => room.state.get(type)) }));
}

/**
 * The appservice-listed rooms a /publicRooms search asks for: one network's
 * (third_party_instance_id `<appservice id>|<network id>`, instead of the public rooms), or every
 * network's beside them (include_all_networks), as Synapse does.
 */
async function appserviceNetworkRooms(deps: RoomsDeps, b: { include_all_networks?: boolean; third_party_instance_id?: string }): Promise<{ roomIds: string[]; only: boolean } | undefined> {
  if (b.third_party_instance_id !== undefined) {
    if (b.include_all_networks === true) throw invalidParam("Can't use include_all_networks with an explicit network");
    const split = b.third_party_instance_id.indexOf('|');
    if (split < 0) throw invalidParam(`third_party_instance_id ${JSON.stringify(b.third_party_instance_id)} is not of the form <appservice>|<network>`);
    return { roomIds: await appserviceRoomListing(deps.db, b.third_party_instance_id.slice(0, split), b.third_party_instance_id.slice(split + 1)), only: true };
  }
  if (b.include_all_networks === true) return { roomIds: await appserviceRoomListing(deps.db), only: false };
  return undefined;
}

async function publicRooms(deps: RoomsDeps, options: { limit?: number; since?: string; term?: string; networkRooms?: { roomIds: string[]; only: boolean } }): Promise<JsonObject> {
  let offset = 0;
  if (options.since !== undefined) {
    const match = /^p([0-9]{1,9})$/.exec(options.since);
    if (!match) throw invalidParam(`since ${JSON.stringify(options.since)} is not a valid publicRooms token`);
    offset = Number(match[1]);
  }
  const { rooms, total } = await getPublicRooms(deps.db, { limit: options.limit, offset, searchTerm: options.term, ...(options.networkRooms ? { networkRooms: options.networkRooms } : {}) });
  const response: JsonObject = { chunk: publicRoomsChunk(rooms), total_room_count_estimate: total };
  if (offset + rooms.length < total) response['next_batch'] = `p${offset + rooms.length}`;
  if (offset > 0) response['prev_batch'] = `p${Math.max(0, offset - (options.limit ?? offset))}`;
  return response;
}

/**
 * Synapse's rule: an alias in an appservice's exclusive namespace is that appservice's to create
 * (400 M_EXCLUSIVE for anyone else), and an appservice creates aliases only in its namespace.
 */
export function checkAliasNotExclusive(deps: Pick<RoomsDeps, 'appservices'>, alias: string, requester: Requester): void {
  const appservices = deps.appservices;
  if (appservices === undefined) return;
  const own = requester.appserviceId === undefined ? undefined : appservices.byId(requester.appserviceId);
  if (own !== undefined && !Appservices.claims(own, 'aliases', alias)) throw new MatrixError(400, 'M_EXCLUSIVE', `This application service has not reserved this kind of alias (${alias})`);
  if (own === undefined && appservices.exclusiveOwners('aliases', alias).length > 0) throw new MatrixError(400, 'M_EXCLUSIVE', `This alias is reserved by an application service (${alias})`);
}

/**
 * An unknown alias in an appservice's namespace: the appservice is asked (GET
 * /_matrix/app/v1/rooms/{alias}) and may create the room and alias before it answers 200.
 */
async function askAppservicesForAlias(deps: RoomsDeps, alias: string): Promise<Awaited<ReturnType<typeof getAlias>>> {
  for (const appservice of deps.appservices?.queryTargets('aliases', alias) ?? []) {
    const answer = await callAppservice(appservice, 'GET', `/rooms/${encodeURIComponent(alias)}`);
    if (!answer.ok) continue;
    const row = await getAlias(deps.db, alias);
    if (row) return row;
  }
  return undefined;
}

export function registerDirectoryRoutes(app: FastifyInstance, deps: RoomsDeps): void {
  clientRoute(app, 'PUT', '/directory/room/:roomAlias', { schema: { body: { type: 'object', required: ['room_id'], properties: { room_id: { type: 'string' } } } } }, async (request) => {
    const requester = await deps.authenticate(request);
    const alias = aliasParam(params(request)['roomAlias']!);
    const roomId = roomIdParam(String(body(request)['room_id']));
    if (!alias.endsWith(`:${deps.serverName}`)) throw invalidParam(`room alias ${alias} is not on this server (${deps.serverName})`);
    if (!(await getRoom(deps.db, roomId))) throw notFound(`room ${roomId} is not known`);
    checkAliasNotExclusive(deps, alias, requester);
    if (!(await createAlias(deps.db, { alias, roomId, creator: requester.userId, servers: [deps.serverName] }))) {
      throw new MatrixError(409, 'M_UNKNOWN', `room alias ${alias} already exists`);
    }
    return {};
  });

  clientRoute(app, 'GET', '/directory/room/:roomAlias', {}, async (request) => {
    const alias = aliasParam(params(request)['roomAlias']!);
    if (deps.federation && serverOf(alias) !== deps.serverName) {
      const remote = await queryRemoteAlias(deps.federation, alias);
      return { room_id: remote.roomId, servers: remote.servers };
    }
    const row = (await getAlias(deps.db, alias)) ?? (await askAppservicesForAlias(deps, alias));
    if (!row) throw notFound(`room alias ${alias} not found`);
    return { room_id: row.roomId, servers: row.servers.length > 0 ? row.servers : [deps.serverName] };
  });

  clientRoute(app, 'DELETE', '/directory/room/:roomAlias', {}, async (request) => {
    const requester = await deps.authenticate(request);
    const alias = aliasParam(params(request)['roomAlias']!);
    if (deps.federation && serverOf(alias) !== deps.serverName) {
      const remote = await queryRemoteAlias(deps.federation, alias);
      return { room_id: remote.roomId, servers: remote.servers };
    }
    const row = await getAlias(deps.db, alias);
    if (!row) throw notFound(`room alias ${alias} not found`);
    if (row.creator !== requester.userId && !(await canSendState(deps, row.roomId, requester.userId, 'm.room.canonical_alias'))) {
      throw forbidden(`user ${requester.userId} may not delete room alias ${alias}`);
    }
    await deleteAlias(deps.db, alias);
    await dropFromCanonicalAlias(deps, row.roomId, alias, requester.userId);
    return {};
  });

  clientRoute(app, 'GET', '/rooms/:roomId/aliases', { paths: {} }, async (request) => {
    const requester = await deps.authenticate(request);
    const roomId = roomIdParam(params(request)['roomId']!);
    // Server admins see any room's aliases, as in Synapse (admin tools such as synadm rely on it).
    if (requester.admin !== true) {
      const access = await roomAccess(deps.db, { roomId, userId: requester.userId });
      if (access.membership !== 'join' && !access.worldReadable) throw forbidden(`user ${requester.userId} is not in room ${roomId}`);
    }
    return { aliases: await getAliasesForRoom(deps.db, roomId) };
  });

  clientRoute(app, 'GET', '/directory/list/room/:roomId', {}, async (request) => {
    const roomId = roomIdParam(params(request)['roomId']!);
    const room = await getRoom(deps.db, roomId);
    if (!room) throw notFound(`room ${roomId} is not known`);
    return { visibility: room.isPublic ? 'public' : 'private' };
  });

  clientRoute(app, 'PUT', '/directory/list/room/:roomId', { schema: { body: { type: 'object', properties: { visibility: { type: 'string', enum: ['public', 'private'] } } } } }, async (request) => {
    const requester = await deps.authenticate(request);
    const roomId = roomIdParam(params(request)['roomId']!);
    if (!(await getRoom(deps.db, roomId))) throw notFound(`room ${roomId} is not known`);
    if (!(await canSendState(deps, roomId, requester.userId, 'm.room.canonical_alias'))) {
      throw forbidden(`user ${requester.userId} may not change the directory visibility of room ${roomId}`);
    }
    await setRoomPublic(deps.db, roomId, body(request)['visibility'] === 'public');
    return {};
  });

  clientRoute(app, 'GET', '/publicRooms', {}, async (request) => {
    const q = query(request);
    const limit = q['limit'] !== undefined ? Number(q['limit']) : undefined;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw invalidParam(`limit ${JSON.stringify(q['limit'])} is not a non-negative integer`);
    const server = remoteDirectoryServer(deps, q['server']);
    if (server) return queryRemotePublicRooms(deps.federation!, server, { limit, since: q['since'] });
    return publicRooms(deps, { limit, since: q['since'] });
  });

  clientRoute(
    app,
    'POST',
    '/publicRooms',
    {
      schema: {
        body: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 0 },
            // null is "from the start", as Synapse reads it (Sytest's first page sends it).
            since: { type: ['string', 'null'] },
            filter: { type: 'object', properties: { generic_search_term: { type: 'string' }, room_types: { type: 'array' } } },
            include_all_networks: { type: 'boolean' },
            third_party_instance_id: { type: 'string' },
          },
        },
      },
    },
    async (request) => {
      await deps.authenticate(request);
      const b = body<{ limit?: number; since?: string | null; filter?: { generic_search_term?: string }; include_all_networks?: boolean; third_party_instance_id?: string }>(request);
      const server = remoteDirectoryServer(deps, query(request)['server']);
      if (server) {
        return queryRemotePublicRooms(deps.federation!, server, {
          limit: b.limit,
          since: b.since ?? undefined,
          term: b.filter?.generic_search_term ?? '',
          includeAllNetworks: b.include_all_networks,
          thirdPartyInstanceId: b.third_party_instance_id,
        });
      }
      const networkRooms = await appserviceNetworkRooms(deps, b);
      return publicRooms(deps, { limit: b.limit, since: b.since ?? undefined, term: b.filter?.generic_search_term, networkRooms });
    },
  );
}

/**
 * A deleted alias leaves the room's m.room.canonical_alias too (Synapse), sent by the user who
 * deleted it; one who may not change that state leaves it as it is (the alias no longer resolves).
 */
async function dropFromCanonicalAlias(deps: RoomsDeps, roomId: string, alias: string, userId: string): Promise<void> {
  const current = await getCurrentStateEvent(deps.db, roomId, { type: 'm.room.canonical_alias', stateKey: '' });
  const content = { ...((current?.pdu['content'] as JsonObject | undefined) ?? {}) };
  const alt = Array.isArray(content['alt_aliases']) ? content['alt_aliases'] : [];
  if (content['alias'] !== alias && !alt.includes(alias)) return;
  if (content['alias'] === alias) delete content['alias'];
  if (alt.includes(alias)) content['alt_aliases'] = alt.filter((a) => a !== alias);
  await deps.rooms.sendEvent(roomId, { type: 'm.room.canonical_alias', stateKey: '', sender: userId, content });
}
