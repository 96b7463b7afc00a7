// The legacy sync endpoints (GET /initialSync, GET /rooms/{roomId}/initialSync, GET /events),
// served under api/v1, r0 and v3 as Synapse still does, from the /sync machinery (LegacySync).
import { clientPaths as allClientPaths, invalidParam } from '@homeserver/http';
import type { FastifyInstance } from 'fastify';
import type { LegacySync } from '../sync/legacy-sync.ts';
import { roomIdParam } from './id-params.ts';
import type { Authenticate } from './route-deps.ts';
import { clientGone, parseBool, parseTimeout } from './sync-routes.ts';

export interface LegacyRouteDeps {
  readonly authenticate: Authenticate;
  readonly legacy: LegacySync;
  /** Marks a user of the event stream online (as /sync without set_presence does). Default: ignored. */
  readonly setPresence?: (userId: string, state: string) => Promise<void>;
}

function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^[0-9]{1,9}$/.test(value)) throw invalidParam(`cannot use limit ${JSON.stringify(value)}: expected a non-negative integer`);
  // 0 asks for state only (LegacySync reads one event and shows none).
  return Math.min(Number(value), 100);
}

const stringQuery = (names: readonly string[]) => ({
  type: 'object',
  properties: Object.fromEntries(names.map((name) => [name, { type: 'string' }])),
});

export function registerLegacySyncRoutes(app: FastifyInstance, deps: LegacyRouteDeps): void {
  const paths = (path: string) => allClientPaths(path, { v1: true });

  for (const url of paths('/initialSync')) {
    app.get<{ Querystring: { limit?: string; archived?: string } }>(url, { schema: { querystring: stringQuery(['limit', 'archived']) } }, async (request) => {
      const requester = await deps.authenticate(request);
      return deps.legacy.initialSync(requester, { limit: parseLimit(request.query.limit), archived: parseBool(request.query.archived, 'archived') });
    });
  }

  for (const url of paths('/rooms/:roomId/initialSync')) {
    app.get<{ Params: { roomId: string }; Querystring: { limit?: string } }>(url, { schema: { querystring: stringQuery(['limit']) } }, async (request) => {
      const requester = await deps.authenticate(request);
      return deps.legacy.roomInitialSync(requester, roomIdParam(request.params.roomId), { limit: parseLimit(request.query.limit) });
    });
  }

  for (const url of paths('/events')) {
    app.get<{ Querystring: { from?: string; timeout?: string; room_id?: string; limit?: string } }>(url, { schema: { querystring: stringQuery(['from', 'timeout', 'room_id', 'limit']) } }, async (request, reply) => {
      const requester = await deps.authenticate(request);
      // Polling the stream is being online, as Synapse counts it (guests excepted).
      if (requester.isGuest !== true) await deps.setPresence?.(requester.userId, 'online');
      const options = { from: request.query.from, timeoutMs: parseTimeout(request.query.timeout), signal: clientGone(reply), limit: parseLimit(request.query.limit) };
      // room_id: that room only, which the user may also read by peeking (world_readable history).
      if (request.query.room_id !== undefined) return deps.legacy.roomEvents(requester, roomIdParam(request.query.room_id), options);
      return deps.legacy.events(requester, options);
    });
  }
}
