// /_homeserver/admin/topology (HTML) and /_homeserver/admin/topology.json: main's live view of
// every process on the transport, for server admins (token in the Authorization header or, for
// a browser opening the page, ?access_token=).
import type { ActorSystem, ClusterView } from '@homeserver/actors';
import { requireServerAdmin, ROOM_ACTOR_KIND, type AccessTokenAuth } from '@homeserver/services';
import { listInstances, type Database } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import { roomIdParam } from '../../rooms/path-params.ts';
import { TOPOLOGY_PAGE } from './topology-page.ts';
import { topologyJson } from './topology-json.ts';

export interface TopologyDeps {
  readonly auth: AccessTokenAuth;
  readonly db: Database;
  readonly cluster: ClusterView;
  readonly actors: ActorSystem;
  readonly now: () => number;
}

export function registerTopologyRoutes(app: FastifyInstance, deps: TopologyDeps): void {
  const onRequest = async (request: Parameters<typeof requireServerAdmin>[1]) => {
    await requireServerAdmin(deps.auth, request);
  };
  app.get('/_homeserver/admin/topology', { onRequest }, async (_request, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(TOPOLOGY_PAGE));
  app.get<{ Querystring: { room_id?: string } }>(
    '/_homeserver/admin/topology.json',
    { onRequest, schema: { querystring: { type: 'object', properties: { room_id: { type: 'string' }, access_token: { type: 'string' } } } } },
    async (request) => {
      const roomId = request.query.room_id === undefined ? undefined : roomIdParam(request.query.room_id);
      return topologyJson(deps.cluster, {
        now: deps.now(),
        instances: await listInstances(deps.db),
        ...(roomId === undefined ? {} : { room: { roomId, owner: deps.actors.instanceFor(ROOM_ACTOR_KIND, roomId) } }),
      });
    },
  );
}
