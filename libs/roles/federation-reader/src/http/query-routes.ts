// Queries another server makes of ours: /version (unauthenticated, as in Synapse), room alias
// resolution, profile lookup, and the public room directory (refused unless
// allow_public_rooms_over_federation is set, Synapse's default).
import { forbidden, invalidParam, notFound } from '@homeserver/http';
import type { JsonObject } from '@homeserver/matrix';
import { publicRoomFields } from '@homeserver/services';
import { getAlias, getJoinedServers, getProfile, getPublicRooms } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import { federationAuth } from './federation-auth.ts';
import type { FederationRouteDeps } from './federation-deps.ts';
import { roomAliasParam, serverOf, userIdParam } from './id-params.ts';

const F = '/_matrix/federation/v1';

export interface QueryRouteOptions {
  /** Synapse's allow_public_rooms_over_federation. Default: false. */
  readonly publicRoomsOverFederation?: boolean;
}

function limitOf(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 0) throw invalidParam(`limit must be a non-negative integer, got ${JSON.stringify(raw)}`);
  return value;
}

function offsetOf(since: unknown): number {
  if (since === undefined) return 0;
  const match = typeof since === 'string' ? /^p([0-9]{1,9})$/.exec(since) : null;
  if (!match) throw invalidParam(`since ${JSON.stringify(since)} is not a valid publicRooms token`);
  return Number(match[1]);
}

export function registerQueryRoutes(app: FastifyInstance, deps: FederationRouteDeps, options: QueryRouteOptions = {}): void {
  const preValidation = federationAuth(deps);
  const { db } = deps;

  app.get(`${F}/version`, async () => ({ server: { name: 'homeserver-ts', version: deps.version } }));

  app.get<{ Querystring: { room_alias?: string } }>(`${F}/query/directory`, { preValidation }, async (request) => {
    if (typeof request.query.room_alias !== 'string') throw invalidParam('room_alias is required');
    const alias = roomAliasParam(request.query.room_alias);
    if (serverOf(alias) !== deps.serverName) throw invalidParam(`room alias ${alias} is not hosted on ${deps.serverName}`);
    const row = await getAlias(db, alias);
    if (!row) throw notFound(`room alias ${alias} not found`);
    const joined = await getJoinedServers(db, row.roomId);
    const servers = [deps.serverName, ...row.servers, ...joined].filter((s, i, all) => all.indexOf(s) === i);
    return { room_id: row.roomId, servers };
  });

  app.get<{ Querystring: { user_id?: string; field?: string } }>(`${F}/query/profile`, { preValidation }, async (request) => {
    if (typeof request.query.user_id !== 'string') throw invalidParam('user_id is required');
    const userId = userIdParam(request.query.user_id);
    const field = request.query.field;
    if (field !== undefined && field !== 'displayname' && field !== 'avatar_url') throw invalidParam(`field must be displayname or avatar_url, got ${JSON.stringify(field)}`);
    if (serverOf(userId) !== deps.serverName) throw invalidParam(`user ${userId} is not hosted on ${deps.serverName}`);
    const profile = await getProfile(db, userId);
    if (!profile) throw notFound(`user ${userId} does not exist`);
    const answer: JsonObject = {};
    if ((field === undefined || field === 'displayname') && profile.displayname !== null) answer['displayname'] = profile.displayname;
    if ((field === undefined || field === 'avatar_url') && profile.avatarUrl !== null) answer['avatar_url'] = profile.avatarUrl;
    return answer;
  });

  async function publicRooms(query: { limit?: number; since?: unknown; term?: string }): Promise<JsonObject> {
    if (options.publicRoomsOverFederation !== true) throw forbidden('this server does not share its room directory over federation (allow_public_rooms_over_federation)');
    const offset = offsetOf(query.since);
    const { rooms, total } = await getPublicRooms(db, { limit: query.limit, offset, searchTerm: query.term });
    const chunk = rooms.map((room) => ({ room_id: room.roomId, num_joined_members: room.members, ...publicRoomFields((type) => room.state.get(type)) }));
    const answer: JsonObject = { chunk, total_room_count_estimate: total };
    if (offset + rooms.length < total) answer['next_batch'] = `p${offset + rooms.length}`;
    if (offset > 0) answer['prev_batch'] = `p${Math.max(0, offset - (query.limit ?? offset))}`;
    return answer;
  }

  app.get<{ Querystring: { limit?: string; since?: string } }>(`${F}/publicRooms`, { preValidation }, async (request) =>
    publicRooms({ limit: limitOf(request.query.limit), since: request.query.since }),
  );

  app.post<{ Body: { limit?: number; since?: string; filter?: { generic_search_term?: string } } }>(
    `${F}/publicRooms`,
    {
      preValidation,
      schema: {
        body: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 0 },
            since: { type: 'string' },
            filter: { type: 'object', properties: { generic_search_term: { type: 'string' } } },
            include_all_networks: { type: 'boolean' },
            third_party_instance_id: { type: 'string' },
          },
        },
      },
    },
    async (request) => publicRooms({ limit: request.body.limit, since: request.body.since, term: request.body.filter?.generic_search_term }),
  );
}
